import Fluent
import Foundation
import DiandanCore

/// An order (点单) and where it stands in the loop.
final class Order: Model, @unchecked Sendable {
    static let schema = "orders"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    @Field(key: "number") var number: String
    @Field(key: "status") var status: OrderStatus
    /// Bumped by every transition; a transition applies only to the version it read, so two people
    /// acting at once cannot both succeed.
    @Field(key: "version") var version: Int

    @OptionalParent(key: "menu_item_id") var menuItem: MenuItem?
    @Parent(key: "category_id") var category: Category
    @Field(key: "title") var title: String
    @Field(key: "details") var details: String

    /// The station where the need is.
    @Parent(key: "station_id") var station: Site
    /// The site whose queue holds the order now; escalation moves it up the tree.
    @Parent(key: "owner_site_id") var ownerSite: Site
    @OptionalParent(key: "team_id") var team: Team?

    @OptionalParent(key: "requester_account_id") var requester: Account?
    @OptionalParent(key: "placed_by_account_id") var placedBy: Account?
    @Field(key: "on_behalf") var onBehalf: Bool
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_phone_sealed") var contactPhoneSealed: String
    @Field(key: "contact_phone_masked") var contactPhoneMasked: String
    @OptionalField(key: "address") var address: String?
    /// Open311: the token the request was answered with (random, made here).
    @OptionalField(key: "open311_token") var open311Token: String?
    /// Open311: a photo or document the calling system holds.
    @OptionalField(key: "media_url") var mediaURL: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalField(key: "window_start") var windowStart: Date?
    @OptionalField(key: "window_end") var windowEnd: Date?
    @Field(key: "people") var people: Int
    @Field(key: "channel") var channel: String
    @Field(key: "notes") var notes: String

    @Field(key: "response_deadline") var responseDeadline: Date
    /// When the people who can take it were told its deadline is near (once per deadline).
    @OptionalField(key: "deadline_warned_at") var deadlineWarnedAt: Date?
    @Field(key: "completion_deadline") var completionDeadline: Date
    /// Missed its deadline at the top of the tree, with nowhere left to escalate.
    @Field(key: "overdue") var overdue: Bool
    @Field(key: "open_for_claim") var openForClaim: Bool
    @OptionalField(key: "last_urged_at") var lastUrgedAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "rating") var rating: Int?
    @OptionalField(key: "rating_comment") var ratingComment: String?
    @Field(key: "rated_by_proxy") var ratedByProxy: Bool
    /// When the resident's name, phone and address were removed, a while after the order ended.
    @OptionalField(key: "anonymised_at") var anonymisedAt: Date?

    init() {}

}

/// One step of an order's life: the audit trail and the timeline.
final class OrderEvent: Model, @unchecked Sendable {
    static let schema = "order_events"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @Field(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @Field(key: "actor") var actor: String
    @OptionalParent(key: "actor_account_id") var actorAccount: Account?
    @OptionalField(key: "reason") var reason: String?
    /// JSON: the score breakdown of a dispatch, the sites of an escalation, the hours of a completion.
    @OptionalField(key: "detail") var detail: String?
    @OptionalField(key: "team_id") var teamID: Int?
    @OptionalField(key: "site_id") var siteID: Int?
    @Parent(key: "order_id") var order: Order
    /// The notice this step sends (`NoticeTopic`), written with the event in its transaction; the
    /// dispatcher sets `noticedAt` when it has delivered it.
    @OptionalField(key: "notice_topic") var noticeTopic: String?
    @OptionalField(key: "noticed_at") var noticedAt: Date?

    init() {}
}

/// A retried create returns the first order: (account, key) is unique.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "account_id") var accountID: Int
    @Field(key: "key") var key: String
    /// What the key was first used for (`OrderInput.canonical`, SHA-256).
    @OptionalField(key: "request_digest") var requestDigest: String?
    @Parent(key: "order_id") var order: Order

    init() {}
}

/// Hours credited to a volunteer for a service (奖单): the volunteer's record.
final class ServiceRecord: Model, @unchecked Sendable {
    static let schema = "service_records"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "service_date") var serviceDate: String
    @Field(key: "hours") var hours: Double
    @Field(key: "content") var content: String
    @Parent(key: "volunteer_id") var volunteer: Volunteer
    @OptionalParent(key: "order_id") var order: Order?
    @OptionalParent(key: "recorded_by_account_id") var recordedBy: Account?
    @OptionalField(key: "activity_id") var activityID: Int?
    @OptionalField(key: "wish_id") var wishID: Int?
    /// Where the hours count: the volunteer's site when they were recorded, and the team that served.
    @OptionalField(key: "site_id") var siteID: Int?
    @OptionalField(key: "team_id") var teamID: Int?

    init() {}
}

/// The points ledger (积分): every change with the balance after it.
final class PointsEntry: Model, @unchecked Sendable {
    static let schema = "points_entries"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "at") var at: Date
    @Field(key: "delta") var delta: Int
    @Field(key: "balance_after") var balanceAfter: Int
    @Field(key: "reason") var reason: String
    @Parent(key: "volunteer_id") var volunteer: Volunteer
    @OptionalParent(key: "order_id") var order: Order?

    init() {}
}
