import Fluent
import SQLKit

/// Order events carry their own notice: no separate outbox row on the hot path.
struct AddEventNotices: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        try await database.schema(OrderEvent.schema).field("notice_topic", .string).update()
        try await database.schema(OrderEvent.schema).field("noticed_at", .datetime).update()
        // Only the few undelivered ones are indexed.
        if let sql = database as? SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS order_events_notice_pending ON order_events (id) WHERE notice_topic IS NOT NULL AND noticed_at IS NULL").run()
        }
    }

    func revert(on database: Database) async throws {
        if let sql = database as? SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS order_events_notice_pending").run() }
        try await database.schema(OrderEvent.schema).deleteField("noticed_at").update()
        try await database.schema(OrderEvent.schema).deleteField("notice_topic").update()
    }
}
