import Fluent

struct CreateNotifications: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(OutboxEntry.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("topic", .string, .required)
            .field("order_id", .int)
            .field("team_id", .int)
            .field("site_id", .int)
            .field("actor_account_id", .int)
            .field("text", .string)
            // A notice about something other than an order names its one recipient, subject and page.
            .field("recipient_account_id", .int)
            .field("subject", .string)
            .field("link", .string)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("processed_at", .datetime)
            .field("failed", .bool, .required)
            .field("last_error", .string)
            .create()
        try await Index.create("outbox_pending", on: OutboxEntry.schema, ["processed_at", "next_attempt_at"], in: database)

        try await database.schema(InboxItem.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("account_id", .int, .required, .references(Account.schema, .id, onDelete: .cascade))
            // The source: an outbox entry, or an order event (the loop's events are their own outbox).
            .field("outbox_id", .int)
            .field("event_id", .int)
            .field("topic", .string, .required)
            .field("order_id", .int)
            .field("params", .string, .required)
            .field("link", .string)
            .field("read_at", .datetime)
            // Delivering the same entry twice can never give anyone two copies.
            .unique(on: "outbox_id", "account_id")
            .unique(on: "event_id", "account_id")
            .create()
        try await Index.create("notifications_account_read", on: InboxItem.schema, ["account_id", "read_at"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(InboxItem.schema).delete()
        try await database.schema(OutboxEntry.schema).delete()
    }
}
