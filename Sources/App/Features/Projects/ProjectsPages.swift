import Vapor
import Fluent
import SQLKit
import DiandanCore

/// What a project has done: activities, hours, people served, and the mean rating of the orders its
/// activities answered. One query.
struct ProjectTotals: Content, Equatable {
    var activities: Int
    var hours: Double
    var people_served: Int
    var mean_rating: Double?

    static func of(_ projectID: Int, on db: Database) async throws -> ProjectTotals {
        guard let sql = db as? SQLDatabase else { return ProjectTotals(activities: 0, hours: 0, people_served: 0, mean_rating: nil) }
        struct Row: Decodable { let activities: Int, hours: Double?, people: Int?, mean: Double? }
        let row = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM activities a WHERE a.project_id = \(bind: projectID) AND a.status = \(bind: ActivityStatus.published.rawValue)) AS activities,
                   (SELECT SUM(r.hours) FROM service_records r JOIN activities a ON a.id = r.activity_id WHERE a.project_id = \(bind: projectID)) AS hours,
                   (SELECT CAST(SUM(a.people_served) AS BIGINT) FROM activities a WHERE a.project_id = \(bind: projectID)) AS people,
                   (SELECT AVG(CAST(o.rating AS DOUBLE PRECISION)) FROM orders o JOIN activities a ON a.order_id = o.id
                     WHERE a.project_id = \(bind: projectID) AND o.rating IS NOT NULL) AS mean
            """).first(decoding: Row.self)
        return ProjectTotals(activities: row?.activities ?? 0, hours: row?.hours ?? 0, people_served: row?.people ?? 0,
                             mean_rating: row?.mean.map { ($0 * 100).rounded() / 100 })
    }
}

/// The project library in the admin pages, with each project's yearly support awards.
enum ProjectSection: AdminSection {
    static let section = "projects"
    static let resource = Resource.projects
    static let headingKey = "admin.projects"
    static let columnKeys = ["project.title", "project.team", "project.site", "project.status"]
    static let prefill = ["category_id", "title", "description"]

    static func load(_ id: Int, on db: Database) async throws -> Project? {
        try await Project.query(on: db).filter(\.$id == id).with(\.$site).with(\.$team).first()
    }

    static func sitePath(of item: Project) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Project> {
        var q = Project.query(on: req.db).join(Site.self, on: \Project.$site.$id == \Site.$id).within(scopes).with(\.$site).with(\.$team)
            .sort(Site.self, \.$path).sort(\.$title)
        if let pattern { q = q.filter(\.$title ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ p: Project) -> [String] {
        [p.title, p.team.name, p.site.name, req.t("project.status.\(p.status)")]
    }

    static func values(_ req: Request, of p: Project?) -> [String: [String]] {
        guard let p else { return ["status": [ProjectStatus.active.rawValue]] }
        return ["title": [p.title], "description": [p.description], "category_id": [String(p.$category.id)], "team_id": [String(p.$team.id)],
                "target_group": [p.targetGroup], "status": [p.status]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Project?) async throws -> [FormField] {
        // Auditors see the form read-only: the teams they may see.
        let grants = try req.requirePrincipal().grants
        let writable = Policy.scopes(grants, .projects, .write)
        let scopes = writable.isEmpty ? Policy.scopes(grants, .projects, .read) : writable
        let teams = try await Team.query(on: req.db).join(Site.self, on: \Team.$site.$id == \Site.$id).within(scopes)
            .sort(Site.self, \.$path).sort(\.$name).range(0..<2000).all()
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        return [form.text("title", "project.title"),
                form.select("team_id", "project.team", teams.compactMap { t in t.id.map { (String($0), t.name) } }),
                form.select("category_id", "project.category", categories.compactMap { c in c.id.map { (String($0), c.displayName(req.locale)) } }),
                form.text("target_group", "project.target_group", required: false),
                form.select("status", "project.status", ProjectStatus.allCases.map { ($0.rawValue, req.t("project.status.\($0.rawValue)")) }),
                form.text("description", "project.description", kind: .textarea, required: false)]
    }

    static func save(_ req: Request, _ item: Project?) async throws -> Project {
        var r = try await req.adminReader()
        let input = ProjectInput.read(&r)
        try r.check()
        guard let team = try await Team.query(on: req.db).filter(\.$id == input!.teamID).with(\.$site).first() else {
            throw ValidationFailure(field: "team_id", "error.not_found_choice")
        }
        try req.authorize(.projects, .write, at: team.site.sitePath)
        return try await ProjectService.make(req).save(input!, of: team, into: item)
    }

    static func sections(_ req: Request, _ p: Project, canWrite: Bool) async throws -> [FormPage.Section] {
        let id = try p.requireID()
        let awards = try await ProjectAward.query(on: req.db).filter(\.$project.$id == id).sort(\.$year, .descending).all()
        let form = FormBuilder(req, values: ["year": [String(Calendar.chinaStandard.component(.year, from: req.now))]])
        return [FormPage.Section(
            heading: req.t("project.awards"),
            rows: awards.map { a in .init(cells: [String(a.year), String(format: "%.2f", a.amount), a.approvedBy, a.note], removeAction: nil) },
            form: canWrite ? .init(action: Paths.adminProjectAwards(id), fields: [
                form.text("year", "project.award_year", kind: .number),
                form.text("amount", "project.award_amount", kind: .number, step: "0.01"),
                form.text("approved_by", "project.award_approved_by"),
                form.text("note", "project.award_note", required: false),
            ], submit: req.t("project.add_award")) : nil
        )]
    }

    static func registerExtras(_ admin: RoutesBuilder) {
        admin.post("projects", ":id", "awards", use: addAward).rule(.resource(.projects, .write))
    }

    static func addAward(req: Request) async throws -> Response {
        let p = try await AdminRoutes<ProjectSection>.find(req)
        try req.authorize(.projects, .write, at: p.site.sitePath)
        var r = try await req.adminReader()
        let input = AwardInput.read(&r)
        do { try r.check() } catch { throw AppError.validation(error) }
        try await ProjectService.make(req).addAward(input!, to: p, by: try req.requirePrincipal().accountID)
        return req.redirect(to: Paths.adminItem(section, try p.requireID()))
    }
}

struct ProjectDTO: Content {
    struct Award: Content { var year: Int; var amount: Double; var approved_by: String; var note: String }
    var id: Int
    var title: String
    var description: String
    var category_id: Int
    var team_id: Int
    var site_id: Int
    var target_group: String
    var status: String
    var totals: ProjectTotals?
    var awards: [Award]?
}

struct ProjectListPage: Encodable {
    struct Row: Encodable { var link: String; var title: String; var team: String; var status: String }
    var chrome: Chrome
    var rows: [Row]
}

struct ProjectShowPage: Encodable {
    struct Fact: Encodable { var label: String; var value: String }
    struct Award: Encodable { var year: Int; var amount: String; var approvedBy: String }
    struct Item: Encodable { var link: String; var title: String; var when: String }
    var chrome: Chrome
    var title: String
    var description: String
    var facts: [Fact]
    var totals: [Fact]
    var awards: [Award]
    var activities: [Item]
    var newActivity: String?
}

/// The public project library.
enum ProjectsPages {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("projects", use: listPage).rule(.open)
        web.get("projects", ":id", use: showPage).rule(.open)
        api.get("projects", use: list).rule(.open)
        api.get("projects", ":id", use: one).rule(.open)
    }

    static func query(_ req: Request) async throws -> [Project] {
        var q = Project.query(on: req.db).with(\.$team)
        if let s = try await req.querySite() {
            q = q.join(Site.self, on: \Project.$site.$id == \Site.$id).filter(Site.self, \.$path =~ s.path)
        }
        if let c = try req.queryID("category") {
            guard try await Category.find(c, on: req.db) != nil else { throw ValidationFailure(field: "category", "error.not_found_choice") }
            q = q.filter(\.$category.$id == c)
        }
        return try await q.sort(\.$title).range(0..<500).all()
    }

    static func find(_ req: Request) async throws -> Project {
        guard let id = (try? req.pathInt("id")), let p = try await ProjectSection.load(id, on: req.db) else { throw AppError.notFound }
        return p
    }

    static func dto(_ p: Project, full: Bool, on db: Database) async throws -> ProjectDTO {
        let id = try p.requireID()
        var d = ProjectDTO(id: id, title: p.title, description: p.description, category_id: p.$category.id, team_id: p.$team.id, site_id: p.$site.id,
                           target_group: p.targetGroup, status: p.status)
        if full {
            d.totals = try await ProjectTotals.of(id, on: db)
            d.awards = try await ProjectAward.query(on: db).filter(\.$project.$id == id).sort(\.$year, .descending).all()
                .map { .init(year: $0.year, amount: $0.amount, approved_by: $0.approvedBy, note: $0.note) }
        }
        return d
    }

    /// Its team's leaders and the admins over its site may start an activity of the project.
    static func canOrganise(_ req: Request, _ p: Project) async throws -> Bool {
        guard let principal = req.principal else { return false }
        if Policy.allows(principal.grants, .activities, .write, at: p.site.sitePath) { return true }
        return try await principal.ledTeams(on: req.db).contains(p.$team.id)
    }

    static func list(req: Request) async throws -> [ProjectDTO] {
        var out: [ProjectDTO] = []
        for p in try await query(req) { out.append(try await dto(p, full: false, on: req.db)) }
        return out
    }

    static func one(req: Request) async throws -> ProjectDTO { try await dto(try await find(req), full: true, on: req.db) }

    static func listPage(req: Request) async throws -> Response {
        let rows = try await query(req).map { p in
            ProjectListPage.Row(link: Paths.project(try p.requireID()), title: p.title, team: p.team.name, status: req.t("project.status.\(p.status)"))
        }
        return try await Pages.render(req, "projects/list", ProjectListPage(chrome: .make(req, title: req.t("project.library")), rows: rows))
    }

    static func showPage(req: Request) async throws -> Response {
        let p = try await find(req)
        let id = try p.requireID()
        let t = try await ProjectTotals.of(id, on: req.db)
        let awards = try await ProjectAward.query(on: req.db).filter(\.$project.$id == id).sort(\.$year, .descending).all()
        let activities = try await Activity.query(on: req.db).filter(\.$projectID == id).filter(\.$status == ActivityStatus.published)
            .sort(\.$startsAt, .descending).range(0..<100).all()
        let category = try await p.$category.get(on: req.db)
        let page = ProjectShowPage(
            chrome: .make(req, title: p.title), title: p.title, description: p.description,
            facts: [.init(label: req.t("project.team"), value: p.team.name), .init(label: req.t("project.site"), value: p.site.name),
                    .init(label: req.t("project.category"), value: category.displayName(req.locale)),
                    .init(label: req.t("project.target_group"), value: p.targetGroup), .init(label: req.t("project.status"), value: req.t("project.status.\(p.status)"))],
            totals: [.init(label: req.t("project.total_activities"), value: String(t.activities)),
                     .init(label: req.t("project.total_hours"), value: OrdersPages.hours(t.hours)),
                     .init(label: req.t("project.total_people"), value: String(t.people_served)),
                     .init(label: req.t("project.mean_rating"), value: t.mean_rating.map { String(format: "%.1f", $0) } ?? "—")],
            awards: awards.map { .init(year: $0.year, amount: String(format: "%.2f", $0.amount), approvedBy: $0.approvedBy) },
            activities: try activities.map { .init(link: Paths.activity(try $0.requireID()), title: $0.title, when: DateText.minute($0.startsAt)) },
            newActivity: try await canOrganise(req, p) ? Paths.newActivity(project: id) : nil)
        return try await Pages.render(req, "projects/show", page)
    }
}
