import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Group commit on SQLite")
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
            func input(_ menu: Int?) -> OrderInput {
                OrderInput(menuItemID: menu, categoryID: nil, details: "", stationID: w.f.s1.id!, latitude: nil, longitude: nil, address: "一号站旁",
                           windowStart: nil, windowEnd: nil, people: 1, contactName: "张", contactPhone: PhoneNumber.parse("13800001234")!,
                           channel: .api, notes: "")
            }
            // 60 good orders, 10 for a menu item that does not exist, and 10 retries of the first 5 keys.
            let results = try await GroupCommitContext.$committer.withValue(committer) {
                try await withThrowingTaskGroup(of: (String, Int?, Bool).self) { group in
                    for i in 0..<80 {
                        group.addTask {
                            let key: String? = i < 60 ? "k\(i)" : (i >= 70 ? "k\(i - 70)" : nil)
                            do {
                                let (o, created) = try await OrderService.make(app).create(input(i >= 60 && i < 70 ? 99_999 : w.f.menuS1.id!), by: resident, key: key)
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
            let made = results.filter { $0.2 }, refused = results.filter { $0.1 == nil }
            #expect(made.count == 60)
            #expect(refused.count == 10 && refused.allSatisfy { $0.0.hasPrefix("bad") })
            // A retry gets the order of its first try, never a second one.
            for r in results where !r.2 && r.1 != nil {
                #expect(made.first { $0.0 == r.0 }?.1 == r.1)
            }
            #expect(try await Order.query(on: app.db).count() == 60)
            // Fewer commits than transactions: they were shared.
            #expect(committer.stats.transactions >= 80)
            #expect(committer.stats.batches < committer.stats.transactions)
            #expect(committer.stats.largest > 1)
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
            committer.stop()
        }
    }
}
