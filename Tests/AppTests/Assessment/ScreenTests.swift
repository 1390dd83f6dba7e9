import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Big screen counters")
struct ScreenTests {
    @Test func theCountersCountWhatIsHappening() async throws {
        let clock = TestClock(CheckinFlowTests.start.addingTimeInterval(-3600))   // 08:00 on the activity's day
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            // Yesterday's order does not count as today's.
            clock.advance(-86_400)
            try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder())
            clock.advance(86_400)
            let a = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder())
            try await leader.call(.POST, "/api/v1/orders/\(a)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(a)/start")
            // One volunteer checked in at the 09:00 activity, one checked in and out.
            let activity = try await ActivityFlowTests.published(app, w, slots: 5)
            var people = try await volunteerClients(app, count: 2, site: w.f.s1)
            for i in 0..<2 { try await people[i].call(.POST, "/api/v1/activities/\(activity)/signup") }
            clock.advance(45 * 60)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let inURL = try await admin.call(.GET, "/api/v1/activities/\(activity)/qr?kind=in").json()["url"] as! String
            for i in 0..<2 { #expect(try await people[i].call(.POST, "/api/v1/activities/\(activity)/check-in", CheckinFlowTests.body(inURL)).status == .ok) }
            clock.advance(30 * 60)
            let outURL = try await admin.call(.GET, "/api/v1/activities/\(activity)/qr?kind=out").json()["url"] as! String
            #expect(try await people[1].call(.POST, "/api/v1/activities/\(activity)/check-out", CheckinFlowTests.body(outURL)).status == .ok)
            try await Ledger(db: app.db, now: clock.now).record(volunteerID: w.f.volunteerS1.id!, hours: 3.5, date: clock.now, content: "服务",
                                                               orderID: nil, activityID: nil, teamID: nil, recordedBy: nil, points: 0, reason: "points.service")

            let c = try await admin.call(.GET, "/api/v1/screen?site=\(w.f.s1.id!)").json()
            #expect(c["orders_today"] as? Int == 2)
            #expect(c["in_service"] as? Int == 1)
            // On duty: the volunteer still checked in, and the leader who started the order in service.
            #expect(c["on_duty"] as? Int == 2)
            #expect(c["hours_this_year"] as? Double == 3.5)
            // Another station's screen shows none of it; residents see no screen.
            #expect(try await admin.call(.GET, "/api/v1/screen?site=\(w.f.s2.id!)").status == .forbidden)
            #expect(try await resident.call(.GET, "/api/v1/screen").status == .forbidden)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let page = try await web.send(.GET, "/screen?every=2").text
            #expect(page.contains(#"id="c-orders_today">2<"#))
            #expect(page.contains(#"data-every="2""#) && page.contains(#"id="c-on_duty">2<"#))
            // A screen of its own: no site header or tab bar; dark; the latest orders by service, never by who asked.
            #expect(!page.contains(#"class="top""#) && !page.contains(#"id="tab-bar""#) && page.contains("/css/screen.css"))
            #expect(page.contains(#"<span class="what">一号站义诊</span>"#) && !page.contains("想听一场党史宣讲") && !page.contains("李阿姨"))
            #expect(try await web.send(.GET, "/screen/data").json()["in_service"] as? Int == 1)
            // Live: the stream sends the whole board at once (then whenever it changes).
            let events = try await web.send(.GET, "/screen/events?seconds=0")
            #expect(events.headers.first(name: .contentType)?.hasPrefix("text/event-stream") == true)
            let line = events.text.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? ""
            let board = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            #expect((board["counters"] as? [String: Any])?["on_duty"] as? Int == 2)
            #expect((board["fragments"] as? [String: String])?["status"]?.contains("服务中") == true)
            // Anyone passing sees a hall screen: its map names the site with its count, never an order's place.
            let map = (board["fragments"] as? [String: String])?["map"] ?? ""
            #expect(map.contains(">一号实践站 · ") && !map.contains("<circle"))
            // This month's orders are the assessment's 本月 count.
            let assessment = try await web.send(.GET, "/assessment?site=\(w.f.s1.id!)&period=month").text
            #expect(assessment.contains(#"id="metric-orders">\#(board["orders_month"] as? Int ?? -1)<"#))
            var residentWeb = WebClient(app)
            try await residentWeb.login(Fixture.user(.resident))
            #expect(try await residentWeb.send(.GET, "/screen/events").status == .forbidden)
        }
    }

    /// Every screen of a site shares one board, rebuilt at most every five seconds.
    @Test func screensShareABoardForAFewSeconds() async throws {
        let cache = ScreenCache()
        let builds = ManagedAtomicCounter()
        let start = Date()
        let board = ScreenBoard(counters: .init(orders_today: 1, in_service: 0, on_duty: 0, hours_this_year: 0, at: start), hours: "0", orders_month: 1, fragments: [:])
        for offset in [0.0, 1, 4.9] {
            _ = try await cache.board(site: 1, locale: "zh-CN", now: start.addingTimeInterval(offset)) { builds.add(); return board }
        }
        #expect(builds.value == 1)
        _ = try await cache.board(site: 2, locale: "zh-CN", now: start) { builds.add(); return board }
        _ = try await cache.board(site: 1, locale: "en", now: start) { builds.add(); return board }
        _ = try await cache.board(site: 1, locale: "zh-CN", now: start.addingTimeInterval(5.1)) { builds.add(); return board }
        #expect(builds.value == 4)
    }

    /// The assessment's and the big screen's maps: the county's outline with its townships apart;
    /// over a basemap when tiles are configured, whose host the pages then allow and no other.
    @Test(arguments: [false, true])
    func mapsDrawTheCountyOrTheConfiguredTiles(_ tiled: Bool) async throws {
        let settings = tiled ? ["DIANDAN_MAP_TILES": "https://tiles.example.cn/vec/{z}/{x}/{y}.png", "DIANDAN_MAP_ATTRIBUTION": "本县测绘"] : [:]
        try await withTestApp(settings: settings) { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)
            for path in ["/assessment?site=\(f.centre.id!)", "/screen?site=\(f.centre.id!)"] {
                let page = try await web.send(.GET, path)
                #expect(page.status == .ok)
                if path.hasPrefix("/assessment") {
                    // On paper: the period in words instead of the forms and the export buttons.
                    #expect(page.text.matches(of: /id="assessment-period-printed">统计期间：\d{4}-\d{2}-01 至 \d{4}-\d{2}-\d{2}</).count == 1)
                    #expect(page.text.contains(#"class="search filters no-print" id="assessment-filter""#) && page.text.contains(#"class="button secondary small no-print" href="/assessment/export.csv"#))
                }
                let csp = page.headers.first(name: "Content-Security-Policy") ?? ""
                // The centre's two townships (所) apart inside the county.
                #expect(page.text.components(separatedBy: #"<polygon class="map-area""#).count == 2, "\(path)")
                #expect(page.text.components(separatedBy: #"<polygon class="map-part""#).count == 3, "\(path)")
                if tiled {
                    let z = try #require(page.text.components(separatedBy: #"<image href="https://tiles.example.cn/vec/"#).dropFirst().first?.prefix { $0.isNumber })
                    let t = Mercator.tile(longitude: f.s1.longitude, latitude: f.s1.latitude, zoom: Int(z)!)
                    #expect(page.text.contains(#"<image href="https://tiles.example.cn/vec/\#(z)/\#(t.x)/\#(t.y).png""#), "\(path)")
                    #expect(page.text.contains(">本县测绘</p>"))
                    #expect(csp.contains("img-src 'self' data: https://tiles.example.cn;"))
                } else {
                    #expect(!page.text.contains("<image") && csp.contains("img-src 'self' data:;"))
                }
            }
        }
        #expect(throws: ConfigurationError.self) { try Settings.load(.testing) { $0 == "DIANDAN_MAP_TILES" ? "https://tiles.example.cn/{z}/{x}.png" : nil } }
    }

    @Test func theScatterChartPlacesEveryOrderAndNamesOnlyGroupsPresent() {
        let svg = ScatterChart.svg([.init(x: 116.0, y: 25.9, group: "submitted"), .init(x: 116.1, y: 26.0, group: "rated")],
                                   groups: [("submitted", "待派单"), ("accepted", "已接单"), ("rated", "已评价")], title: "t")
        #expect(svg.components(separatedBy: "<circle class=\"g").count - 1 == 2)
        #expect(svg.contains("待派单") && svg.contains("已评价") && !svg.contains("已接单"))
    }
}

/// A counter the cache's builders (run on the actor) may add to.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
