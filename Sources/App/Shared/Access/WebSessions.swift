import Vapor
import SQLKit
import Fluent
import NIOConcurrencyHelpers
import DiandanCore

/// Web sign-in sessions. A row exists only for a signed-in person: anonymous visits (the home page,
/// the sign-in form, calendar feeds) write nothing; their forms carry a signed double-submit CSRF
/// token kept in a cookie. A session is written when its data change, and otherwise at most every
/// few minutes to move its expiry along; rows past their expiry are purged.
enum WebSessionStore {
    static let schema = "web_sessions"
    static let cookieName = "diandan_session"
    static let csrfCookieName = "diandan_csrf"
    /// A session not used for this long ends.
    static let idle: TimeInterval = 12 * 3600
    /// However much it is used, a session ends this long after sign-in.
    static let absolute: TimeInterval = 14 * 86_400
    /// How stale `seen_at` may get before a request writes it again.
    static let touchEvery: TimeInterval = 5 * 60

    struct Row: Sendable {
        let id: Int
        let csrf: String
        let data: [String: String]
        let createdAt: Date
        let seenAt: Date
    }

    static func encode(_ data: [String: String]) -> String {
        (try? String(decoding: JSONEncoder().encode(data), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    /// A new session for an account; returns the cookie's token (only its digest is stored).
    static func create(accountID: Int, now: Date, on db: Database) async throws -> (token: String, row: Row) {
        let token = TokenDigest.random(bytes: 32)
        let csrf = TokenDigest.random(bytes: 24)
        let id = try await db.writeTransaction { db -> Int in
            guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
            struct Inserted: Decodable { let id: Int }
            let row = try await sql.raw("""
                INSERT INTO web_sessions (token_hash, account_id, csrf, data, created_at, seen_at, expires_at)
                VALUES (\(bind: TokenDigest.sha256(token)), \(bind: accountID), \(bind: csrf), \(bind: "{}"), \(bind: now), \(bind: now), \(bind: now.addingTimeInterval(idle)))
                RETURNING id
                """).first(decoding: Inserted.self)
            guard let row else { throw Abort(.internalServerError) }
            return row.id
        }
        return (token, Row(id: id, csrf: csrf, data: [:], createdAt: now, seenAt: now))
    }

    /// Moves the expiry along (never past the absolute limit) and applies this request's changes to
    /// the data as it stands now (another request of the same person may have changed other keys
    /// meanwhile: those stay).
    static func touch(_ row: Row, changes: [String: String?], now: Date, on db: Database) async throws {
        let expires = min(now.addingTimeInterval(idle), row.createdAt.addingTimeInterval(absolute))
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return }
            guard !changes.isEmpty else {
                try await sql.raw("UPDATE web_sessions SET seen_at = \(bind: now), expires_at = \(bind: expires) WHERE id = \(bind: row.id)").run()
                return
            }
            struct Stored: Decodable { let data: String }
            var data = decode(try await sql.raw("SELECT data FROM web_sessions WHERE id = \(bind: row.id)").first(decoding: Stored.self)?.data ?? "{}")
            for (key, value) in changes { data[key] = value }
            try await sql.raw("UPDATE web_sessions SET data = \(bind: encode(data)), seen_at = \(bind: now), expires_at = \(bind: expires) WHERE id = \(bind: row.id)").run()
        }
    }

    static func delete(id: Int, on db: Database) async throws {
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return }
            try await sql.raw("DELETE FROM web_sessions WHERE id = \(bind: id)").run()
        }
    }

    /// Ends every session of an account and revokes every API token it holds: after a password
    /// change, when it is disabled, or when someone asks to be signed out everywhere. Runs inside the
    /// caller's write transaction when there is one.
    static func endEverywhere(accountID: Int, now: Date, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("DELETE FROM web_sessions WHERE account_id = \(bind: accountID)").run()
        try await sql.raw("UPDATE api_tokens SET revoked_at = \(bind: now) WHERE account_id = \(bind: accountID) AND revoked_at IS NULL").run()
    }

    /// Removes sessions past their expiry; returns how many.
    static func purge(now: Date, on db: Database) async throws -> Int {
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return 0 }
            struct Gone: Decodable { let id: Int }
            return try await sql.raw("DELETE FROM web_sessions WHERE expires_at <= \(bind: now) RETURNING id").all(decoding: Gone.self).count
        }
    }

    /// The cookie lives as long as the session may: given as Max-Age (seconds from now), so a phone
    /// whose clock is wrong keeps it for the right time.
    static func cookie(_ token: String, secure: Bool, lifetime: TimeInterval) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: max(1, Int(lifetime)), path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

