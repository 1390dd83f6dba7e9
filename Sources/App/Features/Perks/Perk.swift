import Fluent
import Foundation

/// A perk (礼遇) a site offers volunteers for their points: a free bus ride, priority service …
final class Perk: Model, @unchecked Sendable {
    static let schema = "perks"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Parent(key: "site_id") var site: Site
    @Field(key: "points_cost") var pointsCost: Int
    /// nil: unlimited. `redeemed` only grows by a conditional update, so it never passes `stock`.
    @OptionalField(key: "stock") var stock: Int?
    @Field(key: "redeemed") var redeemed: Int
    @Field(key: "active") var active: Bool

    init() {}
}

/// One redemption: the points it cost and the code shown to whoever honours the perk.
final class PerkRedemption: Model, @unchecked Sendable {
    static let schema = "perk_redemptions"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "perk_id") var perk: Perk
    @Parent(key: "volunteer_id") var volunteer: Volunteer
    @Field(key: "points") var points: Int
    @Field(key: "code") var code: String

    init() {}
}
