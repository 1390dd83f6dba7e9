import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Admin pages")
struct AdminTests {
    @Test func anAdminCreatesATeamAndBadInputChangesNothing() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let before = try await Team.query(on: app.db).count()
            let bad = try await web.submit("/admin/teams", [("name", ""), ("site_id", String(f.s1.id!)), ("max_concurrent_orders", "0")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("此项必填。"))
            #expect(bad.text.contains("应在1到1000之间。"))
            #expect(try await Team.query(on: app.db).count() == before)
            let ok = try await web.submit("/admin/teams", [("name", "一号站文艺队"), ("site_id", String(f.s1.id!)), ("category_ids[]", String(f.category.id!)),
                                                           ("professional", "on"), ("max_concurrent_orders", "4"), ("active", "on")])
            #expect(ok.status == .seeOther)
            let team = try #require(try await Team.query(on: app.db).filter(\.$name == "一号站文艺队").with(\.$categories).first())
            #expect(team.professional && team.maxConcurrentOrders == 4 && team.categories.map(\.id) == [f.category.id])
            #expect(ok.headers.first(name: .location) == "/admin/teams/\(team.id!)")
            let page = try await web.send(.GET, "/admin/teams/\(team.id!)").text
            #expect(page.contains("value=\"一号站文艺队\""))
        }
    }

    @Test func formMessagesFollowTheLanguage() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            // The account's language is Chinese; the explicit switch wins.
            #expect(try await web.submit("/admin/sites", [("code", "x y")]).text.contains("编码只能包含字母、数字和连字符。"))
            try await web.send(.GET, "/lang/en?next=/admin")
            let bad = try await web.submit("/admin/sites", [("code", "x y"), ("name", "点"), ("kind", "point"), ("parent_id", String(f.s1.id!)),
                                                            ("latitude", "north"), ("longitude", "116"), ("zone", "urban")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Codes may contain only letters, digits and hyphens."))
            #expect(bad.text.contains("Enter a number."))
            #expect(bad.text.contains("Please correct the marked fields."))
        }
    }

    @Test func movingASiteMovesItsSubtreeAndCyclesAreRefused() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)
            // Move institute A (with S1 and S2) under institute B is not allowed by kind...
            let wrongKind = try await web.submit("/admin/sites/\(f.instituteA.id!)", [("code", "IA"), ("name", "甲镇实践所"), ("kind", "institute"),
                                                                                     ("parent_id", String(f.s3.id!)), ("latitude", "25.9"), ("longitude", "116"), ("zone", "rural"), ("active", "on")])
            #expect(wrongKind.status == .unprocessableEntity)
            // ...nor under its own station.
            let cycle = try await web.submit("/admin/sites/\(f.instituteA.id!)", [("code", "IA"), ("name", "甲镇实践所"), ("kind", "institute"),
                                                                                 ("parent_id", String(f.s1.id!)), ("latitude", "25.9"), ("longitude", "116"), ("zone", "rural"), ("active", "on")])
            #expect(cycle.status == .unprocessableEntity)
            // Station S2 moves to institute B: its path follows.
            let move = try await web.submit("/admin/sites/\(f.s2.id!)", [("code", "S2"), ("name", "二号实践站"), ("kind", "station"),
                                                                        ("parent_id", String(f.instituteB.id!)), ("latitude", "25.9"), ("longitude", "116"), ("zone", "rural"), ("active", "on")])
            #expect(move.status == .seeOther)
            let s2 = try await Site.find(f.s2.id!, on: app.db)!
            #expect(s2.path == f.instituteB.sitePath.child(s2.id!).rawValue)
            // A point below S2 moves with it.
            let point = try await SiteService(db: app.db, grants: [Grant(role: .siteAdmin, siteID: f.centre.id!, sitePath: f.centre.sitePath, siteKind: .centre)])
                .create(SiteInput(code: "PT1", name: "小点", kind: .point, parentID: s2.id!, latitude: 25.9, longitude: 116, zone: .rural, active: true))
            _ = try await web.submit("/admin/sites/\(f.s2.id!)", [("code", "S2"), ("name", "二号实践站"), ("kind", "station"),
                                                                 ("parent_id", String(f.instituteA.id!)), ("latitude", "25.9"), ("longitude", "116"), ("zone", "rural"), ("active", "on")])
            let moved = try await Site.find(point.id!, on: app.db)!
            #expect(moved.path == f.instituteA.sitePath.child(f.s2.id!).child(point.id!).rawValue)
            // A duplicate code is a clear conflict.
            let dup = try await web.submit("/admin/sites", [("code", "S1"), ("name", "重复"), ("kind", "point"), ("parent_id", String(f.s1.id!)),
                                                            ("latitude", "25.9"), ("longitude", "116"), ("zone", "rural")])
            #expect(dup.status == .conflict)
            #expect(dup.text.contains("该编码已被使用。"))
        }
    }

    @Test func aStationAdminCannotPlaceThingsOutsideTheirStation() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            // A menu item of S1 may not cover S2.
            let menu = try await web.submit("/admin/menu", [("site_id", String(f.s1.id!)), ("category_id", String(f.category.id!)), ("title", "越界服务"),
                                                            ("site_ids[]", String(f.s2.id!)), ("active", "on")])
            #expect(menu.status == .unprocessableEntity)
            #expect(menu.text.contains("覆盖阵地必须在管理阵地范围内。"))
            // Nor offer S2's team.
            let teams = try await web.submit("/admin/menu", [("site_id", String(f.s1.id!)), ("category_id", String(f.category.id!)), ("title", "越界服务"),
                                                             ("site_ids[]", String(f.s1.id!)), ("team_ids[]", String(f.teamS2.id!))])
            #expect(teams.status == .unprocessableEntity)
            // A team may not be moved to S2.
            let move = try await web.submit("/admin/teams/\(f.teamS1.id!)", [("name", f.teamS1.name), ("site_id", String(f.s2.id!)), ("max_concurrent_orders", "3")])
            #expect(move.status == .forbidden)
            #expect(try await Team.find(f.teamS1.id!, on: app.db)?.$site.id == f.s1.id)
            // Nor may a role be granted above the station.
            let grant = try await web.submit("/admin/accounts/\(f.accountS1.id!)/grants", [("role", "siteAdmin"), ("site_id", String(f.centre.id!))])
            #expect(grant.status == .forbidden)
            #expect(try await RoleGrant.query(on: app.db).filter(\.$account.$id == f.accountS1.id!).filter(\.$site.$id == f.centre.id!).count() == 0)
            // Nor may they add S2's volunteer to their team.
            let member = try await web.submit("/admin/teams/\(f.teamS1.id!)/members", [("volunteer_number", f.volunteerS2.number), ("role", "member")])
            #expect(member.status == .unprocessableEntity)
            #expect(try await TeamMembership.query(on: app.db).count() == 0)
        }
    }

    @Test func listsSearchAndPage() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let service = VolunteerService(db: app.db, protector: app.protector, now: Date())
            for i in 0..<30 {
                _ = try await service.register(VolunteerRegistration(
                    realName: "批量\(i)", idNumber: try IDNumber.parse(IDNumber.compose(region: "360781", birth: "19900101", sequence: 300 + i), today: Date()).get(),
                    phone: PhoneNumber.parse("13700000000")!, skills: [], siteID: f.s1.id!))
            }
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let first = try await web.send(.GET, "/admin/volunteers").text
            #expect(first.contains("1 / 2"))
            #expect(first.contains("/admin/volunteers?page=2"))
            let second = try await web.send(.GET, "/admin/volunteers?page=2").text
            #expect(second.contains("2 / 2"))
            let found = try await web.send(.GET, "/admin/volunteers?q=%E6%89%B9%E9%87%8F2").text  // 批量2
            #expect(found.contains("批量2<") || found.contains(">批量2"))
            #expect(found.contains("批量21"))
            #expect(!found.contains("批量3<"))
            // SQL wildcards and quotes in a search are harmless.
            #expect(try await web.send(.GET, "/admin/volunteers?q=%25%27%22_").status == .ok)
            // A page number that is no page is refused, not quietly the first.
            #expect(try await web.send(.GET, "/admin/volunteers?page=-5").status == .unprocessableEntity)
            #expect(try await web.send(.GET, "/admin/volunteers?page=").status == .ok, "an empty field of a page's form is no filter")
        }
    }

    @Test func anAuditorSeesButCannotChange() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.auditor))
            let list = try await web.send(.GET, "/admin/teams")
            #expect(list.status == .ok)
            #expect(!list.text.contains("id=\"new-link\""))
            let page = try await web.send(.GET, "/admin/teams/\(f.teamS1.id!)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<fieldset disabled>"))
            #expect(!page.text.contains("id=\"save\""))
        }
    }

    @Test func volunteerDetailsStayMaskedForAdmins() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let plain = IDNumber.compose(region: "360781", birth: "19800101", sequence: 11)
            for path in ["/admin/volunteers", "/admin/volunteers/\(f.volunteerS1.id!)"] {
                let text = try await web.send(.GET, path).text
                #expect(text.contains(f.volunteerS1.idMasked))
                #expect(!text.contains(plain))
                #expect(!text.contains("13800138001"))
            }
        }
    }

    @Test func onlyCentreAdminsEditCategories() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var station = WebClient(app)
            try await station.login(Fixture.user(.siteAdmin))
            #expect(try await station.submit("/admin/categories/\(f.category.id!)", [("name", "改名"), ("name_en", "Renamed")]).status == .forbidden)
            var centre = WebClient(app)
            try await centre.login(Fixture.centreAdmin)
            let ok = try await centre.submit("/admin/categories/\(f.category.id!)", [("name", "理论宣讲"), ("name_en", "Outreach"), ("sort_order", "5"), ("active", "on")])
            #expect(ok.status == .seeOther)
            #expect(try await Category.find(f.category.id!, on: app.db)?.name == "理论宣讲")
            let dup = try await centre.submit("/admin/categories", [("name", "法律服务"), ("name_en", "Law")])
            #expect(dup.status == .conflict)
        }
    }

    @Test func accountsKeepTheirPhoneSealedAndPasswordsFollowThePolicy() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let weak = try await web.submit("/admin/accounts", [("username", "newstaff"), ("password", "password"), ("site_id", String(f.s1.id!))])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.text.contains("密码须同时包含字母和数字。"))
            let ok = try await web.submit("/admin/accounts", [("username", "newstaff"), ("password", "Station2026x"), ("phone", "13912345678"),
                                                              ("locale", "en"), ("site_id", String(f.s1.id!))])
            #expect(ok.status == .seeOther)
            let a = try #require(try await Account.query(on: app.db).filter(\.$username == "newstaff").first())
            #expect(a.phoneMasked == "139****5678")
            #expect(a.phoneSealed != nil && a.phoneSealed?.contains("13912345678") == false)
            // Saving again without a phone keeps it; without a password keeps the password.
            _ = try await web.submit("/admin/accounts/\(a.id!)", [("username", "newstaff"), ("locale", "en"), ("site_id", String(f.s1.id!))])
            let again = try await Account.find(a.id!, on: app.db)!
            #expect(again.phoneMasked == "139****5678")
            var staff = WebClient(app)
            #expect(try await staff.login("newstaff", "Station2026x").status == .seeOther)
            let taken = try await web.submit("/admin/accounts", [("username", "newstaff"), ("password", "Station2026x"), ("site_id", String(f.s1.id!))])
            #expect(taken.status == .conflict)
        }
    }
}

