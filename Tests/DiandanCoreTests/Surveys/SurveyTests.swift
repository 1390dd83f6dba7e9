import Foundation
import Testing
@testable import DiandanCore

@Suite("Needs surveys: answers checked, results counted, unmet needs ranked")
struct SurveyRuleTests {
    // A questionnaire as a station would design it. Categories: 1 culture, 2 health, 3 law, 4 haircuts,
    // 5 digital skills. Menu items: 10 free clinic (health), 11 haircut (haircuts).
    static let questions = [
        SurveyQuestion(id: 1, kind: .single, prompt: "最想要哪类服务", options: [
            SurveyOption(label: "文化", categoryID: 1), SurveyOption(label: "医疗", categoryID: 2), SurveyOption(label: "法律", categoryID: 3)]),
        SurveyQuestion(id: 2, kind: .multiple, prompt: "想要的具体服务", options: [
            SurveyOption(label: "义诊", menuItemID: 10), SurveyOption(label: "理发", menuItemID: 11),
            SurveyOption(label: "电影放映", categoryID: 1), SurveyOption(label: "其他")]),
        SurveyQuestion(id: 3, kind: .rating, prompt: "对现有服务满意吗"),
        SurveyQuestion(id: 4, kind: .text, prompt: "还想学什么", required: false, categoryID: 5),
    ]
    static let menuCategory = [10: 2, 11: 4]

    // Six households, counted by hand below.
    static let responses: [[Int: SurveyAnswer]] = [
        [1: .choice([1]), 2: .choice([0, 1]), 3: .rating(4), 4: .text("想学智能手机")],   // A
        [1: .choice([1]), 2: .choice([0]), 3: .rating(5)],                               // B
        [1: .choice([0]), 2: .choice([2, 3]), 3: .rating(3), 4: .text("   ")],          // C (blank text)
        [1: .choice([2]), 2: .choice([1]), 3: .rating(2), 4: .text("法律咨询")],         // D
        [1: .choice([1]), 2: .choice([0, 2]), 3: .rating(5)],                            // E
        [1: .choice([0]), 2: .choice([3]), 3: .rating(4)],                               // F
    ]

    @Test func theTallyMatchesTheHandCount() {
        let t = SurveyTally(questions: Self.questions, responses: Self.responses, menuCategory: Self.menuCategory)
        #expect(t.responses == 6)
        // Q1: culture C F, health A B E, law D.
        #expect(t.optionCounts[1] == [2, 3, 1])
        // Q2: clinic A B E, haircut A D, films C E, other C F.
        #expect(t.optionCounts[2] == [3, 2, 2, 2])
        // Q3: 4 5 3 2 5 4 → one 2, one 3, two 4s, two 5s; mean 23/6.
        #expect(t.ratings[3] == [0, 1, 1, 2, 2])
        #expect(abs((t.meanRating(3) ?? 0) - 23.0 / 6.0) < 1e-9)
        // Q4: A and D wrote something (C's blank does not count).
        #expect(t.texts[4] == 2)
        // Households per category, once each: culture C E F; health A B E (option and item, once);
        // law D; haircuts A D (through the menu item); digital skills A D (the text question's category).
        #expect(t.demand == [1: 3, 2: 3, 3: 1, 4: 2, 5: 2])
        #expect(t.menuDemand == [10: 3, 11: 2])
    }

    @Test func unmetNeedsAreRankedAgainstTheMenuAndTheOrders() {
        let t = SurveyTally(questions: Self.questions, responses: Self.responses, menuCategory: Self.menuCategory)
        // The menu offers health (the clinic) and haircuts; orders: health 2, law 1, haircuts 2.
        let ranked = NeedRanking.rank(demand: t.demand, offered: [2: 1, 4: 1], ordered: [2: 2, 3: 1, 4: 2])
        // culture 3 unmet (not offered), digital skills 2 (not offered), health 1; law and haircuts met.
        #expect(ranked.map(\.categoryID) == [1, 5, 2])
        #expect(ranked.map(\.unmet) == [3, 2, 1])
        #expect(ranked[0] == UnmetNeed(categoryID: 1, demand: 3, offered: 0, ordered: 0))
        // Equal unmet demand: what nothing on the menu offers comes first.
        #expect(NeedRanking.rank(demand: [7: 2, 8: 2], offered: [7: 1], ordered: [:]).map(\.categoryID) == [8, 7])
    }

    @Test func aHouseholdsAnswersAreChecked() {
        let q = Self.questions
        #expect(SurveyRules.problems(in: Self.responses[0], for: q).isEmpty)
        // The optional text may be left out; the others may not.
        #expect(SurveyRules.problems(in: [1: .choice([0]), 2: .choice([3]), 3: .rating(1)], for: q).isEmpty)
        #expect(SurveyRules.problems(in: [2: .choice([3]), 3: .rating(1)], for: q).map(\.1) == ["error.survey.required"])
        #expect(SurveyRules.problems(in: [1: .choice([0, 1]), 2: .choice([3]), 3: .rating(1)], for: q).map(\.1) == ["error.survey.one_option"])
        #expect(SurveyRules.problems(in: [1: .choice([3]), 2: .choice([3]), 3: .rating(1)], for: q).map(\.1) == ["error.survey.option"])
        #expect(SurveyRules.problems(in: [1: .choice([0]), 2: .choice([1, 1]), 3: .rating(1)], for: q).map(\.1) == ["error.survey.option_twice"])
        #expect(SurveyRules.problems(in: [1: .choice([0]), 2: .choice([3]), 3: .rating(6)], for: q).map(\.1) == ["error.survey.rating"])
        #expect(SurveyRules.problems(in: [1: .choice([0]), 2: .choice([3]), 3: .text("好")], for: q).map(\.1) == ["error.survey.kind"])
        #expect(SurveyRules.problems(in: [1: .choice([0]), 2: .choice([3]), 3: .rating(2), 4: .text(String(repeating: "字", count: 501))], for: q)
            .map(\.1) == ["error.survey.text_long"])
        #expect(SurveyRules.problems(in: [1: .choice([0]), 2: .choice([3]), 3: .rating(2), 99: .rating(3)], for: q).map(\.0) == [99])
    }

    @Test func aQuestionnaireIsChecked() {
        #expect(SurveyRules.problems(in: Self.questions).isEmpty)
        #expect(SurveyRules.problems(in: []).map(\.1) == ["error.survey.no_questions"])
        let bad = [SurveyQuestion(id: 1, kind: .single, prompt: " ", options: [SurveyOption(label: "只有一个")]),
                   SurveyQuestion(id: 2, kind: .rating, prompt: "满意吗", options: [SurveyOption(label: "多余")])]
        #expect(SurveyRules.problems(in: bad).map(\.1) == ["error.survey.prompt", "error.survey.options_few", "error.survey.options_unused"])
    }
}
