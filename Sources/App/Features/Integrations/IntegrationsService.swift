import Fluent
import Foundation
import DiandanCore

/// Third-party systems that place orders through Open311: made, changed and revoked by the admins
/// of a centre. The key and a webhook secret are returned once, for the page to show once.
struct IntegrationService: MadeFromContext {
    let db: Database
    let now: Date
    let protector: DataProtector
    let grants: [Grant]

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
        protector = c.protector
        grants = c.grants
    }

    /// Integrations are a centre's business: only its admins (or those above) manage them.
    static func mayManage(_ site: SitePath, by grants: [Grant]) -> Bool {
        Policy.centresAdministered(grants).contains { $0.covers(site) }
    }

    func requireManage(_ site: SitePath) throws {
        guard Self.mayManage(site, by: grants) else { throw AppError.forbidden(Message("integration.centre_only")) }
    }

    /// A new name or address; a new address gets a new secret, returned to be shown once.
    func update(_ item: Integration, _ input: IntegrationInput) async throws -> String? {
        try requireManage(item.site.sitePath)
        item.name = input.name
        var secret: String?
        if item.webhookURL != input.webhookURL {
            item.webhookURL = input.webhookURL
            if input.webhookURL != nil { secret = try setSecret(item) }
        }
        try await db.writeTransaction { [item] db in try await item.save(on: db) }
        return secret
    }

    struct Made { let integration: Integration; let key: String; let secret: String? }

    /// A new integration at a site, with its own practitioner account (whose password is
    /// `accountPassword`, a hash of something nobody knows) and its key.
    func create(_ input: IntegrationInput, accountPassword: String, by accountID: Int?) async throws -> Made {
        guard let siteID = input.siteID, let site = try await Site.find(siteID, on: db) else {
            throw ValidationFailure(field: "site_id", "error.not_found_choice")
        }
        try requireManage(site.sitePath)
        let key = "dd311_" + TokenDigest.random(bytes: 24)
        let integration = Integration()
        integration.createdAt = now
        integration.name = input.name
        integration.$site.id = siteID
        integration.createdByAccountID = accountID
        integration.keyHash = TokenDigest.sha256(key)
        integration.keyHint = String(key.suffix(4))
        integration.webhookURL = input.webhookURL
        let secret = input.webhookURL == nil ? nil : try setSecret(integration)
        try await db.writeTransaction { db in
            let account = try await Account.insert(username: "open311-" + TokenDigest.random(bytes: 6).lowercased(), passwordHash: accountPassword,
                                                   site: site, role: .practitioner, on: db)
            integration.accountID = try account.requireID()
            try await integration.create(on: db)
        }
        return Made(integration: integration, key: key, secret: secret)
    }

    /// Revoking is for good: the key stops at once and the integration's account is disabled.
    func revoke(_ i: Integration) async throws {
        try requireManage(i.site.sitePath)
        guard i.revokedAt == nil else { return }
        let now = now
        try await db.writeTransaction { db in
            i.revokedAt = now
            try await i.save(on: db)
            if let account = try await Account.find(i.accountID, on: db) {
                account.disabled = true
                try await account.save(on: db)
            }
        }
    }

    private func setSecret(_ i: Integration) throws -> String {
        let secret = "whsec_" + TokenDigest.random(bytes: 24)
        i.webhookSecretSealed = try protector.seal(secret)
        return secret
    }
}
