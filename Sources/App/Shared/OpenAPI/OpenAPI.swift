import Vapor
import DiandanCore

/// The OpenAPI 3.1 document of `/api/v1`, served at `/api/v1/openapi.json`. Every API route has one
/// entry here (a test compares them with the route table); response schemas are read off the DTOs
/// (`SchemaReflector`), so they say what the handlers really return. Request bodies are described by
/// the fields the handlers read, with the limits they enforce.
enum OpenAPI {
    typealias Node = SchemaReflector.Node

    struct Field {
        let name: String
        let node: Node
        let required: Bool
        var limits: [(String, GeoDoc)] = []
    }

    enum Body {
        case json([Field])
        /// JSON, or multipart with photos (`photos[]`) beside the fields.
        case jsonOrMultipart([Field])
    }

    enum Reply {
        case json(Node)
        case file([String])
        case empty
    }

    struct Operation {
        let method: HTTPMethod
        let path: String
        let summary: String
        let tag: String
        let auth: Bool
        var query: [Field] = []
        var body: Body? = nil
        let status: Int
        let reply: Reply
        /// Other success answers (a retry answered with what the first try made: 200).
        var alsoOK: [(Int, String)] = []
        /// Whether a body must be sent at all (some actions read one only in some cases).
        var bodyRequired = true
    }

