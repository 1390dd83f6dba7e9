import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("diandan check")
struct CheckTests {
    @Test func aWholeDatabasePassesAndEachKindOfHalfWriteIsFound() async throws {
        try await withTestApp { app in
            // setup: orders through the loop, one completed with hours and points.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var ids: [Int] = []
            for _ in 0..<3 { ids.append(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int) }
            var leader = try await APIClient.signIn(app, w.leaderS1)
            try await leader.call(.POST, "/api/v1/orders/\(ids[0])/accept")
            try await leader.call(.POST, "/api/v1/orders/\(ids[0])/start")
            let done = try await leader.call(.POST, "/api/v1/orders/\(ids[0])/complete",
                                             #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":2}"#)
            #expect(done.status == .ok)
            let clean = try await ConsistencyCheck(db: app.db).run()
            #expect(clean.problems == [])
            #expect(clean.counted.first { $0.0 == "orders" }?.1 == 3)
            #expect(clean.counted.first { $0.0 == "service records" }?.1 == 1)

            // MUT: what half-written transactions would leave.
            let sql = app.db as! SQLDatabase
            try await sql.raw("DELETE FROM order_facts WHERE order_id = \(bind: ids[1])").run()
            try await sql.raw("UPDATE orders SET status = 'accepted' WHERE id = \(bind: ids[2])").run()
            try await sql.raw("UPDATE volunteers SET hours_total = hours_total + 1 WHERE id = \(bind: w.f.volunteerS1.id!)").run()
            try await sql.raw("UPDATE volunteers SET points_balance = points_balance + 5 WHERE id = \(bind: w.f.volunteerS1.id!)").run()
            try await sql.raw("UPDATE assessment_rollups SET s_submitted = s_submitted + 1 WHERE site_id = 0").run()
            try await sql.raw("DELETE FROM order_events WHERE order_id = \(bind: ids[1])").run()

            // validate: each is named.
            let found = try await ConsistencyCheck(db: app.db).run().problems.joined(separator: "\n")
            for phrase in ["orders without a single event", "status is not where their timeline ends", "without their assessment facts",
                           "hours differ", "points differ", "rollup rows differ"] {
                #expect(found.contains(phrase), "not found: \(phrase)")
            }
        }
    }
}
