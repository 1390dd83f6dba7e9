import Vapor
import Fluent
import DiandanCore

struct SurveyOptionDTO: Content {
    var label: String
    var category_id: Int?
    var menu_item_id: Int?
}

struct SurveyQuestionDTO: Content {
    var id: Int
    var kind: String
    var prompt: String
    var required: Bool
    var category_id: Int?
    var options: [SurveyOptionDTO]

    init(_ q: SurveyQuestion) {
        id = q.id
        kind = q.kind.rawValue
        prompt = q.prompt
        required = q.required
        category_id = q.categoryID
        options = q.options.map { SurveyOptionDTO(label: $0.label, category_id: $0.categoryID, menu_item_id: $0.menuItemID) }
    }
}

struct SurveyDTO: Content {
    var id: Int
    var site_id: Int
    var title: String
    var description: String
    var status: String
    var created_at: Date
    var questions: [SurveyQuestionDTO]

    init(_ s: Survey) throws {
        id = try s.requireID()
        site_id = s.$site.id
        title = s.title
        description = s.description
        status = s.status
        created_at = s.createdAt
        questions = s.questions.map(SurveyQuestionDTO.init)
    }
}

struct SurveyResponseDTO: Content {
    var id: Int
    var survey_id: Int
    var station_id: Int
    var client_id: String
    var household: String?
    var collected_at: Date
    var received_at: Date

    init(_ r: SurveyResponse) throws {
        id = try r.requireID()
        survey_id = r.$survey.id
        station_id = r.$station.id
        client_id = r.clientID
        household = r.household
        collected_at = r.collectedAt
        received_at = r.receivedAt
    }
}

struct SurveyResultsDTO: Content {
    struct OptionCount: Content { var label: String; var count: Int }
    struct Question: Content {
        var id: Int
        var kind: String
        var prompt: String
        var options: [OptionCount]?
        /// How many gave 1 … 5.
        var ratings: [Int]?
        var mean: Double?
        var texts: Int?
    }
    struct Need: Content {
        var category_id: Int
        var category: String
        var demand: Int
        var offered: Int
        var ordered: Int
        var unmet: Int
    }
    var survey_id: Int
    var site_id: Int
    var from: Date
    var to: Date
    var responses: Int
    var questions: [Question]
    /// Most unmet first.
    var needs: [Need]
}