    /// Text the server takes: no control characters (line breaks and tabs in text of several lines),
    /// and when the field is required, something other than spaces (the server trims).
    static let oneLine = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
    static let oneLineNotBlank = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    static let lines = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    static let linesNotBlank = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    /// A mainland mobile number, spaces and dashes allowed, +86 or 0086 before it.
    static let mobile = "^[\\s-]*(\\+86|0086)?[\\s-]*1[\\s-]*[3-9]([\\s-]*[0-9]){9}[\\s-]*$"
    /// A moment: ISO 8601 with an offset, or China time without one (`2026-11-23T09:30`).
    static let moment = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?)?$"
    /// A day, `2026-11-23`.
    static let day = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"

    // MARK: Field helpers

    static func text(_ name: String, max: Int, required: Bool = true, min: Int = 1, multiline: Bool = false, pattern: String? = nil) -> Field {
        let rule = pattern ?? (multiline ? (required ? linesNotBlank : lines) : (required ? oneLineNotBlank : oneLine))
        var limits: [(String, GeoDoc)] = [("maxLength", .integer(max)), ("pattern", .text(rule))]
        if required { limits.insert(("minLength", .integer(min)), at: 0) }
        return Field(name: name, node: .string(format: nil), required: required, limits: limits)
    }

    static func day(_ name: String) -> Field {
        Field(name: name, node: .string(format: nil), required: false, limits: [("maxLength", .integer(10)), ("pattern", .text(day))])
    }

    static func int(_ name: String, _ range: ClosedRange<Int> = 1...Int(Int32.max), required: Bool = true) -> Field {
        Field(name: name, node: .integer, required: required, limits: [("minimum", .integer(range.lowerBound)), ("maximum", .integer(range.upperBound))])
    }

    static func number(_ name: String, _ range: ClosedRange<Double>, required: Bool = true) -> Field {
        Field(name: name, node: .number, required: required, limits: [("minimum", .number(range.lowerBound)), ("maximum", .number(range.upperBound))])
    }

    static func date(_ name: String, required: Bool = false) -> Field {
        Field(name: name, node: .string(format: nil), required: required, limits: [("maxLength", .integer(40)), ("pattern", .text(moment))])
    }
    static func flag(_ name: String) -> Field { Field(name: name, node: .boolean, required: false) }
    static func choice<E: CaseIterable & RawRepresentable>(_ name: String, _ type: E.Type, required: Bool = false) -> Field where E.RawValue == String {
        Field(name: name, node: .enumeration(E.allCases.map(\.rawValue)), required: required)
    }

    /// The fields a reader reads, as the document states them: names, kinds and limits come from the
    /// reader itself (`FieldReader.fields`), declared once. `patterns` gives a text field the format
    /// it must have (a phone number); `required` and `optional` say what the reader decides case by
    /// case (details are needed only without a menu item).
    static func fields(_ read: (inout FieldReader) -> Void, patterns: [String: String] = [:], shapes: [String: Field] = [:],
                       required: Set<String> = [], optional: Set<String> = []) -> [Field] {
        FieldReader.fields(read).map { spec in
            let needed = (spec.required || required.contains(spec.name)) && !optional.contains(spec.name)
            switch spec.kind {
            case .text(let max, let min, let multiline): return text(spec.name, max: max, required: needed, min: min, multiline: multiline, pattern: patterns[spec.name])
            case .integer(let range): return int(spec.name, range, required: needed)
            case .number(let range): return number(spec.name, range, required: needed)
            case .moment: return date(spec.name, required: needed)
            case .flag: return Field(name: spec.name, node: .boolean, required: needed)
            case .choice(let values): return Field(name: spec.name, node: .enumeration(values), required: needed)
            case .ids(let max): return Field(name: spec.name, node: .array(.integer), required: needed, limits: [("maxItems", .integer(max))])
            case .tags(let count, _): return Field(name: spec.name, node: .array(.string(format: nil)), required: needed, limits: [("maxItems", .integer(count))])
            case .structured: return shapes[spec.name] ?? Field(name: spec.name, node: .anyObject, required: needed)
            }
        }
    }

    static func reply<T: Decodable>(_ type: T.Type) -> Reply { .json(SchemaReflector.schema(type)) }

    static var page: [Field] { [int("page", QueryBounds.page, required: false), int("per_page", QueryBounds.perPage, required: false)] }
    static var site: Field { int("site", required: false) }

    /// A questionnaire's questions, each with its options (which may point at a category or a menu item).
    static var surveyQuestions: Field {
        let option = Node.object([("label", .string(format: nil), true), ("category_id", .integer, false), ("menu_item_id", .integer, false)])
        let question = Node.object([("kind", .enumeration(QuestionKind.allCases.map(\.rawValue)), true), ("prompt", .string(format: nil), true),
                                    ("required", .boolean, false), ("category_id", .integer, false), ("options", .array(option), false)])
        return Field(name: "questions", node: .array(question), required: true, limits: [("minItems", .integer(1)), ("maxItems", .integer(SurveyRules.maxQuestions))])
    }

    // MARK: The operations

    static var operations: [Operation] {
        var ops: [Operation] = [
            Operation(method: .POST, path: "/auth/token", summary: "Sign in: a bearer token for the API", tag: "auth", auth: false,
                      body: .json(fields { _ = SignInInput.read(&$0) }), status: 201, reply: reply(TokenDTO.self)),
            Operation(method: .DELETE, path: "/auth/token", summary: "Revoke the token this request carries", tag: "auth", auth: true, status: 204, reply: .empty),
            Operation(method: .GET, path: "/me", summary: "Who I am: account, roles and their sites", tag: "auth", auth: true, status: 200, reply: reply(MeDTO.self)),
            Operation(method: .GET, path: "/me/calendar", summary: "My activity calendar's subscription address (iCalendar)", tag: "activities", auth: true, status: 200,
                      reply: reply(CalendarRoutes.LinkDTO.self)),
            Operation(method: .GET, path: "/me/record", summary: "My service record: hours, points, star level", tag: "volunteers", auth: true, status: 200, reply: reply(RecordDTO.self)),
            Operation(method: .GET, path: "/me/data", summary: "Everything the platform holds about me, in the clear (audited)", tag: "volunteers", auth: true,
                      status: 200, reply: reply(MyDataDTO.self)),
            Operation(method: .POST, path: "/me/deletion", summary: "Ask to be deleted: after the grace period name, numbers and account go; hours stay, unnamed",
                      tag: "volunteers", auth: true, status: 200, reply: reply(DeletionDTO.self)),
            Operation(method: .DELETE, path: "/me/deletion", summary: "Take back a request to be deleted", tag: "volunteers", auth: true, status: 200,
                      reply: reply(DeletionDTO.self)),
            Operation(method: .POST, path: "/me/certificates", summary: "Issue my record certificate (志愿服务记录证明)", tag: "volunteers", auth: true, status: 201,
                      reply: reply(CertificateDTO.self)),
            Operation(method: .GET, path: "/me/certificates/{number}/pdf", summary: "My record certificate as a PDF (the `pdf_url` an issue returns)", tag: "volunteers",
                      auth: true, status: 200, reply: .file(["application/pdf"])),
            Operation(method: .GET, path: "/certificates/{number}", summary: "Verify a record certificate by its number", tag: "volunteers", auth: false, status: 200,
                      reply: reply(CertificateDTO.self)),
            Operation(method: .POST, path: "/volunteers", summary: "Register as a volunteer under real name", tag: "volunteers", auth: false,
                      body: .json(fields({ _ = VolunteerRegistration.read(&$0, today: Date()) },
                                         patterns: ["id_number": "^[1-8][0-9]{16}[0-9Xx]$", "phone": mobile], required: ["consent"])),
                      status: 201, reply: reply(VolunteerDTO.self)),
            Operation(method: .GET, path: "/volunteers/{id}/record", summary: "A volunteer's service record (admins of their site)", tag: "volunteers", auth: true,
                      status: 200, reply: reply(RecordDTO.self)),
            Operation(method: .GET, path: "/sites", summary: "The site tree (中心·所·站)", tag: "sites", auth: false, status: 200, reply: reply([SiteSummaryDTO].self)),

            Operation(method: .POST, path: "/orders", summary: "Place an order (点单); an Idempotency-Key header makes retries safe", tag: "orders", auth: true,
                      body: .json(fields({ _ = OrderInput.read(&$0, defaultChannel: .api, now: Date()) }, patterns: ["contact_phone": mobile], optional: ["details"])),
                      status: 201, reply: reply(OrderDTO.self), alsoOK: [(200, "A retry with the same Idempotency-Key and the same order: the order the first try made")]),
            Operation(method: .GET, path: "/orders", summary: "Orders I may see, newest first", tag: "orders", auth: true,
                      query: [text("status", max: 200, required: false, pattern: "^(" + OrderStatus.allCases.map(\.rawValue).joined(separator: "|") + ")(,(" + OrderStatus.allCases.map(\.rawValue).joined(separator: "|") + "))*$"), site, date("from"), date("to")] + page, status: 200, reply: reply(OrderPageDTO.self)),
            Operation(method: .GET, path: "/orders/{id}", summary: "One order with its timeline", tag: "orders", auth: true, status: 200, reply: reply(OrderDTO.self)),
            Operation(method: .POST, path: "/orders/{id}/contact", summary: "The resident's phone in the clear, with a reason (audited): admins of the order's site, the serving team's leader",
                      tag: "orders", auth: true, body: .json(fields { _ = RevealReason.read(&$0) }), status: 200, reply: reply(OrdersAPI.ContactDTO.self)),
            Operation(method: .GET, path: "/orders/{id}/suggestions", summary: "Teams ranked for dispatch (派单)", tag: "orders", auth: true, status: 200,
                      reply: reply([SuggestionDTO].self)),
        ]
        // Each step's body is what its parser reads; the steps that read nothing take none.
        for step in OrderStep.allCases {
            let read = fields({ _ = try? OrderService.OrderRequest.parse(step, &$0) }, required: step == .complete ? ["volunteer_ids"] : [])
            let body: Body? = read.isEmpty ? nil : step == .complete ? .jsonOrMultipart(read) : .json(read)
            ops.append(Operation(method: .POST, path: "/orders/{id}/\(step.rawValue)", summary: "Order step: \(step.rawValue)", tag: "orders", auth: true,
                                 body: body, status: 200, reply: reply(OrderDTO.self)))
        }
        ops += [
            Operation(method: .GET, path: "/notifications", summary: "My inbox", tag: "notifications", auth: true, query: [flag("unread")], status: 200,
                      reply: reply(InboxDTO.self)),
            Operation(method: .POST, path: "/notifications/read-all", summary: "Mark every notice read", tag: "notifications", auth: true, status: 200,
                      reply: reply(InboxDTO.self)),
            Operation(method: .POST, path: "/notifications/{id}/read", summary: "Mark one notice read", tag: "notifications", auth: true, status: 200,
                      reply: reply(NoticeDTO.self)),

            Operation(method: .GET, path: "/activities", summary: "Public activities", tag: "activities", auth: false,
                      query: [site, int("category", required: false), day("from"), day("to"), text("q", max: 50, required: false)] + page,
                      status: 200, reply: reply(ActivityListDTO.self)),
            Operation(method: .POST, path: "/activities", summary: "Create an activity (reviewed before it is public)", tag: "activities", auth: true,
                      body: .json(fields({ _ = ActivityInput.read(&$0, now: Date()) }, required: ["starts_at", "ends_at"])),
                      status: 201, reply: reply(ActivityDTO.self)),
            Operation(method: .GET, path: "/activities/{id}", summary: "One activity", tag: "activities", auth: false, status: 200, reply: reply(ActivityDTO.self)),
            Operation(method: .POST, path: "/activities/{id}/approve", summary: "Approve an activity (审核)", tag: "activities", auth: true, status: 200,
                      reply: reply(ActivityDTO.self)),
            Operation(method: .POST, path: "/activities/{id}/signup", summary: "Sign up (报名); never oversold", tag: "activities", auth: true,
                      body: .json(fields { _ = SignupInput.read(&$0) }), status: 200, reply: reply(SignupDTO.self), bodyRequired: false),
            Operation(method: .DELETE, path: "/activities/{id}/signup", summary: "Cancel my sign-up", tag: "activities", auth: true, status: 200, reply: reply(SignupDTO.self)),
            Operation(method: .GET, path: "/activities/{id}/signups", summary: "The roster (organisers)", tag: "activities", auth: true, status: 200,
                      reply: reply([SignupDTO].self)),
            Operation(method: .POST, path: "/activities/{id}/signups/{signup}/confirm", summary: "Confirm a volunteer's hours", tag: "activities", auth: true,
                      body: .json(fields { _ = HoursConfirmation.read(&$0) }), status: 200, reply: reply(SignupDTO.self)),
            Operation(method: .GET, path: "/activities/{id}/qr", summary: "The current check-in (or check-out) address for the QR code", tag: "activities", auth: true,
                      query: [Field(name: "kind", node: .enumeration(["in", "out"]), required: false)], status: 200, reply: reply(ActivitiesAPI.QRLinkDTO.self)),
            Operation(method: .POST, path: "/activities/{id}/check-in", summary: "Check in with the QR code's values and my position", tag: "activities", auth: true,
                      body: .json(fields { _ = ScanInput.read(&$0, positionRequired: true) }),
                      status: 200, reply: reply(SignupDTO.self)),
            Operation(method: .POST, path: "/activities/{id}/check-out", summary: "Check out with the QR code's values and my position", tag: "activities", auth: true,
                      body: .json(fields { _ = ScanInput.read(&$0, positionRequired: true) }),
                      status: 200, reply: reply(SignupDTO.self)),
            Operation(method: .POST, path: "/activities/{id}/people-served", summary: "Record how many people the activity served", tag: "activities", auth: true,
                      body: .json(fields { _ = PeopleServedInput.read(&$0) }), status: 200, reply: reply(ActivityDTO.self)),

            Operation(method: .GET, path: "/wishes", summary: "Micro-wishes (微心愿)", tag: "wishes", auth: false, query: [site], status: 200, reply: reply([WishDTO].self)),
            Operation(method: .POST, path: "/wishes", summary: "Post a micro-wish", tag: "wishes", auth: true,
                      body: .json(fields { _ = WishInput.read(&$0) }),
                      status: 201, reply: reply(WishDTO.self)),
            Operation(method: .GET, path: "/wishes/{id}", summary: "One micro-wish", tag: "wishes", auth: false, status: 200, reply: reply(WishDTO.self)),
            Operation(method: .POST, path: "/wishes/{id}/{action}", summary: "Claim, release, fulfil, confirm or cancel a wish", tag: "wishes", auth: true,
                      body: .json(fields { _ = WishStepInput.read(&$0) }), status: 200, reply: reply(WishDTO.self), bodyRequired: false),

            Operation(method: .GET, path: "/surveys", summary: "Needs surveys (问需) I design, read or collect for", tag: "surveys", auth: true, query: [site],
                      status: 200, reply: reply([SurveyDTO].self)),
            Operation(method: .POST, path: "/surveys", summary: "Design a needs survey for a site", tag: "surveys", auth: true,
                      body: .json(fields({ _ = SurveysRoutes.readDraft(&$0) }, shapes: ["questions": surveyQuestions])),
                      status: 201, reply: reply(SurveyDTO.self)),
            Operation(method: .GET, path: "/surveys/{id}", summary: "One survey with its questions", tag: "surveys", auth: true, status: 200, reply: reply(SurveyDTO.self)),
            Operation(method: .POST, path: "/surveys/{id}/status", summary: "Close a survey, or open it again", tag: "surveys", auth: true,
                      body: .json(fields { _ = SurveysRoutes.readStatus(&$0) }), status: 200, reply: reply(SurveyDTO.self)),
            Operation(method: .POST, path: "/surveys/{id}/responses",
                      summary: "One household's answers (201; 200 with the stored one when this client_id was sent before)", tag: "surveys", auth: true,
                      body: .json(fields({ _ = SurveysRoutes.readResponse(&$0, questions: []) }, patterns: ["client_id": "^[A-Za-z0-9-]+$"])),
                      status: 201, reply: reply(SurveyResponseDTO.self), alsoOK: [(200, "This client_id was sent before: the answers stored then")]),
            Operation(method: .GET, path: "/surveys/{id}/results", summary: "Counts per answer and the unmet needs against the menu and the orders", tag: "surveys", auth: true,
                      query: [site, Field(name: "period", node: .enumeration(["all", "month", "quarter", "year", "custom"]), required: false),
                              day("from"), day("to")],
                      status: 200, reply: reply(SurveyResultsDTO.self)),

            Operation(method: .GET, path: "/trainings", summary: "Trainings (培训) from a day on (today by default), at a site and below", tag: "trainings", auth: false,
                      query: [site, day("from")], status: 200, reply: reply([TrainingDTO].self)),
            Operation(method: .POST, path: "/trainings/{id}/check-in", summary: "Check in to a training with the scanned code's values (and my position, on site); 200 when already in",
                      tag: "trainings", auth: true,
                      body: .json(fields { _ = ScanInput.read(&$0, positionRequired: false) }),
                      status: 201, reply: reply(TrainingAttendanceDTO.self), alsoOK: [(200, "Already checked in: that attendance")]),
            Operation(method: .GET, path: "/showcase", summary: "The showcase (志愿风采): published services and activities of a site and below", tag: "showcase", auth: false,
                      query: [site, int("page", QueryBounds.page, required: false)], status: 200, reply: reply([ShowcasePostDTO].self)),

            Operation(method: .GET, path: "/perks", summary: "Perks (礼遇) I can spend points on", tag: "volunteers", auth: true, status: 200, reply: reply([PerkDTO].self)),
            Operation(method: .POST, path: "/perks/{id}/redeem", summary: "Spend points on a perk", tag: "volunteers", auth: true, status: 200, reply: reply(RedemptionDTO.self)),
            Operation(method: .GET, path: "/projects", summary: "The project library (项目库)", tag: "projects", auth: false, query: [site, int("category", required: false)],
                      status: 200, reply: reply([ProjectDTO].self)),
            Operation(method: .GET, path: "/projects/{id}", summary: "One project", tag: "projects", auth: false, status: 200, reply: reply(ProjectDTO.self)),
            Operation(method: .GET, path: "/rankings", summary: "Volunteer and team rankings", tag: "assessment", auth: false,
                      query: [choice("kind", RankingsRoutes.Kind.self), choice("period", Period.self), site], status: 200, reply: reply(RankingDTO.self)),
            Operation(method: .GET, path: "/screen", summary: "Big-screen counters of a site", tag: "assessment", auth: true, query: [site], status: 200,
                      reply: reply(ScreenCounters.self)),
            Operation(method: .GET, path: "/assessment", summary: "Assessment (考核) of a site, or of the province with site=0", tag: "assessment", auth: true,
                      query: [int("site", 0...Int(Int32.max), required: false), Field(name: "period", node: .enumeration(["month", "quarter", "year", "custom"]), required: false),
                              day("from"), day("to"), choice("grain", TrendGrain.self)],
                      status: 200, reply: reply(AssessmentRoutes.ReportDTO.self)),
            Operation(method: .POST, path: "/assessment/exports", summary: "Queue an order-list export (written in the background)", tag: "assessment", auth: true,
                      query: [int("site", 0...Int(Int32.max), required: false), Field(name: "period", node: .enumeration(["month", "quarter", "year", "custom"]), required: false),
                              day("from"), day("to"), Field(name: "format", node: .enumeration(["csv", "xlsx"]), required: false)],
                      status: 202, reply: reply(ExportStatus.self)),
            Operation(method: .GET, path: "/exports/{id}", summary: "An export's progress", tag: "assessment", auth: true, status: 200, reply: reply(ExportStatus.self)),
            Operation(method: .GET, path: "/exports/{id}/download", summary: "A finished export's file", tag: "assessment", auth: true, status: 200,
                      reply: .file(["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])),
        ]
        return ops
    }

    // MARK: The document

    static func document(serverURL: String) -> GeoDoc {
        var paths: [(String, [(String, GeoDoc)])] = []
        for op in operations {
            let entry = (op.method.rawValue.lowercased(), operation(op))
            if let i = paths.firstIndex(where: { $0.0 == op.path }) { paths[i].1.append(entry) } else { paths.append((op.path, [entry])) }
        }
        let errorSchema = SchemaReflector.schema(ErrorBody.self).doc
        return .object([
            ("openapi", .text("3.1.0")),
            ("info", .object([
                ("title", .text("Diandan 点单 API")),
                ("version", .text("1")),
                ("description", .text("The volunteer-service ordering and dispatch platform (点单 → 派单 → 接单 → 评单 → 奖单). Errors carry a message in the caller's language (Accept-Language). An unknown id in the path answers 404; an id in the query or the body that names nothing answers 422 naming the field, as does any value that is not what it should be (filters are never ignored). A path asked with a method it does not take answers 405 with `Allow`.")),
            ])),
            ("servers", .array(item: "s", [.object([("url", .text(serverURL + "/api/v1"))])])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            ("components", .object([
                ("schemas", .object([("Error", errorSchema)])),
                ("securitySchemes", .object([("bearer", .object([("type", .text("http")), ("scheme", .text("bearer"))]))])),
            ])),
        ])
    }

    static func schema(_ fields: [Field]) -> GeoDoc {
        .object([
            ("type", .text("object")),
            ("properties", .object(fields.map { f in
                guard case .object(let base) = f.node.doc else { return (f.name, f.node.doc) }
                return (f.name, .object(base + f.limits))
            })),
            ("required", .array(item: "r", fields.filter(\.required).map { .text($0.name) })),
        ])
    }

    static func operation(_ op: Operation) -> GeoDoc {
        var params: [GeoDoc] = []
        for name in op.path.split(separator: "/").filter({ $0.hasPrefix("{") }).map({ String($0.dropFirst().dropLast()) }) {
            let node: GeoDoc = switch name {
            case "number": .object([("type", .text("string")), ("maxLength", .integer(40))])
            case "action": .object([("type", .text("string")), ("enum", .array(item: "e", WishAction.allCases.map { .text($0.rawValue) }))])
            default: .object([("type", .text("integer")), ("minimum", .integer(1)), ("maximum", .integer(Int(Int32.max)))])
            }
            params.append(.object([("name", .text(name)), ("in", .text("path")), ("required", .bool(true)), ("schema", node)]))
        }
        for q in op.query {
            guard case .object(let base) = q.node.doc else { continue }
            params.append(.object([("name", .text(q.name)), ("in", .text("query")), ("required", .bool(false)), ("schema", .object(base + q.limits))]))
        }
        if op.path == "/orders" && op.method == .POST {
            params.append(.object([("name", .text("Idempotency-Key")), ("in", .text("header")), ("required", .bool(false)),
                                   ("schema", .object([("type", .text("string")), ("minLength", .integer(1)), ("maxLength", .integer(100))]))]))
        }
        var pairs: [(String, GeoDoc)] = [
            ("operationId", .text(op.method.rawValue.lowercased() + op.path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "").replacingOccurrences(of: "-", with: "_"))),
            ("summary", .text(op.summary)),
            ("tags", .array(item: "t", [.text(op.tag)])),
            ("parameters", .array(item: "p", params)),
        ]
        switch op.body {
        case .json(let fields)?:
            pairs.append(("requestBody", .object([("required", .bool(op.bodyRequired)), ("content", .object([("application/json", .object([("schema", schema(fields))]))]))])))
        case .jsonOrMultipart(let fields)?:
            pairs.append(("requestBody", .object([("required", .bool(op.bodyRequired)), ("content", .object([
                ("application/json", .object([("schema", schema(fields))])),
                ("multipart/form-data", .object([("schema", schema(fields + [Field(name: "photos[]", node: .array(.string(format: "binary")), required: false)]))])),
            ]))])))
        case nil: break
        }
        let success: GeoDoc
        switch op.reply {
        case .json(let node): success = .object([("description", .text("OK")), ("content", .object([("application/json", .object([("schema", node.doc)]))]))])
        case .file(let types): success = .object([("description", .text("The file")), ("content", .object(types.map { ($0, .object([("schema", .object([("type", .text("string")), ("format", .text("binary"))]))])) }))])
        case .empty: success = .object([("description", .text("Done"))])
        }
        let error = GeoDoc.object([("description", .text("A message the person can read, in their language")),
                                   ("content", .object([("application/json", .object([("schema", .object([("$ref", .text("#/components/schemas/Error"))]))]))]))])
        func answer(_ text: String) -> GeoDoc {
            .object([("description", .text(text)), ("content", .object([("application/json", .object([("schema", .object([("$ref", .text("#/components/schemas/Error"))]))]))]))])
        }
        var responses: [(String, GeoDoc)] = [(String(op.status), success)]
        for (status, text) in op.alsoOK {
            guard case .object(var again) = success else { continue }
            again[0] = ("description", .text(text))
            responses.append((String(status), .object(again)))
        }
        if op.path.contains("{") { responses.append(("404", answer("Nothing with this id, or nothing you may see")) ) }
        if op.body != nil || !op.query.isEmpty {
            responses.append(("422", answer("A value is missing or not what it should be (an id in the query or body that names nothing included): `fields` says which, in the caller's language")))
        }
        responses.append(("405", answer("The path does not take this method; `Allow` names those it takes")))
        responses.append(("4XX", error))
        pairs.append(("responses", .object(responses)))
        if op.auth { pairs.append(("security", .array(item: "s", [.object([("bearer", .array(item: "x", []))])]))) }
        return .object(pairs)
    }

    static func register(_ api: RoutesBuilder) {
        api.get("openapi.json") { req -> Response in
            let r = Response(status: .ok, body: .init(string: document(serverURL: req.baseURL).json()))
            r.headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            return r
        }.rule(.open)
    }
}
