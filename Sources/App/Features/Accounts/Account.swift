import Fluent
import Foundation
import DiandanCore

/// A login. What the person may do comes from their grants, not from the account.
final class Account: Model, @unchecked Sendable {
    static let schema = "accounts"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "username") var username: String
    @OptionalField(key: "phone_sealed") var phoneSealed: String?
    @OptionalField(key: "phone_masked") var phoneMasked: String?
    /// The keyed hash of the phone number (`PhoneSignIn.hash`): how phone sign-in and 代点单 find the account.
    @OptionalField(key: "phone_hash") var phoneHash: String?
    /// The name and address a resident orders with, remembered for the next order.
    @OptionalField(key: "display_name") var displayName: String?
    @OptionalField(key: "address") var address: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "locale") var locale: String
    @Field(key: "disabled") var disabled: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?

    /// The site the account belongs to; it sets who may manage the account.
    @Parent(key: "site_id") var site: Site
    @Children(for: \.$account) var grants: [RoleGrant]

    init() {}

    /// A new account holding one role at its own site (bootstrap, demo and test accounts).
    static func insert(username: String, passwordHash: String, site: Site, role: Role, locale: AppLocale = .zhCN, on db: Database) async throws -> Account {
        let a = Account()
        a.username = username
        a.passwordHash = passwordHash
        a.locale = locale.rawValue
        a.disabled = false
        a.failedLogins = 0
        a.$site.id = try site.requireID()
        try await a.create(on: db)
        let g = RoleGrant()
        g.role = role
        g.$account.id = try a.requireID()
        g.$site.id = try site.requireID()
        try await g.create(on: db)
        return a
    }
}

final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "grants"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "role") var role: Role
    @Parent(key: "account_id") var account: Account
    @Parent(key: "site_id") var site: Site

    init() {}
}

final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// SHA-256 of the token; the token itself is shown once and never stored.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Parent(key: "account_id") var account: Account

    init() {}
}
