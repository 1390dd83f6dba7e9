import Fluent
import Vapor

/// Sign-in sessions of the web pages, ours instead of Fluent's: a row only for a signed-in person
/// (an anonymous visit writes nothing), the account it belongs to (so changing a password or
/// disabling an account ends every one of its sessions), and when it expires (so expired rows are
/// purged). The cookie holds a random token; the row holds its SHA-256 only. Fluent's own session
/// table, which grew a row for every anonymous visit and never lost one, is dropped.
struct CreateWebSessions: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(WebSessionStore.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("token_hash", .string, .required)
            .field("account_id", .int, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("csrf", .string, .required)
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await Index.create("web_sessions_account", on: WebSessionStore.schema, ["account_id"], in: database)
        try await Index.create("web_sessions_expires", on: WebSessionStore.schema, ["expires_at"], in: database)
        try await database.schema("_fluent_sessions").delete()
    }

    func revert(on database: Database) async throws {
        try await SessionRecord.migration.prepare(on: database).get()
        try await database.schema(WebSessionStore.schema).delete()
    }
}
