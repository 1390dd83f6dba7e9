import Fluent

struct CreateCertificates: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Certificate.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("number", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, .id, onDelete: .cascade))
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("issued_by_account_id", .int)
            .field("total_hours", .double, .required)
            .field("content", .string, .required)
            .unique(on: "number")
            .create()
        try await Index.create("certificates_volunteer", on: Certificate.schema, ["volunteer_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(Certificate.schema).delete()
    }
}
