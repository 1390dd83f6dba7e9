import Fluent
import Foundation

/// An outside system: a city platform or 12345 hotline placing orders over Open311, told of their
/// progress by webhook. Its key is shown once and stored only as a digest; revoking is for good.
final class Integration: Model, @unchecked Sendable {
    static let schema = "integrations"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "name") var name: String
    /// Where it may place and read orders: this site and everything below it.
    @Parent(key: "site_id") var site: Site
    /// The account its orders are placed by (a practitioner at `site`, with no password).
    @Field(key: "account_id") var accountID: Int
    @OptionalField(key: "created_by_account_id") var createdByAccountID: Int?
    @Field(key: "key_hash") var keyHash: String
    /// The key's last characters, so staff can tell keys apart.
    @Field(key: "key_hint") var keyHint: String
    @OptionalField(key: "webhook_url") var webhookURL: String?
    @OptionalField(key: "webhook_secret_sealed") var webhookSecretSealed: String?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}
}

/// One message to the outside world — a webhook call or a text message — written by the notice
/// dispatcher in the transaction that claims its notice, then sent (and retried) by `DeliverySender`.
final class Delivery: Model, @unchecked Sendable {
    static let schema = "deliveries"

    enum Channel: String { case webhook, sms }
    enum Status: String { case pending, delivered, dead }

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "channel") var channel: String
    @Field(key: "topic") var topic: String
    /// The id receivers see (`X-Diandan-Delivery` and the body's `id`), the same on every retry.
    @Field(key: "event_key") var eventKey: String
    @OptionalField(key: "integration_id") var integrationID: Int?
    @OptionalField(key: "account_id") var accountID: Int?
    @OptionalField(key: "order_id") var orderID: Int?
    /// The JSON body of a webhook; for a text message, the sealed phone number and the text.
    @Field(key: "payload") var payload: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// While one sender holds it, no other takes it.
    @OptionalField(key: "lease_until") var leaseUntil: Date?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @OptionalField(key: "last_error") var lastError: String?

    init() {}
}
