import Fluent
import Foundation

/// A registered volunteer (实名注册). The ID and phone numbers are sealed; only the masks are readable.
final class Volunteer: Model, @unchecked Sendable {
    static let schema = "volunteers"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "number") var number: String
    @Field(key: "real_name") var realName: String
    @Field(key: "id_sealed") var idSealed: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "gender") var gender: String
    @Field(key: "birth_date") var birthDate: String
    @Field(key: "phone_sealed") var phoneSealed: String
    @Field(key: "phone_masked") var phoneMasked: String
    @Field(key: "skills") var skills: [String]
    @Field(key: "registered_on") var registeredOn: String
    @Field(key: "active") var active: Bool
    /// Registered where a review is required (DIANDAN_VOLUNTEER_REVIEW) and not yet confirmed by the station.
    @Field(key: "awaiting_review") var awaitingReview: Bool
    @Field(key: "hours_total") var hoursTotal: Double
    @Field(key: "points_balance") var pointsBalance: Int
    @OptionalField(key: "calendar_nonce") var calendarNonce: String?
    /// The volunteer asked to be deleted; carried out after the grace period (`deletedAt`).
    @OptionalField(key: "deletion_requested_at") var deletionRequestedAt: Date?
    @OptionalField(key: "deleted_at") var deletedAt: Date?

    @Parent(key: "site_id") var site: Site
    @OptionalParent(key: "account_id") var account: Account?

    init() {}
}

final class TeamMembership: Model, @unchecked Sendable {
    static let schema = "team_memberships"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "role") var role: String
    @Parent(key: "team_id") var team: Team
    @Parent(key: "volunteer_id") var volunteer: Volunteer

    init() {}
}
