import Fluent

/// Failed sign-ins, counted per username and address, per address, and per username
/// (`LoginThrottle`). Keys are stored as SHA-256, so a password typed into the username field is
/// never kept.
struct CreateSignInFailures: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("sign_in_failures")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .field("locked_until", .datetime)
            .create()
        try await Index.create("sign_in_failures_last", on: "sign_in_failures", ["last_failure_at"], in: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema("sign_in_failures").delete()
    }
}
