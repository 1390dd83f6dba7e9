import Fluent
import SQLKit

struct CreateSites: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Site.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("path", .string, .required)
            .field("latitude", .double, .required)
            .field("longitude", .double, .required)
            .field("zone", .string, .required)
            .field("active", .bool, .required)
            .field("parent_id", .int, .references(Site.schema, .id))
            .unique(on: "code")
            .create()
        try await Index.create("sites_path", on: Site.schema, ["path"], in: database)
        try await Index.create("sites_parent", on: Site.schema, ["parent_id"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(Site.schema).delete()
    }
}

enum Index {
    /// Fluent's schema builder has no indexes; plain SQL that both SQLite and PostgreSQL accept.
    static func create(_ name: String, on table: String, _ columns: [String], unique: Bool = false, in database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        let cols = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        try await sql.raw(SQLQueryString("CREATE \(unsafeRaw: unique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: cols))")).run()
    }
}
