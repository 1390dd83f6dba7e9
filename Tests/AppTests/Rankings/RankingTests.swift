import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Rankings by hours")
struct RankingTests {
    @Test func volunteersAndTeamsBySiteAndPeriod() async throws {
        // 2026-11-22 China time.
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 10))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            // Hand-made records: (volunteer, date, hours, order team).
            let ledger = Ledger(db: app.db, now: clock.now)
            func order(team: Team) async throws -> Int {
                var resident = try await APIClient.signIn(app, Fixture.user(.resident))
                let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
                let o = try await Order.find(id, on: app.db)!
                o.$team.id = team.id
                try await o.save(on: app.db)
                return id
            }
            let o1 = try await order(team: w.f.teamS1), o2 = try await order(team: w.f.teamS2)
            func record(_ v: Volunteer, _ day: DateComponents, _ hours: Double, _ order: Int?) async throws {
                try await ledger.record(volunteerID: v.id!, hours: hours, date: Calendar.chinaStandard.date(from: day)!, content: "服务",
                                        orderID: order, activityID: nil, teamID: nil, recordedBy: nil, points: 0, reason: "points.service")
            }
            try await record(w.f.volunteerS1, DateComponents(year: 2026, month: 11, day: 3), 2, o1)
            try await record(w.f.volunteerS1, DateComponents(year: 2026, month: 3, day: 5), 10, o1)
            try await record(w.f.volunteerS2, DateComponents(year: 2026, month: 11, day: 20), 5, o2)
            try await record(w.extraVolunteer, DateComponents(year: 2025, month: 12, day: 1), 50, o1)

            var anonymous = WebClient(app)
            func ranking(_ query: String) async throws -> [(String, Double)] {
                let entries = try await anonymous.send(.GET, "/api/v1/rankings?\(query)").json()["entries"] as? [[String: Any]] ?? []
                return entries.map { ($0["name"] as? String ?? "", $0["hours"] as? Double ?? -1) }
            }
            let s1Name = Masking.name(w.f.volunteerS1.realName), s2Name = Masking.name(w.f.volunteerS2.realName)
            // This month: S2's volunteer first; this year: S1's; all time: the extra volunteer's 50 hours lead.
            #expect(try await ranking("period=month").map(\.0) == [s2Name, s1Name])
            #expect(try await ranking("period=month").map(\.1) == [5, 2])
            #expect(try await ranking("period=year").map(\.1) == [12, 5])
            #expect(try await ranking("period=all").first?.1 == 50)
            // Station S2 only.
            #expect(try await ranking("period=year&site=\(w.f.s2.id!)").map(\.0) == [s2Name])
            // Teams: S1's team holds 12 hours this year (10 + 2), S2's 5.
            #expect(try await ranking("kind=teams&period=year").map(\.0) == ["一号站服务队", "二号站服务队"])
            #expect(try await ranking("kind=teams&period=year").map(\.1) == [12, 5])
            // The page draws the chart and never shows a full name.
            let page = try await anonymous.send(.GET, "/rankings?period=year").text
            #expect(page.contains(#"<ol class="bar-chart""#) && page.contains(#"<span class="bar w100"></span><span class="bar-value">"#))
            #expect(page.contains(s1Name))
            #expect(!page.contains(w.f.volunteerS1.realName))
        }
    }

    @Test func periodsCoverTheirDays() {
        let day = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 8, day: 15))!
        #expect(Period.month.range(containing: day)! == ("2026-08-01", "2026-08-31"))
        #expect(Period.quarter.range(containing: day)! == ("2026-07-01", "2026-09-31"))
        #expect(Period.year.range(containing: day)! == ("2026-01-01", "2026-12-31"))
        #expect(Period.all.range(containing: day) == nil)
        #expect(BarChart.html([.init(label: "<script>", value: 2)], title: "t").contains("&lt;script&gt;"))
    }

    /// Charts are HTML in the page's text size: each bar's value is written on it, lengths are
    /// classes (no style attribute for the Content-Security-Policy to refuse), a site is named on the map.
    @Test func chartsWriteTheirValuesAndNameTheirPlaces() {
        let bars = BarChart.html([.init(label: "助老", value: 10), .init(label: "助学", value: 5), .init(label: "空", value: 0)], title: "t", unit: " 单")
        #expect(bars.contains(#"<span class="bar w100"></span><span class="bar-value">10 单</span>"#))
        #expect(bars.contains(#"<span class="bar w50"></span><span class="bar-value">5 单</span>"#))
        #expect(bars.contains(#"<span class="bar w0"></span><span class="bar-value">0 单</span>"#))
        #expect(!bars.contains("style="))
        #expect(BarChart.html([], title: "t", empty: "没有数据") == #"<p class="chart-empty">没有数据</p>"#)
        let columns = ColumnChart.html((1...3).map { .init(label: "12-0\($0)", value: Double($0)) }, title: "t")
        #expect(columns.contains(#"<span class="col-value">3</span><span class="col h100"></span>"#) && columns.contains(">12-01<"))
        // A month: no values crowded on the columns, five labels (every seventh day).
        let month = ColumnChart.html((1...31).map { .init(label: "d\($0)", value: 1) }, title: "t")
        #expect(!month.contains("col-value") && month.contains(">d1<") && month.contains(">d8<") && month.contains(">d29<") && !month.contains(">d2<"))
        #expect(month.matches(of: /class="col-label">d\d+</).count == 5)
        let map = ScatterChart.svg([.init(x: 116.0, y: 25.9, group: "a")], places: [.init(x: 116.1, y: 26.0, name: "叶坪村")], placesLabel: "站点",
                                   groups: [("a", "待派单")], title: "t")
        #expect(map.contains(#"class="map-label""#) && map.contains(">叶坪村</text>") && map.contains(">站点</li>"))
    }
}
