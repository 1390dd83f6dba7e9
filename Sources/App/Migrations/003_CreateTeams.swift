import Fluent

struct CreateTeams: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Team.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("name", .string, .required)
            .field("professional", .bool, .required)
            .field("max_concurrent_orders", .int, .required)
            .field("active", .bool, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .create()
        try await Index.create("teams_site", on: Team.schema, ["site_id"], in: database)
        try await database.schema(TeamCategory.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("team_id", .int, .required, .references(Team.schema, .id, onDelete: .cascade))
            .field("category_id", .int, .required, .references(Category.schema, .id))
            .unique(on: "team_id", "category_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TeamCategory.schema).delete()
        try await database.schema(Team.schema).delete()
    }
}
