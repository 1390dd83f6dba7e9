import Fluent

/// Large exports run in the background and show their progress; the file waits for its owner a day.
struct CreateExportJobs: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ExportJob.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("account_id", .int, .required, .references(Account.schema, .id))
            .field("kind", .string, .required)
            .field("format", .string, .required)
            .field("site_id", .int)
            .field("range_from", .datetime, .required)
            .field("range_to", .datetime, .required)
            .field("locale", .string, .required)
            .field("status", .string, .required)
            .field("total", .int, .required)
            .field("done", .int, .required)
            .field("file", .string)
            .field("filename", .string)
            .field("error", .string)
            .field("finished_at", .datetime)
            .create()
        try await Index.create("export_jobs_status", on: ExportJob.schema, ["status", "id"], in: database)
        try await Index.create("export_jobs_account", on: ExportJob.schema, ["account_id", "id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(ExportJob.schema).delete()
    }
}
