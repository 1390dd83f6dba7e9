import Fluent

/// Needs surveys (问需): questionnaires and the households' answers. A response carries the id the
/// phone gave it (`client_id`), unique per survey, so an upload retried after a lost answer is the
/// same response, never a second.
struct CreateSurveys: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Survey.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("questions", .string, .required)
            .field("created_by_account_id", .int, .references(Account.schema, .id, onDelete: .setNull))
            .create()
        try await Index.create("surveys_site_status", on: Survey.schema, ["site_id", "status"], in: database)
        try await database.schema(SurveyResponse.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("survey_id", .int, .required, .references(Survey.schema, .id))
            .field("station_id", .int, .required, .references(Site.schema, .id))
            .field("client_id", .string, .required)
            .field("household", .string)
            .field("collected_by_account_id", .int, .references(Account.schema, .id, onDelete: .setNull))
            .field("collected_at", .datetime, .required)
            .field("received_at", .datetime, .required)
            .field("answers", .string, .required)
            .unique(on: "survey_id", "client_id")
            .create()
        try await Index.create("survey_responses_station", on: SurveyResponse.schema, ["survey_id", "station_id", "collected_at"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(SurveyResponse.schema).delete()
        try await database.schema(Survey.schema).delete()
    }
}
