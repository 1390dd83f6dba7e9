import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// The rollups are maintained step by step in the loop's transactions; here a random run of the loop
/// (orders, every kind of step, wrong steps that must change nothing, escalations by the scanner,
/// backdated service records, a station moved to another township, month, quarter and year turning
/// over) is compared with a recount from scratch, row by row.
@Suite("Assessment rollups stay exact")
struct RollupTests {
    @Test func randomOperationsLeaveTheRollupsEqualToAFullRecount() async throws {
        // Two days before the new year: the run crosses a month, a quarter and a year.
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 12, day: 30, hour: 20))!)
        try await withTestApp(clock: clock) { app in
            // setup
            let w = try await LoopWorld.make(app)
            _ = try await SyntheticSeeder(db: app.db, protector: app.protector, scale: SyntheticTests.mini, seed: 9, now: clock.now, progress: { _ in }).run()
            var rng = SplitMix64(seed: 2026)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var residentS2 = try await APIClient.signIn(app, "resident-s2")
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))
            var centre = try await APIClient.signIn(app, Fixture.centreAdmin)
            var leaders = [w.f.teamS1.id!: try await APIClient.signIn(app, w.leaderS1), w.f.teamS2.id!: try await APIClient.signIn(app, w.leaderS2),
                           w.centreTeam.id!: try await APIClient.signIn(app, w.leaderCentre)]
            let served = [w.f.teamS1.id!: w.f.volunteerS1.id!, w.f.teamS2.id!: w.f.volunteerS2.id!]
            let teams = [w.f.teamS1.id!, w.f.teamS2.id!, w.centreTeam.id!]
            let volunteers = try await Volunteer.query(on: app.db).all().map { $0.id! }
            let scanner = DeadlineScanner(service: OrderService.make(app))
            var orders: [(id: Int, by: Int)] = []   // 0 resident, 1 resident S2, 2 practitioner
            var statuses: [HTTPStatus] = []
            var moved = false

            // MUT: a few hundred random steps.
            for step in 0..<260 {
                clock.advance(Double(Int.random(in: 0...5_400, using: &rng)))
                let pick = Int.random(in: 0..<100, using: &rng)
                if pick < 22 || orders.isEmpty {
                    let kind = Int.random(in: 0..<4, using: &rng)
                    let r: TestingHTTPResponse
                    switch kind {
                    case 0: r = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
                    case 1: r = try await residentS2.call(.POST, "/api/v1/orders", #"{"menu_item_id":\#(w.f.menuS2.id!),"station_id":\#(w.f.s2.id!),"address":"二号站","contact_name":"王","contact_phone":"13800001111"}"#)
                    case 2: r = try await practitioner.call(.POST, "/api/v1/orders", w.offMenuOrder())
                    default: r = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder())
                    }
                    if let id = try? r.json()["id"] as? Int { orders.append((id, kind == 1 ? 1 : kind == 2 ? 2 : 0)) }
                    statuses.append(r.status)
                    continue
                }
                if pick < 27 {
                    // The scanner hands up what waited too long.
                    _ = try await scanner.runOnce()
                    continue
                }
                if pick < 32 {
                    // Hours from elsewhere (an activity, a wish), sometimes for an earlier day.
                    let v = volunteers[Int.random(in: 0..<volunteers.count, using: &rng)]
                    let day = clock.now.addingTimeInterval(-Double(Int.random(in: 0...40, using: &rng)) * 86_400)
                    try await Ledger(db: app.db, now: clock.now).record(volunteerID: v, hours: Double(Int.random(in: 1...9, using: &rng)) / 4, date: day,
                                                                         content: "活动", orderID: nil, activityID: nil, teamID: nil, recordedBy: nil,
                                                                         points: 1, reason: "points.activity")
                    continue
                }
                if !moved && step > 130 {
                    // 二号站 moves to the other township, with its orders and records.
                    moved = true
                    var web = WebClient(app)
                    try await web.login(Fixture.centreAdmin)
                    let r = try await web.submit("/admin/sites/\(w.f.s2.id!)", [("code", "S2"), ("name", "二号实践站"), ("kind", "station"),
                                                                              ("parent_id", String(w.f.instituteB.id!)), ("latitude", "25.9"), ("longitude", "116"),
                                                                              ("zone", "rural"), ("active", "on")])
                    #expect(r.status == .seeOther)
                    continue
                }
                let (id, by) = orders[Int.random(in: 0..<orders.count, using: &rng)]
                let order = try await resident.call(.GET, "/api/v1/orders/\(id)").json()
                let team = order["team_id"] as? Int ?? teams[Int.random(in: 0..<teams.count, using: &rng)]
                var requester = [resident, residentS2, practitioner][by]
                var leader = leaders[team]!
                let r: TestingHTTPResponse
                switch Int.random(in: 0..<11, using: &rng) {
                case 0: r = try await centre.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(team)}"#)
                case 1, 2: r = try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
                case 3: r = try await leader.call(.POST, "/api/v1/orders/\(id)/decline", #"{"reason":"人手不够"}"#)
                case 4: r = try await leader.call(.POST, "/api/v1/orders/\(id)/start")
                case 5:
                    let v = served[team] ?? w.f.volunteerS1.id!
                    r = try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(v)],"hours_\#(v)":\#(Int.random(in: 1...6, using: &rng))}"#)
                case 6: r = try await requester.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":\#(Int.random(in: 1...5, using: &rng))}"#)
                case 7: r = try await requester.call(.POST, "/api/v1/orders/\(id)/cancel", #"{"reason":"不需要了"}"#)
                case 8: r = try await centre.call(.POST, "/api/v1/orders/\(id)/reject", #"{"reason":"不在服务范围"}"#)
                case 9:
                    try await centre.call(.POST, "/api/v1/orders/\(id)/open-for-claim")
                    r = try await leader.call(.POST, "/api/v1/orders/\(id)/claim")
                default: r = try await centre.call(.POST, "/api/v1/orders/\(id)/escalate")
                }
                leaders[team] = leader
                statuses.append(r.status)
            }

            // validate
            let rollups = AssessmentRollups(db: app.db)
            let maintained = try await rollups.snapshot()
            let recounted = try await rollups.recount(write: false)
            // The run did what it was meant to: orders, steps that worked and steps refused, a move.
            #expect(orders.count > 40)
            #expect(statuses.filter { $0 == .ok }.count > 40)
            #expect(statuses.contains(.conflict) || statuses.contains(.forbidden))
            #expect(moved)
            let periods = Set(maintained.counters.keys.map(\.period))
            #expect(periods.contains(202612) && periods.contains(202701) && periods.contains(20264) && periods.contains(2027))
            #expect(maintained.facts.count == recounted.facts.count)
            let wrongFacts = recounted.facts.keys.sorted().filter { maintained.facts[$0] != recounted.facts[$0] }
            #expect(wrongFacts.isEmpty, "orders whose kept facts differ: \(wrongFacts.prefix(5))")
            #expect(maintained.presence == recounted.presence)
            #expect(maintained.dists == recounted.dists)
            let keys = Set(maintained.counters.keys).union(recounted.counters.keys).sorted()
            let differing = keys.filter { maintained.counters[$0] != recounted.counters[$0] }
            #expect(differing.isEmpty, "rows that differ: \(differing.prefix(5))")

            // And the province overview from the rollups equals the metrics computed from every order.
            let range = AssessmentRange.make("quarter", containing: clock.now)!
            let report = try await AssessmentService(db: app.db).report(nil, range, grain: .week)
            let inRange = recounted.facts.values.filter { $0.created_at >= range.from && $0.created_at < range.to }.map(\.facts)
            let direct = Assessment.compute(inRange, serviceHours: report.total.serviceHours, activeVolunteers: report.total.activeVolunteers)
            #expect(report.total == direct)
            #expect(report.total.orders > 0)
            // The province overview is for someone whose reach covers every centre: the fixture's centre
            // admin (one county among the synthetic ones) is refused it and sees their own centre.
            #expect(try await centre.call(.GET, "/api/v1/assessment?site=0&period=quarter").status == .forbidden)
            #expect(try await centre.call(.GET, "/api/v1/assessment?period=quarter").json()["site_id"] as? Int == w.f.centre.id)
            // An auditor granted every centre gets it, by default, with the same figures.
            let auditorAccount = try #require(try await Account.query(on: app.db).filter(\.$username == Fixture.user(.auditor)).first())
            for root in try await Site.query(on: app.db).filter(\.$parent.$id == nil).all() {
                let g = RoleGrant()
                g.role = .auditor
                g.$account.id = try auditorAccount.requireID()
                g.$site.id = try root.requireID()
                try await g.create(on: app.db)
            }
            var auditor = try await APIClient.signIn(app, Fixture.user(.auditor))
            let whole = try await auditor.call(.GET, "/api/v1/assessment?period=quarter").json()
            #expect(whole["site_id"] as? Int == 0)
            #expect((whole["total"] as? [String: Any])?["orders"] as? Int == report.total.orders)
        }
    }
}
