import Fluent
import Foundation
import DiandanCore

/// A project in the library (项目库), owned by a team.
final class Project: Model, @unchecked Sendable {
    static let schema = "projects"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Parent(key: "category_id") var category: Category
    @Parent(key: "team_id") var team: Team
    /// The owner team's site, kept here so scope checks and lists need no join through teams.
    @Parent(key: "site_id") var site: Site
    @Field(key: "target_group") var targetGroup: String
    @Field(key: "status") var status: String

    init() {}
}

final class ProjectAward: Model, @unchecked Sendable {
    static let schema = "project_awards"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "project_id") var project: Project
    @Field(key: "year") var year: Int
    @Field(key: "amount") var amount: Double
    @Field(key: "approved_by") var approvedBy: String
    @Field(key: "note") var note: String
    @OptionalField(key: "recorded_by_account_id") var recordedBy: Int?

    init() {}
}
