import Vapor
import Fluent
import DiandanCore

enum TeamSection: AdminSection {
    static let section = "teams"
    static let resource = Resource.teams
    static let headingKey = "admin.teams"
    static let columnKeys = ["team.name", "team.site", "team.professional", "team.max_concurrent_orders", "common.active"]

    static func load(_ id: Int, on db: Database) async throws -> Team? {
        try await Team.query(on: db).filter(\.$id == id).with(\.$site).with(\.$categories).first()
    }

    static func sitePath(of item: Team) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Team> {
        var q = Team.query(on: req.db).join(Site.self, on: \Team.$site.$id == \Site.$id).within(scopes).with(\.$site)
            .sort(Site.self, \.$path).sort(\.$name)
        if let pattern { q = q.filter(\.$name ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ t: Team) -> [String] {
        [t.name, t.site.name, req.t(t.professional ? "common.yes" : "common.no"), String(t.maxConcurrentOrders), req.t(t.active ? "common.yes" : "common.no")]
    }

    static func values(_ req: Request, of t: Team?) -> [String: [String]] {
        guard let t else { return ["max_concurrent_orders": ["3"], "active": ["on"]] }
        return ["name": [t.name], "site_id": [String(t.$site.id)], "category_ids[]": t.categories.compactMap { $0.id.map(String.init) },
                "professional": [t.professional ? "on" : ""], "max_concurrent_orders": [String(t.maxConcurrentOrders)], "active": [t.active ? "on" : ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Team?) async throws -> [FormField] {
        let categories = try await Category.query(on: req.db).sort(\.$sortOrder).all()
        return [
            form.text("name", "team.name"),
            form.select("site_id", "team.site", try await SiteChoices.options(req, .teams, .write)),
            form.multiselect("category_ids", "team.categories", categories.compactMap { c in c.id.map { (String($0), c.displayName(req.locale)) } }),
            form.checkbox("professional", "team.professional"),
            form.text("max_concurrent_orders", "team.max_concurrent_orders", kind: .number),
            form.checkbox("active", "common.active"),
        ]
    }

    static func save(_ req: Request, _ item: Team?) async throws -> Team {
        var r = try await req.adminReader()
        let input = TeamInput.read(&r)
        try r.check()
        let service = TeamService.make(req)
        if let item {
            try await service.update(item, input!)
            return item
        }
        return try await service.create(input!)
    }

    static func sections(_ req: Request, _ team: Team, canWrite: Bool) async throws -> [FormPage.Section] {
        let id = try team.requireID()
        let members = try await TeamMembership.query(on: req.db).filter(\.$team.$id == id).with(\.$volunteer).sort(\.$role).all()
        let form = FormBuilder(req)
        return [FormPage.Section(
            heading: req.t("team.members"),
            rows: try members.map { m in
                .init(cells: [m.volunteer.number, m.volunteer.realName, req.t("member.role.\(m.role)")],
                      removeAction: canWrite ? Paths.adminTeamMemberDelete(id, try m.requireID()) : nil)
            },
            form: canWrite ? .init(action: Paths.adminTeamMembers(id), fields: [
                form.text("volunteer_number", "member.volunteer_number"),
                form.select("role", "member.role", MemberRole.allCases.map { ($0.rawValue, req.t("member.role.\($0.rawValue)")) }),
            ], submit: req.t("member.add")) : nil
        )]
    }

    static func registerExtras(_ admin: RoutesBuilder) {
        admin.post("teams", ":id", "members", use: addMember).rule(.resource(.teams, .write))
        admin.post("teams", ":id", "members", ":member", "delete", use: removeMember).rule(.resource(.teams, .write))
    }

    static func addMember(req: Request) async throws -> Response {
        let team = try await AdminRoutes<TeamSection>.find(req)
        try req.authorize(.teams, .write, at: team.site.sitePath)
        var r = try await req.adminReader()
        let input = MembershipInput.read(&r)
        do {
            try r.check()
            try await TeamService.make(req).addMember(team, input!)
        } catch let failure as ValidationFailure {
            throw AppError.validation(failure)
        }
        return req.redirect(to: Paths.adminItem(section, try team.requireID()))
    }

    static func removeMember(req: Request) async throws -> Response {
        let team = try await AdminRoutes<TeamSection>.find(req)
        try req.authorize(.teams, .write, at: team.site.sitePath)
        guard let mid = (try? req.pathInt("member")) else { throw AppError.notFound }
        try await TeamService.make(req).removeMember(mid, from: team)
        return req.redirect(to: Paths.adminItem(section, try team.requireID()))
    }
}
