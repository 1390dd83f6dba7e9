import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// The questionnaire and six households that DiandanCoreTests' SurveyRuleTests count by hand
/// (categories 1–5: culture, health, law, haircuts, digital skills; menu items 10 clinic, 11 haircut),
/// here to go through the database.
enum HandCount {
    static let questions = [
        SurveyQuestion(id: 1, kind: .single, prompt: "最想要哪类服务", options: [
            SurveyOption(label: "文化", categoryID: 1), SurveyOption(label: "医疗", categoryID: 2), SurveyOption(label: "法律", categoryID: 3)]),
        SurveyQuestion(id: 2, kind: .multiple, prompt: "想要的具体服务", options: [
            SurveyOption(label: "义诊", menuItemID: 10), SurveyOption(label: "理发", menuItemID: 11),
            SurveyOption(label: "电影放映", categoryID: 1), SurveyOption(label: "其他")]),
        SurveyQuestion(id: 3, kind: .rating, prompt: "对现有服务满意吗"),
        SurveyQuestion(id: 4, kind: .text, prompt: "还想学什么", required: false, categoryID: 5),
    ]
    static let responses: [[Int: SurveyAnswer]] = [
        [1: .choice([1]), 2: .choice([0, 1]), 3: .rating(4), 4: .text("想学智能手机")],
        [1: .choice([1]), 2: .choice([0]), 3: .rating(5)],
        [1: .choice([0]), 2: .choice([2, 3]), 3: .rating(3), 4: .text("   ")],
        [1: .choice([2]), 2: .choice([1]), 3: .rating(2), 4: .text("法律咨询")],
        [1: .choice([1]), 2: .choice([0, 2]), 3: .rating(5)],
        [1: .choice([0]), 2: .choice([3]), 3: .rating(4)],
    ]
}

@Suite("Needs surveys: answers stored once, results from the database")
struct SurveyServiceTests {
    static func principal(_ app: Application, _ username: String) async throws -> Principal {
        let account = try #require(try await Account.query(on: app.db).filter(\.$username == username).first())
        return try #require(try await Principal.load(accountID: account.requireID(), on: app.db))
    }

    /// The questionnaire of the core's hand count, on the fixture's categories and two menu items.
    static func questions(_ c: [Int], items: (Int, Int)) -> [SurveyQuestion] {
        HandCount.questions.map { q in
            var q = q
            q.options = q.options.map { o in
                SurveyOption(label: o.label, categoryID: o.categoryID.map { c[$0 - 1] }, menuItemID: o.menuItemID.map { $0 == 10 ? items.0 : items.1 })
            }
            q.categoryID = q.categoryID.map { c[$0 - 1] }
            return q
        }
    }

    static func world(_ app: Application) async throws -> (LoopWorld, [Int], (Int, Int)) {
        let w = try await LoopWorld.make(app)
        let c = try await Category.query(on: app.db).sort(\.$sortOrder).all().prefix(5).map { $0.id! }
        let menu = MenuService(db: app.db, grants: [Grant(role: .siteAdmin, siteID: w.f.centre.id!, sitePath: w.f.centre.sitePath, siteKind: .centre)])
        let clinic = try await menu.create(MenuItemInput(categoryID: c[1], siteID: w.f.s1.id!, title: "义诊", description: "", teamIDs: [w.f.teamS1.id!],
                                                         siteIDs: [w.f.s1.id!], autoAccept: false, active: true))
        let haircut = try await menu.create(MenuItemInput(categoryID: c[3], siteID: w.f.s1.id!, title: "理发", description: "", teamIDs: [w.f.teamS1.id!],
                                                          siteIDs: [w.f.s1.id!], autoAccept: false, active: true))
        return (w, c, (clinic.id!, haircut.id!))
    }

    static func response(_ id: String, _ station: Int, _ answers: [Int: SurveyAnswer], at: Date) -> CollectedResponse {
        CollectedResponse(clientID: id, stationID: station, household: "3组12号", collectedAt: at, answers: answers)
    }

