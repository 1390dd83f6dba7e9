import Vapor
import Fluent
import SQLKit
import Crypto
import DiandanCore

extension Request {
    /// Records something this person did (or saw); the site is where it happened, for the filters.
    func audit(_ action: String, target: String, detail: String = "", reason: String? = nil, site: Int? = nil) async throws {
        let p = principal
        try await AuditLog(db: db, signer: application.protector).append(AuditEntry(seq: 0, at: now, accountID: p?.accountID, username: p?.username ?? "-", siteID: site ?? p?.siteID,
                                                      action: action, target: target, detail: detail, reason: reason, address: clientAddress))
    }
}

/// Every admin page that changes something is written to the audit trail: the route, the item, and
/// the fields sent (secrets and personal numbers by name only), in the same transaction as the
/// change, so there is never a change without its entry nor an entry for a change that failed.
struct AuditAdminWrites: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard req.method == .POST, let route = req.route else { return try await next.respond(to: req) }
        let pattern = route.path.map(\.description).joined(separator: "/")
        let form = req.isMultipart ? [:] : ((try? await req.formFields()) ?? [:])
        let p = req.principal
        let pending = PendingAudit(entry: AuditEntry(seq: 0, at: req.now, accountID: p?.accountID, username: p?.username ?? "-", siteID: p?.siteID,
                                                     action: "POST /" + pattern, target: req.url.path, detail: AuditChain.describe(form), reason: nil,
                                                     address: req.clientAddress),
                                   signer: req.application.protector)
        let response = try await AuditContext.$pending.withValue(pending) { try await next.respond(to: req) }
        if response.status.code < 400, !pending.written {
            // The page succeeded without a write transaction (nothing to change): the entry alone.
            try await AuditLog(db: req.db, signer: req.application.protector).append(pending.entry)
        }
        return response
    }
}
