import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Several instances, one system: two apps on one database run their deadline scanners and notice
/// dispatchers at the same moment, over and over; every late order is handed up once, every notice
/// reaches each person once, and the rollups still equal a recount.
@Suite("Two instances on one database")
struct TwinInstanceTests {
    @Test func scannersAndDispatchersNeverDoTheSameWorkTwice() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 10))!)
        try await withTwinApps(clock: clock) { a, b in
            // setup: thirty orders waiting at the urban station, then its ten minutes pass.
            let w = try await LoopWorld.make(a)
            var resident = try await APIClient.signIn(a, Fixture.user(.resident))
            for _ in 0..<30 { #expect(try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).status == .created) }
            clock.advance(11 * 60)

            // MUT: both instances at once, three rounds each.
            let passes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for app in [a, b, a, b, a, b] {
                    group.addTask {
                        let scan = try await DeadlineScanner(service: OrderService.make(app)).runOnce()
                        let notices = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce(batch: 7)
                        return (scan.escalated, notices.entries)
                    }
                }
                return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
            }

            // validate: thirty escalations between them, each recorded once.
            #expect(passes.map(\.0).reduce(0, +) == 30)
            let escalations = try await OrderEvent.query(on: a.db).filter(\.$action == OrderAction.escalate.rawValue).all()
            #expect(escalations.count == 30)
            #expect(Set(escalations.map(\.$order.id)).count == 30)
            // Every notice delivered by exactly one of them: no source twice, no person told twice.
            let pending = try await OrderEvent.query(on: a.db).filter(\.$noticeTopic != nil).filter(\.$noticedAt == nil).count()
            #expect(pending == 0)
            let noticed = try await OrderEvent.query(on: a.db).filter(\.$noticeTopic != nil).count()
            #expect(passes.map(\.1).reduce(0, +) == noticed)
            let items = try await InboxItem.query(on: a.db).all()
            let pairs = items.map { "\($0.eventID ?? -1)/\($0.$account.id)" }
            #expect(!items.isEmpty && Set(pairs).count == pairs.count)
            // The figures of the assessment moved once per step.
            let rollups = AssessmentRollups(db: a.db)
            let kept = try await rollups.snapshot(), recounted = try await rollups.recount(write: false)
            #expect(kept == recounted)
        }
    }
}
