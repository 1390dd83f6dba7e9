import Fluent

struct CreatePerks: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Perk.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("points_cost", .int, .required)
            .field("stock", .int)
            .field("redeemed", .int, .required)
            .field("active", .bool, .required)
            .create()
        try await Index.create("perks_site", on: Perk.schema, ["site_id"], in: database)
        try await database.schema(PerkRedemption.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("perk_id", .int, .required, .references(Perk.schema, .id))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, .id, onDelete: .cascade))
            .field("points", .int, .required)
            .field("code", .string, .required)
            .unique(on: "code")
            .create()
        try await Index.create("perk_redemptions_volunteer", on: PerkRedemption.schema, ["volunteer_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(PerkRedemption.schema).delete()
        try await database.schema(Perk.schema).delete()
    }
}
