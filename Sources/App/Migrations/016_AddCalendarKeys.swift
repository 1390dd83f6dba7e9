import Fluent

/// A volunteer's private calendar address is signed with this nonce; a new nonce revokes the old address.
struct AddCalendarKeys: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Volunteer.schema).field("calendar_nonce", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Volunteer.schema).deleteField("calendar_nonce").update()
    }
}
