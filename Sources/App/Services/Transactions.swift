import Fluent
import FluentSQLiteDriver

extension Database {
    /// A transaction that writes. SQLite opens transactions deferred; when two connections read and
    /// then write, the later one gets SQLITE_BUSY and waiting cannot help, so the whole transaction
    /// runs again (a handful of times, briefly). PostgreSQL waits on row locks instead.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction(body)
            } catch let error as SQLiteError where attempt < 10 {
                switch error.reason {
                case .busy, .busyInSnapshot, .locked:
                    attempt += 1
                    try await Task.sleep(nanoseconds: UInt64(attempt) * 3_000_000)
                default:
                    throw error
                }
            }
        }
    }
}
