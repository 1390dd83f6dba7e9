import Vapor
import DiandanCore

/// Every error a person can meet, mapped to a status and a catalogue message in one place.
enum AppError: Error {
    case badRequest(Message)
    case unauthorized
    /// Wrong username or password: 401 with a message, never a redirect.
    case credentials(Message)
    case forbidden(Message = Message("error.forbidden"))
    case notFound
    case conflict(field: String?, Message)
    case tooManyRequests(Message, retryAfter: Int)
    case unsupportedMediaType
    case validation(ValidationFailure)
    /// A body past its route's limit.
    case payloadTooLarge
    /// Too much at once (uploads): try again shortly.
    case busy(retryAfter: Int)
    /// The path exists, not with this method.
    case methodNotAllowed(allow: [String])

    var status: HTTPResponseStatus {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized, .credentials: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        case .unsupportedMediaType: .unsupportedMediaType
        case .validation: .unprocessableEntity
        case .payloadTooLarge: .payloadTooLarge
        case .busy: .serviceUnavailable
        case .methodNotAllowed: .methodNotAllowed
        }
    }

    var message: Message {
        switch self {
        case .badRequest(let m), .credentials(let m), .forbidden(let m), .conflict(_, let m), .tooManyRequests(let m, _): m
        case .unauthorized: Message("error.unauthorized")
        case .notFound: Message("error.not_found")
        case .unsupportedMediaType: Message("error.media_type")
        case .validation: Message("error.validation")
        case .payloadTooLarge: Message("error.too_large")
        case .busy: Message("error.busy")
        case .methodNotAllowed(let allow): Message("error.method_not_allowed", ["allow": allow.joined(separator: ", ")])
        }
    }

    var fieldErrors: [FieldError] {
        switch self {
        case .validation(let v): v.errors
        case .conflict(let field?, let m): [FieldError(field, m)]
        default: []
        }
    }
}

/// The body of every JSON error.
struct ErrorBody: Content {
    var error: String
    var message: String
    var fields: [String: String]?
}

/// Turns any error into a page (for people) or JSON (under /api); 5xx are logged loudly.
struct ErrorRenderer: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return await render(error, for: req)
        }
    }

    func render(_ error: Error, for req: Request) async -> Response {
        let appError: AppError
        switch error {
        case let e as AppError: appError = e
        case let e as ValidationFailure: appError = .validation(e)
        case is DecodingError: appError = .badRequest(Message("error.malformed_body"))
        case let abort as AbortError where abort.status == .notFound: appError = .notFound
        case let abort as AbortError where abort.status == .payloadTooLarge:
            appError = .payloadTooLarge
        case let abort as AbortError where abort.status.code < 500 && abort.status != .unauthorized:
            appError = .badRequest(Message("error.bad_request"))
        case let abort as AbortError where abort.status == .unauthorized: appError = .unauthorized
        default:
            req.logger.error("Unhandled error on \(req.method) \(req.url.path): \(String(reflecting: error))")
            return await serverError(req)
        }
        let locale = req.locale
        let text = req.application.localizer.text(appError.message, locale)
        let fields = appError.fieldErrors.isEmpty ? nil : Dictionary(appError.fieldErrors.map { ($0.field, req.application.localizer.text($0.message, locale)) }, uniquingKeysWith: { a, _ in a })
        var headers = HTTPHeaders()
        // The API's rule, as its document says: an id that names nothing — in the path, the query or
        // the body — is "not found" (404), with the fields that named it; pages show it beside the field.
        var status = appError.status
        if req.isAPI, case .validation(let v) = appError, !v.errors.isEmpty, v.errors.allSatisfy({ $0.message.key == "error.not_found_choice" }) {
            status = .notFound
        }
        if case .tooManyRequests(_, let seconds) = appError { headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
        if case .busy(let seconds) = appError { headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
        if case .methodNotAllowed(let allow) = appError { headers.replaceOrAdd(name: .allow, value: allow.joined(separator: ", ")) }
        if req.isAPI || req.prefersJSON {
            let body = ErrorBody(error: String(describing: status.code), message: text, fields: fields)
            let response = Response(status: status, headers: headers)
            try? response.content.encode(body)
            return response
        }
        if case .unauthorized = appError {
            return req.redirect(to: Paths.login(next: req.url.string))
        }
        let response = await Pages.error(req, status: appError.status, message: text)
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    private func serverError(_ req: Request) async -> Response {
        let text = req.application.localizer.text("error.server", req.locale)
        if req.isAPI || req.prefersJSON {
            let response = Response(status: .internalServerError)
            try? response.content.encode(ErrorBody(error: "500", message: text, fields: nil))
            return response
        }
        return await Pages.error(req, status: .internalServerError, message: text)
    }
}

extension Request {
    var isAPI: Bool { url.path.hasPrefix("/api/") || url.path == "/api" }
    /// A page's own script asking for JSON (the survey outbox): errors come back as JSON, and a
    /// lapsed session as 401 rather than a redirect to the login page.
    var prefersJSON: Bool { headers.accept.first?.mediaType == .json }
}
