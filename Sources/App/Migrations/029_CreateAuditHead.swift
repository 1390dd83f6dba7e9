import Fluent
import SQLKit

/// The head of the audit trail, kept apart from it: how many entries there are and the hash of the
/// last, signed with the server's secret and moved forward in the same transaction as each append.
/// Removing entries from the end leaves the chain itself whole; the head then no longer matches,
/// and without the secret it cannot be rewritten to match. The database refuses to move it back or
/// delete it.
struct CreateAuditHead: AsyncMigration {
    /// Signs the head the migration writes (the server's secret).
    let signer: DataProtector

    func prepare(on database: Database) async throws {
        try await database.schema(AuditHead.schema)
            .field(.id, .int, .identifier(auto: false))
            .field("count", .int, .required)
            .field("last_hash", .string, .required)
            .field("signature", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        guard let sql = database as? SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.count < OLD.count
                BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
                BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END
                """).run()
        } else {
            try await sql.raw("""
                CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.count < OLD.count THEN RAISE EXCEPTION 'the audit head only moves forward'; END IF;
                  RETURN NEW;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
                FOR EACH ROW EXECUTE FUNCTION audit_head_forward()
                """).run()
        }
        // A trail written before the head existed gets its head now, signed.
        try await AuditLog.establishHead(on: database, signer: signer)
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditHead.schema).delete()
        if let sql = database as? SQLDatabase, sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS audit_head_forward()").run()
        }
    }
}