/// What a request knows of its session; handlers read and change `data` (a flash message, a key
/// shown once) and sign in or out through it, and the middleware writes what changed.
final class WebSessionState: @unchecked Sendable {
    private let lock = NIOLock()
    private var _row: WebSessionStore.Row?
    private var _data: [String: String] = [:]
    private var _changes: [String: String?] = [:]
    private var _started: String?
    private var _ended = false
    private var _anonymousCSRF: (value: String, minted: Bool)?

    var row: WebSessionStore.Row? { lock.withLock { _row } }
    var changed: Bool { lock.withLock { !_changes.isEmpty } }
    /// The keys this request set or removed.
    var changes: [String: String?] { lock.withLock { _changes } }
    var started: String? { lock.withLock { _started } }
    var ended: Bool { lock.withLock { _ended } }
    var data: [String: String] { lock.withLock { _data } }

    func load(_ row: WebSessionStore.Row) {
        lock.withLock { _row = row; _data = row.data }
    }

    /// A value kept with the signed-in session; without one (anonymous) nothing is kept.
    subscript(key: String) -> String? {
        get { lock.withLock { _data[key] } }
        set {
            lock.withLock {
                guard _row != nil, _data[key] != newValue else { return }
                _data[key] = newValue
                _changes[key] = .some(newValue)
            }
        }
    }

    func begin(token: String, row: WebSessionStore.Row) {
        lock.withLock { _row = row; _data = row.data; _started = token; _ended = false; _changes = [:] }
    }

    func end() { lock.withLock { _ended = true } }

    /// The anonymous double-submit token: the cookie's, or a new one to be set on the response.
    func anonymousCSRF(existing: String?, mint: () -> String) -> String {
        lock.withLock {
            if let t = _anonymousCSRF { return t.value }
            if let existing { _anonymousCSRF = (existing, false); return existing }
            let t = mint()
            _anonymousCSRF = (t, true)
            return t
        }
    }

    var mintedCSRF: String? { lock.withLock { _anonymousCSRF.flatMap { $0.minted ? $0.value : nil } } }
}

extension Request {
    private struct StateKey: StorageKey { typealias Value = WebSessionState }
    private struct WebRouteKey: StorageKey { typealias Value = Bool }

    /// True on the pages' routes (behind `WebSessionMiddleware`): only they carry forms with tokens.
    var isWebRoute: Bool {
        get { storage[WebRouteKey.self] ?? false }
        set { storage[WebRouteKey.self] = newValue }
    }

    /// The session of this request (empty and inert for anonymous visitors and the API).
    var webSession: WebSessionState {
        if let s = storage[StateKey.self] { return s }
        let s = WebSessionState()
        storage[StateKey.self] = s
        return s
    }

    /// Signs this browser in as the account: a new session (any earlier one of this browser ends,
    /// so an id planted before sign-in is worth nothing).
    func startWebSession(accountID: Int) async throws {
        if let old = webSession.row { try await WebSessionStore.delete(id: old.id, on: db) }
        let (token, row) = try await WebSessionStore.create(accountID: accountID, now: now, on: db)
        webSession.begin(token: token, row: row)
        // 长辈版 turned on with the switch just before signing in (on the sign-in page, say) is kept for
        // the account too. Not a device's older choice, nor normal text: it may be someone else's phone.
        if cookies[Request.largeTextCookie]?.string == "large", cookies[Request.largeTextChosenCookie] != nil {
            try await HomeRoutes.rememberLargeText(true, accountID: accountID, on: db)
        }
    }

    /// A form kept through sign-in (`SignInPages.signInKeeping`), taken once.
    func takeKeptForm() -> [String: [String]]? {
        guard let json = webSession[SignInPages.keptFormKey] else { return nil }
        webSession[SignInPages.keptFormKey] = nil
        return try? JSONDecoder().decode([String: [String]].self, from: Data(json.utf8))
    }

    /// The message the last action left for the next page, taken once.
    func takeFlash() -> String? {
        let flash = webSession["flash"]
        if flash != nil { webSession["flash"] = nil }
        return flash
    }

    func endWebSession() {
        auth.logout(Principal.self)
        webSession.end()
    }

    /// The token a form must carry: the signed-in session's, or the anonymous double-submit one
    /// (a random value and its signature, in a cookie and in the form).
    func csrfToken() -> String {
        if let row = webSession.row, !webSession.ended { return row.csrf }
        let cookie = cookies[WebSessionStore.csrfCookieName]?.string
        let valid = cookie.flatMap { AnonymousCSRF.isValid($0, protector: application.protector) ? $0 : nil }
        return webSession.anonymousCSRF(existing: valid) { AnonymousCSRF.mint(protector: application.protector) }
    }
}

