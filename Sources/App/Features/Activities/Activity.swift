import Fluent
import Foundation
import DiandanCore

/// An activity (活动): a time, a place, a number of slots, and the volunteers who sign up.
final class Activity: Model, @unchecked Sendable {
    static let schema = "activities"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Parent(key: "category_id") var category: Category
    @Parent(key: "site_id") var site: Site
    @OptionalParent(key: "team_id") var team: Team?
    @OptionalParent(key: "created_by_account_id") var createdBy: Account?
    /// The order it serves, or the project it belongs to, if any.
    @OptionalField(key: "order_id") var orderID: Int?
    @OptionalField(key: "project_id") var projectID: Int?

    @Field(key: "address") var address: String
    @Field(key: "latitude") var latitude: Double
    @Field(key: "longitude") var longitude: Double
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "slots") var slots: Int
    /// Slots taken; changed only by conditional updates, so it never passes `slots`.
    @Field(key: "signed_up") var signedUp: Int
    @Field(key: "skills") var skills: [String]
    @OptionalField(key: "min_age") var minAge: Int?
    @OptionalField(key: "people_served") var peopleServed: Int?
    /// Check-in must be within this many metres of the place.
    @Field(key: "radius") var radius: Int
    @Field(key: "status") var status: ActivityStatus
    @OptionalField(key: "reviewed_by_account_id") var reviewedBy: Int?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?

    init() {}

}

/// One volunteer on one activity: the sign-up, the waiting list, and attendance.
final class Signup: Model, @unchecked Sendable {
    static let schema = "activity_signups"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "activity_id") var activity: Activity
    @Parent(key: "volunteer_id") var volunteer: Volunteer
    @Field(key: "status") var status: SignupStatus
    /// The place in line: the waiting list is promoted in this order.
    @Field(key: "queued_at") var queuedAt: Date
    @Field(key: "guardian_consent") var guardianConsent: Bool
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?

    @OptionalField(key: "check_in_at") var checkInAt: Date?
    @OptionalField(key: "check_in_latitude") var checkInLatitude: Double?
    @OptionalField(key: "check_in_longitude") var checkInLongitude: Double?
    @OptionalField(key: "check_out_at") var checkOutAt: Date?
    @OptionalField(key: "check_out_latitude") var checkOutLatitude: Double?
    @OptionalField(key: "check_out_longitude") var checkOutLongitude: Double?
    /// Confirmed by the leader (then a service record exists); a correction carries its reason.
    @OptionalField(key: "confirmed_hours") var confirmedHours: Double?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "confirmed_by_account_id") var confirmedBy: Int?
    @OptionalField(key: "correction_reason") var correctionReason: String?

    init() {}

}
