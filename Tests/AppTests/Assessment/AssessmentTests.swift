import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// The assessment of a small county worked out by hand, through the app.
@Suite("Assessment pages, API and exports")
struct AssessmentFlowTests {
    @Test func theHandMadeCountyGivesTheKnownAnswers() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 10))!)
        try await withTestApp(clock: clock) { app in
            // setup
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))
            var residentS2 = try await APIClient.signIn(app, "resident-s2")
            var leader = try await APIClient.signIn(app, w.leaderS1)
            var leaderCentre = try await APIClient.signIn(app, w.leaderCentre)
            var centre = try await APIClient.signIn(app, Fixture.centreAdmin)
            let a = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int           // auto-dispatched at 0
            let b = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int        // queued
            let c = try await practitioner.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int    // for a resident
            let d = try await residentS2.call(.POST, "/api/v1/orders", #"{"menu_item_id":\#(w.f.menuS2.id!),"station_id":\#(w.f.s2.id!),"address":"二号站","contact_name":"王","contact_phone":"13800001111"}"#).json()["id"] as! Int
            clock.advance(5 * 60)
            #expect(try await leader.call(.POST, "/api/v1/orders/\(a)/accept").status == .ok)
            clock.advance(6 * 60)   // t = 11: B and C miss S1's ten minutes
            #expect(try await DeadlineScanner(service: OrderService.make(app)).runOnce() == .init(escalated: 2))
            clock.advance(60)       // t = 12
            #expect(try await centre.call(.POST, "/api/v1/orders/\(b)/dispatch", #"{"team_id":\#(w.centreTeam.id!)}"#).status == .ok)
            clock.advance(60)       // t = 13
            #expect(try await leaderCentre.call(.POST, "/api/v1/orders/\(b)/accept").status == .ok)
            clock.advance(7 * 60)   // t = 20
            #expect(try await residentS2.call(.POST, "/api/v1/orders/\(d)/cancel", #"{"reason":"不需要了"}"#).status == .ok)
            clock.advance(10 * 60)  // t = 30
            try await leader.call(.POST, "/api/v1/orders/\(a)/start")
            try await leader.call(.POST, "/api/v1/orders/\(a)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":2}"#)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(a)/rate", #"{"score":4}"#).status == .ok)
            _ = c

            // MUT
            let report = try await centre.call(.GET, "/api/v1/assessment?site=\(w.f.centre.id!)&period=month")
            #expect(report.status == .ok)
            let json = try report.json()
            let total = try #require(json["total"] as? [String: Any])

            // validate: the numbers worked out by hand.
            #expect(total["orders"] as? Int == 4)
            #expect(total["byStatus"] as? [String: Int] == ["rated": 1, "accepted": 1, "submitted": 1, "cancelled": 1])
            #expect(total["dispatchMinutesMedian"] as? Double == 6)
            #expect(total["dispatchMinutesP90"] as? Double == 12)
            #expect(total["acceptMinutesMedian"] as? Double == 9)
            #expect(total["acceptMinutesP90"] as? Double == 13)
            #expect(total["acceptanceRate"] as? Double == 1)
            #expect(abs((total["onTimeResponseRate"] as? Double ?? 0) - 1.0 / 3.0) < 1e-9)
            #expect(total["completionRate"] as? Double == 0.5)
            #expect(total["ratingMean"] as? Double == 4)
            #expect(total["ratingDistribution"] as? [Int] == [0, 0, 0, 1, 0])
            #expect(total["escalations"] as? Int == 2)
            #expect(total["serviceHours"] as? Double == 2)
            #expect(total["activeVolunteers"] as? Int == 1)
            let sites = try #require(json["sites"] as? [[String: Any]])
            #expect(sites.map { $0["name"] as? String } == ["甲镇实践所", "乙镇实践所"])
            #expect(sites.map { ($0["assessment"] as? [String: Any])?["orders"] as? Int } == [4, 0])
            let teams = try #require(json["teams"] as? [[String: Any]])
            #expect(Set(teams.compactMap { $0["name"] as? String }) == ["一号站服务队", "中心服务队"])
            let practitioners = try #require(json["practitioners"] as? [[String: Any]])
            #expect(practitioners.map { $0["name"] as? String } == [Fixture.user(.practitioner)])

            // Drill down: institute A's stations.
            let drill = try await centre.call(.GET, "/api/v1/assessment?site=\(w.f.instituteA.id!)&period=month").json()["sites"] as? [[String: Any]]
            #expect(drill?.map { ($0["assessment"] as? [String: Any])?["orders"] as? Int } == [3, 1])

            // The page and the CSV show the same figures.
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)
            let page = try await web.send(.GET, "/assessment?site=\(w.f.centre.id!)&period=month").text
            #expect(page.contains(#"id="metric-orders">4<"#))
            #expect(page.contains(#"id="metric-on-time">33.3%<"#))
            #expect(page.contains(#"id="metric-dispatch">6.0 / 12.0<"#))
            #expect(page.contains("/assessment?site=\(w.f.instituteA.id!)&amp;period=month"))
            #expect(page.contains("<svg"))
            // Every order here came through the API: the channel chart has that one bar.
            #expect(page.contains(#"aria-label="按下单渠道""#) && page.contains(">接口</span>") && !page.contains(">网页</span>"))
            let csv = try await web.send(.GET, "/assessment/export.csv?table=sites&site=\(w.f.centre.id!)&period=month")
            #expect(csv.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines[0].hasPrefix("\u{FEFF}名称,订单数,接单率,按时响应率,完成率,满意度"))
            #expect(lines[1] == "甲镇实践所,4,100.0%,33.3%,50.0%,4.00,6.0,2,1,2")

            // Scope: S1's admin cannot assess S2; S1's auditor can read S1.
            var s1Admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await s1Admin.call(.GET, "/api/v1/assessment?site=\(w.f.s2.id!)&period=month").status == .forbidden)
            var auditor = try await APIClient.signIn(app, Fixture.user(.auditor))
            let s1 = try await auditor.call(.GET, "/api/v1/assessment?site=\(w.f.s1.id!)&period=month").json()["total"] as? [String: Any]
            #expect(s1?["orders"] as? Int == 3)
            #expect(try await resident.call(.GET, "/api/v1/assessment").status == .forbidden)
            #expect(try await centre.call(.GET, "/api/v1/assessment?period=custom&from=2026-12-01&to=2026-11-01").status == .unprocessableEntity)
        }
    }
}