/// A CSRF token for someone not signed in, without a row anywhere: `nonce.signature`. A form is
/// accepted when it carries the same value as the cookie and the signature is ours (another site
/// can neither read the cookie nor make a value we signed).
enum AnonymousCSRF {
    static func mint(protector: DataProtector) -> String {
        let nonce = TokenDigest.random(bytes: 18)
        return nonce + "." + protector.sign("csrf|" + nonce)
    }

    static func isValid(_ value: String, protector: DataProtector) -> Bool {
        guard value.utf8.count <= 200 else { return false }
        let parts = value.split(separator: ".", maxSplits: 1)
        guard parts.count == 2 else { return false }
        return protector.verify("csrf|" + parts[0], signature: String(parts[1]))
    }
}

/// Loads the signed-in person from the session cookie, and afterwards writes what the request
/// changed: a new session at sign-in, its end at sign-out, changed data, or a stale expiry.
struct WebSessionMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let state = req.webSession
        req.isWebRoute = true
        let cookie = req.cookies[WebSessionStore.cookieName]?.string
        if let cookie, !cookie.isEmpty, cookie.utf8.count <= 100 {
            if let (principal, row) = try await Principal.load(sessionTokenHash: TokenDigest.sha256(cookie), now: req.now, on: req.db) {
                req.auth.login(principal)
                state.load(row)
            }
        }
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            // Rendered here, where the person is still known: an error page keeps their header,
            // and a token minted for its forms reaches the browser.
            response = await ErrorRenderer().render(error, for: req)
        }
        let settings = req.application.settings
        let now = req.now
        if state.ended {
            if let row = state.row { try await WebSessionStore.delete(id: row.id, on: req.db) }
            if cookie != nil { response.cookies[WebSessionStore.cookieName] = .expired }
        } else if let token = state.started, let row = state.row {
            response.cookies[WebSessionStore.cookieName] = WebSessionStore.cookie(token, secure: settings.sessionCookieSecure, lifetime: WebSessionStore.idle)
            if state.changed { try await WebSessionStore.touch(row, changes: state.changes, now: now, on: req.db) }
        } else if let row = state.row, let cookie {
            if state.changed || now.timeIntervalSince(row.seenAt) >= WebSessionStore.touchEvery {
                try await WebSessionStore.touch(row, changes: state.changes, now: now, on: req.db)
                let lifetime = min(WebSessionStore.idle, row.createdAt.addingTimeInterval(WebSessionStore.absolute).timeIntervalSince(now))
                response.cookies[WebSessionStore.cookieName] = WebSessionStore.cookie(cookie, secure: settings.sessionCookieSecure, lifetime: lifetime)
            }
        } else if cookie != nil {
            // A cookie for a session that ended or expired: forget it.
            response.cookies[WebSessionStore.cookieName] = .expired
        }
        if let minted = state.mintedCSRF {
            response.cookies[WebSessionStore.csrfCookieName] = HTTPCookies.Value(string: minted, expires: nil, maxAge: nil, path: "/",
                                                                                  isSecure: settings.sessionCookieSecure, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

extension PeriodicService {
    /// Every ten minutes: sessions past their expiry, day-old failure counts and sign-in codes go.
    static func housekeeping(_ app: Application) -> PeriodicService {
        PeriodicService("Housekeeping", every: 600) { app in
            let sessions = try await WebSessionStore.purge(now: app.clock.now(), on: app.db)
            let failures = try await SignInFailures.purge(now: app.clock.now(), on: app.db)
            let codes = try await PhoneSignInService.make(app).purge()
            return sessions + failures + codes == 0 ? nil
                : "\(sessions) expired sessions, \(failures) old sign-in failure counts, \(codes) day-old sign-in codes removed"
        }
    }
}

/// An address no route answers (a mistyped link) still shows the header of whoever is signed in:
/// only when such a request fails is the session cookie read, never for static files that exist.
struct KnownOnUnmatched: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            if req.route == nil, req.principal == nil, !req.url.path.hasPrefix("/api/"),
               let cookie = req.cookies[WebSessionStore.cookieName]?.string, !cookie.isEmpty, cookie.utf8.count <= 100,
               let found = try? await Principal.load(sessionTokenHash: TokenDigest.sha256(cookie), now: req.now, on: req.db) {
                req.auth.login(found.0)
            }
            throw error
        }
    }
}
