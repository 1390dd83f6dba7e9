import Foundation

/// Needs surveys (问需): a site's questionnaire, carried door to door by practitioners (记录群众最想听、
/// 最想看、最想要的服务). Questions may point at a category or a menu item, so the answers say what
/// people want in the menu's own terms; the results set that demand against what the menu offers and
/// what was ordered.

public enum QuestionKind: String, Sendable, Codable, CaseIterable {
    /// One option.
    case single
    /// Any number of options, at least one.
    case multiple
    /// Free text.
    case text
    /// A score of 1 to 5.
    case rating
}

/// A choice offered by a question; choosing it asks for its category or menu item, if it names one.
public struct SurveyOption: Sendable, Codable, Equatable {
    public var label: String
    public var categoryID: Int?
    public var menuItemID: Int?

    public init(label: String, categoryID: Int? = nil, menuItemID: Int? = nil) {
        self.label = label
        self.categoryID = categoryID
        self.menuItemID = menuItemID
    }
}

public struct SurveyQuestion: Sendable, Codable, Equatable {
    public var id: Int
    public var kind: QuestionKind
    public var prompt: String
    public var required: Bool
    /// For single and multiple choice.
    public var options: [SurveyOption]
    /// What a text or rating question is about ("what else would you want in culture?").
    public var categoryID: Int?

    public init(id: Int, kind: QuestionKind, prompt: String, required: Bool = true, options: [SurveyOption] = [], categoryID: Int? = nil) {
        self.id = id
        self.kind = kind
        self.prompt = prompt
        self.required = required
        self.options = options
        self.categoryID = categoryID
    }
}

public enum SurveyAnswer: Sendable, Equatable {
    /// The chosen options' positions (0-based), for single and multiple choice.
    case choice([Int])
    case text(String)
    case rating(Int)
}

public enum SurveyRules {
    public static let maxQuestions = 40
    public static let maxOptions = 20
    public static let maxTextLength = 500

    /// What is wrong with a questionnaire as designed: (question position or nil, message key).
    public static func problems(in questions: [SurveyQuestion]) -> [(Int?, String)] {
        var out: [(Int?, String)] = []
        if questions.isEmpty { out.append((nil, "error.survey.no_questions")) }
        if questions.count > maxQuestions { out.append((nil, "error.survey.too_many_questions")) }
        for (i, q) in questions.enumerated() {
            if q.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append((i, "error.survey.prompt")) }
            switch q.kind {
            case .single, .multiple:
                if q.options.count < 2 { out.append((i, "error.survey.options_few")) }
                if q.options.count > maxOptions { out.append((i, "error.survey.options_many")) }
                if q.options.contains(where: { $0.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { out.append((i, "error.survey.option_label")) }
            case .text, .rating:
                if !q.options.isEmpty { out.append((i, "error.survey.options_unused")) }
            }
        }
        return out
    }

    /// What is wrong with one household's answers: (question id, message key). Unknown questions,
    /// a missing required answer, an answer of the wrong kind, an option out of range, a rating
    /// outside 1–5, text too long.
    public static func problems(in answers: [Int: SurveyAnswer], for questions: [SurveyQuestion]) -> [(Int, String)] {
        var out: [(Int, String)] = []
        let known = Set(questions.map(\.id))
        for id in answers.keys.sorted() where !known.contains(id) { out.append((id, "error.survey.unknown_question")) }
        for q in questions {
            guard let a = answers[q.id] else {
                if q.required { out.append((q.id, "error.survey.required")) }
                continue
            }
            switch (q.kind, a) {
            case (.single, .choice(let picked)):
                if picked.count != 1 { out.append((q.id, "error.survey.one_option")) }
                if picked.contains(where: { !q.options.indices.contains($0) }) { out.append((q.id, "error.survey.option")) }
            case (.multiple, .choice(let picked)):
                if picked.isEmpty && q.required { out.append((q.id, "error.survey.required")) }
                if Set(picked).count != picked.count { out.append((q.id, "error.survey.option_twice")) }
                if picked.contains(where: { !q.options.indices.contains($0) }) { out.append((q.id, "error.survey.option")) }
            case (.text, .text(let t)):
                if t.count > maxTextLength { out.append((q.id, "error.survey.text_long")) }
                if q.required && t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append((q.id, "error.survey.required")) }
            case (.rating, .rating(let r)):
                if !(1...5).contains(r) { out.append((q.id, "error.survey.rating")) }
            default:
                out.append((q.id, "error.survey.kind"))
            }
        }
        return out
    }
}

