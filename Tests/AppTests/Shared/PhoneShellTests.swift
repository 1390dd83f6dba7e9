import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// The phone shell: a tab bar for each role, 我的 with everything else, 长辈版 remembered for the
/// device and the account, the resident's four big tiles, orders as cards.
@Suite("Phone shell and large text")
struct PhoneShellTests {
    /// The tab bar's labels, in order.
    static func tabs(_ html: String) -> [String] {
        guard let bar = html.range(of: #"<nav class="tabs""#).map({ html[$0.lowerBound...] }),
              let end = bar.range(of: "</nav>") else { return [] }
        return bar[..<end.lowerBound].matches(of: /<\/svg><span>([^<]+)<\/span>/).map { String($0.output.1) }
    }

    /// The fixture's volunteer account, holding the first volunteer's record.
    static func linkVolunteer(_ f: Fixture, _ app: Application) async throws {
        let account = try await Account.query(on: app.db).filter(\Account.$username == Fixture.user(.volunteer)).first()!
        f.volunteerS1.$account.id = try account.requireID()
        try await f.volunteerS1.save(on: app.db)
    }

    @Test func eachRoleHasItsOwnTabBar() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            try await Self.linkVolunteer(w.f, app)
            var visitor = WebClient(app)
            #expect(Self.tabs(try await visitor.send(.GET, "/").text) == ["首页", "点单", "活动", "心愿", "更多"])
            let expected: [(String, [String])] = [
                (Fixture.user(.resident), ["首页", "点单", "订单", "消息", "我的"]),
                (Fixture.user(.volunteer), ["首页", "活动", "服务", "消息", "我的"]),
                (w.leaderS1, ["首页", "接单", "活动", "消息", "我的"]),
                (Fixture.user(.siteAdmin), ["首页", "派单", "大厅", "消息", "我的"]),
                (Fixture.user(.auditor), ["首页", "考核", "活动", "消息", "我的"]),
            ]
            for (user, tabs) in expected {
                var web = WebClient(app)
                try await web.login(user)
                let home = try await web.send(.GET, "/").text
                #expect(Self.tabs(home) == tabs, "\(user)")
                // Every tab opens for its person.
                for href in home.matches(of: /<a href="(\/[^"]*)" id="tab-/).map({ String($0.output.1) }) {
                    #expect(try await web.send(.GET, href).status == .ok, "\(user): \(href)")
                }
                // The staff's navigation goes to the side on a desktop; everyone else's stays on top.
                #expect(home.contains(#"<body class="staff">"#) == [Fixture.user(.siteAdmin), Fixture.user(.auditor)].contains(user), "\(user)")
            }
        }
    }

    @Test func meHoldsEverythingElseAndTheSettings() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var visitor = WebClient(app)
            let more = try await visitor.send(.GET, "/me")
            #expect(more.status == .ok)
            #expect(more.text.contains(#"id="me-login""#) && more.text.contains(#"id="me-register""#))
            #expect(more.text.contains("action=\"/display/large?next=/me\"") && more.text.contains("光荣榜") && more.text.contains("志愿风采"))
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let mine = try await web.send(.GET, "/me").text
            #expect(mine.contains(#"id="me-username">siteadmin-s1<"#) && mine.contains(#"id="me-site">一号实践站<"#))
            #expect(mine.contains("管理后台") && mine.contains("派单台") && mine.contains(#"id="me-logout""#))
        }
    }

    @Test func largeTextIsRememberedForTheDeviceAndTheAccount() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var phone = WebClient(app)
            #expect(!(try await phone.send(.GET, "/").text.contains(#"<html lang="zh-CN" class="large">"#)))
            let on = try await phone.send(.GET, "/display/large?next=/menu")
            #expect(on.status == .seeOther && on.headers.first(name: .location) == "/menu")
            #expect(try await phone.send(.GET, "/menu").text.contains(#"<html lang="zh-CN" class="large">"#))
            // Only a page of this site is gone back to; an unknown mode is not a page.
            #expect(try await phone.send(.GET, "/display/large?next=https://evil.example/").headers.first(name: .location) == "/")
            #expect(try await phone.send(.GET, "/display/huge").status == .notFound)

            // Signed in, the switch (a form) remembers it for the account: a new phone opens in large text at once.
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            #expect(try await resident.send(.GET, "/").text.contains(#"<form method="post" action="/display/large?next=/" class="size-form">"#))
            // A link (anyone may send one) or a post without the page's token changes this device only, never the account.
            _ = try await resident.send(.GET, "/display/large?next=/")
            #expect(try await resident.send(.POST, "/display/large?next=/").status == .forbidden)
            var other = WebClient(app)
            try await other.login(Fixture.user(.resident))
            #expect(!(try await other.send(.GET, "/").text.contains(#"class="large""#)))
            #expect(try await resident.submit("/display/large?next=/", [], tokenFrom: "/").headers.first(name: .location) == "/")
            var next = WebClient(app)
            try await next.login(Fixture.user(.resident))
            #expect(try await next.send(.GET, "/").text.contains(#"class="large""#))
            // A device that chose the standard size keeps it; turning it off there turns it off for the account.
            _ = try await other.submit("/display/normal?next=/", [], tokenFrom: "/")
            #expect(!(try await other.send(.GET, "/").text.contains(#"class="large""#)))
            var third = WebClient(app)
            try await third.login(Fixture.user(.resident))
            #expect(!(try await third.send(.GET, "/").text.contains(#"class="large""#)))
            // A device switched by a link before signing in: its owner's account is not changed.
            var linked = WebClient(app)
            _ = try await linked.send(.GET, "/display/large?next=/login")
            try await linked.login(Fixture.user(.resident))
            var unchanged = WebClient(app)
            try await unchanged.login(Fixture.user(.resident))
            #expect(!(try await unchanged.send(.GET, "/").text.contains(#"class="large""#)))
            // Turned on on the sign-in page with the switch, before signing in: the account keeps it from then on.
            var elder = WebClient(app)
            _ = try await elder.submit("/display/large?next=/login", [], tokenFrom: "/login")
            #expect(try await elder.send(.GET, "/login").text.contains(#"class="large""#))
            try await elder.login(Fixture.user(.resident))
            var later = WebClient(app)
            try await later.login(Fixture.user(.resident))
            #expect(try await later.send(.GET, "/").text.contains(#"class="large""#))
        }
    }

    @Test func theResidentsLargeTextHomeIsFourBigTilesWithTheStationsNumber() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            // The station's phone, set on the site's form: a landline with its area code; nonsense is refused.
            func save(_ phone: String) async throws -> TestingHTTPResponse {
                try await admin.submit("/admin/sites/\(f.s1.id!)", [("code", f.s1.code), ("name", f.s1.name), ("kind", "station"), ("parent_id", String(f.instituteA.id!)),
                                                                    ("latitude", "25.88"), ("longitude", "116.02"), ("zone", "urban"), ("active", "on"), ("phone", phone)])
            }
            let refused = try await save("打我电话")
            #expect(refused.status == .unprocessableEntity && refused.text.contains("打我电话"))
            #expect(try await save("0797-2212345").status == .seeOther)
            #expect(try await Site.find(f.s1.id, on: app.db)?.phone == "07972212345")
            try await Self.linkVolunteer(f, app)

            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            #expect(try await resident.send(.GET, "/").text.contains(#"id="work-orders""#))
            _ = try await resident.send(.GET, "/display/large?next=/")
            let home = try await resident.send(.GET, "/").text
            let tiles = home.matches(of: /class="big-tile big-(\w+)" id="big-\w+" href="([^"]+)"/).map { (String($0.output.1), String($0.output.2)) }
            #expect(tiles.map(\.0) == ["order", "orders", "wishes", "call"])
            #expect(tiles.last?.1 == "tel:07972212345")
            #expect(home.contains("一号实践站 0797-2212345") && !home.contains(#"id="work-orders""#))

            // A volunteer in large text keeps their own workbench, only larger.
            var volunteer = WebClient(app)
            try await volunteer.login(Fixture.user(.volunteer))
            _ = try await volunteer.send(.GET, "/display/large?next=/")
            let theirs = try await volunteer.send(.GET, "/").text
            #expect(theirs.contains(#"class="large""#) && theirs.contains(#"id="work-service""#) && !theirs.contains("big-tiles"))
        }
    }

    @Test func ordersAreCardsWithTheStatusAndDeadlineAndResidentsSeeNoDispatchJargon() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var api = try await APIClient.signIn(app, Fixture.user(.resident))
            #expect(try await api.call(.POST, "/api/v1/orders", w.offMenuOrder()).status == .created)
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            let mine = try await resident.send(.GET, Paths.myOrders).text
            #expect(mine.contains(#"<ul class="order-cards" id="order-list">"#))
            #expect(mine.contains(#"<span class="badge">待派单</span>"#) && mine.contains(#"<span class="deadline">"#) && mine.contains("前响应"))
            // 自动派单 is how the site works: shown to staff, not to residents choosing a service.
            w.f.menuS1.autoAccept = true
            try await w.f.menuS1.save(on: app.db)
            let menu = "/menu?station=\(w.f.s1.id!)"
            #expect(!(try await resident.send(.GET, menu).text.contains("自动派单")))
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            #expect(try await admin.send(.GET, menu).text.contains("自动派单"))
        }
    }
}
