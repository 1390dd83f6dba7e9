import Foundation
import Testing
import VaporTesting
@testable import App
@testable import DiandanCore

/// After signing in, each person lands on their own work (the home page as their workbench), never
/// on a page they may not open; and every link there opens for them.
@Suite("Each role lands on its work")
struct LandingTests {
    /// The local links of a page (not sign-out, which is a form, nor static files).
    static func links(_ html: String) -> [String] {
        let found = html.matches(of: /href="(\/[^"]*)"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
        return Array(Set(found.filter { !$0.hasPrefix("/css/") && !$0.hasPrefix("/js/") && !$0.hasPrefix("/lang/") && $0 != Paths.logout })).sorted()
    }

    @Test func signingInLandsEachPersonOnTheirWorkAndEveryLinkThereOpens() async throws {
        try await withTestApp { app in
            // setup: one order waiting to be dispatched at S1, one the team has.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            #expect(try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).status == .created)
            #expect(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).status == .created)
            let expected: [(String, [String], [String])] = [
                (Fixture.user(.resident), ["id=\"work-orders\"", "我要点单", "我的订单"], ["id=\"work-dispatch\"", "代点单"]),
                (w.leaderS1, ["id=\"work-team\"", "待本队处理", "id=\"work-service\"", "服务时长"], ["id=\"work-dispatch\""]),
                (Fixture.user(.practitioner), ["id=\"work-orders\"", "代点单", "问需"], ["id=\"work-dispatch\""]),
                (Fixture.user(.siteAdmin), ["id=\"work-dispatch\"", "待派单", "即将超时", "管理后台"], []),
                (Fixture.centreAdmin, ["id=\"work-dispatch\"", "考核"], []),
                (Fixture.user(.auditor), ["考核"], ["id=\"work-dispatch\"", "我要点单"]),
            ]
            for (user, shown, hidden) in expected {
                var web = WebClient(app)

                // MUT
                let signedIn = try await web.login(user)

                // validate
                #expect([HTTPStatus.seeOther, .found].contains(signedIn.status), "\(user): \(signedIn.status)")
                #expect(signedIn.headers.first(name: .location) == Paths.home, "\(user) is sent to the home page")
                let home = try await web.send(.GET, Paths.home)
                #expect(home.status == .ok)
                for s in shown { #expect(home.text.contains(s), "\(user) sees \(s)") }
                for s in hidden { #expect(!home.text.contains(s), "\(user) does not see \(s)") }
                let links = Self.links(home.text)
                #expect(links.count > 8)
                for link in links {
                    let r = try await web.send(.GET, link)
                    #expect(r.status.code < 400, "\(user): \(link) answers \(r.status.code)")
                }
            }
            // The dispatcher's count is the order waiting at S1.
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            let page = try await admin.send(.GET, Paths.home).text
            #expect(page.contains("<span class=\"num\">1</span><span class=\"label\">待派单</span>"))
        }
    }
}
