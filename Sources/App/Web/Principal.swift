import Vapor
import Fluent
import DiandanCore

/// The signed-in person, with every grant resolved to its site's path.
struct Principal: Authenticatable, Sendable {
    let accountID: Int
    let username: String
    let locale: String
    let siteID: Int
    let grants: [Grant]

    var roles: Set<Role> { Set(grants.map(\.role)) }

    static func load(accountID: Int, on db: Database) async throws -> Principal? {
        guard let account = try await Account.find(accountID, on: db), !account.disabled else { return nil }
        let rows = try await RoleGrant.query(on: db)
            .filter(\.$account.$id == accountID)
            .with(\.$site)
            .all()
        let grants = rows.compactMap { g -> Grant? in
            guard let role = Role(rawValue: g.role), let siteID = g.site.id else { return nil }
            return Grant(role: role, siteID: siteID, sitePath: g.site.sitePath, siteKind: g.site.siteKind)
        }
        return Principal(accountID: accountID, username: account.username, locale: account.locale, siteID: account.$site.id, grants: grants)
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

/// Web pages: the account id in the session. API: a bearer token.
struct SessionPrincipalLoader: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let raw = req.session.data["account"], let id = Int(raw) {
            if let p = try await Principal.load(accountID: id, on: req.db) {
                req.auth.login(p)
            } else {
                req.session.data["account"] = nil
            }
        }
        return try await next.respond(to: req)
    }
}

struct BearerPrincipalLoader: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization {
            let hash = TokenDigest.sha256(bearer.token)
            guard let token = try await APIToken.query(on: req.db).filter(\.$tokenHash == hash).first(),
                  token.revokedAt == nil, token.expiresAt > req.now,
                  let p = try await Principal.load(accountID: token.$account.id, on: req.db)
            else { throw AppError.unauthorized }
            req.auth.login(p)
        }
        return try await next.respond(to: req)
    }
}
