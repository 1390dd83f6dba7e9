import Fluent

struct CreateVolunteers: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Volunteer.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("number", .string, .required)
            .field("real_name", .string, .required)
            .field("id_sealed", .string, .required)
            .field("id_hash", .string, .required)
            .field("id_masked", .string, .required)
            .field("gender", .string, .required)
            .field("birth_date", .string, .required)
            .field("phone_sealed", .string, .required)
            .field("phone_masked", .string, .required)
            .field("skills", .array(of: .string), .required)
            .field("registered_on", .string, .required)
            .field("active", .bool, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("account_id", .int, .references(Account.schema, .id, onDelete: .setNull))
            .unique(on: "number")
            // One person, one registration: the database enforces it even under concurrent sign-ups.
            .unique(on: "id_hash")
            .create()
        try await Index.create("volunteers_site", on: Volunteer.schema, ["site_id"], in: database)
        try await database.schema(TeamMembership.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("role", .string, .required)
            .field("team_id", .int, .required, .references(Team.schema, .id, onDelete: .cascade))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, .id, onDelete: .cascade))
            .unique(on: "team_id", "volunteer_id")
            .create()
        try await Index.create("memberships_volunteer", on: TeamMembership.schema, ["volunteer_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(TeamMembership.schema).delete()
        try await database.schema(Volunteer.schema).delete()
    }
}