/// 问需: needs surveys — the API, and the practitioner's phone page that keeps answers on the phone
/// while it is offline and sends them, once each, when the connection returns.
enum SurveysRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        api.get("surveys", use: list).rule(.signedIn)
        api.post("surveys", use: create).rule(.resource(.surveys, .write))
        api.get("surveys", ":id", use: one).rule(.signedIn)
        api.post("surveys", ":id", "status", use: status).rule(.resource(.surveys, .write))
        api.post("surveys", ":id", "responses", use: respond).rule(.signedIn)
        api.get("surveys", ":id", "results", use: results).rule(.resource(.surveys, .read))

        web.get("surveys", use: listPage).rule(.signedIn)
        web.get("surveys", ":id", "collect", use: collectPage).rule(.signedIn)
        web.post("surveys", ":id", "responses", use: respondPage).rule(.signedIn)
    }

    /// A survey the person may see; others are as if they did not exist.
    static func find(_ req: Request) async throws -> Survey {
        guard let id = (try? req.pathInt("id")),
              let s = try await Survey.query(on: req.db).filter(\.$id == id).with(\.$site).first(),
              SurveyService.visible(s.site.sitePath, to: try req.requirePrincipal()) else { throw AppError.notFound }
        return s
    }

    // MARK: API

    static func list(req: Request) async throws -> [SurveyDTO] {
        let site = try await req.querySite()
        return try await SurveyService.make(req).list(for: try req.requirePrincipal(), site: site).map(SurveyDTO.init)
    }

    static func one(req: Request) async throws -> SurveyDTO { try SurveyDTO(try await find(req)) }

    /// Closing a survey, or opening it again.
    static func readStatus(_ r: inout FieldReader) -> Survey.Status? {
        r.choice("status", Survey.Status.self)
    }

    static func readDraft(_ r: inout FieldReader) -> SurveyDraft? {
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let title = r.text("title", max: 60)
        let description = r.text("description", required: false, max: 1000, multiline: true) ?? ""
        let questions = SurveyInput.questions(&r)
        // The design's own rules, checked here too, so a person sees every problem at once.
        if !r.errors.contains(where: { $0.field.hasPrefix("questions") }) {
            for (at, key) in SurveyRules.problems(in: questions) { r.fail(at.map { "questions.\($0 + 1)" } ?? "questions", key) }
        }
        guard let site, let title, r.isValid else { return nil }
        return SurveyDraft(siteID: site, title: title, description: description, questions: questions)
    }

    static func create(req: Request) async throws -> Response {
        var r = try await req.fieldReader()
        let draft = readDraft(&r)
        try r.check()
        let s = try await SurveyService.make(req).create(draft!, by: try req.requirePrincipal())
        let response = try await SurveyDTO(s).encodeResponse(for: req)
        response.status = .created
        return response
    }

    static func status(req: Request) async throws -> SurveyDTO {
        let s = try await find(req)
        var r = try await req.fieldReader()
        let status = readStatus(&r)
        try r.check()
        try await SurveyService.make(req).setStatus(s, status!, by: try req.requirePrincipal())
        return try SurveyDTO(s)
    }

    /// One household's answers: 201 when stored now, 200 with the stored one when this client id
    /// arrived before (the phone sending it again).
    static func respond(req: Request) async throws -> Response {
        let s = try await find(req)
        var r = try await req.fieldReader()
        let collected = readResponse(&r, questions: s.questions)
        try r.check()
        let (stored, created) = try await SurveyService.make(req).record(try s.requireID(), collected!, by: try req.requirePrincipal())
        let response = try await SurveyResponseDTO(stored).encodeResponse(for: req)
        response.status = created ? .created : .ok
        return response
    }

    static func readResponse(_ r: inout FieldReader, questions: [SurveyQuestion], now: Date? = nil) -> CollectedResponse? {
        let client = r.text("client_id", max: 64, min: 8)
        if let client, !client.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) { r.fail("client_id", "error.survey.client_id") }
        let station = r.int("station_id", in: 1...Int(Int32.max))
        let household = r.text("household", required: false, max: 60)
        // A form sent without the phone's script has no time of its own: it was filled in just now.
        let collected = now == nil ? r.date("collected_at") : (r.date("collected_at", required: false) ?? now)
        let answers = SurveyInput.answers(&r, for: questions)
        guard let client, let station, let collected, r.isValid else { return nil }
        return CollectedResponse(clientID: client, stationID: station, household: household, collectedAt: collected, answers: answers)
    }

    static func results(req: Request) async throws -> SurveyResultsDTO {
        try await resultsDTO(req, try await find(req))
    }

    /// The results at `?site=` (the survey's area by default) over `?period=` (all answers by default).
    static func resultsDTO(_ req: Request, _ s: Survey) async throws -> SurveyResultsDTO {
        let (site, from, to) = try await resultsScope(req, s)
        let results = try await SurveyService.make(req).results(try s.requireID(), at: site, from: from, to: to, by: try req.requirePrincipal())
        let names = try await categoryNames(req, results.needs.map(\.categoryID))
        let questions = results.questions.map { q -> SurveyResultsDTO.Question in
            var out = SurveyResultsDTO.Question(id: q.id, kind: q.kind.rawValue, prompt: q.prompt)
            switch q.kind {
            case .single, .multiple:
                let counts = results.tally.optionCounts[q.id] ?? []
                out.options = q.options.enumerated().map { .init(label: $0.element.label, count: counts.indices.contains($0.offset) ? counts[$0.offset] : 0) }
            case .rating:
                out.ratings = results.tally.ratings[q.id]
                out.mean = results.tally.meanRating(q.id)
            case .text:
                out.texts = results.tally.texts[q.id] ?? 0
            }
            return out
        }
        return SurveyResultsDTO(
            survey_id: try s.requireID(), site_id: try site.requireID(), from: from, to: to, responses: results.tally.responses, questions: questions,
            needs: results.needs.map { .init(category_id: $0.categoryID, category: names[$0.categoryID] ?? "#\($0.categoryID)", demand: $0.demand, offered: $0.offered, ordered: $0.ordered, unmet: $0.unmet) })
    }

    static func resultsScope(_ req: Request, _ s: Survey) async throws -> (Site, Date, Date) {
        var site = s.site
        if let id = try req.queryID("site"), id != s.site.id {
            guard let other = try await Site.find(id, on: req.db), s.site.sitePath.covers(other.sitePath) else {
                // A site outside the survey's names nothing the survey has: "not found" in the API.
                throw ValidationFailure(field: "site", "error.not_found_choice")
            }
            site = other
        }
        let period = try req.queryText("period", max: 20) ?? "all"
        let from = try req.queryDay("from"), to = try req.queryDay("to")
        if period == "all" {
            return (site, s.createdAt.addingTimeInterval(-600), req.now.addingTimeInterval(86_400))
        }
        guard let range = AssessmentRange.make(period, containing: req.now, from: from, to: to) else {
            throw ValidationFailure(field: period == "custom" ? (from == nil ? "from" : "to") : "period", "error.assessment.period")
        }
        return (site, range.from, range.to)
    }

    static func categoryNames(_ req: Request, _ ids: [Int]) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        let cats = try await Category.query(on: req.db).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: cats.compactMap { c in c.id.map { ($0, c.displayName(req.locale)) } })
    }

    // MARK: Pages for those who collect

    struct ListPageContext: Encodable {
        struct Row: Encodable { var title: String; var site: String; var status: String; var collect: String?; var results: String? }
        var chrome: Chrome
        var rows: [Row]
    }

    static func listPage(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let surveys = try await SurveyService.make(req).list(for: p)
        let rows = try surveys.map { s in
            let id = try s.requireID()
            let collect = s.status == Survey.Status.open.rawValue && SurveyService.collectorGrants(p).contains { $0.sitePath.covers(s.site.sitePath) || s.site.sitePath.covers($0.sitePath) }
            return ListPageContext.Row(title: s.title, site: s.site.name, status: req.t("survey.status.\(s.status)"),
                                       collect: collect ? Paths.surveyCollect(id) : nil,
                                       results: Policy.allows(p.grants, .surveys, .read, at: s.site.sitePath) ? Paths.adminSurvey(id) : nil)
        }
        return try await Pages.render(req, "surveys/list", ListPageContext(chrome: .make(req, title: req.t("survey.list")), rows: rows))
    }

    struct CollectPage: Encodable {
        struct Choice: Encodable { var value: String; var label: String }
        struct Question: Encodable {
            var id: Int
            var number: Int
            var kind: String
            var prompt: String
            var required: Bool
            var name: String
            var choices: [Choice]
        }
        var chrome: Chrome
        var title: String
        var description: String
        var action: String
        var clientID: String
        var stations: [FormField.Option]
        var questions: [Question]
        var notice: String?
        var errors: [String]
    }

    static func collectPage(req: Request) async throws -> Response {
        try await renderCollect(req, try await find(req), notice: req.queryFields["saved"] != nil ? req.t("survey.saved_online") : nil)
    }

    static func renderCollect(_ req: Request, _ s: Survey, notice: String? = nil, errors: [String] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let p = try req.requirePrincipal()
        guard s.status == Survey.Status.open.rawValue else { throw AppError.conflict(field: nil, Message("error.survey.closed")) }
        let stations = try await SurveyService.make(req).stations(in: s.site, for: p)
        guard !stations.isEmpty else { throw AppError.forbidden(Message("error.out_of_scope")) }
        let home = p.siteID
        let questions = s.questions.enumerated().map { i, q in
            let choices: [CollectPage.Choice] = switch q.kind {
            case .single, .multiple: q.options.enumerated().map { .init(value: String($0.offset), label: $0.element.label) }
            case .rating: (1...5).map { .init(value: String($0), label: String($0)) }
            case .text: []
            }
            return CollectPage.Question(id: q.id, number: i + 1, kind: q.kind.rawValue, prompt: q.prompt, required: q.required,
                                        name: "a\(q.id)" + (q.kind == .multiple ? "[]" : ""), choices: choices)
        }
        let page = CollectPage(
            chrome: .make(req, title: s.title), title: s.title, description: s.description, action: Paths.surveyResponses(try s.requireID()),
            clientID: UUID().uuidString.lowercased(),
            stations: stations.compactMap { st in st.id.map { .init(value: String($0), label: st.name, selected: $0 == home) } },
            questions: questions, notice: notice, errors: errors)
        return try await Pages.render(req, "surveys/collect", page, status: status)
    }

    /// The phone page's upload. Its script sends `answers` as JSON and asks for JSON back; without
    /// the script the form arrives as fields (`a<question id>`) and gets the page again.
    static func respondPage(req: Request) async throws -> Response {
        let s = try await find(req)
        let fields = try await req.formFields()
        var r = FieldReader(form: fields)
        let scripted = fields["answers"] != nil
        if !scripted { r = FieldReader(formAnswers(fields, s.questions)) }
        let collected = readResponse(&r, questions: s.questions, now: scripted ? nil : req.now)
        let wantsJSON = req.headers.accept.mediaTypes.contains(.json)
        do {
            try r.check()
            let (stored, created) = try await SurveyService.make(req).record(try s.requireID(), collected!, by: try req.requirePrincipal())
            if wantsJSON {
                let response = try await SurveyResponseDTO(stored).encodeResponse(for: req)
                response.status = created ? .created : .ok
                return response
            }
            return req.redirect(to: Paths.surveyCollect(try s.requireID()) + "?saved=1", redirectType: .normal)
        } catch let failure as ValidationFailure where !wantsJSON {
            let messages = failure.errors.map { e in
                let q = e.field.split(separator: ".").last.flatMap { Int($0) }.flatMap { id in s.questions.firstIndex { $0.id == id } }
                return (q.map { req.t("survey.question_n", ["n": String($0 + 1)]) + "：" } ?? "") + req.t(e.message)
            }
            return try await renderCollect(req, s, errors: messages, status: .unprocessableEntity)
        }
    }

    /// A plain form's answer fields as the structured input the API takes.
    static func formAnswers(_ fields: [String: [String]], _ questions: [SurveyQuestion]) -> [String: InputValue] {
        var values: [String: InputValue] = [:]
        for (k, v) in fields where !k.hasPrefix("a") || Int(k.dropFirst()) == nil {
            values[k.hasSuffix("[]") ? String(k.dropLast(2)) : k] = v.last.map(InputValue.string) ?? .null
        }
        var answers: [String: InputValue] = [:]
        func number(_ s: String) -> InputValue { Double(s.trimmingCharacters(in: .whitespaces)).map(InputValue.number) ?? .string(s) }
        for q in questions {
            let key = "a\(q.id)"
            switch q.kind {
            case .single, .rating:
                if let v = fields[key]?.last, !v.isEmpty { answers[String(q.id)] = number(v) }
            case .multiple:
                if let v = fields[key + "[]"], !v.isEmpty { answers[String(q.id)] = .list(v.map(number)) }
            case .text:
                if let v = fields[key]?.last, !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { answers[String(q.id)] = .string(v) }
            }
        }
        values["answers"] = .object(answers)
        return values
    }
}
