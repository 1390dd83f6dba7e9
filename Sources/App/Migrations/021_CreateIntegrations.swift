import Fluent

/// Outside systems: an Open311 key per integration (and the account its orders are placed by), an
/// optional webhook it is told through, and the deliveries to webhooks and the SMS gateway.
struct CreateIntegrations: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Integration.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("name", .string, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("account_id", .int, .required, .references(Account.schema, .id))
            .field("created_by_account_id", .int, .references(Account.schema, .id))
            .field("key_hash", .string, .required)
            .field("key_hint", .string, .required)
            .field("webhook_url", .string)
            .field("webhook_secret_sealed", .string)
            .field("revoked_at", .datetime)
            .field("last_used_at", .datetime)
            .unique(on: "key_hash")
            .create()
        try await database.schema(Delivery.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("channel", .string, .required)
            .field("topic", .string, .required)
            .field("event_key", .string, .required)
            .field("integration_id", .int, .references(Integration.schema, .id))
            .field("account_id", .int, .references(Account.schema, .id))
            .field("order_id", .int)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("lease_until", .datetime)
            .field("delivered_at", .datetime)
            .field("last_error", .string)
            .create()
        try await Index.create("deliveries_due", on: Delivery.schema, ["status", "next_attempt_at"], in: database)
        try await Index.create("integrations_site", on: Integration.schema, ["site_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(Delivery.schema).delete()
        try await database.schema(Integration.schema).delete()
    }
}
