import Fluent

/// Reminders sent once: the order whose deadline is near, the sign-up whose activity is tomorrow.
struct AddReminders: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Order.schema).field("deadline_warned_at", .datetime).update()
        try await database.schema(Signup.schema).field("reminded_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Signup.schema).deleteField("reminded_at").update()
        try await database.schema(Order.schema).deleteField("deadline_warned_at").update()
    }
}
