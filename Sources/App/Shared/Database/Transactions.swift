import Fluent
import FluentSQLiteDriver
import SQLKit

extension Database {
    /// A transaction that writes.
    ///
    /// On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock before the first read, so
    /// writers queue on the busy timeout in turn. A deferred `BEGIN` would read first and then fail
    /// at once when another writer committed in between (waiting cannot help a stale snapshot), and
    /// under a steady stream of writes such a transaction can lose every retry. SQLite has a single
    /// writer either way; this makes the wait orderly. PostgreSQL waits on row locks instead.
    func writeTransaction<T: Sendable>(_ given: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        // An admin request's audit entry joins the first write transaction of the request.
        guard let pending = AuditContext.pending, !WriteTransaction.active, pending.claim() else { return try await writeTransactionBody(given) }
        let body: @Sendable (Database) async throws -> T = { db in
            let result = try await given(db)
            _ = try await AuditLog(db: db, signer: pending.signer).appendHere(pending.entry)
            return result
        }
        do {
            return try await writeTransactionBody(body)
        } catch {
            pending.unclaim()
            throw error
        }
    }

    private func writeTransactionBody<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        guard self is SQLiteDatabase else {
            if WriteTransaction.active { return try await body(self) }
            return try await transaction { db in try await WriteTransaction.$active.withValue(true) { try await body(db) } }
        }
        if WriteTransaction.active { return try await body(self) }
        // Group commit: the batch's transaction, one sync for many.
        if let committer = GroupCommitContext.committer { return try await committer.submit(body) }
        var attempt = 0
        while true {
            do {
                return try await withConnection { conn in
                    guard let sql = conn as? SQLDatabase else { return try await body(conn) }
                    try await sql.raw("BEGIN IMMEDIATE").run()
                    do {
                        let result = try await WriteTransaction.$active.withValue(true) { try await body(conn) }
                        try await sql.raw("COMMIT").run()
                        return result
                    } catch {
                        try? await sql.raw("ROLLBACK").run()
                        throw error
                    }
                }
            } catch let error as SQLiteError where attempt < 5 {
                // The busy timeout ran out (a very long writer): try again a few times before giving up.
                switch error.reason {
                case .busy, .busyInSnapshot, .locked:
                    attempt += 1
                    try await Task.sleep(nanoseconds: UInt64(attempt) * 10_000_000)
                default:
                    throw error
                }
            }
        }
    }
}

/// Set while a write transaction's body runs, so a nested call joins it instead of beginning another.
enum WriteTransaction {
    @TaskLocal static var active = false
}
