import Fluent
import Foundation
import DiandanCore

/// One entry of the audit trail (see `AuditEntry`); written once, never changed.
final class AuditRecord: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "seq") var seq: Int
    @Field(key: "at") var at: Date
    @OptionalField(key: "account_id") var accountID: Int?
    @Field(key: "username") var username: String
    @OptionalField(key: "site_id") var siteID: Int?
    @Field(key: "action") var action: String
    @Field(key: "target") var target: String
    @Field(key: "detail") var detail: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "address") var address: String
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    var entry: AuditEntry {
        AuditEntry(seq: seq, at: at, accountID: accountID, username: username, siteID: siteID, action: action, target: target,
                   detail: detail, reason: reason, address: address)
    }
}
