import Vapor
import DiandanCore

/// Who may call a route. Every route declares one; the gate refuses a route that does not.
enum RouteRule: Sendable, Equatable {
    /// Anyone, signed in or not.
    case open
    /// Any signed-in person.
    case signedIn
    /// Someone with a role that may read or write this resource somewhere; the handler then
    /// checks the particular site with `req.authorize`.
    case resource(Resource, Access)
}

extension Route {
    static let ruleKey = "diandan.rule"

    var rule: RouteRule? { userInfo[Self.ruleKey] as? RouteRule }

    @discardableResult
    func rule(_ rule: RouteRule) -> Route {
        userInfo[Self.ruleKey] = rule
        return self
    }

    static let keepsKey = "diandan.keeps-form"

    /// The page a form of this route comes from, when what was typed should survive a session that
    /// ended while the person typed (they sign in again and find the form filled in).
    var keepsTypedForm: String? { userInfo[Self.keepsKey] as? String }

    @discardableResult
    func keepsTypedForm(returningTo page: String) -> Route {
        userInfo[Self.keepsKey] = page
        return self
    }
}

struct AccessGate: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard let rule = req.route?.rule else {
            req.logger.error("Route without an access rule refused: \(req.method) \(req.url.path)")
            throw AppError.forbidden()
        }
        // A form sent after the session ended: sign in again, and what was typed comes back.
        if rule != .open, req.principal == nil, req.method == .POST, req.isWebRoute, !req.isMultipart, let page = req.route?.keepsTypedForm {
            return try await SignInPages.signInKeeping(req, returningTo: page)
        }
        switch rule {
        case .open: break
        case .signedIn: _ = try req.requirePrincipal()
        case .resource(let resource, let access):
            let p = try req.requirePrincipal()
            guard !Policy.grants(p.grants, allowing: resource, access).isEmpty else { throw AppError.forbidden() }
        }
        return try await next.respond(to: req)
    }
}

/// Every state-changing web form carries a token: the signed-in session's, or for someone not
/// signed in the double-submit token of their cookie (`AnonymousCSRF`). The API uses bearer tokens
/// instead of cookies and so needs none.
///
/// A multipart form (photos) carries its token in the address (`?_csrf=`), so it is checked before a
/// byte of the body is read; a url-encoded form carries it as a field.
struct CSRFGuard: AsyncMiddleware {
    static let field = "_csrf"

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if req.method != .GET && req.method != .HEAD {
            let sent: String?
            if req.isMultipart {
                sent = req.queryFields[Self.field]?.last
            } else {
                sent = try await req.formFields()[Self.field]?.last
            }
            guard let sent, Self.accepts(sent, for: req) else {
                throw AppError.forbidden(Message("error.csrf"))
            }
        }
        return try await next.respond(to: req)
    }

    static func accepts(_ sent: String, for req: Request) -> Bool {
        if let row = req.webSession.row { return constantTimeEquals(sent, row.csrf) }
        guard let cookie = req.cookies[WebSessionStore.csrfCookieName]?.string else { return false }
        return constantTimeEquals(sent, cookie) && AnonymousCSRF.isValid(cookie, protector: req.application.protector)
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A path that exists, asked with a method it does not take, is answered 405 with the methods it
/// takes in `Allow` (OPTIONS is answered with them, 204); only a path that exists under no method
/// is "not found". TRACE is never served.
struct MethodNotAllowed: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        // TRACE and CONNECT are served by no route here (Open311 answers them in its own shape).
        if (req.method == .TRACE || req.method == .CONNECT) && req.route == nil {
            let allow = Self.methods(for: req)
            throw allow.isEmpty ? AppError.notFound : AppError.methodNotAllowed(allow: allow)
        }
        do {
            return try await next.respond(to: req)
        } catch let error where req.route == nil && Self.isNotFound(error) {
            let allow = Self.methods(for: req)
            guard !allow.isEmpty else { throw error }
            if req.method == .OPTIONS {
                let r = Response(status: .noContent)
                r.headers.replaceOrAdd(name: .allow, value: allow.joined(separator: ", "))
                return r
            }
            throw AppError.methodNotAllowed(allow: allow)
        }
    }

    static func isNotFound(_ error: Error) -> Bool {
        if let abort = error as? AbortError { return abort.status == .notFound }
        if case AppError.notFound? = error as? AppError { return true }
        return false
    }

    /// The methods some route takes at this path (HEAD wherever GET is).
    static func methods(for req: Request) -> [String] {
        let parts = req.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var found: Set<String> = []
        for route in req.application.routes.all where matches(route.path, parts) {
            found.insert(route.method.rawValue)
            if route.method == .GET { found.insert("HEAD") }
        }
        return found.sorted()
    }

    static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        var i = 0
        for component in pattern {
            switch component {
            case .catchall: return i < parts.count
            case .constant(let c):
                guard i < parts.count, parts[i] == c else { return false }
            case .parameter, .anything:
                guard i < parts.count else { return false }
            }
            i += 1
        }
        return i == parts.count
    }
}