    /// A practitioner's phone sends the same household's answers a dozen times at once and again
    /// later: one response is stored, one caller hears it was new.
    @Test func answersAreStoredOnceHoweverOftenTheyAreSent() async throws {
        try await withTestApp { app in
            // setup
            let (w, c, items) = try await Self.world(app)
            let admin = try await Self.principal(app, Fixture.user(.siteAdmin))
            let practitioner = try await Self.principal(app, Fixture.user(.practitioner))
            let service = SurveyService(db: app.db, now: Date())
            let survey = try await service.create(SurveyDraft(siteID: w.f.s1.id!, title: "入户问需", description: "", questions: Self.questions(c, items: items)), by: admin)
            let answers = HandCount.responses[0]
            // MUT
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await service.record(survey.id!, Self.response("phone-1-a", w.f.s1.id!, answers, at: Date()), by: practitioner).created }
                }
                var out: [Bool] = []
                for try await c in group { out.append(c) }
                return out
            }
            let again = try await service.record(survey.id!, Self.response("phone-1-a", w.f.s1.id!, answers, at: Date()), by: practitioner)
            // validate
            #expect(created.filter { $0 }.count == 1)
            #expect(again.created == false)
            #expect(try await SurveyResponse.query(on: app.db).count() == 1)
            #expect(again.response.answers == answers)
            // Another household is another response.
            #expect(try await service.record(survey.id!, Self.response("phone-1-b", w.f.s1.id!, HandCount.responses[1], at: Date()), by: practitioner).created)
            #expect(try await SurveyResponse.query(on: app.db).count() == 2)
        }
    }

    @Test func answersOutsideTheRulesOrTheAreaAreRefusedAndNothingIsWritten() async throws {
        try await withTestApp { app in
            let (w, c, items) = try await Self.world(app)
            let admin = try await Self.principal(app, Fixture.user(.siteAdmin))
            let practitioner = try await Self.principal(app, Fixture.user(.practitioner))
            let resident = try await Self.principal(app, Fixture.user(.resident))
            let service = SurveyService(db: app.db, now: Date())
            // Only admins design, and a bad questionnaire is refused with the question's place.
            let draft = SurveyDraft(siteID: w.f.s1.id!, title: "入户问需", description: "", questions: Self.questions(c, items: items))
            await #expect(throws: AppError.self) { try await service.create(draft, by: practitioner) }
            var bad = draft
            bad.questions[1].options = [SurveyOption(label: "只有一个")]
            do { _ = try await service.create(bad, by: admin); Issue.record("a one-option question was accepted") } catch let e as ValidationFailure {
                #expect(e.errors.map(\.field) == ["questions.2"])
            }
            let survey = try await service.create(draft, by: admin)
            let good = HandCount.responses[0]
            // A wrong answer names its question.
            do {
                _ = try await service.record(survey.id!, Self.response("x1", w.f.s1.id!, [1: .choice([7]), 2: .choice([0]), 3: .rating(9)], at: Date()), by: practitioner)
                Issue.record("bad answers were accepted")
            } catch let e as ValidationFailure {
                #expect(e.errors.map(\.field) == ["answers.1", "answers.3"])
            }
            // A station outside the survey's area; a person who does not collect; a time in the future.
            await #expect(throws: ValidationFailure.self) { try await service.record(survey.id!, Self.response("x2", w.f.s3.id!, good, at: Date()), by: admin) }
            await #expect(throws: AppError.self) { try await service.record(survey.id!, Self.response("x3", w.f.s1.id!, good, at: Date()), by: resident) }
            await #expect(throws: ValidationFailure.self) {
                try await service.record(survey.id!, Self.response("x4", w.f.s1.id!, good, at: Date().addingTimeInterval(86_400)), by: practitioner)
            }
            #expect(try await SurveyResponse.query(on: app.db).count() == 0)
        }
    }

    /// The six households of the core's hand count, collected at S1 two days after one earlier
    /// household; results for the last day, against the menu and the orders at S1.
    @Test func resultsMatchTheHandCountAndRankTheUnmetNeeds() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            // setup
            let (w, c, items) = try await Self.world(app)
            let admin = try await Self.principal(app, Fixture.user(.siteAdmin))
            let practitioner = try await Self.principal(app, Fixture.user(.practitioner))
            let survey = try await SurveyService(db: app.db, now: clock.now)
                .create(SurveyDraft(siteID: w.f.s1.id!, title: "入户问需", description: "", questions: Self.questions(c, items: items)), by: admin)
            _ = try await SurveyService(db: app.db, now: clock.now).record(survey.id!, Self.response("early", w.f.s1.id!, HandCount.responses[3], at: clock.now), by: practitioner)
            clock.advance(2 * 86_400)
            let service = SurveyService(db: app.db, now: clock.now)
            for (i, answers) in HandCount.responses.enumerated() {
                _ = try await service.record(survey.id!, Self.response("h\(i)", w.f.s1.id!, answers, at: clock.now), by: practitioner)
            }
            // Orders at S1 today: health 2, law 1, haircuts 2 (needs off the menu, by category).
            let resident = try await Principal.load(accountID: w.f.accountS1.id!, on: app.db)!
            let orders = OrderService(db: app.db, now: clock.now, protector: app.protector, policy: app.settings.orderPolicy)
            for category in [c[1], c[1], c[2], c[3], c[3]] {
                _ = try await orders.create(GroupCommitTests.input(w, menu: nil, category: category), by: resident, key: nil)
            }
            // MUT
            let r = try await service.results(survey.id!, at: w.f.s1, from: clock.now.addingTimeInterval(-86_400), to: clock.now.addingTimeInterval(3_600), by: admin)
            // validate: the hand count of the core's test, on these ids.
            #expect(r.tally.responses == 6)
            #expect(r.tally.optionCounts[1] == [2, 3, 1] && r.tally.optionCounts[2] == [3, 2, 2, 2] && r.tally.ratings[3] == [0, 1, 1, 2, 2] && r.tally.texts[4] == 2)
            #expect(r.tally.demand == [c[0]: 3, c[1]: 3, c[2]: 1, c[3]: 2, c[4]: 2])
            // Offered at S1: the fixture's item (first category), the clinic (health), the haircut.
            // Unmet: first category 3 (offered, never ordered), digital skills 2 (not offered), health 1.
            #expect(r.needs.map(\.categoryID) == [c[0], c[4], c[1]])
            #expect(r.needs.map(\.unmet) == [3, 2, 1])
            #expect(r.needs.map(\.offered) == [1, 0, 1])
            // Another station's results hold none of them; S1's admin may not look at S2, nor a practitioner at results.
            let centre = try await Self.principal(app, Fixture.centreAdmin)
            let s2 = try await service.results(survey.id!, at: w.f.s2, from: clock.now.addingTimeInterval(-86_400), to: clock.now.addingTimeInterval(3_600), by: centre)
            #expect(s2.tally.responses == 0)
            await #expect(throws: AppError.self) {
                try await service.results(survey.id!, at: w.f.s2, from: clock.now.addingTimeInterval(-86_400), to: clock.now, by: admin)
            }
            await #expect(throws: AppError.self) {
                try await service.results(survey.id!, at: w.f.s1, from: clock.now.addingTimeInterval(-86_400), to: clock.now, by: practitioner)
            }
        }
    }
}
