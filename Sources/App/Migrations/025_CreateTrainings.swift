import Fluent

/// Trainings (培训) and who attended them. Attendance is one row per volunteer and training
/// (unique), so a code scanned twice is one attendance; the hours are the training's, kept apart
/// from service hours.
struct CreateTrainings: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Training.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("team_id", .int, .references(Team.schema, .id, onDelete: .setNull))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("trainer", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("hours", .double, .required)
            .field("mode", .string, .required)
            .field("address", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("radius", .int, .required)
            .field("created_by_account_id", .int, .references(Account.schema, .id, onDelete: .setNull))
            .create()
        try await Index.create("trainings_site_start", on: Training.schema, ["site_id", "starts_at"], in: database)
        try await database.schema(TrainingAttendance.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("training_id", .int, .required, .references(Training.schema, .id))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, .id))
            .field("checked_in_at", .datetime, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("hours", .double, .required)
            .unique(on: "training_id", "volunteer_id")
            .create()
        try await Index.create("training_attendances_volunteer", on: TrainingAttendance.schema, ["volunteer_id", "checked_in_at"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(TrainingAttendance.schema).delete()
        try await database.schema(Training.schema).delete()
    }
}
