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
        // Tokens handed out before were the clients' own keys: each one that names a single request
        // keeps naming it (one used by two integrations named two, and is given up).
        if let sql = database as? SQLDatabase {
            struct Old: Decodable { let key: String; let order_id: Int }
            let old = try await sql.raw("SELECT key, order_id FROM idempotency_keys WHERE key LIKE 'open311:%'").all(decoding: Old.self)
            let byToken = Dictionary(grouping: old) { String($0.key.dropFirst("open311:".count)) }
            for (token, uses) in byToken where uses.count == 1 && !token.isEmpty && token.count <= 80 {
                try await sql.raw("UPDATE orders SET open311_token = \(bind: token) WHERE id = \(bind: uses[0].order_id) AND open311_token IS NULL").run()
            }
        }
        try await Index.create("orders_open311_token", on: Order.schema, ["open311_token"], unique: true, in: database)
    }

    func revert(on database: Database) async throws {
        if let sql = database as? SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS orders_open311_token").run() }
        try await database.schema(Order.schema).deleteField("media_url").update()
        try await database.schema(Order.schema).deleteField("open311_token").update()
    }
}
