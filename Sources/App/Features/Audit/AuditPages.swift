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
enum AuditPages {
    static func register(_ admin: RoutesBuilder) {
        admin.get("audit", use: page).rule(.resource(.accounts, .read))
    }

    static func page(req: Request) async throws -> Response {
        let centres = Policy.centresAdministered(req.grants)
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
        var pager = lq.pager(total: total, path: Paths.adminAudit)
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
