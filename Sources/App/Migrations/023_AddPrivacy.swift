import Fluent

/// Privacy: when a closed order's contact data was anonymised; a volunteer's request to be deleted
/// and when it was carried out.
struct AddPrivacy: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Order.schema).field("anonymised_at", .datetime).update()
        try await database.schema(Volunteer.schema).field("deletion_requested_at", .datetime).update()
        try await database.schema(Volunteer.schema).field("deleted_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Volunteer.schema).deleteField("deleted_at").update()
        try await database.schema(Volunteer.schema).deleteField("deletion_requested_at").update()
        try await database.schema(Order.schema).deleteField("anonymised_at").update()
    }
}
