import Fluent

/// What an idempotency key was first used for: a digest of the order as it was asked for, so that
/// the same key sent again with a different order is refused (422) instead of silently answered
/// with the first one. Keys stored before this have none and are taken as matching.
struct AddRequestDigests: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(IdempotencyRecord.schema).field("request_digest", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(IdempotencyRecord.schema).deleteField("request_digest").update()
    }
}