/// The results of a survey over a set of responses (a site's, in a period).
public struct SurveyTally: Sendable, Equatable {
    public var responses = 0
    /// Per choice question, how many households chose each option.
    public var optionCounts: [Int: [Int]] = [:]
    /// Per rating question, how many gave 1, 2, 3, 4, 5.
    public var ratings: [Int: [Int]] = [:]
    /// Per text question, how many wrote something.
    public var texts: [Int: Int] = [:]
    /// Households asking for something in a category — through an option naming it or one of its
    /// menu items, or text written under a question about it — each household once per category.
    public var demand: [Int: Int] = [:]
    /// Households asking for a menu item by name.
    public var menuDemand: [Int: Int] = [:]

    public init() {}

    /// `menuCategory` gives each menu item's category, so asking for an item asks for its category.
    public init(questions: [SurveyQuestion], responses: [[Int: SurveyAnswer]], menuCategory: [Int: Int]) {
        for q in questions {
            switch q.kind {
            case .single, .multiple: optionCounts[q.id] = Array(repeating: 0, count: q.options.count)
            case .rating: ratings[q.id] = Array(repeating: 0, count: 5)
            case .text: texts[q.id] = 0
            }
        }
        for answers in responses {
            self.responses += 1
            var categories: Set<Int> = [], items: Set<Int> = []
            for q in questions {
                guard let a = answers[q.id] else { continue }
                switch a {
                case .choice(let picked):
                    for i in Set(picked) where q.options.indices.contains(i) {
                        optionCounts[q.id]?[i] += 1
                        let o = q.options[i]
                        if let item = o.menuItemID {
                            items.insert(item)
                            if let c = menuCategory[item] { categories.insert(c) }
                        }
                        if let c = o.categoryID { categories.insert(c) }
                    }
                case .rating(let r):
                    if (1...5).contains(r) { ratings[q.id]?[r - 1] += 1 }
                case .text(let t):
                    guard !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
                    texts[q.id, default: 0] += 1
                    if let c = q.categoryID { categories.insert(c) }
                }
            }
            for c in categories { demand[c, default: 0] += 1 }
            for i in items { menuDemand[i, default: 0] += 1 }
        }
    }

    /// The mean score of a rating question, nil without answers.
    public func meanRating(_ question: Int) -> Double? {
        guard let counts = ratings[question] else { return nil }
        let n = counts.reduce(0, +)
        guard n > 0 else { return nil }
        return Double(counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(n)
    }
}

/// A category people asked for, set against the menu and the orders.
public struct UnmetNeed: Sendable, Equatable {
    public var categoryID: Int
    /// Households asking.
    public var demand: Int
    /// Menu items offering it at the site.
    public var offered: Int
    /// Orders placed in it at the site, in the period.
    public var ordered: Int

    public init(categoryID: Int, demand: Int, offered: Int, ordered: Int) {
        self.categoryID = categoryID
        self.demand = demand
        self.offered = offered
        self.ordered = ordered
    }

    /// Households whose wish was not met by an order.
    public var unmet: Int { max(0, demand - ordered) }
}

public enum NeedRanking {
    /// The categories with unmet demand, most unmet first; among equals, what the menu does not
    /// offer at all comes first (nothing to order), then the larger demand, then the category's id.
    public static func rank(demand: [Int: Int], offered: [Int: Int], ordered: [Int: Int]) -> [UnmetNeed] {
        demand.map { UnmetNeed(categoryID: $0.key, demand: $0.value, offered: offered[$0.key] ?? 0, ordered: ordered[$0.key] ?? 0) }
            .filter { $0.unmet > 0 }
            .sorted {
                if $0.unmet != $1.unmet { return $0.unmet > $1.unmet }
                if ($0.offered == 0) != ($1.offered == 0) { return $0.offered == 0 }
                if $0.demand != $1.demand { return $0.demand > $1.demand }
                return $0.categoryID < $1.categoryID
            }
    }
}

/// An answer as JSON: the chosen options as an array of positions, a rating as a number, text as a string.
extension SurveyAnswer: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let picked = try? c.decode([Int].self) {
            self = .choice(picked)
        } else if let score = try? c.decode(Int.self) {
            self = .rating(score)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .choice(let picked): try c.encode(picked)
        case .rating(let score): try c.encode(score)
        case .text(let text): try c.encode(text)
        }
    }
}

