import Fluent
import Foundation

/// A volunteer service team (志愿服务队), possibly professional (专业队).
final class Team: Model, @unchecked Sendable {
    static let schema = "teams"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "name") var name: String
    @Field(key: "professional") var professional: Bool
    @Field(key: "max_concurrent_orders") var maxConcurrentOrders: Int
    @Field(key: "active") var active: Bool

    @Parent(key: "site_id") var site: Site
    @Siblings(through: TeamCategory.self, from: \.$team, to: \.$category) var categories: [Category]

    init() {}
}

final class TeamCategory: Model, @unchecked Sendable {
    static let schema = "team_categories"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Parent(key: "team_id") var team: Team
    @Parent(key: "category_id") var category: Category

    init() {}
}
