import Fluent
import SQLKit

/// Open311 as its clients expect it: a request's token is made by the server (random, one per
/// request) instead of being the client's Idempotency-Key, and the `media_url` a client posts is kept
/// and given back.
struct AddOpen311Fields: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column at a time: SQLite adds one per statement.
        try await database.schema(Order.schema).field("open311_token", .string).update()
        try await database.schema(Order.schema).field("media_url", .string).update()
        try await Index.create("orders_open311_token", on: Order.schema, ["open311_token"], unique: true, in: database)
    }

    func revert(on database: Database) async throws {
        if let sql = database as? SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS orders_open311_token").run() }
        try await database.schema(Order.schema).deleteField("media_url").update()
        try await database.schema(Order.schema).deleteField("open311_token").update()
    }
}
