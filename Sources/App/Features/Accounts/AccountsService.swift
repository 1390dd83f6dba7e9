import Fluent
import SQLKit
import Vapor
import DiandanCore

/// The counts behind `LoginThrottle`, in `sign_in_failures` (keys stored as their SHA-256).
struct SignInFailures {
    let db: Database
    let throttle: LoginThrottle
    let now: Date

    struct State {
        var lockedUntil: Date?
        var usernameFailures: Int
    }

    private struct Row: Decodable { let key: String; let failures: Int; let last_failure_at: Date; let locked_until: Date? }

    static func digest(_ key: String) -> String { TokenDigest.sha256(key) }

    /// The latest lock on this username from this address or on the address, and the username's count.
    func read(_ keys: (pair: String, address: String, username: String)) async throws -> State {
        guard let sql = db as? SQLDatabase else { return State(lockedUntil: nil, usernameFailures: 0) }
        let wanted = [keys.pair, keys.address, keys.username].map(Self.digest)
        let rows = try await sql.raw("SELECT key, failures, last_failure_at, locked_until FROM sign_in_failures WHERE key IN (\(binds: wanted))")
            .all(decoding: Row.self)
        let fresh = rows.filter { now.timeIntervalSince($0.last_failure_at) < throttle.window }
        let lock = rows.filter { $0.key != wanted[2] }.compactMap(\.locked_until).max()
        return State(lockedUntil: lock, usernameFailures: fresh.first { $0.key == wanted[2] }?.failures ?? 0)
    }

    /// Counts one failure three ways; returns the lock it brings on, if any.
    func record(_ keys: (pair: String, address: String, username: String)) async throws -> Date? {
        let forgetBefore = now.addingTimeInterval(-throttle.window)
        return try await db.writeTransaction { [throttle, now] db -> Date? in
            guard let sql = db as? SQLDatabase else { return nil }
            struct Count: Decodable { let failures: Int }
            func bump(_ key: String) async throws -> Int {
                try await sql.raw("""
                    INSERT INTO sign_in_failures (key, failures, last_failure_at) VALUES (\(bind: Self.digest(key)), 1, \(bind: now))
                    ON CONFLICT (key) DO UPDATE SET
                      failures = CASE WHEN sign_in_failures.last_failure_at < \(bind: forgetBefore) THEN 1 ELSE sign_in_failures.failures + 1 END,
                      last_failure_at = \(bind: now)
                    RETURNING failures
                    """).first(decoding: Count.self)?.failures ?? 1
            }
            func lock(_ key: String, for seconds: TimeInterval) async throws -> Date? {
                guard seconds > 0 else { return nil }
                let until = now.addingTimeInterval(seconds)
                try await sql.raw("UPDATE sign_in_failures SET locked_until = \(bind: until) WHERE key = \(bind: Self.digest(key))").run()
                return until
            }
            let pair = try await bump(keys.pair)
            let address = try await bump(keys.address)
            _ = try await bump(keys.username)
            let a = try await lock(keys.pair, for: throttle.lockDuration(afterFailures: pair))
            let b = try await lock(keys.address, for: throttle.addressLockDuration(afterFailures: address))
            return [a, b].compactMap { $0 }.max()
        }
    }

    /// After a success: this username's counts go (the address keeps its own).
    static func clear(_ keys: (pair: String, address: String, username: String), on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("DELETE FROM sign_in_failures WHERE key IN (\(binds: [keys.pair, keys.username].map(digest)))").run()
    }

    /// Counts nobody has added to for a day go.
    static func purge(now: Date, on db: Database) async throws -> Int {
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return 0 }
            struct Gone: Decodable { let key: String }
            return try await sql.raw("DELETE FROM sign_in_failures WHERE last_failure_at < \(bind: now.addingTimeInterval(-86_400)) RETURNING key")
                .all(decoding: Gone.self).count
        }
    }
}

struct AccountService {
    let db: Database
    let protector: DataProtector
    let throttle: LoginThrottle
    let now: Date

