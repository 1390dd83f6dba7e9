import Fluent
import Foundation
import DiandanCore

/// A training (培训) held by a site, on site or online.
final class Training: Model, @unchecked Sendable {
    static let schema = "trainings"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Parent(key: "site_id") var site: Site
    @OptionalParent(key: "team_id") var team: Team?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "trainer") var trainer: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "hours") var hours: Double
    @Field(key: "mode") var mode: TrainingMode
    @Field(key: "address") var address: String
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @Field(key: "radius") var radius: Int
    @OptionalParent(key: "created_by_account_id") var createdBy: Account?

    init() {}

    var endsAt: Date { startsAt.addingTimeInterval(hours * 3600) }
}

/// A volunteer's attendance at a training, from scanning its code.
final class TrainingAttendance: Model, @unchecked Sendable {
    static let schema = "training_attendances"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Parent(key: "training_id") var training: Training
    @Parent(key: "volunteer_id") var volunteer: Volunteer
    @Field(key: "checked_in_at") var checkedInAt: Date
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    /// The training's hours, as credited when the volunteer checked in.
    @Field(key: "hours") var hours: Double

    init() {}
}
