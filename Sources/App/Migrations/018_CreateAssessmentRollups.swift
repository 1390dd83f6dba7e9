import Fluent
import SQLKit
import DiandanCore

/// The assessment at province scale: each order's facts kept as it moves, and rollups (per site and
/// month, per day for the whole) maintained in the same transactions, so a year of a province is a few
/// hundred rows to add up. Service records remember the site and team they count for.
struct CreateAssessmentRollups: AsyncMigration {
    func prepare(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        try await database.schema(ServiceRecord.schema).field("site_id", .int, .references(Site.schema, .id)).update()
        try await database.schema(ServiceRecord.schema).field("team_id", .int, .references(Team.schema, .id)).update()
        // Records so far count where their volunteer is registered now, for the team of their order or activity.
        try await sql.raw("UPDATE service_records SET site_id = (SELECT v.site_id FROM volunteers v WHERE v.id = service_records.volunteer_id)").run()
        try await sql.raw("""
            UPDATE service_records SET team_id = COALESCE((SELECT o.team_id FROM orders o WHERE o.id = service_records.order_id),
                                                          (SELECT a.team_id FROM activities a WHERE a.id = service_records.activity_id))
            """).run()
        try await Index.create("service_records_site_day", on: ServiceRecord.schema, ["site_id", "service_date"], in: database)
        try await Index.create("service_records_team_day", on: ServiceRecord.schema, ["team_id", "service_date"], in: database)

        try await database.schema(OrderFactRow.schema)
            .field("order_id", .int, .identifier(auto: false), .references(Order.schema, .id))
            .field("station_id", .int, .required)
            .field("path", .string, .required)
            .field("created_at", .datetime, .required)
            .field("team_id", .int)
            .field("practitioner_id", .int)
            .field("status", .string, .required)
            .field("category_id", .int, .required)
            .field("channel", .string, .required)
            .field("dispatch_minutes", .int)
            .field("accept_minutes", .int)
            .field("escalations", .int, .required)
            .field("escalated_early", .bool, .required)
            .field("completed", .bool, .required)
            .field("rating", .int)
            .create()
        // Subtrees are path prefixes: SQLite compares bytes; PostgreSQL needs pattern operators for LIKE 'x%'.
        try await sql.raw("CREATE INDEX order_facts_path_created ON order_facts (path\(unsafeRaw: sqlite ? "" : " text_pattern_ops"), created_at)").run()
        try await Index.create("order_facts_team_created", on: OrderFactRow.schema, ["team_id", "created_at"], in: database)
        try await Index.create("order_facts_practitioner_created", on: OrderFactRow.schema, ["practitioner_id", "created_at"], in: database)
        try await Index.create("order_facts_created", on: OrderFactRow.schema, ["created_at"], in: database)

        // Composite keys and no row id: the rows are found, and kept in order, by their key.
        let counters = Tally.columns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")
        let tail = sqlite ? " WITHOUT ROWID" : ""
        try await sql.raw("CREATE TABLE assessment_rollups (site_id INTEGER NOT NULL, period INTEGER NOT NULL, \(unsafeRaw: counters), PRIMARY KEY (site_id, period))\(unsafeRaw: tail)").run()
        try await sql.raw("CREATE TABLE assessment_dists (period INTEGER NOT NULL, measure INTEGER NOT NULL, value INTEGER NOT NULL, n BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (period, measure, value))\(unsafeRaw: tail)").run()
        // The first record of a volunteer in a month, quarter and year: where they count as active.
        try await sql.raw("CREATE TABLE volunteer_periods (volunteer_id INTEGER NOT NULL, period INTEGER NOT NULL, site_id INTEGER NOT NULL, PRIMARY KEY (volunteer_id, period))\(unsafeRaw: tail)").run()

        try await AssessmentRollups(db: database).rebuild()
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        for table in ["volunteer_periods", "assessment_dists", "assessment_rollups"] { try await sql.raw("DROP TABLE IF EXISTS \(unsafeRaw: table)").run() }
        try await database.schema(OrderFactRow.schema).delete()
        try await sql.raw("DROP INDEX IF EXISTS service_records_team_day").run()
        try await sql.raw("DROP INDEX IF EXISTS service_records_site_day").run()
        try await database.schema(ServiceRecord.schema).deleteField("team_id").update()
        try await database.schema(ServiceRecord.schema).deleteField("site_id").update()
    }
}
