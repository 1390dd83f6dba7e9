import Vapor
import Fluent
import DiandanCore

enum SiteSection: AdminSection {
    static let section = "sites"
    static let resource = Resource.sites
    static let headingKey = "admin.sites"
    static let columnKeys = ["site.code", "site.name", "site.kind", "site.zone", "common.active"]

    static func load(_ id: Int, on db: Database) async throws -> Site? { try await Site.find(id, on: db) }
    static func sitePath(of item: Site) -> SitePath? { item.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Site> {
        var q = Site.query(on: req.db).within(scopes).sort(\.$path)
        if let pattern { q = q.group(.or) { $0.filter(\.$name ~~ pattern).filter(\.$code ~~ pattern) } }
        return q
    }

    static func row(_ req: Request, _ s: Site) -> [String] {
        [s.code, HomeRoutes.indent(s) + s.name, req.t("site.kind.\(s.kind)"), req.t("site.zone.\(s.zone)"), req.t(s.active ? "common.yes" : "common.no")]
    }

    static func values(_ req: Request, of s: Site?) -> [String: [String]] {
        guard let s else { return ["kind": ["station"], "zone": ["rural"], "active": ["on"]] }
        return ["code": [s.code], "name": [s.name], "kind": [s.kind.rawValue], "parent_id": [s.$parent.id.map(String.init) ?? ""],
                "latitude": [String(s.latitude)], "longitude": [String(s.longitude)], "zone": [s.zone.rawValue], "active": [s.active ? "on" : ""],
                "response_minutes": [s.responseMinutes.map(String.init) ?? ""], "phone": [s.phone ?? ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Site?) async throws -> [FormField] {
        var parents = try await SiteChoices.options(req, .sites, .write, kinds: SiteKind.allCases.filter { !$0.allowedChildren.isEmpty })
        if let id = editing?.id { parents.removeAll { $0.0 == String(id) } }
        return [
            form.text("code", "site.code", hint: "site.code_hint"),
            form.text("name", "site.name"),
            form.select("kind", "site.kind", SiteKind.allCases.map { ($0.rawValue, req.t("site.kind.\($0.rawValue)")) }),
            form.select("parent_id", "site.parent", [("", req.t("common.none"))] + parents, required: false),
            form.text("latitude", "site.latitude", kind: .number, step: "any"),
            form.text("longitude", "site.longitude", kind: .number, step: "any"),
            form.select("zone", "site.zone", Zone.allCases.map { ($0.rawValue, req.t("site.zone.\($0.rawValue)")) }),
            form.text("response_minutes", "site.response_minutes", kind: .number, required: false, hint: "site.response_minutes_hint"),
            form.text("phone", "site.phone", kind: .tel, required: false, hint: "site.phone_hint"),
            form.checkbox("active", "common.active"),
        ]
    }

    static func save(_ req: Request, _ item: Site?) async throws -> Site {
        var r = try await req.adminReader()
        let input = SiteInput.read(&r)
        try r.check()
        let service = SiteService.make(req)
        if let item {
            try await service.update(item, input!)
            return item
        }
        return try await service.create(input!)
    }
}
