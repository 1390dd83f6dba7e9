import Vapor
import Fluent
import DiandanCore
import SQLKit

enum MenuSection: AdminSection {
    static let section = "menu"
    static let resource = Resource.menu
    static let headingKey = "admin.menu"
    static let columnKeys = ["menu.title", "menu.category", "menu.site", "menu.auto_accept", "common.active", "menu.rating"]
    static let prefill = ["site_id", "site_ids", "category_id", "title", "description"]

    static func load(_ id: Int, on db: Database) async throws -> MenuItem? {
        try await MenuItem.query(on: db).filter(\.$id == id).with(\.$site).with(\.$category).with(\.$teams).with(\.$sites).first()
    }

    static func sitePath(of item: MenuItem) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<MenuItem> {
        var q = MenuItem.query(on: req.db).join(Site.self, on: \MenuItem.$site.$id == \Site.$id).within(scopes)
            .with(\.$site).with(\.$category).sort(\.$id, .descending)
        if let pattern { q = q.filter(\.$title ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ m: MenuItem) -> [String] {
        [m.title, m.category.displayName(req.locale), m.site.name, req.t(m.autoAccept ? "common.yes" : "common.no"), req.t(m.active ? "common.yes" : "common.no")]
    }

    /// Each item's recent mean rating, flagged when residents do not "buy" it.
    static func rows(_ req: Request, _ items: [MenuItem]) async throws -> [[String]] {
        let review = req.application.settings.menuReview
        let ids = items.compactMap(\.id)
        var stats: [Int: (Double, Int)] = [:]
        if !ids.isEmpty, let sql = req.db as? SQLDatabase {
            struct Row: Decodable { let menu_item_id: Int; let mean: Double; let n: Int }
            let since = req.now.addingTimeInterval(-Double(review.windowDays) * 86_400)
            let rows = try await sql.select().column("menu_item_id").column(SQLFunction("AVG", args: SQLRaw("CAST(rating AS DOUBLE PRECISION)")), as: "mean")
                .column(SQLFunction("COUNT", args: SQLColumn("rating")), as: "n")
                .from(Order.schema).where("menu_item_id", .in, ids).where("rating", .isNot, SQLLiteral.null).where("created_at", .greaterThanOrEqual, since)
                .groupBy("menu_item_id").all(decoding: Row.self)
            for r in rows { stats[r.menu_item_id] = (r.mean, r.n) }
        }
        return items.map { m in
            var cells = row(req, m)
            if let (mean, n) = stats[m.id!] {
                let text = String(format: "%.1f", mean) + req.t("menu.rating_count", ["n": String(n)])
                cells.append(review.needsReview(mean: mean, count: n) ? text + " · " + req.t("menu.needs_review") : text)
            } else {
                cells.append("—")
            }
            return cells
        }
    }

    static func values(_ req: Request, of m: MenuItem?) -> [String: [String]] {
        guard let m else { return ["active": ["on"]] }
        return ["site_id": [String(m.$site.id)], "category_id": [String(m.$category.id)], "title": [m.title], "description": [m.description],
                "team_ids[]": m.teams.compactMap { $0.id.map(String.init) }, "site_ids[]": m.sites.compactMap { $0.id.map(String.init) },
                "auto_accept": [m.autoAccept ? "on" : ""], "active": [m.active ? "on" : ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: MenuItem?) async throws -> [FormField] {
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        let scopes = Policy.scopes(req.grants, .menu, .write)
        // Teams inside the admin's subtrees, and teams of the sites above them (they serve down the tree).
        let ancestorIDs = Set(scopes.flatMap(\.ids))
        let teams = try await Team.query(on: req.db).join(Site.self, on: \Team.$site.$id == \Site.$id)
            .group(.or) { g in
                for s in scopes { g.filter(Site.self, \Site.$path =~ s.rawValue) }
                g.filter(\Team.$site.$id ~~ Array(ancestorIDs))
            }
            .with(\.$site).sort(Site.self, \.$path).range(0..<2000).all()
        return [
            form.select("site_id", "menu.site", try await SiteChoices.options(req, .menu, .write)),
            form.select("category_id", "menu.category", categories.compactMap { c in c.id.map { (String($0), c.displayName(req.locale)) } }),
            form.text("title", "menu.title"),
            form.text("description", "menu.description", kind: .textarea, required: false),
            form.multiselect("team_ids", "menu.teams", teams.compactMap { t in t.id.map { (String($0), "\(t.name)（\(t.site.name)）") } }),
            form.multiselect("site_ids", "menu.sites", try await SiteChoices.options(req, .menu, .write)),
            form.checkbox("auto_accept", "menu.auto_accept"),
            form.checkbox("active", "common.active"),
        ]
    }

    static func save(_ req: Request, _ item: MenuItem?) async throws -> MenuItem {
        var r = try await req.adminReader()
        let input = MenuItemInput.read(&r)
        try r.check()
        let service = MenuService.make(req)
        if let item {
            try await service.update(item, input!)
            return item
        }
        return try await service.create(input!)
    }
}
