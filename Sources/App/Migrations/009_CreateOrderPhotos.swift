import Fluent

struct CreateOrderPhotos: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(OrderPhoto.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("file", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .int, .required)
            .field("order_id", .int, .required, .references(Order.schema, .id, onDelete: .cascade))
            .field("uploaded_by_account_id", .int, .references(Account.schema, .id))
            .create()
        try await Index.create("order_photos_order", on: OrderPhoto.schema, ["order_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(OrderPhoto.schema).delete()
    }
}
