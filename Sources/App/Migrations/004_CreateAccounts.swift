import Fluent

struct CreateAccounts: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Account.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("username", .string, .required)
            .field("phone_sealed", .string)
            .field("phone_masked", .string)
            .field("password_hash", .string, .required)
            .field("locale", .string, .required)
            .field("disabled", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("last_login_at", .datetime)
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .unique(on: "username")
            .create()
        try await Index.create("accounts_site", on: Account.schema, ["site_id"], in: database)
        try await database.schema(RoleGrant.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("role", .string, .required)
            .field("account_id", .int, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("site_id", .int, .required, .references(Site.schema, .id))
            .unique(on: "account_id", "role", "site_id")
            .create()
        try await database.schema(APIToken.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("account_id", .int, .required, .references(Account.schema, .id, onDelete: .cascade))
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(APIToken.schema).delete()
        try await database.schema(RoleGrant.schema).delete()
        try await database.schema(Account.schema).delete()
    }
}