/// Reading a questionnaire and a household's answers out of a request: a JSON body carries them as
/// structures, a web form as JSON text in one field. Problems are reported per question
/// (`questions.2.prompt`, `answers.3`), in the reader, so a person sees all of them at once.
public enum SurveyInput {
    /// A structured value as sent, or parsed from the JSON text a form field holds; nil when absent,
    /// `.null` when the text is not JSON.
    static func structured(_ v: InputValue?) -> InputValue? {
        guard case .string(let s)? = v else { return v }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return nil }
        return (try? JSONDecoder().decode(InputValue.self, from: Data(t.utf8))) ?? .null
    }

    public static func questions(_ r: inout FieldReader, _ name: String = "questions") -> [SurveyQuestion] {
        r.declare(name, true, .structured)
        guard let value = structured(r.raw(name)) else {
            r.fail(name, "error.survey.no_questions")
            return []
        }
        guard case .list(let items) = value else {
            r.fail(name, "error.not_list")
            return []
        }
        guard items.count <= SurveyRules.maxQuestions else {
            r.fail(name, "error.survey.too_many_questions")
            return []
        }
        var out: [SurveyQuestion] = []
        for (i, item) in items.enumerated() {
            let at = "\(name).\(i + 1)"
            guard case .object(let fields) = item else {
                r.fail(at, "error.survey.question_shape")
                continue
            }
            var q = FieldReader(fields)
            let kind = q.choice("kind", QuestionKind.self)
            let prompt = q.text("prompt", max: 200)
            // A question is required unless the designer says otherwise.
            let required = fields["required"] == nil ? true : q.bool("required")
            let category = q.int("category_id", required: false, in: 1...Int(Int32.max))
            var options: [SurveyOption] = []
            switch fields["options"] {
            case nil, .null?: break
            case .list(let list)?:
                guard list.count <= SurveyRules.maxOptions else {
                    q.fail("options", "error.survey.options_many")
                    break
                }
                for (j, o) in list.enumerated() {
                    var or: FieldReader
                    switch o {
                    case .string(let label): or = FieldReader(["label": .string(label)])
                    case .object(let f): or = FieldReader(f)
                    default:
                        q.fail("options.\(j + 1)", "error.survey.option_shape")
                        continue
                    }
                    let label = or.text("label", max: 60)
                    let c = or.int("category_id", required: false, in: 1...Int(Int32.max))
                    let m = or.int("menu_item_id", required: false, in: 1...Int(Int32.max))
                    q.absorb(or, prefix: "options.\(j + 1)")
                    if let label { options.append(SurveyOption(label: label, categoryID: c, menuItemID: m)) }
                }
            default:
                q.fail("options", "error.not_list")
            }
            r.absorb(q, prefix: at)
            if let kind, let prompt, q.isValid {
                out.append(SurveyQuestion(id: i + 1, kind: kind, prompt: prompt, required: required, options: options, categoryID: category))
            }
        }
        return out
    }

    /// The answers by question id, each read as its question's kind asks: positions of options
    /// (a single choice may come as one number), a score, or text.
    public static func answers(_ r: inout FieldReader, _ name: String = "answers", for questions: [SurveyQuestion]) -> [Int: SurveyAnswer] {
        r.declare(name, false, .structured)
        guard let value = structured(r.raw(name)) else { return [:] }
        guard case .object(let fields) = value else {
            r.fail(name, "error.survey.answers_shape")
            return [:]
        }
        let byID = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, $0) })
        var out: [Int: SurveyAnswer] = [:]
        for (key, v) in fields.sorted(by: { $0.key < $1.key }) {
            guard let id = Int(key), let q = byID[id] else {
                r.fail("\(name).\(key)", "error.survey.unknown_question")
                continue
            }
            if case .null = v { continue }
            switch (q.kind, v) {
            case (.single, .number), (.single, .list), (.multiple, .list):
                let list: [InputValue] = if case .list(let l) = v { l } else { [v] }
                let picked = list.compactMap { item -> Int? in
                    guard case .number(let d) = item, d.rounded() == d, abs(d) < 1e6 else { return nil }
                    return Int(d)
                }
                guard picked.count == list.count else {
                    r.fail("\(name).\(key)", "error.survey.option")
                    continue
                }
                out[id] = .choice(picked)
            case (.text, .string(let s)):
                out[id] = .text(s.trimmingCharacters(in: .whitespacesAndNewlines))
            case (.rating, .number(let d)) where d.rounded() == d && abs(d) < 1e6:
                out[id] = .rating(Int(d))
            default:
                r.fail("\(name).\(key)", "error.survey.kind")
            }
        }
        return out
    }
}
