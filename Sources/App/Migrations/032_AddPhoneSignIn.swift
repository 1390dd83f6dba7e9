import Fluent
import SQLKit

/// 手机验证码登录 and 代点单 by phone: an account is found by its phone (a keyed hash of the number,
/// unique), remembers the name and address its owner orders with, and the codes sent by text
/// message are kept as digests with their tries. A volunteer may wait for a station's review.
struct AddPhoneSignIn: AsyncMigration {
    /// Hashes the phone numbers already on file (the server's secret).
    let protector: DataProtector

    func prepare(on database: Database) async throws {
        // One column at a time: SQLite adds one per statement.
        try await database.schema(Account.schema).field("phone_hash", .string).update()
        try await database.schema(Account.schema).field("display_name", .string).update()
        try await database.schema(Account.schema).field("address", .string).update()
        try await database.schema(Volunteer.schema).field("awaiting_review", .bool, .required, .sql(.default(false))).update()
        if let sql = database as? SQLDatabase {
            // The numbers on file, each to the first account that has it (a number names one account).
            struct Row: Decodable { let id: Int; let phone_sealed: String }
            let rows = try await sql.raw("SELECT id, phone_sealed FROM accounts WHERE phone_sealed IS NOT NULL ORDER BY id").all(decoding: Row.self)
            var seen: Set<String> = []
            for r in rows {
                guard let phone = try? protector.open(r.phone_sealed), !phone.isEmpty else { continue }
                let hash = protector.lookupHash(PhoneSignIn.hashInput(phone))
                guard seen.insert(hash).inserted else { continue }
                try await sql.raw("UPDATE accounts SET phone_hash = \(bind: hash) WHERE id = \(bind: r.id)").run()
            }
        }
        try await Index.create("accounts_phone_hash", on: Account.schema, ["phone_hash"], unique: true, in: database)
        try await database.schema(SignInCode.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("phone_hash", .string, .required)
            .field("address", .string, .required)
            .field("digest", .string, .required)
            .field("tries", .int, .required)
            .field("used_at", .datetime)
            .create()
        try await Index.create("sign_in_codes_phone", on: SignInCode.schema, ["phone_hash", "created_at"], in: database)
        try await Index.create("sign_in_codes_address", on: SignInCode.schema, ["address", "created_at"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(SignInCode.schema).delete()
        if let sql = database as? SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS accounts_phone_hash").run() }
        try await database.schema(Volunteer.schema).deleteField("awaiting_review").update()
        try await database.schema(Account.schema).deleteField("address").update()
        try await database.schema(Account.schema).deleteField("display_name").update()
        try await database.schema(Account.schema).deleteField("phone_hash").update()
    }
}
