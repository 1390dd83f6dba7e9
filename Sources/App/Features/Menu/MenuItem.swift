import Fluent
import Foundation

/// An entry of the service menu (服务清单) that residents order from.
final class MenuItem: Model, @unchecked Sendable {
    static let schema = "menu_items"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "auto_accept") var autoAccept: Bool
    @Field(key: "active") var active: Bool

    @Parent(key: "category_id") var category: Category
    /// The site whose admins curate this entry.
    @Parent(key: "site_id") var site: Site
    @Siblings(through: MenuItemTeam.self, from: \.$item, to: \.$team) var teams: [Team]
    @Siblings(through: MenuItemSite.self, from: \.$item, to: \.$site) var sites: [Site]

    init() {}
}

final class MenuItemTeam: Model, @unchecked Sendable {
    static let schema = "menu_item_teams"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Parent(key: "menu_item_id") var item: MenuItem
    @Parent(key: "team_id") var team: Team

    init() {}
}

final class MenuItemSite: Model, @unchecked Sendable {
    static let schema = "menu_item_sites"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Parent(key: "menu_item_id") var item: MenuItem
    @Parent(key: "site_id") var site: Site

    init() {}
}
