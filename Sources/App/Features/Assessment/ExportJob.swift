import Fluent
import Foundation

/// A large export (every order of a scope and range) written in the background, with its progress.
final class ExportJob: Model, @unchecked Sendable {
    static let schema = "export_jobs"

    enum Status: String, Codable, Sendable { case queued, running, done, failed }

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "account_id") var account: Account
    @Field(key: "kind") var kind: String
    /// csv or xlsx.
    @Field(key: "format") var format: String
    /// nil: everything (the province overview).
    @OptionalField(key: "site_id") var siteID: Int?
    @Field(key: "range_from") var rangeFrom: Date
    @Field(key: "range_to") var rangeTo: Date
    /// The language of the headers and the names of statuses and channels.
    @Field(key: "locale") var locale: String
    @Field(key: "status") var status: String
    @Field(key: "total") var total: Int
    @Field(key: "done") var done: Int
    /// The file on disk (under the uploads directory) and the name it downloads under.
    @OptionalField(key: "file") var file: String?
    @OptionalField(key: "filename") var filename: String?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}
