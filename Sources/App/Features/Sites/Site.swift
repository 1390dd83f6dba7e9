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
    @Field(key: "kind") var kind: SiteKind
    /// Materialised path of ids from the root down to this site, e.g. `/1/4/17/`.
    @Field(key: "path") var path: String
    @Field(key: "latitude") var latitude: Double
    @Field(key: "longitude") var longitude: Double
    @Field(key: "zone") var zone: Zone
    @Field(key: "active") var active: Bool
    /// Minutes to respond, when this site sets its own instead of its zone's.
    @OptionalField(key: "response_minutes") var responseMinutes: Int?
    /// The number residents call (打电话给站点): a mobile or a landline.
    @OptionalField(key: "phone") var phone: String?

    @OptionalParent(key: "parent_id") var parent: Site?

    init() {}

    var sitePath: SitePath { SitePath(rawValue: path) }

    /// Inserts a site below `parent` (or as a root) and writes its path, which needs the new id:
    /// two statements, so the caller runs it inside a transaction.
    static func insert(code: String, name: String, kind: SiteKind, parent: Site?, latitude: Double, longitude: Double,
                       zone: Zone, active: Bool = true, responseMinutes: Int? = nil, on db: Database) async throws -> Site {
        let s = Site()
        s.code = code
        s.name = name
        s.kind = kind
        s.latitude = latitude
        s.longitude = longitude
        s.zone = zone
        s.active = active
        s.responseMinutes = responseMinutes
        s.path = "/"
        s.$parent.id = parent?.id
        try await s.create(on: db)
        let id = try s.requireID()
        s.path = parent.map { $0.sitePath.child(id).rawValue } ?? SitePath.root(id).rawValue
        try await s.save(on: db)
        return s
    }
}
