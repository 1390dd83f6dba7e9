import Vapor
import Fluent
import SQLKit
import DiandanCore

/// An Open311 error: the spec's list of `{code, description}` with 400, 403 or 404.
struct Open311Failure: Error {
    let status: HTTPResponseStatus
    let descriptions: [String]

    init(_ status: HTTPResponseStatus, _ descriptions: [String]) {
        self.status = status
        self.descriptions = descriptions
    }
}

/// Every error under `/open311/v2` in the spec's shape and the format the path asked for.
struct Open311Errors: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let failure = Self.failure(error, req)
            let doc = GeoDoc.array(item: "error", failure.descriptions.map {
                .object([("code", .integer(Int(failure.status.code))), ("description", .text($0))])
            })
            let response = Open311Controller.respond(doc, root: "errors", format: Open311Controller.format(of: req), status: failure.status)
            if failure.status == .methodNotAllowed { response.headers.replaceOrAdd(name: .allow, value: "GET, POST") }
            if case AppError.tooManyRequests(_, let seconds)? = error as? AppError {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            }
            return response
        }
    }

    static func failure(_ error: Error, _ req: Request) -> Open311Failure {
        let t = { (m: Message) in req.t(m) }
        switch error {
        case let f as Open311Failure: return f
        case let v as ValidationFailure: return Open311Failure(.badRequest, describe(v.errors, req))
        case let e as AppError:
            switch e {
            case .unauthorized, .credentials, .forbidden: return Open311Failure(.forbidden, [t(e.message)])
            case .notFound: return Open311Failure(.notFound, [t(e.message)])
            case .tooManyRequests: return Open311Failure(.tooManyRequests, [t(e.message)])
            case .validation(let v): return Open311Failure(.badRequest, describe(v.errors, req))
            default:
                let fields = e.fieldErrors
                return Open311Failure(.badRequest, fields.isEmpty ? [t(e.message)] : describe(fields, req))
            }
        case let abort as AbortError where abort.status == .notFound: return Open311Failure(.notFound, [t(Message("error.not_found"))])
        case let abort as AbortError where abort.status.code < 500: return Open311Failure(.badRequest, [t(Message("error.bad_request"))])
        default:
            req.logger.error("Unhandled error on \(req.method) \(req.url.path): \(String(reflecting: error))")
            return Open311Failure(.internalServerError, [t(Message("error.server"))])
        }
    }

    /// `phone: 请填写正确的手机号码` — each field under the name the spec gives it.
    static func describe(_ errors: [FieldError], _ req: Request) -> [String] {
        errors.map { "\(Open311.fieldNames[$0.field] ?? $0.field): \(req.t($0.message))" }
    }
}

/// Open311 GeoReport v2 at `/open311/v2`: services are the menu (and categories for needs off it),
/// requests are orders. Reads are open but show no resident's data; a valid `api_key` whose site
/// covers the order adds the address and the description. Orders placed here enter the same loop,
/// by the integration's account, channel `open311`.
enum Open311Controller {
    static func register(_ bare: RoutesBuilder) {
        let v2 = bare.grouped("open311", "v2").grouped(Open311Errors(), RateLimit(bucket: .open311))
        v2.get(":file", use: root).rule(.open)
        v2.post(":file", use: post).rule(.open)
        v2.get("services", ":file", use: definition).rule(.open)
        v2.get("requests", ":file", use: single).rule(.open)
        v2.get("tokens", ":file", use: token).rule(.open)
        // Whatever else arrives here is answered in the spec's shape: an unknown path 404, another
        // method 405 (with the methods that are served), in the format the path asks for.
        v2.get(use: unknownPath).rule(.open)
        v2.get("**", use: unknownPath).rule(.open)
        v2.post(use: unknownPath).rule(.open)
        v2.post("**", use: unknownPath).rule(.open)
        for method in [HTTPMethod.PUT, .DELETE, .PATCH, .OPTIONS, .TRACE, .CONNECT] {
            v2.on(method, use: wrongMethod).rule(.open)
            v2.on(method, "**", use: wrongMethod).rule(.open)
        }
    }

