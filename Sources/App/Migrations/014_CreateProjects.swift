import Fluent
import SQLKit

struct CreateProjects: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Project.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("category_id", .int, .required, .references(Category.schema, .id))
            .field("team_id", .int, .required, .references(Team.schema, .id))
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .field("target_group", .string, .required)
            .field("status", .string, .required)
            .create()
        try await Index.create("projects_site", on: Project.schema, ["site_id"], in: database)
        try await database.schema(ProjectAward.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("project_id", .int, .required, .references(Project.schema, .id, onDelete: .cascade))
            .field("year", .int, .required)
            .field("amount", .double, .required)
            .field("approved_by", .string, .required)
            .field("note", .string, .required)
            .field("recorded_by_account_id", .int)
            .create()
        try await Index.create("project_awards_project", on: ProjectAward.schema, ["project_id"], in: database)
        // How many people an activity served, entered by its organiser afterwards.
        try await database.schema(Activity.schema).field("people_served", .int).update()
        try await Index.create("activities_project", on: Activity.schema, ["project_id"], in: database)
    }

    func revert(on database: Database) async throws {
        if let sql = database as? SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS activities_project").run() }
        try await database.schema(Activity.schema).deleteField("people_served").update()
        try await database.schema(ProjectAward.schema).delete()
        try await database.schema(Project.schema).delete()
    }
}
