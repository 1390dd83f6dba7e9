import Fluent
import Foundation
import DiandanCore

final class Site: Model, @unchecked Sendable {
    static let schema = "sites"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    /// Materialised path of ids from the root down to this site, e.g. `/1/4/17/`.
    @Field(key: "path") var path: String
    @Field(key: "latitude") var latitude: Double
    @Field(key: "longitude") var longitude: Double
    @Field(key: "zone") var zone: String
    @Field(key: "active") var active: Bool

    @OptionalParent(key: "parent_id") var parent: Site?

    init() {}

    var sitePath: SitePath { SitePath(rawValue: path) }
    var siteKind: SiteKind { SiteKind(rawValue: kind) ?? .point }
}
