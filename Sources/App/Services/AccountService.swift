import Fluent
import Vapor
import DiandanCore

struct AccountService {
    let db: Database
    let protector: DataProtector
    let throttle: LoginThrottle
    let now: Date

    /// Checks a password, counting failures and locking the account for a growing time.
    func authenticate(username: String, password: String, verify: (String, String) async throws -> Bool) async throws -> Account {
        guard let account = try await Account.query(on: db).filter(\.$username == username).first() else {
            // Same work as a real check, so timing does not reveal which usernames exist.
            _ = try? await verify(password, decoyHash)
            throw AppError.credentials(Message("error.login_failed"))
        }
        if let until = account.lockedUntil, until > now {
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            throw AppError.tooManyRequests(Message("error.login_locked", ["minutes": String(minutes)]), retryAfter: Int(until.timeIntervalSince(now).rounded(.up)))
        }
        guard try await verify(password, account.passwordHash) else {
            account.failedLogins += 1
            account.lockedUntil = throttle.lockedUntil(afterFailures: account.failedLogins, now: now)
            try await db.writeTransaction { db in try await account.save(on: db) }
            if let until = account.lockedUntil {
                let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
                throw AppError.tooManyRequests(Message("error.login_locked", ["minutes": String(minutes)]), retryAfter: Int(until.timeIntervalSince(now).rounded(.up)))
            }
            throw AppError.credentials(Message("error.login_failed"))
        }
        if account.disabled { throw AppError.forbidden(Message("error.account_disabled")) }
        account.failedLogins = 0
        account.lockedUntil = nil
        account.lastLoginAt = now
        // Writes go through the write transaction (with group commit, a shared commit), never as a
        // bare statement waiting on SQLite's lock.
        try await db.writeTransaction { db in try await account.save(on: db) }
        return account
    }

    /// A real hash at the configured cost, made at start-up.
    var decoyHash: String { protector.decoyHash }

    /// Issues a bearer token; only its hash is kept.
    func issueToken(for account: Account, days: Int) async throws -> (token: String, expires: Date) {
        let token = TokenDigest.random()
        let record = APIToken()
        record.tokenHash = TokenDigest.sha256(token)
        record.expiresAt = now.addingTimeInterval(TimeInterval(days) * 86_400)
        record.$account.id = try account.requireID()
        try await db.writeTransaction { db in try await record.create(on: db) }
        return (token, record.expiresAt)
    }

    func revokeToken(_ token: String) async throws {
        guard let record = try await APIToken.query(on: db).filter(\.$tokenHash == TokenDigest.sha256(token)).first() else { return }
        record.revokedAt = now
        try await db.writeTransaction { db in try await record.save(on: db) }
    }

    /// Creates or updates an account inside the actor's reach.
    func save(_ input: AccountInput, into account: Account, passwordHash: String?, by grants: [Grant], keepPhone: Bool = false) async throws {
        let site = try await Lookup.site(input.siteID, on: db)
        guard Policy.allows(grants, .accounts, .write, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        var q = Account.query(on: db).filter(\.$username == input.username)
        if let id = account.id { q = q.filter(\.$id != id) }
        if try await q.count() > 0 { throw AppError.conflict(field: "username", Message("error.username_taken")) }
        account.username = input.username
        if keepPhone {
            // unchanged
        } else if let phone = input.phone {
            account.phoneSealed = try protector.seal(phone.value)
            account.phoneMasked = phone.masked
        } else {
            account.phoneSealed = nil
            account.phoneMasked = nil
        }
        if let passwordHash { account.passwordHash = passwordHash }
        account.locale = input.locale.rawValue
        account.disabled = input.disabled
        account.$site.id = input.siteID
        if account.id == nil { account.failedLogins = 0 }
        do {
            try await account.save(on: db)
        } catch where error.isUniqueViolation {
            throw AppError.conflict(field: "username", Message("error.username_taken"))
        }
    }

    func addGrant(_ input: GrantInput, to account: Account, by grants: [Grant]) async throws {
        let site = try await Lookup.site(input.siteID, on: db)
        guard Policy.mayAssign(input.role, at: site.sitePath, by: grants) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        let accountID = try account.requireID()
        let exists = try await RoleGrant.query(on: db).filter(\.$account.$id == accountID)
            .filter(\.$role == input.role.rawValue).filter(\.$site.$id == input.siteID).count() > 0
        if exists { return }
        let g = RoleGrant()
        g.role = input.role.rawValue
        g.$account.id = accountID
        g.$site.id = input.siteID
        try await g.create(on: db)
    }
}
