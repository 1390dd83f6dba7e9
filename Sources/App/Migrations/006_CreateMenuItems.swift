import Fluent

struct CreateMenuItems: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(MenuItem.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("auto_accept", .bool, .required)
            .field("active", .bool, .required)
            .field("category_id", .int, .required, .references(Category.schema, .id))
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .create()
        try await Index.create("menu_items_site", on: MenuItem.schema, ["site_id"], in: database)
        try await database.schema(MenuItemTeam.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("menu_item_id", .int, .required, .references(MenuItem.schema, .id, onDelete: .cascade))
            .field("team_id", .int, .required, .references(Team.schema, .id, onDelete: .cascade))
            .unique(on: "menu_item_id", "team_id")
            .create()
        try await database.schema(MenuItemSite.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("menu_item_id", .int, .required, .references(MenuItem.schema, .id, onDelete: .cascade))
            .field("site_id", .int, .required, .references(Site.schema, .id, onDelete: .cascade))
            .unique(on: "menu_item_id", "site_id")
            .create()
        try await Index.create("menu_item_sites_site", on: MenuItemSite.schema, ["site_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(MenuItemSite.schema).delete()
        try await database.schema(MenuItemTeam.schema).delete()
        try await database.schema(MenuItem.schema).delete()
    }
}
