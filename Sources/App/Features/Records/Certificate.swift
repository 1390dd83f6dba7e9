import Fluent
import Foundation

/// An issued record certificate (志愿服务记录证明), with its content as issued.
final class Certificate: Model, @unchecked Sendable {
    static let schema = "certificates"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "number") var number: String
    @Field(key: "issued_at") var issuedAt: Date
    @Parent(key: "volunteer_id") var volunteer: Volunteer
    @Parent(key: "site_id") var site: Site
    @OptionalField(key: "issued_by_account_id") var issuedBy: Int?
    @Field(key: "total_hours") var totalHours: Double
    /// `CertificateContent` as JSON.
    @Field(key: "content") var content: String

    init() {}
}
