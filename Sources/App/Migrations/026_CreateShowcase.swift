import Fluent

/// 志愿风采: what leaders publish of finished services and activities, one post per order or
/// activity, with photos stripped of their metadata.
struct CreateShowcase: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ShowcasePost.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("published_at", .datetime, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("team_id", .int, .references(Team.schema, .id, onDelete: .setNull))
            .field("order_id", .int, .references(Order.schema, .id))
            .field("activity_id", .int, .references(Activity.schema, .id))
            .field("title", .string, .required)
            .field("story", .string, .required)
            .field("served_on", .datetime, .required)
            .field("status", .string, .required)
            .field("published_by_account_id", .int, .references(Account.schema, .id, onDelete: .setNull))
            .unique(on: "order_id")
            .unique(on: "activity_id")
            .create()
        try await Index.create("showcase_posts_status_published", on: ShowcasePost.schema, ["status", "published_at"], in: database)
        try await database.schema(ShowcasePhoto.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("post_id", .int, .required, .references(ShowcasePost.schema, .id))
            .field("file", .string, .required)
            .field("content_type", .string, .required)
            .field("position", .int, .required)
            .create()
        try await Index.create("showcase_photos_post", on: ShowcasePhoto.schema, ["post_id", "position"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(ShowcasePhoto.schema).delete()
        try await database.schema(ShowcasePost.schema).delete()
    }
}
