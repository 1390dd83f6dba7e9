import Fluent
import Foundation
import DiandanCore

/// A micro-wish (微心愿).
final class Wish: Model, @unchecked Sendable {
    static let schema = "wishes"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "value") var value: Int
    @Parent(key: "site_id") var site: Site
    @OptionalParent(key: "requester_account_id") var requester: Account?
    /// Posted by a practitioner for a resident (name only; nothing else personal is kept).
    @Field(key: "on_behalf") var onBehalf: Bool
    @OptionalField(key: "contact_name") var contactName: String?
    @Field(key: "status") var status: WishStatus
    @OptionalParent(key: "volunteer_id") var volunteer: Volunteer?
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    @OptionalField(key: "fulfilled_at") var fulfilledAt: Date?
    @OptionalField(key: "fulfil_note") var fulfilNote: String?
    @OptionalField(key: "photo_file") var photoFile: String?
    @OptionalField(key: "photo_type") var photoType: String?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?

    init() {}

}
