import Vapor
import Fluent
import SQLKit
import Crypto
import DiandanCore

/// Appends to the audit trail. Each append reads the last entry and chains to it inside one write
/// transaction (on PostgreSQL under an advisory lock), so entries form one unbroken line however many
/// instances write.
struct AuditLog {
    let db: Database

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// What happened; `seq` is filled in here.
    @discardableResult
    func append(_ draft: AuditEntry) async throws -> AuditRecord {
        try await db.writeTransaction { db in
            if let sql = db as? SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(7311001)").run()
            }
            let last = try await AuditRecord.query(on: db).sort(\.$seq, .descending).first()
            var entry = draft
            entry.seq = (last?.seq ?? 0) + 1
            // Stored to the millisecond, as it is hashed.
            entry.at = Date(timeIntervalSince1970: (draft.at.timeIntervalSince1970 * 1000).rounded() / 1000)
            let previous = last?.hash ?? AuditChain.genesis
            let r = AuditRecord()
            r.seq = entry.seq
            r.at = entry.at
            r.accountID = entry.accountID
            r.username = entry.username
            r.siteID = entry.siteID
            r.action = entry.action
            r.target = entry.target
            r.detail = entry.detail
            r.reason = entry.reason
            r.address = entry.address
            r.previousHash = previous
            r.hash = AuditChain.hash(previous: previous, entry, digest: Self.digest)
            try await r.create(on: db)
            return r
        }
    }

    /// The whole chain checked, a page at a time: how many entries, and the first break if any.
    func verify() async throws -> (count: Int, problem: AuditChain.Break?) {
        var verifier = AuditChain.Verifier()
        var after = 0
        while true {
            let page = try await AuditRecord.query(on: db).filter(\.$seq > after).sort(\.$seq).limit(5000).all()
            guard let last = page.last else { break }
            for r in page {
                if let problem = verifier.check(r.entry, previous: r.previousHash, hash: r.hash, digest: Self.digest) { return (verifier.count, problem) }
            }
            after = last.seq
        }
        return (verifier.count, nil)
    }
}

extension Request {
    /// Records something this person did (or saw); the site is where it happened, for the filters.
    func audit(_ action: String, target: String, detail: String = "", reason: String? = nil, site: Int? = nil) async throws {
        let p = principal
        try await AuditLog(db: db).append(AuditEntry(seq: 0, at: now, accountID: p?.accountID, username: p?.username ?? "-", siteID: site ?? p?.siteID,
                                                      action: action, target: target, detail: detail, reason: reason, address: clientAddress))
    }
}

/// Every admin page that changes something is written to the audit trail once it has succeeded:
/// the route, the item, and the fields sent (secrets and personal numbers by name only).
struct AuditAdminWrites: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        if req.method == .POST, response.status.code < 400, let route = req.route {
            let pattern = route.path.map(\.description).joined(separator: "/")
            let form = (try? await req.formFields()) ?? [:]
            try await req.audit("POST /" + pattern, target: req.url.path, detail: AuditChain.describe(form))
        }
        return response
    }
}
