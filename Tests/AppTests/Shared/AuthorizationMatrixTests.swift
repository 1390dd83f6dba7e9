import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Every admin route × every role × a target in the role's scope (station S1) and one outside it
/// (the sibling station S2). The routes come from the app's route table: a new admin route without a
/// case here fails the test, so nothing ships unchecked.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    struct Target {
        var path: String
        var form: [(String, String)]? = nil
    }

    struct Case {
        var resource: Resource
        var access: Access
        /// The request aimed at S1's thing (in scope) or S2's (out of scope).
        var target: @Sendable (Fixture, Bool, Application) async throws -> Target
        /// For lists: text of S1's item and of S2's item.
        var markers: (@Sendable (Fixture) -> (mine: String, theirs: String))? = nil
        /// Targets that belong to no site (categories) are the same in and out of scope.
        var siteless = false
        /// Changed only by a centre's admins (integration keys), whatever else the role may write.
        var centreOnly = false
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n += 1; return n } }
    }

    static let counter = Counter()

    static func site(_ f: Fixture, _ inScope: Bool) -> Site { inScope ? f.s1 : f.s2 }

    /// A fresh integration at S1 or S2 (so each revoke has one to revoke).
    static func integration(_ f: Fixture, _ inScope: Bool, _ app: Application) async throws -> Integration {
        let s = site(f, inScope)
        let account = try await Account.insert(username: "open311-m\(counter.next())", passwordHash: "x", site: s, role: .practitioner, on: app.db)
        let i = Integration()
        i.createdAt = Date()
        i.name = (inScope ? "一号站" : "二号站") + "接入系统"
        i.$site.id = s.id!
        i.accountID = account.id!
        i.keyHash = "h\(counter.next())"
        i.keyHint = "abcd"
        try await i.create(on: app.db)
        return i
    }

    /// The needs survey of S1 or S2, made once.
    static func survey(_ f: Fixture, _ inScope: Bool, _ app: Application) async throws -> Survey {
        let title = inScope ? "一号站问卷" : "二号站问卷"
        if let s = try await Survey.query(on: app.db).filter(\.$title == title).first() { return s }
        let s = Survey()
        s.createdAt = Date()
        s.updatedAt = s.createdAt
        s.$site.id = site(f, inScope).id!
        s.title = title
        s.description = ""
        s.status = Survey.Status.open.rawValue
        s.questionsJSON = #"[{"id":1,"kind":"rating","prompt":"满意吗","required":true,"options":[]}]"#
        try await s.create(on: app.db)
        return s
    }

    /// A training at S1 or S2, made once.
    static func training(_ f: Fixture, _ inScope: Bool, _ app: Application) async throws -> Training {
        let title = inScope ? "一号站培训" : "二号站培训"
        if let t = try await Training.query(on: app.db).filter(\.$title == title).first() { return t }
        let t = Training()
        t.createdAt = Date()
        t.updatedAt = t.createdAt
        t.$site.id = site(f, inScope).id!
        t.title = title
        t.description = ""
        t.trainer = "李老师"
        t.startsAt = Date()
        t.hours = 2
        t.mode = .online
        t.address = ""
        t.radius = 200
        try await t.create(on: app.db)
        return t
    }

    static func trainingForm(_ f: Fixture, _ inScope: Bool) -> [(String, String)] {
        [("title", "培训\(counter.next())"), ("trainer", "李老师"), ("site_id", String(site(f, inScope).id!)), ("starts_at", "2026-12-01T09:00"),
         ("hours", "2"), ("mode", "online")]
    }

    static let cases: [String: Case] = [
        "GET admin": Case(resource: .sites, access: .read, target: { _, _, _ in Target(path: "/admin") }),
        // Sites
        "GET admin/sites": Case(resource: .sites, access: .read, target: { _, _, _ in Target(path: "/admin/sites") },
                                markers: { ($0.s1.name, $0.s2.name) }),
        "GET admin/sites/new": Case(resource: .sites, access: .write, target: { _, _, _ in Target(path: "/admin/sites/new") }),
        "POST admin/sites": Case(resource: .sites, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/sites", form: [("code", "P\(counter.next())"), ("name", "新实践点"), ("kind", "point"),
                                                ("parent_id", String(site(f, inScope).id!)), ("latitude", "25.9"), ("longitude", "116.1"),
                                                ("zone", "rural"), ("active", "on")])
        }),
        "GET admin/sites/:id": Case(resource: .sites, access: .read, target: { f, inScope, _ in Target(path: "/admin/sites/\(site(f, inScope).id!)") }),
        "POST admin/sites/:id": Case(resource: .sites, access: .write, target: { f, inScope, _ in
            let s = site(f, inScope)
            return Target(path: "/admin/sites/\(s.id!)", form: [("code", s.code), ("name", s.name), ("kind", "station"),
                                                               ("parent_id", String(f.instituteA.id!)), ("latitude", "25.88"),
                                                               ("longitude", "116.02"), ("zone", s.zone.rawValue), ("active", "on")])
        }),
        // Teams
        "GET admin/teams": Case(resource: .teams, access: .read, target: { _, _, _ in Target(path: "/admin/teams") },
                                markers: { ($0.teamS1.name, $0.teamS2.name) }),
        "GET admin/teams/new": Case(resource: .teams, access: .write, target: { _, _, _ in Target(path: "/admin/teams/new") }),
        "POST admin/teams": Case(resource: .teams, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/teams", form: [("name", "新服务队\(counter.next())"), ("site_id", String(site(f, inScope).id!)),
                                                ("category_ids[]", String(f.category.id!)), ("max_concurrent_orders", "2"), ("active", "on")])
        }),
        "GET admin/teams/:id": Case(resource: .teams, access: .read, target: { f, inScope, _ in
            Target(path: "/admin/teams/\((inScope ? f.teamS1 : f.teamS2).id!)")
        }),
        "POST admin/teams/:id": Case(resource: .teams, access: .write, target: { f, inScope, _ in
            let t = inScope ? f.teamS1 : f.teamS2
            return Target(path: "/admin/teams/\(t.id!)", form: [("name", t.name), ("site_id", String(site(f, inScope).id!)),
                                                                ("max_concurrent_orders", "3"), ("active", "on")])
        }),
        "POST admin/teams/:id/members": Case(resource: .teams, access: .write, target: { f, inScope, _ in
            let t = inScope ? f.teamS1 : f.teamS2, v = inScope ? f.volunteerS1 : f.volunteerS2
            return Target(path: "/admin/teams/\(t.id!)/members", form: [("volunteer_number", v.number), ("role", "member")])
        }),
        "POST admin/teams/:id/members/:member/delete": Case(resource: .teams, access: .write, target: { f, inScope, app in
            let t = inScope ? f.teamS1 : f.teamS2, v = inScope ? f.volunteerS1 : f.volunteerS2
            var membership = try await TeamMembership.query(on: app.db).filter(\.$team.$id == t.id!).filter(\.$volunteer.$id == v.id!).first()
            if membership == nil {
                let created = TeamMembership()
                created.$team.id = t.id!
                created.$volunteer.id = v.id!
                created.role = "member"
                try await created.create(on: app.db)
                membership = created
            }
            let m = membership!
            return Target(path: "/admin/teams/\(t.id!)/members/\(m.id!)/delete", form: [])
        }),
        // Volunteers
        "GET admin/volunteers": Case(resource: .volunteers, access: .read, target: { _, _, _ in Target(path: "/admin/volunteers") },
                                     markers: { ($0.volunteerS1.realName, $0.volunteerS2.realName) }),
        "GET admin/volunteers/:id": Case(resource: .volunteers, access: .read, target: { f, inScope, _ in
            Target(path: "/admin/volunteers/\((inScope ? f.volunteerS1 : f.volunteerS2).id!)")
        }),
        "POST admin/volunteers/:id": Case(resource: .volunteers, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/volunteers/\((inScope ? f.volunteerS1 : f.volunteerS2).id!)",
                   form: [("site_id", String(site(f, inScope).id!)), ("skills", "宣讲"), ("active", "on")])
        }),
        // 待审核志愿者: the list shows only what is in the admin's scope; confirming is scoped to the volunteer's site.
        "GET admin/volunteers/review": Case(resource: .volunteers, access: .write, target: { _, _, _ in Target(path: "/admin/volunteers/review") }, siteless: true),
        "POST admin/volunteers/:id/confirm": Case(resource: .volunteers, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/volunteers/\((inScope ? f.volunteerS1 : f.volunteerS2).id!)/confirm", form: [])
        }),
        // Categories: shared by the tree, changed by centre admins only.
        "GET admin/categories": Case(resource: .categories, access: .read, target: { _, _, _ in Target(path: "/admin/categories") }, siteless: true),
        "GET admin/categories/new": Case(resource: .categories, access: .write, target: { _, _, _ in Target(path: "/admin/categories/new") }, siteless: true),
        "POST admin/categories": Case(resource: .categories, access: .write, target: { _, _, _ in
            let n = counter.next()
            return Target(path: "/admin/categories", form: [("name", "新类别\(n)"), ("name_en", "New \(n)"), ("sort_order", "500"), ("active", "on")])
        }, siteless: true),
        "GET admin/categories/:id": Case(resource: .categories, access: .read, target: { f, _, _ in Target(path: "/admin/categories/\(f.category.id!)") }, siteless: true),
        "POST admin/categories/:id": Case(resource: .categories, access: .write, target: { f, _, _ in
            Target(path: "/admin/categories/\(f.category.id!)", form: [("name", f.category.name), ("name_en", f.category.nameEn), ("sort_order", "10"), ("active", "on")])
        }, siteless: true),
        // Menu
        "GET admin/menu": Case(resource: .menu, access: .read, target: { _, _, _ in Target(path: "/admin/menu") },
                               markers: { ($0.menuS1.title, $0.menuS2.title) }),
        "GET admin/menu/new": Case(resource: .menu, access: .write, target: { _, _, _ in Target(path: "/admin/menu/new") }),
        "POST admin/menu": Case(resource: .menu, access: .write, target: { f, inScope, _ in
            let s = site(f, inScope)
            return Target(path: "/admin/menu", form: [("site_id", String(s.id!)), ("category_id", String(f.category.id!)), ("title", "新服务\(counter.next())"),
                                                      ("site_ids[]", String(s.id!)), ("team_ids[]", String((inScope ? f.teamS1 : f.teamS2).id!)), ("active", "on")])
        }),
        "GET admin/menu/:id": Case(resource: .menu, access: .read, target: { f, inScope, _ in Target(path: "/admin/menu/\((inScope ? f.menuS1 : f.menuS2).id!)") }),
        "POST admin/menu/:id": Case(resource: .menu, access: .write, target: { f, inScope, _ in
            let m = inScope ? f.menuS1 : f.menuS2, s = site(f, inScope)
            return Target(path: "/admin/menu/\(m.id!)", form: [("site_id", String(s.id!)), ("category_id", String(f.category.id!)), ("title", m.title),
                                                              ("site_ids[]", String(s.id!)), ("active", "on")])
        }),
        // Perks
        "GET admin/perks": Case(resource: .perks, access: .read, target: { _, _, _ in Target(path: "/admin/perks") },
                                markers: { ($0.perkS1.title, $0.perkS2.title) }),
        "GET admin/perks/new": Case(resource: .perks, access: .write, target: { _, _, _ in Target(path: "/admin/perks/new") }),
        "POST admin/perks": Case(resource: .perks, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/perks", form: [("site_id", String(site(f, inScope).id!)), ("title", "礼遇\(counter.next())"), ("points_cost", "50"), ("active", "on")])
        }),
        "GET admin/perks/:id": Case(resource: .perks, access: .read, target: { f, inScope, _ in Target(path: "/admin/perks/\((inScope ? f.perkS1 : f.perkS2).id!)") }),
        "POST admin/perks/:id": Case(resource: .perks, access: .write, target: { f, inScope, _ in
            let p = inScope ? f.perkS1 : f.perkS2
            return Target(path: "/admin/perks/\(p.id!)", form: [("site_id", String(site(f, inScope).id!)), ("title", p.title), ("points_cost", "40"), ("active", "on")])
        }),
        // Projects
        "GET admin/projects": Case(resource: .projects, access: .read, target: { _, _, _ in Target(path: "/admin/projects") },
                                   markers: { ($0.projectS1.title, $0.projectS2.title) }),
        "GET admin/projects/new": Case(resource: .projects, access: .write, target: { _, _, _ in Target(path: "/admin/projects/new") }),
        "POST admin/projects": Case(resource: .projects, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/projects", form: [("title", "项目\(counter.next())"), ("team_id", String((inScope ? f.teamS1 : f.teamS2).id!)),
                                                   ("category_id", String(f.category.id!)), ("status", "active")])
        }),
        "GET admin/projects/:id": Case(resource: .projects, access: .read, target: { f, inScope, _ in Target(path: "/admin/projects/\((inScope ? f.projectS1 : f.projectS2).id!)") }),
        "POST admin/projects/:id": Case(resource: .projects, access: .write, target: { f, inScope, _ in
            let p = inScope ? f.projectS1 : f.projectS2
            return Target(path: "/admin/projects/\(p.id!)", form: [("title", p.title), ("team_id", String((inScope ? f.teamS1 : f.teamS2).id!)),
                                                                   ("category_id", String(f.category.id!)), ("status", "paused")])
        }),
        "POST admin/projects/:id/awards": Case(resource: .projects, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/projects/\((inScope ? f.projectS1 : f.projectS2).id!)/awards",
                   form: [("year", "2026"), ("amount", "5000"), ("approved_by", "瑞金市文明办")])
        }),
        // Needs surveys
        "GET admin/surveys": Case(resource: .surveys, access: .read, target: { f, _, app in
            _ = try await survey(f, true, app)
            _ = try await survey(f, false, app)
            return Target(path: "/admin/surveys")
        }, markers: { _ in ("一号站问卷", "二号站问卷") }),
        "GET admin/surveys/new": Case(resource: .surveys, access: .write, target: { _, _, _ in Target(path: "/admin/surveys/new") }),
        "POST admin/surveys": Case(resource: .surveys, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/surveys", form: [("site_id", String(site(f, inScope).id!)), ("title", "问卷\(counter.next())"), ("q1_kind", "single"),
                                                  ("q1_prompt", "最想要什么服务"), ("q1_source", "own"), ("q1_options", "文化\n医疗")])
        }),
        "GET admin/surveys/:id": Case(resource: .surveys, access: .read, target: { f, inScope, app in
            Target(path: "/admin/surveys/\(try await survey(f, inScope, app).id!)")
        }),
        "POST admin/surveys/:id/status": Case(resource: .surveys, access: .write, target: { f, inScope, app in
            Target(path: "/admin/surveys/\(try await survey(f, inScope, app).id!)/status", form: [("status", "open")])
        }),
        // Trainings
        "GET admin/trainings": Case(resource: .trainings, access: .read, target: { f, _, app in
            _ = try await training(f, true, app)
            _ = try await training(f, false, app)
            return Target(path: "/admin/trainings")
        }, markers: { _ in ("一号站培训", "二号站培训") }),
        "GET admin/trainings/new": Case(resource: .trainings, access: .write, target: { _, _, _ in Target(path: "/admin/trainings/new") }),
        "POST admin/trainings": Case(resource: .trainings, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/trainings", form: trainingForm(f, inScope))
        }),
        "GET admin/trainings/:id": Case(resource: .trainings, access: .read, target: { f, inScope, app in
            Target(path: "/admin/trainings/\(try await training(f, inScope, app).id!)")
        }),
        "POST admin/trainings/:id": Case(resource: .trainings, access: .write, target: { f, inScope, app in
            Target(path: "/admin/trainings/\(try await training(f, inScope, app).id!)", form: trainingForm(f, inScope))
        }),
        // Accounts and grants
        "GET admin/accounts": Case(resource: .accounts, access: .read, target: { _, _, _ in Target(path: "/admin/accounts") },
                                   markers: { ($0.accountS1.username, $0.accountS2.username) }),
        "GET admin/accounts/new": Case(resource: .accounts, access: .write, target: { _, _, _ in Target(path: "/admin/accounts/new") }),
        "POST admin/accounts": Case(resource: .accounts, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/accounts", form: [("username", "user\(counter.next())"), ("password", "Station2026x"), ("locale", "zh-CN"),
                                                   ("site_id", String(site(f, inScope).id!))])
        }),
        "GET admin/accounts/:id": Case(resource: .accounts, access: .read, target: { f, inScope, _ in
            Target(path: "/admin/accounts/\((inScope ? f.accountS1 : f.accountS2).id!)")
        }),
        "POST admin/accounts/:id": Case(resource: .accounts, access: .write, target: { f, inScope, _ in
            let a = inScope ? f.accountS1 : f.accountS2
            return Target(path: "/admin/accounts/\(a.id!)", form: [("username", a.username), ("locale", "zh-CN"), ("site_id", String(site(f, inScope).id!))])
        }),
        "GET admin/accounts/:id/sign-out": Case(resource: .accounts, access: .write, target: { f, inScope, app in
            Target(path: "/admin/accounts/\(try await bystander(app, inScope ? f.s1 : f.s2))/sign-out")
        }),
        // Aimed at an account nobody in the matrix signs in with: signing it out ends its sessions.
        "POST admin/accounts/:id/sign-out": Case(resource: .accounts, access: .write, target: { f, inScope, app in
            Target(path: "/admin/accounts/\(try await bystander(app, inScope ? f.s1 : f.s2))/sign-out", form: [])
        }),
        "POST admin/accounts/:id/grants": Case(resource: .accounts, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/accounts/\((inScope ? f.accountS1 : f.accountS2).id!)/grants",
                   form: [("role", "volunteer"), ("site_id", String(site(f, inScope).id!))])
        }),
        "POST admin/accounts/:id/grants/:grant/delete": Case(resource: .accounts, access: .write, target: { f, inScope, app in
            let a = inScope ? f.accountS1 : f.accountS2
            let g = RoleGrant()
            g.role = .practitioner
            g.$account.id = a.id!
            g.$site.id = site(f, inScope).id!
            try await RoleGrant.query(on: app.db).filter(\.$account.$id == a.id!).filter(\.$role == g.role).delete()
            try await g.create(on: app.db)
            return Target(path: "/admin/accounts/\(a.id!)/grants/\(g.id!)/delete", form: [])
        }),
        // The audit trail: a centre's admins only.
        "GET admin/audit": Case(resource: .accounts, access: .read, target: { _, _, _ in Target(path: "/admin/audit") }, siteless: true, centreOnly: true),
        // Integration keys: seen by account admins in scope, issued and revoked by a centre's admins only.
        "GET admin/integrations": Case(resource: .accounts, access: .read, target: { f, _, app in
            if try await Integration.query(on: app.db).count() == 0 {
                _ = try await integration(f, true, app)
                _ = try await integration(f, false, app)
            }
            return Target(path: "/admin/integrations")
        }, markers: { _ in ("一号站接入系统", "二号站接入系统") }),
        "GET admin/integrations/new": Case(resource: .accounts, access: .write, target: { _, _, _ in Target(path: "/admin/integrations/new") }),
        "POST admin/integrations": Case(resource: .accounts, access: .write, target: { f, inScope, _ in
            Target(path: "/admin/integrations", form: [("name", "热线\(counter.next())"), ("site_id", String(site(f, inScope).id!))])
        }, centreOnly: true),
        "GET admin/integrations/:id": Case(resource: .accounts, access: .read, target: { f, inScope, app in
            Target(path: "/admin/integrations/\(try await integration(f, inScope, app).id!)")
        }),
        "POST admin/integrations/:id": Case(resource: .accounts, access: .write, target: { f, inScope, app in
            Target(path: "/admin/integrations/\(try await integration(f, inScope, app).id!)", form: [("name", "改名\(counter.next())")])
        }, centreOnly: true),
        "POST admin/integrations/:id/revoke": Case(resource: .accounts, access: .write, target: { f, inScope, app in
            Target(path: "/admin/integrations/\(try await integration(f, inScope, app).id!)/revoke", form: [("confirmed", "1")])
        }, centreOnly: true),
    ]

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) \(route.path.map(\.description).joined(separator: "/"))"
    }

    @Test func everyAdminRouteIsCoveredForEveryRoleInAndOutOfScope() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let adminRoutes = app.routes.all.filter { $0.path.first?.description == "admin" }
            let keys = adminRoutes.map(Self.key)
            #expect(Set(keys).subtracting(Self.cases.keys).sorted() == [], "admin routes without a matrix case")
            #expect(Set(Self.cases.keys).subtracting(keys).sorted() == [], "matrix cases for routes that do not exist")
            var checked = 0

            // Who is asking: each role granted at S1, a centre admin, and nobody.
            var clients: [String: WebClient] = [:]
            for role in Role.allCases {
                var web = WebClient(app)
                #expect(try await web.login(Fixture.user(role)).status == .seeOther)
                clients[role.rawValue] = web
            }
            var centre = WebClient(app)
            try await centre.login(Fixture.centreAdmin)
            clients["centre"] = centre
            clients["anonymous"] = WebClient(app)

            for route in adminRoutes.sorted(by: { Self.key($0) < Self.key($1) }) {
                let key = Self.key(route)
                guard let c = Self.cases[key] else { continue }
                // The route's declared rule must agree with the case.
                #expect(route.rule == .resource(c.resource, c.access), "\(key) has rule \(String(describing: route.rule))")
                for who in clients.keys.sorted() {
                    for inScope in [true, false] {
                        var web = clients[who]!
                        let target = try await c.target(f, inScope, app)
                        let response: TestingHTTPResponse
                        if let form = target.form {
                            response = try await web.submit(target.path, form)
                        } else {
                            response = try await web.send(.GET, target.path)
                        }
                        clients[who] = web
                        checked += 1
                        let label = "\(key) as \(who), \(inScope ? "in" : "out of") scope"

                        if who == "anonymous" {
                            #expect(response.status == .seeOther && response.headers.first(name: .location)?.hasPrefix("/login") == true, "\(label): \(response.status)")
                            continue
                        }
                        let grants: [Grant] = who == "centre"
                            ? [Grant(role: .siteAdmin, siteID: f.centre.id!, sitePath: f.centre.sitePath, siteKind: .centre)]
                            : [Grant(role: Role(rawValue: who)!, siteID: f.s1.id!, sitePath: f.s1.sitePath, siteKind: .station)]
                        let mayAtAll = !Policy.grants(grants, allowing: c.resource, c.access).isEmpty
                        let targetSite = c.siteless ? nil : (inScope ? f.s1 : f.s2).sitePath
                        let isList = c.markers != nil || target.path == "/admin" || target.path.hasSuffix("/new") || (target.form == nil && c.siteless)
                        let allowed = isList || target.path.hasSuffix("/new") ? mayAtAll : Policy.allows(grants, c.resource, c.access, at: targetSite)
                        // Creating something at S2 is out of scope as well.
                        let expectAllowed = allowed && (target.form == nil || c.siteless || inScope || who == "centre")
                            && (!c.centreOnly || who == "centre")
                        if expectAllowed {
                            let ok: HTTPStatus = target.form == nil ? .ok : .seeOther
                            #expect(response.status == ok, "\(label): \(response.status) \(response.text.prefix(300))")
                            if let markers = c.markers?(f) {
                                #expect(response.text.contains(markers.mine), "\(label): own item missing")
                                #expect(response.text.contains(markers.theirs) == (who == "centre"), "\(label): scope leak")
                            }
                        } else {
                            #expect(response.status == .forbidden, "\(label): \(response.status) \(response.text.prefix(300))")
                        }
                    }
                }
            }
            #expect(checked == Self.cases.count * clients.count * 2)
        }
    }
}

/// An account of the site that no client of the matrix uses, made on first use.
private func bystander(_ app: Application, _ site: Site) async throws -> Int {
    let name = "bystander-\(site.code.lowercased())"
    if let a = try await Account.query(on: app.db).filter(\.$username == name).first() { return a.id! }
    return try await Account.insert(username: name, passwordHash: try Bcrypt.hash(Fixture.password, cost: 4), site: site, role: .resident, on: app.db).id!
}
