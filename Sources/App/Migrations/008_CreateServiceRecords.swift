import Fluent
import SQLKit

struct CreateServiceRecords: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ServiceRecord.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("service_date", .string, .required)
            .field("hours", .double, .required)
            .field("content", .string, .required)
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, .id))
            .field("order_id", .int, .references(Order.schema, .id))
            .field("recorded_by_account_id", .int, .references(Account.schema, .id))
            .create()
        try await Index.create("service_records_volunteer", on: ServiceRecord.schema, ["volunteer_id"], in: database)
        try await database.schema(PointsEntry.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("delta", .int, .required)
            .field("balance_after", .int, .required)
            .field("reason", .string, .required)
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, .id))
            .field("order_id", .int, .references(Order.schema, .id))
            .create()
        try await Index.create("points_entries_volunteer", on: PointsEntry.schema, ["volunteer_id"], in: database)
        // Running totals kept with every credit, so profiles and stars need no sum over the records.
        try await database.schema(Volunteer.schema)
            .field("hours_total", .double, .required, .sql(.default(0)))
            .update()
        try await database.schema(Volunteer.schema)
            .field("points_balance", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Volunteer.schema).deleteField("points_balance").update()
        try await database.schema(Volunteer.schema).deleteField("hours_total").update()
        try await database.schema(PointsEntry.schema).delete()
        try await database.schema(ServiceRecord.schema).delete()
    }
}
