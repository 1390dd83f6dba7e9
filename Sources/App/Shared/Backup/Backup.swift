import Vapor
import Fluent
import FluentSQLiteDriver
import Foundation

/// Backup and restore. Volunteer hours are a credit people exchange for perks (and, in the seed
/// reports, for loans): a copy must be consistent, checked, and restorable by staff who are not engineers.
///
/// - SQLite: `VACUUM INTO` writes a consistent copy while the server runs; the copy is then opened on
///   its own and must pass `PRAGMA integrity_check` and hold the migrations and the orders.
/// - PostgreSQL: `pg_dump --format=custom` (from the PostgreSQL client tools on the PATH), checked by
///   `pg_restore --list`; restore is `pg_restore --clean --single-transaction`.
struct Backup {
    let app: Application
    var settings: Settings

    init(app: Application, settings: Settings? = nil) {
        self.app = app
        self.settings = settings ?? app.settings
    }

    struct Report: Sendable, Equatable {
        var file: String
        var bytes: Int
        var orders: Int
        var migrations: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var postgres: Bool { settings.databaseURL.map { !$0.isEmpty } ?? false }

    // MARK: Backup

    func backup(to path: String) async throws -> Report {
        guard !FileManager.default.fileExists(atPath: path) else { throw Failure(description: "\(path) already exists; choose a new file.") }
        if postgres {
            try run("pg_dump", ["--format=custom", "--no-owner", "--file", path] + schemaArguments + [try url()])
            return try await checkDump(path)
        }
        guard let sql = app.db as? SQLDatabase else { throw Failure(description: "No database.") }
        try await sql.raw("VACUUM INTO \(bind: path)").run()
        return try await Self.check(sqliteFile: path, app: app)
    }

    // MARK: Restore

    /// Checks the backup first; only a good one replaces the database.
    func restore(from path: String) async throws -> Report {
        guard FileManager.default.fileExists(atPath: path) else { throw Failure(description: "\(path) does not exist.") }
        if postgres {
            _ = try await checkDump(path)
            try run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", try url(), path])
            guard let sql = app.db as? SQLDatabase else { throw Failure(description: "No database.") }
            return Report(file: path, bytes: size(path), orders: try await count(sql, "orders"), migrations: try await count(sql, "_fluent_migrations"))
        }
        let target = settings.sqlitePath
        guard target != ":memory:" else { throw Failure(description: "The database is in memory; there is nothing to restore into.") }
        let report = try await Self.check(sqliteFile: path, app: app)
        // A server still using the database would keep writing to a file that is no longer there.
        if FileManager.default.fileExists(atPath: target) { try await Self.ensureUnused(target, app: app) }
        let staging = target + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: path, toPath: staging)
        // rename(2) replaces the old file in one step: the database is either the old one or the backup.
        guard rename(staging, target) == 0 else { throw Failure(description: "\(target) could not be replaced (errno \(errno)).") }
        return report
    }

    // MARK: Checks

    /// Opens a SQLite file on its own connection: it must pass the integrity check and be a Diandan database.
    static func check(sqliteFile path: String, app: Application) async throws -> Report {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: app.threadPool, logger: app.logger,
                                                         on: app.eventLoopGroup.any()).get()
        do {
            let result = try await connection.query("PRAGMA integrity_check").map { $0.column("integrity_check")?.string ?? "" }
            guard result == ["ok"] else {
                throw Failure(description: "\(path) fails SQLite's integrity check: \(result.prefix(3).joined(separator: "; "))")
            }
            func count(_ table: String) async throws -> Int {
                try await connection.query("SELECT COUNT(*) AS n FROM \"\(table)\"").first?.column("n")?.integer ?? 0
            }
            let migrations = try await count("_fluent_migrations")
            guard migrations > 0 else { throw Failure(description: "\(path) is not a Diandan database.") }
            let report = Report(file: path, bytes: size(path), orders: try await count("orders"), migrations: migrations)
            try await connection.close().get()
            return report
        } catch {
            try? await connection.close().get()
            if error is Failure { throw error }
            throw Failure(description: "\(path) is not a readable SQLite database (\(error)).")
        }
    }

    /// Refuses when another process has the database open (the server must be stopped first). The
    /// last connection to close a WAL database folds the log in and removes it with its index; if they
    /// are still there after ours closes, someone else holds the file.
    static func ensureUnused(_ path: String, app: Application) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: app.threadPool, logger: app.logger,
                                                         on: app.eventLoopGroup.any()).get()
        var busy = false
        do {
            _ = try await connection.query("BEGIN EXCLUSIVE")
            _ = try await connection.query("ROLLBACK")
        } catch {
            busy = true
        }
        try await connection.close().get()
        if busy || ["-wal", "-shm"].contains(where: { FileManager.default.fileExists(atPath: path + $0) }) {
            throw Failure(description: "\(path) is in use: stop the server before restoring.")
        }
    }

    /// A dump that pg_restore can read and that holds the orders table.
    func checkDump(_ path: String) async throws -> Report {
        let listing = try run("pg_restore", ["--list", path])
        guard listing.contains("TABLE DATA") && listing.contains(" orders ") else {
            throw Failure(description: "\(path) is not a Diandan PostgreSQL dump.")
        }
        guard let sql = app.db as? SQLDatabase else { throw Failure(description: "No database.") }
        return Report(file: path, bytes: Self.size(path), orders: try await count(sql, "orders"), migrations: try await count(sql, "_fluent_migrations"))
    }

    // MARK: Helpers

    var schemaArguments: [String] { settings.postgresSchema.map { ["--schema", $0] } ?? [] }

    func url() throws -> String {
        guard let url = settings.databaseURL else { throw Failure(description: "DATABASE_URL is not set.") }
        return url
    }

    func count(_ sql: SQLDatabase, _ table: String) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: Row.self)?.n ?? 0
    }

    static func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0 }

    func size(_ path: String) -> Int { Self.size(path) }

    /// Runs a PostgreSQL client tool; its output, or its error as the failure.
    @discardableResult
    func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw Failure(description: "\(tool) could not be started (install the PostgreSQL client tools): \(error)") }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "\(tool) failed: " + String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
