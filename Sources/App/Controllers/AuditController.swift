import Vapor
import Fluent
import DiandanCore

struct AuditPage: Encodable {
    var chrome: Chrome
    var heading: String
    var q: String
    var from: String
    var to: String
    var columns: [String]
    var rows: [[String]]
    var pager: ListPage.Pager
    var empty: String
}

/// 审计日志 for a centre's admins: everything done or seen within their centre, newest first, filtered
/// by who, what or target (`q`) and by day.
enum AuditController {
    static func register(_ admin: RoutesBuilder) {
        admin.get("audit", use: page).rule(.resource(.accounts, .read))
    }

    static func page(req: Request) async throws -> Response {
        let centres = req.grants.filter { $0.role == .siteAdmin && $0.siteKind == .centre }.map(\.sitePath)
        guard !centres.isEmpty else { throw AppError.forbidden(Message("audit.centre_only")) }
        let lq = try ListQuery(req)
        let from = try req.queryDay("from") ?? ""
        let to = try req.queryDay("to") ?? ""
        var q = AuditRecord.query(on: req.db).join(Site.self, on: \AuditRecord.$siteID == \Site.$id).within(centres)
        if let pattern = lq.pattern {
            q = q.group(.or) { g in
                g.filter(\.$username ~~ pattern)
                g.filter(\.$action ~~ pattern)
                g.filter(\.$target ~~ pattern)
            }
        }
        for (raw, isStart) in [(from, true), (to, false)] where !raw.isEmpty {
            guard let day = ChinaTime.parse(raw, formats: ["yyyy-MM-dd"]) else { throw ValidationFailure(field: isStart ? "from" : "to", "error.date_format") }
            q = isStart ? q.filter(\.$at >= day) : q.filter(\.$at < day.addingTimeInterval(86_400))
        }
        let total = try await q.copy().count()
        let items = try await q.sort(\.$seq, .descending).range(lq.offset..<(lq.offset + ListQuery.pageSize)).all()
        var pager = lq.pager(total: total, path: "/admin/audit")
        let extra = "&from=\(from)&to=\(to)"
        pager.previous = pager.previous.map { $0 + extra }
        pager.next = pager.next.map { $0 + extra }
        let page = AuditPage(
            chrome: .make(req, title: req.t("admin.audit")), heading: req.t("admin.audit"), q: lq.q, from: from, to: to,
            columns: ["audit.at", "audit.who", "audit.action", "audit.target", "audit.detail", "audit.reason", "audit.address"].map { req.t($0) },
            rows: items.map { [DateText.minute($0.at), $0.username, $0.action, $0.target, $0.detail, $0.reason ?? "", $0.address] },
            pager: pager, empty: req.t("admin.empty"))
        return try await Pages.render(req, "admin/audit", page)
    }
}

/// `diandan audit verify`: walks the whole chain; exits non-zero at the first break.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
        init() {}
    }

    var help: String { "Audit trail: `diandan audit verify` checks that no entry was changed, removed or slipped in." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else { throw ConfigurationError("Unknown action \(signature.action); try `diandan audit verify`.") }
        let count = try await Self.verify(context.application)
        context.console.output("audit chain holds: \(count) entries checked, ending where its head says".consoleText())
    }

    /// The number of entries, or an error naming the first problem.
    static func verify(_ app: Application) async throws -> Int {
        let (count, problem) = try await AuditLog(db: app.db, signer: app.protector).verify()
        switch problem {
        case nil:
            return count
        case .altered(let seq)?:
            throw ConfigurationError("audit chain broken at entry \(seq): it was changed, or an entry before it was (\(count) entries hold before it)")
        case .gap(let after, let found)?:
            throw ConfigurationError("audit chain broken after entry \(after): the next is \(found) (entries removed or inserted)")
        case .truncated(let expected, let found)?:
            throw ConfigurationError("audit trail cut short: its head says \(expected) entries, \(found) are left (the newest were removed)")
        case .headMissing?:
            throw ConfigurationError("audit trail has no head: it was removed")
        case .headAltered?:
            throw ConfigurationError("audit trail's head does not carry our signature: it was rewritten (or DIANDAN_SECRET changed)")
        }
    }
}