@Suite("Commands")
struct CommandTests {
    @Test func adminCreateBootstrapsTheFirstAccountWithoutAPasswordOnTheCommandLine() async throws {
        try await withTestApp { app in
            setenv("DIANDAN_ADMIN_PASSWORD", "Bootstrap2026", 1)
            defer { unsetenv("DIANDAN_ADMIN_PASSWORD") }
            let console = TestConsole()
            var input = CommandInput(arguments: ["diandan", "create", "--username", "chief", "--role", "siteAdmin",
                                                 "--site", "999001", "--site-name", "新县新时代文明实践中心"])
            try await console.run(AdminCommand(), with: CommandContext(console: console, input: input), app: app)
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "chief").with(\.$grants).first())
            #expect(account.grants.map(\.role) == [.siteAdmin])
            let site = try #require(try await Site.query(on: app.db).filter(\.$code == "999001").first())
            #expect(site.kind == .centre && site.path == SitePath.root(site.id!).rawValue)
            #expect(!console.output.contains("Bootstrap2026"))
            var web = WebClient(app)
            #expect(try await web.login("chief", "Bootstrap2026").status == .seeOther)
            // A weak password is refused with the reason.
            setenv("DIANDAN_ADMIN_PASSWORD", "weak", 1)
            input = CommandInput(arguments: ["diandan", "create", "--username", "second", "--role", "auditor", "--site", "999001"])
            await #expect(throws: ConfigurationError.self) {
                try await console.run(AdminCommand(), with: CommandContext(console: console, input: input), app: app)
            }
            #expect(try await Account.query(on: app.db).filter(\.$username == "second").count() == 0)
        }
    }
}

/// Captures what a command prints.
final class TestConsole: Console, @unchecked Sendable {
    var output = ""
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (120, 40) }

    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) { output += text.description + (newLine ? "\n" : "") }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { output += error }

    func run(_ command: some AsyncCommand, with context: CommandContext, app: Application) async throws {
        var context = context
        context.application = app
        try await command.run(using: &context)
    }
}
