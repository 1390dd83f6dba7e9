import Fluent
import Foundation

/// Something to tell people, written in the same transaction as the step that causes it, so a step
/// that rolls back tells nobody and one that commits is never forgotten. The dispatcher delivers it.
/// (The order loop's events carry their notice themselves — `OrderEvent.noticeTopic` — which saves
/// the hot path a write; this table is for everything else.)
final class OutboxEntry: Model, @unchecked Sendable {
    static let schema = "outbox"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "topic") var topic: String
    @OptionalField(key: "order_id") var orderID: Int?
    /// The team and site the step concerns, and who acted (never told of their own step).
    @OptionalField(key: "team_id") var teamID: Int?
    @OptionalField(key: "site_id") var siteID: Int?
    @OptionalField(key: "actor_account_id") var actorAccountID: Int?
    /// A reason or message text that goes with the notice.
    @OptionalField(key: "text") var text: String?
    @OptionalField(key: "recipient_account_id") var recipientAccountID: Int?
    @OptionalField(key: "subject") var subject: String?
    @OptionalField(key: "link") var link: String?
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// Set when delivered, or when set aside after too many failures (then `failed` is true).
    @OptionalField(key: "processed_at") var processedAt: Date?
    @Field(key: "failed") var failed: Bool
    @OptionalField(key: "last_error") var lastError: String?

    init() {}
}

/// One notice in one person's in-app inbox.
final class InboxItem: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "account_id") var account: Account
    @OptionalField(key: "outbox_id") var outboxID: Int?
    @OptionalField(key: "event_id") var eventID: Int?
    @Field(key: "topic") var topic: String
    @OptionalField(key: "order_id") var orderID: Int?
    /// JSON object of the values the catalogue text needs (order number, title, team, site, text).
    @Field(key: "params") var params: String
    /// Where opening it leads, when that is not an order.
    @OptionalField(key: "link") var link: String?
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}
