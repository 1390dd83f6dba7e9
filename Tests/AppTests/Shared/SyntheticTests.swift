import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("Synthetic data")
struct SyntheticTests {
    static let mini = SyntheticScale(centres: 2, institutesPerCentre: 2, stationsPerCentre: 4, teamsPerStation: 2, teamsPerInstitute: 1, teamsPerCentre: 1,
                                     volunteersPerStation: 4, menuItemsPerStation: 2, projectsPerStationTeam: 1, ordersPerStation: 30, days: 730)
    static let now = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 12))!

    /// What the data says, in a form two runs can be compared by.
    static func digest(_ app: Application) async throws -> [String] {
        let orders = try await Order.query(on: app.db).sort(\.$id).all().map { "\($0.number) \($0.status) \($0.channel) \($0.rating ?? 0) \($0.$team.id ?? 0)" }
        let volunteers = try await Volunteer.query(on: app.db).sort(\.$id).all().map { "\($0.realName) \($0.idMasked) \($0.hoursTotal)" }
        return orders + volunteers
    }

    static func seed(_ app: Application, _ seed: UInt64, lines: LineLog? = nil) async throws -> SyntheticSeeder.Counts {
        try await SyntheticSeeder(db: app.db, protector: app.protector, scale: mini, seed: seed, now: now,
                                  progress: { lines?.append($0) }).run()
    }

    final class LineLog: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.withLock { lines.append(s) } }
        var all: [String] { lock.withLock { lines } }
    }

    @Test func theSameSeedGivesTheSameProvinceAndItHoldsTogether() async throws {
        var first: [String] = [], second: [String] = [], other: [String] = []
        let log = LineLog()
        try await withTestApp { app in
            // MUT
            let counts = try await Self.seed(app, 42, lines: log)
            // validate: the volumes asked for.
            let expected = SyntheticSeeder.Counts(sites: 14, teams: 22, volunteers: 32, menuItems: 16, projects: 22, orders: 240,
                                                  events: counts.events, records: counts.records)
            #expect(counts == expected)
            #expect(try await Order.query(on: app.db).count() == counts.orders)
            #expect(log.all.contains { $0.contains("[##############################]") })
            first = try await Self.digest(app)

            // Every order ends where its last event left it; rated orders have a rating event.
            let orders = try await Order.query(on: app.db).all()
            let events = try await OrderEvent.query(on: app.db).sort(\.$id).all()
            let last = Dictionary(grouping: events, by: { $0.$order.id }).mapValues { $0.last!.toStatus }
            #expect(orders.allSatisfy { last[$0.id!] == $0.status.rawValue })
            let rated = Set(events.filter { $0.action == "rate" }.map(\.$order.id))
            #expect(orders.filter { $0.rating != nil }.allSatisfy { rated.contains($0.id!) })
            // Hours on the volunteers equal their service records; records only for served orders.
            let records = try await ServiceRecord.query(on: app.db).all()
            let volunteers = try await Volunteer.query(on: app.db).all()
            let recordHours: Double = records.map(\.hours).reduce(0, +)
            let volunteerHours: Double = volunteers.map(\.hoursTotal).reduce(0, +)
            #expect(recordHours > 0)
            #expect(abs(recordHours - volunteerHours) < 1e-9)
            let served = Set(orders.filter { $0.completedAt != nil }.map(\.id!))
            #expect(records.allSatisfy { served.contains($0.$order.id ?? -1) })
            // A realistic mix: most orders closed, some cancelled and rejected, ratings mostly good.
            let total = Double(orders.count)
            let closed = Double(orders.filter { $0.status == .closed }.count) / total
            let cancelled = Double(orders.filter { $0.status == .cancelled }.count) / total
            let rejected = Double(orders.filter { $0.status == .rejected }.count) / total
            #expect(closed > 0.35)
            #expect(cancelled > 0.03)
            #expect(rejected > 0.02)
            let ratings = orders.compactMap(\.rating)
            let good = Double(ratings.filter { $0 >= 4 }.count) / Double(ratings.count)
            #expect(good > 0.6)
            // The assessment reads it: every order of two years at the first county.
            let centre = try #require(try await Site.query(on: app.db).filter(\.$kind == .centre).sort(\.$id).first())
            let range = AssessmentRange(from: Self.now.addingTimeInterval(-731 * 86_400), to: Self.now.addingTimeInterval(1))
            let report = try await AssessmentService(db: app.db).report(centre, range, grain: .month)
            #expect(report.total.orders == 4 * 30)
            #expect(report.children.count == 2)
            // The seed kept the assessment's facts and rollups itself: they equal a recount row for row.
            let rollups = AssessmentRollups(db: app.db)
            let kept = try await rollups.snapshot()
            let recounted = try await rollups.recount(write: false)
            #expect(kept.facts.count == orders.count)
            #expect(kept.facts == recounted.facts)
            #expect(kept.presence == recounted.presence)
            #expect(kept.dists == recounted.dists)
            #expect(kept.counters == recounted.counters)
        }
        try await withTestApp { app in
            _ = try await Self.seed(app, 42)
            second = try await Self.digest(app)
        }
        try await withTestApp { app in
            _ = try await Self.seed(app, 43)
            other = try await Self.digest(app)
        }
        #expect(first == second)
        #expect(first != other)
    }
}

@Suite("Synthetic data and the live app")
struct SyntheticThenLiveTests {
    @Test func theAppKeepsWorkingOnTopOfSyntheticData() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            _ = try await SyntheticSeeder(db: app.db, protector: app.protector, scale: SyntheticTests.mini, seed: 5, now: Date(), progress: { _ in }).run()
            // New rows after the seed get fresh ids (PostgreSQL's sequences were moved on).
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let r = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
            #expect(r.status == .created)
            let max = try await Order.query(on: app.db).max(\.$id) ?? 0
            #expect(try r.json()["id"] as? Int == max)
        }
    }
}
