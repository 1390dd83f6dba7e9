import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Group commit and the order intake")
struct GroupCommitTests {
    /// Orders placed at once share commits; each caller hears only of its own outcome — a refused
    /// order rolls back alone, a retried key finds its first try even inside the same batch — and the
    /// records agree afterwards.
    @Test func concurrentWritesShareCommitsAndFailAlone() async throws {
        guard !TestDatabase.isPostgres else { return }
        let file = NSTemporaryDirectory() + "diandan-group-\(UUID().uuidString.prefix(8)).sqlite"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
        try await withTestApp(sqlitePath: file, schema: nil) { app in
            let w = try await LoopWorld.make(app)
            let committer = GroupCommitter.start(app)
            let resident = try await Principal.load(accountID: w.f.accountS1.id!, on: app.db)!
            // 60 good orders, 10 for a menu item that does not exist, and 10 retries of the first 5 keys.
            let results = try await GroupCommitContext.$committer.withValue(committer) {
                try await Self.placeEighty(w, by: resident, with: OrderService.make(app))
            }
            let made = results.filter { $0.2 }, refused = results.filter { $0.1 == nil }
            #expect(made.count == 60)
            #expect(refused.count == 10 && refused.allSatisfy { $0.0.hasPrefix("bad") })
            // A retry gets the order of its first try, never a second one.
            for r in results where !r.2 && r.1 != nil {
                #expect(made.first { $0.0 == r.0 }?.1 == r.1)
            }
            #expect(try await Order.query(on: app.db).count() == 60)
            // Fewer commits than transactions: they were shared. (The refused orders were refused
            // before they reached the writer; retries of stored keys too.)
            #expect(committer.stats.transactions >= 60)
            #expect(committer.stats.batches < committer.stats.transactions)
            #expect(committer.stats.largest > 1)
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])