    static func unknownPath(req: Request) async throws -> Response {
        throw Open311Failure(.notFound, [req.t("open311.error.path")])
    }

    static func wrongMethod(req: Request) async throws -> Response {
        throw Open311Failure(.methodNotAllowed, [req.t("open311.error.method", ["method": req.method.rawValue])])
    }

    static func format(of req: Request) -> Open311.Format {
        Open311.Format.split(req.url.path.split(separator: "/").last.map(String.init) ?? "")?.format ?? .json
    }

    static func respond(_ doc: GeoDoc, root: String, format: Open311.Format, status: HTTPResponseStatus = .ok) -> Response {
        let body = format == .json ? doc.json() : doc.xml(root: root)
        let r = Response(status: status, body: .init(string: body))
        r.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        return r
    }

    /// `name.json|xml` from the last path component; anything else is not here.
    static func file(_ req: Request) throws -> (name: String, format: Open311.Format) {
        guard let raw = req.parameters.get("file"), let f = Open311.Format.split(raw) else {
            throw Open311Failure(.notFound, [req.t("open311.error.format")])
        }
        return f
    }

    static func root(req: Request) async throws -> Response {
        let (name, format) = try file(req)
        switch name {
        case "discovery": return discovery(req, format)
        case "services": return try await services(req, format)
        case "requests": return try await requests(req, format)
        default: throw AppError.notFound
        }
    }

    // MARK: Discovery and services

    static func discovery(_ req: Request, _ format: Open311.Format) -> Response {
        let changeset = GeoDoc.text(Open311.W3C.format(Open311Store.changeset))
        let endpoint = GeoDoc.object([
            ("specification", .text(Open311.specification)),
            ("url", .text(req.baseURL + "/open311/v2")),
            ("changeset", changeset),
            ("type", .text("production")),
            ("formats", .array(item: "format", [.text("text/xml"), .text("application/json")])),
        ])
        return respond(.object([
            ("changeset", changeset),
            ("contact", .text(req.t("open311.contact"))),
            ("key_service", .text(req.t("open311.key_service"))),
            ("endpoints", .array(item: "endpoint", [endpoint])),
        ]), root: "discovery", format: format)
    }

    static func services(_ req: Request, _ format: Open311.Format) async throws -> Response {
        let site = try await jurisdiction(req, required: true)!
        let list = try await Open311Store.make(req).services(at: site, locale: req.locale, t: { req.t($0) })
        return respond(.array(item: "service", list.map { s in
            .object([
                ("service_code", .text(s.code.description)),
                ("service_name", .text(s.name)),
                ("description", .text(s.description)),
                ("metadata", .bool(true)),
                ("type", .text(s.realtime ? "realtime" : "batch")),
                ("keywords", .text(s.keywords)),
                ("group", .text(s.group)),
            ])
        }), root: "services", format: format)
    }

    static func definition(req: Request) async throws -> Response {
        let (raw, format) = try file(req)
        guard let code = Open311.ServiceCode(raw), try await Open311Store.make(req).serviceExists(code) else {
            throw Open311Failure(.notFound, [req.t("open311.error.service_code")])
        }
        // Asked within a jurisdiction: only a service it lists (the spec's 404 otherwise).
        if let site = try await jurisdiction(req, required: false) {
            let listed = try await Open311Store.make(req).services(at: site, locale: req.locale, t: { req.t($0) }).map(\.code)
            guard listed.contains(code) else { throw Open311Failure(.notFound, [req.t("open311.error.service_code")]) }
        }
        let attributes = Open311.attributes.enumerated().map { i, a in
            GeoDoc.object([
                ("variable", .bool(true)),
                ("code", .text(a.code)),
                ("datatype", .text(a.datatype)),
                ("required", .bool(a.required)),
                ("datatype_description", .text(req.t(a.hintKey))),
                ("order", .integer(i + 1)),
                ("description", .text(req.t(a.descriptionKey))),
            ])
        }
        return respond(.object([("service_code", .text(code.description)), ("attributes", .array(item: "attribute", attributes))]),
                       root: "service_definition", format: format)
    }

