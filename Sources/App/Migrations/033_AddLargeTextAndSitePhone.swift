import Fluent
import SQLKit

/// 长辈版: an account remembers that its owner reads the large-text pages, on every device they
/// sign in on. A site has a phone number residents can call from their home page (打电话给站点).
struct AddLargeTextAndSitePhone: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Account.schema).field("large_text", .bool, .required, .sql(.default(false))).update()
        try await database.schema(Site.schema).field("phone", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Site.schema).deleteField("phone").update()
        try await database.schema(Account.schema).deleteField("large_text").update()
    }
}