            // Transactions that fail after writing, among ones that succeed: each failure is rolled
            // back alone (its savepoint) and its caller hears of it; the others stand.
            let before = try await Category.query(on: app.db).count()
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        do {
                            try await committer.submit { db in
                                let c = Category()
                                c.name = "类别\(i)"
                                c.nameEn = "Category \(i)"
                                c.sortOrder = 100 + i
                                c.active = true
                                try await c.create(on: db)
                                if i % 2 == 1 { throw AppError.badRequest(Message("error.not_found_choice")) }
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                var out: [Bool] = []
                for await ok in group { out.append(ok) }
                return out
            }
            #expect(outcomes.filter { $0 }.count == 20)
            #expect(try await Category.query(on: app.db).count() == before + 20)
            #expect(try await Category.query(on: app.db).filter(\.$sortOrder >= 100).all().allSatisfy { $0.sortOrder % 2 == 0 })
            committer.stop()
        }
    }

    /// 80 orders placed at once: 60 good ones with keys k0…k59, 10 for a menu item that does not
    /// exist, and 10 retries of k0…k4. Each: its key (or "bad…"), its order id if any, whether it is new.
    static func placeEighty(_ w: LoopWorld, by resident: Principal, with service: OrderService) async throws -> [(String, Int?, Bool)] {
        try await withThrowingTaskGroup(of: (String, Int?, Bool).self) { group in
            for i in 0..<80 {
                group.addTask {
                    let key: String? = i < 60 ? "k\(i)" : (i >= 70 ? "k\(i - 70)" : nil)
                    do {
                        let (o, created) = try await service.create(input(w, menu: i >= 60 && i < 70 ? 99_999 : w.f.menuS1.id!), by: resident, key: key)
                        return (key ?? "bad\(i)", o.id, created)
                    } catch {
                        return (key ?? "bad\(i)", nil, false)
                    }
                }
            }
            var out: [(String, Int?, Bool)] = []
            for try await r in group { out.append(r) }
            return out
        }
    }

    static func input(_ w: LoopWorld, menu: Int?, category: Int? = nil) -> OrderInput {
        OrderInput(menuItemID: menu, categoryID: category, details: category == nil ? "" : "帮忙修水管", stationID: w.f.s1.id!, latitude: nil, longitude: nil, address: "一号站旁",
                   windowStart: nil, windowEnd: nil, people: 1, contactName: "张", contactPhone: PhoneNumber.parse("13800001234")!,
                   channel: .api, notes: "")
    }

    /// The order intake writes orders placed together as one batch — on SQLite inside the group
    /// commit, on PostgreSQL in a transaction of its own. Every order read the same room when it was
    /// placed, yet no team gets more than it may hold; retries find their first try; the records agree.
    @Test func intakeBatchesKeepTeamsWithinTheirRoom() async throws {
        let file = NSTemporaryDirectory() + "diandan-intake-\(UUID().uuidString.prefix(8)).sqlite"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
        try await withTestApp(sqlitePath: file, schema: nil) { app in
            let w = try await LoopWorld.make(app)
            let committer = TestDatabase.isPostgres ? nil : GroupCommitter.start(app)
            let intake = OrderIntake.start(app, committer: committer)
            var service = OrderService.make(app)
            service.intake = intake
            let resident = try await Principal.load(accountID: w.f.accountS1.id!, on: app.db)!
            let results = try await Self.placeEighty(w, by: resident, with: service)
            let made = results.filter { $0.2 }
            #expect(made.count == 60)
            #expect(results.filter { $0.1 == nil }.count == 10)
            for r in results where !r.2 && r.1 != nil { #expect(made.first { $0.0 == r.0 }?.1 == r.1) }
            let orders = try await Order.query(on: app.db).all()
            #expect(orders.count == 60)
            // S1's team holds 3 at most and the centre team 5: eight dispatched, the rest queued.
            #expect(orders.filter { $0.$team.id == w.f.teamS1.id }.count == 3)
            #expect(orders.filter { $0.$team.id == w.centreTeam.id }.count == 5)
            #expect(orders.filter { $0.status == .submitted && $0.$team.id == nil }.count == 52)
            for o in orders { #expect(o.number == OrderNumber.make(date: o.createdAt, sequence: o.id!)) }
            let dispatches = try await OrderEvent.query(on: app.db).filter(\.$action == OrderAction.dispatch.rawValue).all()
            #expect(dispatches.count == 8 && dispatches.allSatisfy { $0.detail != nil && $0.teamID != nil && $0.toStatus == OrderStatus.dispatched.rawValue })
            #expect(try await OrderEvent.query(on: app.db).filter(\.$action == OrderAction.submit.rawValue).count() == 60)
            #expect(intake.stats.transactions == 70)
            #expect(intake.stats.batches < intake.stats.transactions)
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
            intake.stop()
            committer?.stop()
        }
    }

    /// One batch holding an order and its retry, and then a batch holding a retry of a stored key:
    /// each retry gets the first order, and only one is written.
    @Test func retriesInsideAndAcrossBatches() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let service = OrderService.make(app)
            let resident = try await Principal.load(accountID: w.f.accountS1.id!, on: app.db)!
            func placed(_ key: String?) async throws -> PlacedOrder {
                guard case .placed(let p) = try await service.place(Self.input(w, menu: w.f.menuS1.id!), by: resident, key: key) else {
                    throw AppError.notFound
                }
                return p
            }
            let first = try await placed("a"), retry = try await placed("a"), other = try await placed(nil)
            let written = try await app.db.writeTransaction { db in try await OrderWriter.write([first, retry, other], on: db) }
            #expect(written.map(\.created) == [true, false, true])
            #expect(written[1].order.id == written[0].order.id)
            #expect(written[2].order.id == written[0].order.id! + 1)
            // The key is stored now: placing again finds it before anything is written…
            guard case .earlier(let id) = try await service.place(Self.input(w, menu: w.f.menuS1.id!), by: resident, key: "a") else {
                Issue.record("a used key was not found"); return
            }
            #expect(id == written[0].order.id)
            // …and a batch that already holds a try with it (placed before the first was written) answers with the first.
            let late = try await app.db.writeTransaction { db in try await OrderWriter.write([retry], on: db) }
            #expect(late[0].created == false && late[0].order.id == written[0].order.id)
            #expect(try await Order.query(on: app.db).count() == 2)
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
        }
    }
}
