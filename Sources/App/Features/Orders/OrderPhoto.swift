import Fluent
import Foundation

/// A photo the team attached when completing a service; the file lives under DIANDAN_UPLOADS_DIR.
final class OrderPhoto: Model, @unchecked Sendable {
    static let schema = "order_photos"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    /// Path relative to the uploads folder; never built from anything the client sent.
    @Field(key: "file") var file: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "bytes") var bytes: Int
    @Parent(key: "order_id") var order: Order
    @OptionalParent(key: "uploaded_by_account_id") var uploadedBy: Account?

    init() {}
}
