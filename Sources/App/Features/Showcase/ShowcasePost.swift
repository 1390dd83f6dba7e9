import Fluent
import Foundation

/// A finished service or activity published to the public showcase (志愿风采).
final class ShowcasePost: Model, @unchecked Sendable {
    static let schema = "showcase_posts"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "published_at") var publishedAt: Date
    /// The order's station, or the activity's site: the showcase it appears in (and those above).
    @Parent(key: "site_id") var site: Site
    @OptionalParent(key: "team_id") var team: Team?
    @OptionalField(key: "order_id") var orderID: Int?
    @OptionalField(key: "activity_id") var activityID: Int?
    @Field(key: "title") var title: String
    @Field(key: "story") var story: String
    @Field(key: "served_on") var servedOn: Date
    /// published or withdrawn.
    @Field(key: "status") var status: String
    @OptionalParent(key: "published_by_account_id") var publishedBy: Account?

    init() {}

    enum Status: String { case published, withdrawn }
}

/// A photo of a post: a copy of the service photo (or an upload) without its metadata.
final class ShowcasePhoto: Model, @unchecked Sendable {
    static let schema = "showcase_photos"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Parent(key: "post_id") var post: ShowcasePost
    @Field(key: "file") var file: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "position") var position: Int

    init() {}
}
