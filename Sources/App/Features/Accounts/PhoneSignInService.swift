import Fluent
import SQLKit
import Foundation
import DiandanCore

/// A code sent by text message to sign in with (手机验证码登录); only its digest is kept.
final class SignInCode: Model, @unchecked Sendable {
    static let schema = "sign_in_codes"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "phone_hash") var phoneHash: String
    /// The address that asked for it (limits per address).
    @Field(key: "address") var address: String
    @Field(key: "digest") var digest: String
    @Field(key: "tries") var tries: Int
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}

enum PhoneSignIn {
    /// What the keyed hash of a phone number is made from (the same for accounts and codes).
    static func hashInput(_ phone: String) -> String { "phone:" + phone }
    /// How long the step after a code (choosing a station) may take.
    static let welcomeLifetime: TimeInterval = 15 * 60

    /// A code alone signs in residents and volunteers; an account holding any other role (staff,
    /// leaders) signs in with its password.
    static func mayUseCode(roles: [Role]) -> Bool {
        roles.allSatisfy { $0 == .resident || $0 == .volunteer }
    }
}

/// 手机验证码登录: sends codes (limited per phone and per address, `SignInCodeRules`), checks them
/// (single use, five minutes, five tries) and opens the resident account of a first sign-in.
struct PhoneSignInService: MadeFromContext {
    let db: Database
    let now: Date
    let protector: DataProtector
    let localizer: Localizer
    let gateway: Bool
    let developmentLike: Bool

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
        protector = c.protector
        localizer = c.localizer
        gateway = c.settings.sms != nil
        developmentLike = c.settings.developmentLike
    }

    /// Phone sign-in is offered where codes can reach people: with a gateway, or in development,
    /// where the code is shown on the page instead.
    var offered: Bool { gateway || developmentLike }

    func phoneHash(_ phone: PhoneNumber) -> String { protector.lookupHash(PhoneSignIn.hashInput(phone.value)) }

    func codeDigest(_ code: String, phoneHash: String) -> String { protector.lookupHash("code:" + phoneHash + ":" + code) }

    /// The account this phone number belongs to, if any.
    func account(for phone: PhoneNumber) async throws -> Account? {
        try await Account.query(on: db).filter(\.$phoneHash == phoneHash(phone)).first()
    }

    /// Sends a fresh code (as a text message in the person's language). Returns the code only when
    /// there is no gateway in development, to be shown in the development banner.
    func sendCode(to phone: PhoneNumber, address: String, locale: AppLocale) async throws -> String? {
        guard offered else { throw AppError.notFound }
        let hash = phoneHash(phone)
        let hourAgo = now.addingTimeInterval(-3600)
        let byPhone = try await SignInCode.query(on: db).filter(\.$phoneHash == hash).filter(\.$createdAt > hourAgo).all().map(\.createdAt)
        let byAddress = try await SignInCode.query(on: db).filter(\.$address == address).filter(\.$createdAt > hourAgo).all().map(\.createdAt)
        switch SignInCodeRules.refusal(now: now, phoneRequests: byPhone, addressRequests: byAddress) {
        case .tooSoon(let seconds)?:
            throw AppError.tooManyRequests(Message("error.code.too_soon", ["seconds": String(seconds)]), retryAfter: seconds)
        case .phoneHourly?:
            throw AppError.tooManyRequests(Message("error.code.phone_hourly"), retryAfter: 3600)
        case .addressHourly?:
            throw AppError.tooManyRequests(Message("error.code.address_hourly"), retryAfter: 3600)
        case nil: break
        }
        let code = SignInCodeRules.newCode()
        let row = SignInCode()
        row.createdAt = now
        row.phoneHash = hash
        row.address = String(address.prefix(100))
        row.digest = codeDigest(code, phoneHash: hash)
        row.tries = 0
        let text = localizer.text("sms.sign_in_code", locale, ["code": code, "minutes": String(Int(SignInCodeRules.lifetime / 60))])
        let message = gateway ? try TextMessages.delivery(to: phone.value, text: text, topic: "sms.sign_in_code", now: now, protector: protector) : nil
        try await db.writeTransaction { db in
            try await row.create(on: db)
            if let message { try await message.create(on: db) }
        }
        return gateway ? nil : code
    }

    enum Checked {
        /// The code was right and the number has an account: sign it in.
        case account(Account)
        /// The code was right and the number is new: a resident account is to be opened.
        case newPerson
    }

    /// Checks a typed code against the newest one sent to this phone. Every try is claimed in the
    /// database before the code is judged (`tries < 5`, not used, not expired), so guesses sent in
    /// parallel cannot get past the five; of two right tries at once only one marks it used.
    func check(_ typed: String, phone: PhoneNumber) async throws -> Checked {
        let hash = phoneHash(phone)
        guard let stored = try await SignInCode.query(on: db).filter(\.$phoneHash == hash).sort(\.$createdAt, .descending).sort(\.$id, .descending).first(),
              let id = stored.id else {
            throw ValidationFailure(field: "code", "error.code.none")
        }
        if stored.usedAt != nil { throw ValidationFailure(field: "code", "error.code.used") }
        if now.timeIntervalSince(stored.createdAt) >= SignInCodeRules.lifetime { throw ValidationFailure(field: "code", "error.code.expired") }
        struct Claimed: Decodable { let tries: Int }
        let maxTries = SignInCodeRules.maxTries
        let claimed = try await db.writeTransaction { db -> Int? in
            guard let sql = db as? SQLDatabase else { return nil }
            return try await sql.raw("""
                UPDATE sign_in_codes SET tries = tries + 1 WHERE id = \(bind: id) AND used_at IS NULL AND tries < \(bind: maxTries) RETURNING tries
                """).first(decoding: Claimed.self)?.tries
        }
        guard let tries = claimed else { throw ValidationFailure(field: "code", "error.code.exhausted") }
        // Judged as the try it claimed (the tries before it).
        let outcome = SignInCodeRules.judge(typed, against: .init(digest: stored.digest, createdAt: stored.createdAt, tries: tries - 1),
                                            now: now) { codeDigest($0, phoneHash: hash) }
        switch outcome {
        case .accepted:
            let used = try await db.writeTransaction { db -> Bool in
                guard let sql = db as? SQLDatabase else { return false }
                struct Row: Decodable { let id: Int }
                return try await sql.raw("UPDATE sign_in_codes SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id")
                    .first(decoding: Row.self) != nil
            }
            guard used else { throw ValidationFailure(field: "code", "error.code.used") }
            guard let account = try await account(for: phone) else { return .newPerson }
            if account.disabled { throw AppError.forbidden(Message("error.account_disabled")) }
            // Staff keep their passwords: a code alone opens only residents' and volunteers' accounts.
            let roles = try await RoleGrant.query(on: db).filter(\.$account.$id == account.requireID()).all().map(\.role)
            guard PhoneSignIn.mayUseCode(roles: roles) else { throw ValidationFailure(field: "code", "error.code.staff") }
            account.lastLoginAt = now
            try await db.writeTransaction { [account] db in try await account.save(on: db) }
            return .account(account)
        case .wrong(let left): throw ValidationFailure(field: "code", "error.code.wrong", ["left": String(left)])
        case .expired: throw ValidationFailure(field: "code", "error.code.expired")
        case .used: throw ValidationFailure(field: "code", "error.code.used")
        case .exhausted: throw ValidationFailure(field: "code", "error.code.exhausted")
        }
    }

    /// Codes older than a day (well past their limits' hour) go, with the phone hashes and addresses.
    func purge() async throws -> Int {
        let old = try await SignInCode.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-86_400)).count()
        guard old > 0 else { return 0 }
        let cutoff = now.addingTimeInterval(-86_400)
        try await db.writeTransaction { db in try await SignInCode.query(on: db).filter(\.$createdAt < cutoff).delete() }
        return old
    }

    /// The signed ticket that lets a person who just proved their phone open an account, good for
    /// fifteen minutes: the step after the code carries no state on the server.
    func welcomeTicket(phone: PhoneNumber, expires: Int) -> String { protector.sign("welcome|\(phone.value)|\(expires)") }

    func ticketIsGood(phone: PhoneNumber, expires: Int, ticket: String) -> Bool {
        Double(expires) > now.timeIntervalSince1970 && Double(expires) <= now.timeIntervalSince1970 + PhoneSignIn.welcomeLifetime + 60
            && protector.verify("welcome|\(phone.value)|\(expires)", signature: ticket)
    }

    /// Opens a resident's account at the chosen station, remembering the name and address (the
    /// phone number is the username; there is no password: they sign in by code).
    func openResidentAccount(phone: PhoneNumber, name: String, stationID: Int, address: String?, locale: AppLocale, unusablePasswordHash: String) async throws -> Account {
        guard let station = try await Site.find(stationID, on: db), station.kind == .station else {
            throw ValidationFailure(field: "station_id", "error.not_found_choice")
        }
        guard station.active else { throw ValidationFailure(field: "station_id", "error.site.inactive") }
        // The ticket opens an account once: with one there already, start again with a code.
        if try await account(for: phone) != nil { throw AppError.conflict(field: "phone", Message("error.code.start_again")) }
        let hash = phoneHash(phone)
        let protector = protector
        let taken = try await Account.query(on: db).filter(\.$username == phone.value).count() > 0
        let account = Account()
        account.username = taken ? "m" + phone.value + "-" + TokenDigest.random(bytes: 3) : phone.value
        account.passwordHash = unusablePasswordHash
        account.locale = locale.rawValue
        account.disabled = false
        account.failedLogins = 0
        account.$site.id = stationID
        account.phoneSealed = try protector.seal(phone.value)
        account.phoneMasked = phone.masked
        account.phoneHash = hash
        account.displayName = name
        account.address = address
        account.lastLoginAt = now
        do {
            try await db.writeTransaction { db in
                try await account.create(on: db)
                let g = RoleGrant()
                g.role = .resident
                g.$account.id = try account.requireID()
                g.$site.id = stationID
                try await g.create(on: db)
            }
        } catch where error.isUniqueViolation {
            // The same person finished on two tabs at once: the first one opened it.
            throw AppError.conflict(field: "phone", Message("error.code.start_again"))
        }
        return account
    }
}