    /// Checks a password. Failures are counted per username and address, per address and per
    /// username (`LoginThrottle`): the address that keeps failing is locked, the username only slowed,
    /// and an unknown username goes through exactly the same steps and answers as a known one.
    func authenticate(username: String, password: String, address: String, verify: (String, String) async throws -> Bool,
                      sleep: @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }) async throws -> Account {
        let failures = SignInFailures(db: db, throttle: throttle, now: now)
        let keys = LoginThrottle.keys(username: username, address: address)
        let state = try await failures.read(keys)
        if let until = state.lockedUntil, until > now { throw Self.locked(until: until, now: now) }
        let wait = throttle.slowDown(afterFailures: state.usernameFailures)
        if wait > 0 { try await sleep(wait) }
        let account = try await Account.query(on: db).filter(\.$username == username).first()
        // Same work as a real check, so timing does not reveal which usernames exist.
        let matches = try await verify(password, account?.passwordHash ?? decoyHash)
        guard let account, matches else {
            if let until = try await failures.record(keys) { throw Self.locked(until: until, now: now) }
            throw AppError.credentials(Message("error.login_failed"))
        }
        if account.disabled { throw AppError.forbidden(Message("error.account_disabled")) }
        account.failedLogins = 0
        account.lockedUntil = nil
        account.lastLoginAt = now
        // Writes go through the write transaction (with group commit, a shared commit), never as a
        // bare statement waiting on SQLite's lock.
        try await db.writeTransaction { [account] db in
            try await account.save(on: db)
            try await SignInFailures.clear(keys, on: db)
        }
        return account
    }

    static func locked(until: Date, now: Date) -> AppError {
        let seconds = Int(until.timeIntervalSince(now).rounded(.up))
        return AppError.tooManyRequests(Message("error.login_locked", ["minutes": String(max(1, (seconds + 59) / 60))]), retryAfter: max(1, seconds))
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

    /// The sites of every grant an account holds.
    func grantSites(of accountID: Int) async throws -> [SitePath] {
        try await RoleGrant.query(on: db).filter(\.$account.$id == accountID).with(\.$site).all().map(\.site.sitePath)
    }

    /// Refuses unless the actor's reach covers the account's home site and every grant it holds
    /// (`Policy.mayManageAccount`).
    func requireManageable(_ account: Account, by grants: [Grant]) async throws {
        guard let id = account.id else { return }
        let home = try await Lookup.site(account.$site.id, on: db).sitePath
        guard Policy.mayManageAccount(home: home, holding: try await grantSites(of: id), by: grants) else {
            throw AppError.forbidden(Message("error.account.above_reach"))
        }
    }

    /// Ends every session and token of the account (`WebSessionStore.endEverywhere`).
    func signOutEverywhere(_ account: Account, by grants: [Grant]) async throws {
        try await requireManageable(account, by: grants)
        let id = try account.requireID()
        try await db.writeTransaction { [now] db in try await WebSessionStore.endEverywhere(accountID: id, now: now, on: db) }
    }

    /// Creates or updates an account inside the actor's reach. A new password or disabling the
    /// account ends every session and revokes every token it holds (in the same transaction);
    /// enabling it again brings none of them back. Returns whether sessions were ended.
    @discardableResult
    func save(_ input: AccountInput, into account: Account, passwordHash: String?, by grants: [Grant], keepPhone: Bool = false) async throws -> Bool {
        let site = try await Lookup.site(input.siteID, on: db)
        guard Policy.allows(grants, .accounts, .write, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        try await requireManageable(account, by: grants)
        var q = Account.query(on: db).filter(\.$username == input.username)
        if let id = account.id { q = q.filter(\.$id != id) }
        if try await q.count() > 0 { throw AppError.conflict(field: "username", Message("error.username_taken")) }
        account.username = input.username
        if keepPhone {
            // unchanged
        } else if let phone = input.phone {
            // A number an admin types is not proved by a code: it does not open the account by code,
            // and a number changed or removed no longer does either.
            if account.phoneSealed.flatMap({ try? protector.open($0) }) != phone.value { account.phoneHash = nil }
            account.phoneSealed = try protector.seal(phone.value)
            account.phoneMasked = phone.masked
        } else {
            account.phoneSealed = nil
            account.phoneMasked = nil
            account.phoneHash = nil
        }
        let endSessions = account.id != nil && (passwordHash != nil || (input.disabled && !account.disabled))
        if let passwordHash { account.passwordHash = passwordHash }
        account.locale = input.locale.rawValue
        account.disabled = input.disabled
        account.$site.id = input.siteID
        if account.id == nil { account.failedLogins = 0 }
        do {
            try await db.writeTransaction { [account, now] db in
                try await account.save(on: db)
                if endSessions { try await WebSessionStore.endEverywhere(accountID: try account.requireID(), now: now, on: db) }
            }
        } catch where error.isUniqueViolation {
            throw AppError.conflict(field: "username", Message("error.username_taken"))
        }
        return endSessions
    }

    func addGrant(_ input: GrantInput, to account: Account, by grants: [Grant]) async throws {
        let site = try await Lookup.site(input.siteID, on: db)
        guard Policy.mayAssign(input.role, at: site.sitePath, by: grants) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        try await requireManageable(account, by: grants)
        let accountID = try account.requireID()
        let exists = try await RoleGrant.query(on: db).filter(\.$account.$id == accountID)
            .filter(\.$role == input.role).filter(\.$site.$id == input.siteID).count() > 0
        if exists { return }
        let g = RoleGrant()
        g.role = input.role
        g.$account.id = accountID
        g.$site.id = input.siteID
        try await db.writeTransaction { [g] db in try await g.create(on: db) }
    }

    /// Takes a grant away: only one the admin could have given, from an account they may manage.
    func removeGrant(_ grantID: Int, from account: Account, by grants: [Grant]) async throws {
        guard let g = try await RoleGrant.query(on: db).filter(\.$id == grantID).with(\.$site).first(), g.$account.id == account.id
        else { throw AppError.notFound }
        guard Policy.mayAssign(g.role, at: g.site.sitePath, by: grants) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        try await requireManageable(account, by: grants)
        try await db.writeTransaction { [g] db in try await g.delete(on: db) }
    }
}

extension AccountService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, protector: c.protector, throttle: c.settings.loginThrottle, now: c.now)
    }
}
