import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// The smaller holes found by probing a running server (issue 17), each shown closed.
@Suite("Holes found by probing")
struct DoorTests {
    @Test func redirectsAfterSignInAndLanguageStayOnThisSite() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            // Browsers drop the tab: "/\t/evil.example" is "//evil.example", another host.
            for next in ["/%09/evil.example", "//evil.example", "/%0A/evil", "/%5Cevil.example", "/%20/evil", "https://evil.example"] {
                var web = WebClient(app)
                let switched = try await web.send(.GET, "/lang/en?next=\(next)")
                #expect(switched.headers.first(name: .location) == "/", "\(next) → \(switched.headers.first(name: .location) ?? "")")
                let form = try await web.send(.GET, "/login?next=\(next)")
                #expect(form.text.contains(#"name="next" value="""#), "\(next) was kept for after sign-in")
                let token = try await web.csrf(from: "/login")
                let r = try await web.send(.POST, "/login", form: [("_csrf", token), ("username", Fixture.centreAdmin), ("password", Fixture.password),
                                                                   ("next", next.removingPercentEncoding ?? next)])
                #expect(r.headers.first(name: .location) == "/", "\(next)")
            }
            var web = WebClient(app)
            #expect(try await web.send(.GET, "/lang/en?next=/activities%3Fsite%3D2").headers.first(name: .location) == "/activities?site=2")
        }
    }

    @Test func spreadsheetFormulasInNamesAreNeutralisedInEveryCSV() async throws {
        try await withTestApp { app in
            // setup: a team and a station named like formulas, an order served by that team
            let w = try await LoopWorld.make(app)
            w.f.teamS1.name = "=HYPERLINK(\"http://evil.example\",\"点我\")"
            try await w.f.teamS1.save(on: app.db)
            w.f.instituteA.name = "@SUM(1,2)"
            try await w.f.instituteA.save(on: app.db)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            _ = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
            var centre = try await APIClient.signIn(app, Fixture.centreAdmin)
            let query = "site=\(w.f.centre.id!)&period=month"
            // MUT: the order list export and the assessment tables
            let queued = try await centre.call(.POST, "/api/v1/assessment/exports?\(query)&format=csv").json()["id"] as! Int
            _ = try await ExportService.make(app).runOnce()
            let orders = try await centre.call(.GET, "/api/v1/exports/\(queued)/download").text
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)
            let sites = try await web.send(.GET, "/assessment/export.csv?table=sites&\(query)").text
            let teams = try await web.send(.GET, "/assessment/export.csv?table=teams&\(query)").text
            // validate: every such cell starts with a quote mark, so a spreadsheet shows it as text
            #expect(orders.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\","), "\(orders)")
            #expect(sites.contains("\"'@SUM(1,2)\","), "\(sites)")
            #expect(teams.contains("\"'=HYPERLINK("), "\(teams)")
            for text in [orders, sites, teams] {
                for line in text.components(separatedBy: "\r\n") {
                    for cell in line.split(separator: ",") {
                        let c = cell.hasPrefix("\"") ? cell.dropFirst() : cell
                        #expect(!(c.first.map { "=+@".contains($0) } ?? false), "a formula cell: \(line)")
                    }
                }
            }
        }
    }

    @Test func metricsBehindAProxyAreJudgedByTheForwardedAddress() async throws {
        // In-process requests have no connection: "unknown" stands for the proxy on this machine.
        try await withTestApp(settings: ["DIANDAN_TRUSTED_PROXIES": "unknown"]) { app async throws in
            var web = WebClient(app)
            web.forwardedFor = "203.0.113.5"
            #expect(try await web.send(.GET, "/metrics").status == .forbidden)
            // A client cannot claim to be the machine by putting 127.0.0.1 first: the proxy appends.
            #expect(try await web.send(.GET, "/metrics", headers: ["X-Forwarded-For": "127.0.0.1, 203.0.113.5"]).status == .forbidden)
            web.forwardedFor = "127.0.0.1"
            #expect(try await web.send(.GET, "/metrics").status == .ok)
            // A proxy that names the caller with X-Real-IP or Forwarded instead.
            var other = WebClient(app)
            #expect(try await other.send(.GET, "/metrics", headers: ["X-Real-IP": "203.0.113.5"]).status == .forbidden)
            #expect(try await other.send(.GET, "/metrics", headers: ["Forwarded": "for=203.0.113.5;proto=https"]).status == .forbidden)
        }
    }

    @Test func absoluteLinksComeFromThePublicAddressNeverTheHostHeader() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 1, hour: 9))!)
        try await withTestApp(clock: clock, settings: ["DIANDAN_PUBLIC_URL": "https://zyfw.example.gov.cn"]) { app in
            let w = try await LoopWorld.make(app)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let activity = try await admin.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 5)).json()["id"] as! Int
            let evil: HTTPHeaders = ["Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"]
            var anyone = WebClient(app)
            let qr = try await admin.call(.GET, "/api/v1/activities/\(activity)/qr?kind=in", headers: evil).json()["url"] as? String ?? ""
            let calendar = try await anyone.send(.GET, "/activities.ics", headers: evil).text
            let feed = try await anyone.send(.GET, "/showcase/feed.atom", headers: evil).text
            let openapi = try await anyone.send(.GET, "/api/v1/openapi.json", headers: evil).text
            let discovery = try await anyone.send(.GET, "/open311/v2/discovery.json", headers: evil).text
            #expect(qr.hasPrefix("https://zyfw.example.gov.cn/activities/\(activity)/check"))
            #expect(calendar.contains("https://zyfw.example.gov.cn/activities/\(activity)"))
            for text in [qr, calendar, feed, openapi, discovery] { #expect(!text.contains("evil.example")) }
        }
    }

    @Test func commonPasswordsAreRefusedOnTheAccountForm() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var admin = WebClient(app)
            try await admin.login(Fixture.centreAdmin)
            for weak in ["password1", "aaaaaaa1", "abc12345"] {
                let r = try await admin.submit("/admin/accounts", [("username", "new-clerk"), ("password", weak), ("locale", "zh-CN"), ("site_id", String(f.s1.id!))],
                                               tokenFrom: "/admin/accounts/new")
                #expect(r.status == .unprocessableEntity, "\(weak)")
                #expect(r.text.contains("这个密码太常见"), "\(weak)")
                // What was typed stays, but the password.
                #expect(r.text.contains("value=\"new-clerk\"") && !r.text.contains(weak))
            }
            #expect(try await Account.query(on: app.db).filter(\.$username == "new-clerk").count() == 0)
        }
    }

    @Test func republishingKeepsTheFirstPublishedDateAndMovesUpdated() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 1, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let activity = try await admin.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 5)).json()["id"] as! Int
            clock.advance(5 * 86_400)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            func publish(_ story: String) async throws {
                let token = try await web.csrf(from: "/activities/\(activity)/showcase")
                let r = try await web.sendMultipart("/activities/\(activity)/showcase", fields: [("_csrf", token), ("title", "防诈骗宣传"), ("story", story)], files: [])
                #expect(r.status == .seeOther)
            }
            try await publish("志愿者们在广场上教大家识别电信诈骗。")
            let first = try #require(try await ShowcasePost.query(on: app.db).first())
            clock.advance(3600)
            try await publish("志愿者们在广场上教大家识别电信诈骗，来了很多人。")
            let again = try #require(try await ShowcasePost.query(on: app.db).first())
            #expect(again.publishedAt == first.publishedAt)
            #expect(again.updatedAt == first.updatedAt.addingTimeInterval(3600))
            let feed = try await web.send(.GET, "/showcase/feed.atom").text
            #expect(feed.contains("<published>\(first.publishedAt.formatted(.iso8601))</published>"), "\(feed)")
            #expect(feed.contains("<updated>\(again.updatedAt.formatted(.iso8601))</updated>"), "\(feed)")
        }
    }

    @Test func theCertificatePDFAddressIsAbsoluteAndOpensWithTheTokenThatIssuedIt() async throws {
        try await withTestApp(settings: ["DIANDAN_PUBLIC_URL": "https://zyfw.example.gov.cn"]) { app in
            let w = try await LoopWorld.make(app)
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let issued = try await leader.call(.POST, "/api/v1/me/certificates")
            #expect(issued.status == .created)
            let url = try #require(try issued.json()["pdf_url"] as? String)
            #expect(url.hasPrefix("https://zyfw.example.gov.cn/api/v1/me/certificates/"))
            let pdf = try await leader.call(.GET, String(url.dropFirst("https://zyfw.example.gov.cn".count)))
            #expect(pdf.status == .ok && pdf.headers.contentType?.description == "application/pdf")
            #expect(Array(pdf.body.readableBytesView.prefix(5)) == Array("%PDF-".utf8))
            // Nobody else's token opens it.
            var other = try await APIClient.signIn(app, w.leaderS2)
            #expect(try await other.call(.GET, String(url.dropFirst("https://zyfw.example.gov.cn".count))).status == .notFound)
        }
    }

    /// A path asked with a method it does not take: 405 with the methods it takes, never "not found".
    @Test func wrongMethodsAre405WithAllow() async throws {
        try await withTestApp { app in
            var web = WebClient(app)
            for method in [HTTPMethod.PUT, .DELETE, .PATCH, .TRACE] {
                let r = try await web.send(method, "/api/v1/orders")
                #expect(r.status == .methodNotAllowed, "\(method)")
                #expect(r.headers.first(name: .allow) == "GET, HEAD, POST", "\(method)")
                #expect(try r.json()["message"] as? String != nil)
            }
            let options = try await web.send(.OPTIONS, "/api/v1/orders/12")
            #expect(options.status == .noContent && options.headers.first(name: .allow) == "GET, HEAD")
            #expect(try await web.send(.PUT, "/activities").status == .methodNotAllowed)
            #expect(try await web.send(.GET, "/no/such/page").status == .notFound)
            #expect(try await web.send(.TRACE, "/no/such/page").status == .notFound)
            // Open311 answers in its own shape.
            let o311 = try await web.send(.TRACE, "/open311/v2/requests.json")
            #expect(o311.status == .methodNotAllowed && o311.headers.first(name: .allow) == "GET, POST")
            #expect(o311.text.hasPrefix("[{\"code\":405"))
        }
    }

    @Test func theDemoLoginsArePrintedOnceEachAsATable() async throws {
        try await withTestApp { app in
            let lines = try await DemoSeeder(app: app, progress: { _ in }).run()
            let text = DemoSeeder.loginsText(lines)
            for login in DemoSeeder.logins {
                let rows = text.components(separatedBy: "\n").filter { $0.hasPrefix("  " + login.username + " ") }
                #expect(rows.count == 1, "\(login.username): \(rows)")
            }
            // The role in people's words beside its name: "resident" is a username, 群众 its role.
            #expect(text.contains("群众 resident") && text.contains("阵地管理员 siteAdmin"))
        }
    }

    @Test func smallOnes() throws {
        // A resources folder given without its trailing slash is the same folder.
        #expect(Settings.directory("/srv/diandan") == "/srv/diandan/")
        #expect(Settings.directory("/srv/diandan//") == "/srv/diandan/")
        let root = Settings.packageRoot.hasSuffix("/") ? String(Settings.packageRoot.dropLast()) : Settings.packageRoot
        let settings = try Settings.load(.testing) { $0 == "DIANDAN_RESOURCES_DIR" ? root : nil }
        _ = try Application.loadCatalogues(from: settings.resourcesDirectory)
    }
}
