import Foundation
import Testing
import VaporTesting
import Fluent
import FluentSQLiteDriver
@testable import App
@testable import DiandanCore

/// `diandan backup` and `restore`: a consistent copy, checked before it is trusted; a damaged one
/// never replaces the database.
@Suite("Backup and restore")
struct BackupTests {
    func temporary(_ name: String) -> String { NSTemporaryDirectory() + "diandan-\(UUID().uuidString.prefix(8))-" + name }

    @Test func aBackupIsCheckedAndRestoresTheOrdersAndADamagedOneIsRefused() async throws {
        try await withTestApp { app in
            // setup: five orders.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            for _ in 0..<5 { #expect(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).status == .created) }
            let file = temporary(TestDatabase.isPostgres ? "backup.dump" : "backup.sqlite")
            defer { try? FileManager.default.removeItem(atPath: file) }

            // MUT: the backup, which checks itself.
            let made = try await Backup(app: app).backup(to: file)
            #expect(made.orders == 5 && made.migrations > 10 && made.bytes > 10_000)
            // It never overwrites a file.
            await #expect(throws: Backup.Failure.self) { try await Backup(app: app).backup(to: file) }

            if TestDatabase.isPostgres {
                // A sixth order after the backup is gone once the backup is restored.
                #expect(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).status == .created)
                #expect(try await Order.query(on: app.db).count() == 6)
                let restored = try await Backup(app: app).restore(from: file)
                #expect(restored.orders == 5)
                #expect(try await Order.query(on: app.db).count() == 5)
                return
            }

            // SQLite: restore into a database file (new, then over itself again).
            var settings = app.settings
            settings.sqlitePath = temporary("restored.sqlite")
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.sqlitePath + s) } }
            let restore = Backup(app: app, settings: settings)
            #expect(try await restore.restore(from: file).orders == 5)
            #expect(try await Backup.check(sqliteFile: settings.sqlitePath, app: app).orders == 5)
            #expect(try await restore.restore(from: file).orders == 5)
            // Not while something (a running server) has the database open.
            let holder = try await SQLiteConnection.open(storage: .file(path: settings.sqlitePath), threadPool: app.threadPool, logger: app.logger,
                                                         on: app.eventLoopGroup.any()).get()
            _ = try await holder.query("PRAGMA journal_mode=WAL")
            _ = try await holder.query("SELECT COUNT(*) FROM orders")
            await #expect(throws: Backup.Failure.self) { try await restore.restore(from: file) }
            try await holder.close().get()
            #expect(try await restore.restore(from: file).orders == 5)

            // A damaged copy fails its check, and the database it would replace is left as it was.
            let damaged = temporary("damaged.sqlite")
            defer { try? FileManager.default.removeItem(atPath: damaged) }
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            for i in stride(from: 4096 * 3, to: min(bytes.count, 4096 * 6), by: 7) { bytes[i] = 0xA5 }
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
            await #expect(throws: Backup.Failure.self) { try await restore.restore(from: damaged) }
            let garbage = temporary("garbage.sqlite")
            defer { try? FileManager.default.removeItem(atPath: garbage) }
            try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: garbage))
            await #expect(throws: Backup.Failure.self) { try await restore.restore(from: garbage) }
            #expect(try await Backup.check(sqliteFile: settings.sqlitePath, app: app).orders == 5)
        }
    }
}
