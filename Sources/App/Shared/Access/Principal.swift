import Vapor
import Fluent
import DiandanCore
import SQLKit

/// The signed-in person, with every grant resolved to its site's path.
struct Principal: Authenticatable, Sendable {
    let accountID: Int
    let username: String
    let locale: String
    let siteID: Int
    let grants: [Grant]
    /// Unread inbox notices, for the page header; counted only for signed-in pages, not the API.
    var unread: Int = 0
    /// 长辈版: the account reads the large-text pages (unless this device chose otherwise).
    var largeText = false

    var roles: Set<Role> { Set(grants.map(\.role)) }

    /// The account and every grant with its site, in one query: this runs on every request.
    static func load(accountID: Int, on db: Database) async throws -> Principal? {
        guard let sql = db as? SQLDatabase else { return nil }
        return try await fetch(sql.raw("""
            SELECT a.id AS account_id, a.username, a.locale, a.large_text, a.site_id AS home_site, a.disabled,
                   g.role, s.id AS grant_site, s.path, s.kind,
                   (SELECT COUNT(*) FROM notifications n WHERE n.account_id = a.id AND n.read_at IS NULL) AS unread
            FROM accounts a LEFT JOIN grants g ON g.account_id = a.id LEFT JOIN sites s ON s.id = g.site_id
            WHERE a.id = \(bind: accountID)
            """))
    }

    /// The same for a web session that has not expired, with the session itself.
    static func load(sessionTokenHash: String, now: Date, on db: Database) async throws -> (Principal, WebSessionStore.Row)? {
        guard let sql = db as? SQLDatabase else { return nil }
        struct SessionRow: Decodable { let session_id: Int; let session_csrf: String; let session_data: String; let session_created: Date; let session_seen: Date }
        let rows = try await sql.raw("""
            SELECT a.id AS account_id, a.username, a.locale, a.large_text, a.site_id AS home_site, a.disabled,
                   g.role, s.id AS grant_site, s.path, s.kind,
                   (SELECT COUNT(*) FROM notifications n WHERE n.account_id = a.id AND n.read_at IS NULL) AS unread,
                   ws.id AS session_id, ws.csrf AS session_csrf, ws.data AS session_data, ws.created_at AS session_created, ws.seen_at AS session_seen
            FROM web_sessions ws JOIN accounts a ON a.id = ws.account_id
                 LEFT JOIN grants g ON g.account_id = a.id LEFT JOIN sites s ON s.id = g.site_id
            WHERE ws.token_hash = \(bind: sessionTokenHash) AND ws.expires_at > \(bind: now)
            """).all()
        guard let first = rows.first, let principal = try principal(from: rows.map { try $0.decode(model: Row.self) }) else { return nil }
        let s = try first.decode(model: SessionRow.self)
        return (principal, WebSessionStore.Row(id: s.session_id, csrf: s.session_csrf, data: WebSessionStore.decode(s.session_data),
                                               createdAt: s.session_created, seenAt: s.session_seen))
    }

    /// The same for a bearer token that is neither revoked nor expired.
    static func load(tokenHash: String, now: Date, on db: Database) async throws -> Principal? {
        guard let sql = db as? SQLDatabase else { return nil }
        return try await fetch(sql.raw("""
            SELECT a.id AS account_id, a.username, a.locale, a.large_text, a.site_id AS home_site, a.disabled,
                   g.role, s.id AS grant_site, s.path, s.kind
            FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                 LEFT JOIN grants g ON g.account_id = a.id LEFT JOIN sites s ON s.id = g.site_id
            WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL AND t.expires_at > \(bind: now)
            """))
    }

    private struct Row: Decodable {
        let account_id: Int
        let username: String
        let locale: String
        let large_text: Bool
        let home_site: Int
        let disabled: Bool
        /// Stored names read as the enums they are: a role or kind nobody knows fails the sign-in loudly.
        let role: Role?
        let grant_site: Int?
        let path: String?
        let kind: SiteKind?
        let unread: Int?
    }

    private static func fetch(_ query: SQLRawBuilder) async throws -> Principal? {
        try principal(from: try await query.all(decoding: Row.self))
    }

    private static func principal(from rows: [Row]) throws -> Principal? {
        guard let first = rows.first, !first.disabled else { return nil }
        let grants = rows.compactMap { r -> Grant? in
            guard let role = r.role, let site = r.grant_site, let path = r.path, let kind = r.kind else { return nil }
            return Grant(role: role, siteID: site, sitePath: SitePath(rawValue: path), siteKind: kind)
        }
        return Principal(accountID: first.account_id, username: first.username, locale: first.locale, siteID: first.home_site, grants: grants, unread: first.unread ?? 0,
                         largeText: first.large_text)
    }
}

extension Principal {
    /// Teams whose leader is this person (through their volunteer record).
    func ledTeams(on db: Database) async throws -> Set<Int> {
        let rows = try await TeamMembership.query(on: db).join(Volunteer.self, on: \TeamMembership.$volunteer.$id == \Volunteer.$id)
            .filter(Volunteer.self, \.$account.$id == accountID).filter(\.$role == MemberRole.leader.rawValue).all()
        return Set(rows.map(\.$team.id))
    }
}

extension Request {
    var principal: Principal? { auth.get(Principal.self) }

    func requirePrincipal() throws -> Principal {
        guard let p = principal else { throw AppError.unauthorized }
        return p
    }

    /// Refuses unless the signed-in person may do this at this site (its subtree included).
    func authorize(_ resource: Resource, _ access: Access, at site: SitePath?) throws {
        let p = try requirePrincipal()
        guard Policy.allows(p.grants, resource, access, at: site) else {
            throw AppError.forbidden(Message("error.out_of_scope"))
        }
    }

    /// The subtrees this person may see or change for a resource.
    func scopes(_ resource: Resource, _ access: Access) throws -> [SitePath] {
        let p = try requirePrincipal()
        let s = Policy.scopes(p.grants, resource, access)
        guard !s.isEmpty else { throw AppError.forbidden() }
        return s
    }
}

/// The API: a bearer token. (Web pages: `WebSessionMiddleware`.)
struct BearerPrincipalLoader: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization {
            guard let p = try await Principal.load(tokenHash: TokenDigest.sha256(bearer.token), now: req.now, on: req.db) else {
                throw AppError.unauthorized
            }
            req.auth.login(p)
        }
        return try await next.respond(to: req)
    }
}
