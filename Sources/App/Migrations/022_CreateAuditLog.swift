import Fluent
import SQLKit

/// The audit trail, append-only: the database itself refuses to change or remove an entry.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditRecord.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("seq", .int, .required)
            .field("at", .datetime, .required)
            .field("account_id", .int)
            .field("username", .string, .required)
            .field("site_id", .int)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("detail", .string, .required)
            .field("reason", .string)
            .field("address", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        try await Index.create("audit_log_at", on: AuditRecord.schema, ["at"], in: database)
        try await Index.create("audit_log_account", on: AuditRecord.schema, ["account_id", "seq"], in: database)
        guard let sql = database as? SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for op in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER audit_log_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """).run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditRecord.schema).delete()
        if let sql = database as? SQLDatabase, sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS audit_log_append_only()").run()
        }
    }
}
