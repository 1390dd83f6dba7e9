import Fluent

struct CreateWishes: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Wish.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("value", .int, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("requester_account_id", .int, .references(Account.schema, .id, onDelete: .setNull))
            .field("on_behalf", .bool, .required)
            .field("contact_name", .string)
            .field("status", .string, .required)
            .field("volunteer_id", .int, .references(Volunteer.schema, .id, onDelete: .setNull))
            .field("claimed_at", .datetime)
            .field("fulfilled_at", .datetime)
            .field("fulfil_note", .string)
            .field("photo_file", .string)
            .field("photo_type", .string)
            .field("confirmed_at", .datetime)
            .create()
        try await Index.create("wishes_site_status", on: Wish.schema, ["site_id", "status"], in: database)
        try await Index.create("wishes_volunteer", on: Wish.schema, ["volunteer_id"], in: database)
        try await database.schema(ServiceRecord.schema).field("wish_id", .int).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ServiceRecord.schema).deleteField("wish_id").update()
        try await database.schema(Wish.schema).delete()
    }
}