    // MARK: Requests

    static func post(req: Request) async throws -> Response {
        let (name, format) = try file(req)
        guard name == "requests" else { throw AppError.notFound }
        var form = try await req.formFields()
        for k in ["api_key", "jurisdiction_id"] where form[k] == nil {
            if let v = req.queryFields[k]?.last { form[k] = [v] }
        }
        guard let key = form["api_key"]?.last, !key.isEmpty else { throw Open311Failure(.forbidden, [req.t("open311.error.api_key_missing")]) }
        let store = Open311Store.make(req)
        guard let (integration, principal) = try await store.integration(key: key) else {
            throw Open311Failure(.forbidden, [req.t("open311.error.api_key")])
        }
        guard let rawCode = form["service_code"]?.last, !rawCode.isEmpty else {
            throw Open311Failure(.badRequest, [req.t("open311.error.service_code")])
        }
        // A code that names no service is "not found", as the spec has it.
        guard let code = Open311.ServiceCode(rawCode), try await store.serviceExists(code) else {
            throw Open311Failure(.notFound, [req.t("open311.error.service_code")])
        }
        let site = try await jurisdiction(req, given: form["jurisdiction_id"]?.last, required: true)!
        let scope = integration.site.sitePath
        guard scope.covers(site.sitePath) || site.sitePath.covers(scope) else { throw AppError.forbidden(Message("open311.error.scope")) }
        let lat = form["lat"]?.last.flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
        let lon = form["long"]?.last.flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
        let station = try await store.station(in: site, within: scope, lat: lat, lon: lon, offering: code)
        var reader = FieldReader(Open311.orderFields(form, code: code, stationID: station, fallbackName: integration.name))
        let input = OrderInput.read(&reader, defaultChannel: .open311, now: req.now)
        try reader.check()
        // A retry with the same Idempotency-Key (kept per integration: each has its own account)
        // returns the first order and its token; tokens are made here, one per request.
        let given = req.headers.first(name: "Idempotency-Key")?.trimmingCharacters(in: .whitespaces)
        if let given, given.isEmpty || given.count > 80 { throw Open311Failure(.badRequest, [req.t("error.idempotency_key")]) }
        let (order, created) = try await OrderService.make(req).create(input!, by: principal, key: given.map { Open311Store.tokenPrefix + $0 })
        try await store.touch(integration)
        let token = try await store.token(of: order)
        let notice = req.t("open311.notice", ["deadline": DateText.minute(order.responseDeadline)])
        return respond(.array(item: "request", [.object([
            ("service_request_id", .text(order.number)),
            ("token", .text(token)),
            ("service_notice", .text(notice)),
            ("account_id", .null),
        ])]), root: "service_requests", format: format, status: created ? .created : .ok)
    }

    static func requests(_ req: Request, _ format: Open311.Format) async throws -> Response {
        var params: [String: String] = [:]
        for k in ["service_request_id", "service_code", "start_date", "end_date", "status", "page", "page_size"] {
            params[k] = req.queryFields[k]?.last
        }
        let search: Open311.Search
        do {
            search = try Open311.search(params, now: req.now)
        } catch {
            guard case .invalid(let field, let key) = error else { throw error }
            throw Open311Failure(.badRequest, ["\(field): \(req.t(key))"])
        }
        let site = try await jurisdiction(req, required: false)
        let reader = try await reader(req)
        let rows = try await Open311Store.make(req).requests(search, in: site?.sitePath)
        return try await respondRequests(req, rows, reader: reader, format: format)
    }

    static func single(req: Request) async throws -> Response {
        let (id, format) = try file(req)
        let reader = try await reader(req)
        let site = try await jurisdiction(req, required: false)
        let rows = try await Open311Store.make(req).requests(Open311.Search(ids: [id], start: .distantPast, end: .distantFuture), in: site?.sitePath)
        guard !rows.isEmpty else { throw Open311Failure(.notFound, [req.t("open311.error.request")]) }
        return try await respondRequests(req, rows, reader: reader, format: format)
    }

    static func token(req: Request) async throws -> Response {
        let (token, format) = try file(req)
        let site = try await jurisdiction(req, required: false)
        guard let number = try await Open311Store.make(req).number(forToken: token, in: site?.sitePath) else {
            throw Open311Failure(.notFound, [req.t("open311.error.token")])
        }
        return respond(.array(item: "request", [.object([("service_request_id", .text(number)), ("token", .text(token))])]),
                       root: "service_requests", format: format)
    }

    /// The reader's reach for personal data: the site of a valid key; none without one.
    static func reader(_ req: Request) async throws -> SitePath? {
        guard let key = req.queryFields["api_key"]?.last, !key.isEmpty else { return nil }
        guard let (integration, _) = try await Open311Store.make(req).integration(key: key) else {
            throw Open311Failure(.forbidden, [req.t("open311.error.api_key")])
        }
        return integration.site.sitePath
    }

    static func respondRequests(_ req: Request, _ rows: [Open311Store.RequestRow], reader: SitePath?, format: Open311.Format) async throws -> Response {
        let docs = rows.map { r -> GeoDoc in
            let full = reader?.covers(SitePath(rawValue: r.station_path)) == true
            let status = r.status
            var notes = req.t("order.action.\(r.last_action.replacingOccurrences(of: "-", with: "_"))")
            if full, let reason = r.last_reason, !reason.isEmpty { notes += "：" + reason }
            let open = Open311.status(status) == "open"
            // When the request can be expected to be fulfilled: the completion deadline while it is open.
            let expected = open ? r.completion_deadline : nil
            return .object([
                ("service_request_id", .text(r.number)),
                ("status", .text(Open311.status(status))),
                ("status_notes", .text(notes)),
                ("service_name", .text(r.title)),
                ("service_code", .text((r.menu_item_id.map { Open311.ServiceCode.menuItem($0) } ?? .category(r.category_id)).description)),
                ("description", full ? .text(r.details) : .null),
                ("agency_responsible", .text(r.team_name ?? r.owner_name)),
                ("service_notice", .text(req.t("order.status.\(r.status)"))),
                ("requested_datetime", .text(Open311.W3C.format(r.created_at))),
                ("updated_datetime", .text(Open311.W3C.format(r.updated_at))),
                ("expected_datetime", .optional(expected.map(Open311.W3C.format))),
                // Without a key: the station, never the resident's door.
                ("address", .text(full ? (r.address ?? r.station_name) : r.station_name)),
                ("address_id", .null),
                ("zipcode", .null),
                ("lat", .number(Open311.coordinate(full ? (r.latitude ?? r.station_latitude) : r.station_latitude))),
                ("long", .number(Open311.coordinate(full ? (r.longitude ?? r.station_longitude) : r.station_longitude))),
                // What the calling system posted, for those whose key reaches the order.
                ("media_url", full ? .optional(r.media_url) : .null),
            ])
        }
        return respond(.array(item: "request", docs), root: "service_requests", format: format)
    }

    /// `jurisdiction_id` is a site's code; when absent and the system holds one county, that county.
    static func jurisdiction(_ req: Request, given: String? = nil, required: Bool) async throws -> Site? {
        let raw = given ?? req.queryFields["jurisdiction_id"]?.last
        if let raw, !raw.isEmpty {
            guard let site = try await Site.query(on: req.db).filter(\.$code == raw).filter(\.$active == true).first() else {
                throw Open311Failure(.notFound, [req.t("open311.error.jurisdiction")])
            }
            return site
        }
        guard required else { return nil }
        let roots = try await Site.query(on: req.db).filter(\.$parent.$id == nil).filter(\.$active == true).limit(2).all()
        guard roots.count == 1 else { throw Open311Failure(.badRequest, [req.t("open311.error.jurisdiction_required")]) }
        return roots[0]
    }
}

extension Request {
    /// The address people reach this server at: `DIANDAN_PUBLIC_URL`, else the request's host (and
    /// the scheme a proxy in front says it used).
    var baseURL: String {
        if let url = application.settings.publicURL { return url }
        let scheme = headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        return "\(scheme)://" + (headers.first(name: .host) ?? "localhost")
    }
}
