import Fluent
import Foundation
import DiandanCore

struct VolunteerService {
    let db: Database
    let protector: DataProtector
    let now: Date
    /// DIANDAN_VOLUNTEER_REVIEW: new volunteers wait for their station's confirmation.
    var volunteerReview = false

    /// Real-name registration. One ID number, one volunteer: checked first for a clear message,
    /// and enforced by a unique index for the race.
    /// Registers a volunteer; with `passwordHash`, also the account they sign in with (registering on
    /// the site): the phone number as the username (the volunteer number if another account has
    /// the phone's), a volunteer's grant at their site, in the same transaction.
    /// With a password, the volunteer gets an account (or, for the person signed in with this phone,
    /// their account becomes a volunteer's too). Where volunteers are reviewed, they wait for it.
    func register(_ input: VolunteerRegistration, passwordHash: String? = nil, locale: AppLocale = .zhCN, signedIn: Int? = nil) async throws -> Volunteer {
        let site = try await Lookup.site(input.siteID, on: db)
        guard site.active else { throw ValidationFailure(field: "site_id", "error.site.inactive") }
        let idHash = protector.lookupHash(input.idNumber.value)
        if try await Volunteer.query(on: db).filter(\.$idHash == idHash).count() > 0 {
            throw AppError.conflict(field: "id_number", Message("error.duplicate_id_number"))
        }
        let v = Volunteer()
        v.realName = input.realName
        v.idSealed = try protector.seal(input.idNumber.value)
        v.idHash = idHash
        v.idMasked = input.idNumber.masked
        v.gender = input.gender.rawValue
        v.birthDate = input.birthDate
        v.phoneSealed = try protector.seal(input.phone.value)
        v.phoneMasked = input.phone.masked
        v.skills = input.skills
        v.active = true
        let reviewing = passwordHash != nil && volunteerReview
        v.awaitingReview = reviewing
        v.hoursTotal = 0
        v.pointsBalance = 0
        v.$site.id = input.siteID
        let day = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: now)
        v.registeredOn = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        v.number = "pending-" + UUID().uuidString
        do {
            let protector = protector
            try await db.writeTransaction { db in
                try await v.create(on: db)
                // 志愿者编号: year of registration and a sequence.
                v.number = String(format: "ZY%04d%07d", day.year!, try v.requireID())
                if let passwordHash {
                    let phone = input.phone.value
                    let phoneHash = protector.lookupHash(PhoneSignIn.hashInput(phone))
                    // Where new volunteers are reviewed, the volunteer's role comes with the confirmation.
                    let role: Role = reviewing ? .resident : .volunteer
                    if let own = try await Account.query(on: db).filter(\.$phoneHash == phoneHash).first() {
                        // The number was proved by a code (a resident who signed in with it): only its
                        // owner, signed in, may make it a volunteer's account; the password stays theirs.
                        guard let signedIn, own.id == signedIn else { throw AppError.conflict(field: "phone", Message("error.phone_has_account")) }
                        if !reviewing {
                            let g = RoleGrant()
                            g.role = .volunteer
                            g.$account.id = try own.requireID()
                            g.$site.id = try site.requireID()
                            try await g.create(on: db)
                        }
                        v.$account.id = try own.requireID()
                    } else {
                        // A number typed here is not proved: it is the username and the contact, but it
                        // does not open the account by code (that would let anyone claim a number).
                        let taken = try await Account.query(on: db).filter(\.$username == phone).count() > 0
                        let account = try await Account.insert(username: taken ? v.number : phone, passwordHash: passwordHash, site: site,
                                                               role: role, locale: locale, on: db)
                        account.phoneSealed = try protector.seal(phone)
                        account.phoneMasked = input.phone.masked
                        account.displayName = input.realName
                        try await account.save(on: db)
                        v.$account.id = try account.requireID()
                    }
                }
                try await v.save(on: db)
            }
        } catch where error.isUniqueViolation {
            throw AppError.conflict(field: "id_number", Message("error.duplicate_id_number"))
        }
        return v
    }

    /// 待审核: volunteers who registered and wait for their station's confirmation, oldest first.
    func awaitingReview(within scopes: [SitePath], limit: Int = 200) async throws -> [Volunteer] {
        guard !scopes.isEmpty else { return [] }
        return try await Volunteer.query(on: db).join(Site.self, on: \Volunteer.$site.$id == \Site.$id).within(scopes)
            .filter(\.$awaitingReview == true).filter(\.$active == true).with(\.$site).sort(\.$id).range(0..<limit).all()
    }

    func countAwaitingReview(within scopes: [SitePath]) async throws -> Int {
        guard !scopes.isEmpty else { return 0 }
        return try await Volunteer.query(on: db).join(Site.self, on: \Volunteer.$site.$id == \Site.$id).within(scopes)
            .filter(\.$awaitingReview == true).filter(\.$active == true).count()
    }

    /// The station confirms a new volunteer: their account gets the volunteer's role, and from now
    /// on they may sign up.
    func confirm(_ v: Volunteer) async throws {
        v.awaitingReview = false
        try await db.writeTransaction { [v] db in
            try await v.save(on: db)
            if let account = v.$account.id,
               try await RoleGrant.query(on: db).filter(\.$account.$id == account).filter(\.$role == .volunteer).count() == 0 {
                let g = RoleGrant()
                g.role = .volunteer
                g.$account.id = account
                g.$site.id = v.$site.id
                try await g.create(on: db)
            }
        }
    }

    /// What an admin may change of a volunteer: where they belong, their skills, whether active.
    func update(_ v: Volunteer, _ input: VolunteerUpdateInput) async throws {
        v.$site.id = input.siteID
        v.skills = input.skills
        v.active = input.active
        try await db.writeTransaction { [v] db in try await v.save(on: db) }
    }

    /// A new key for the volunteer's calendar address: the old address stops working.
    func renewCalendarKey(_ v: Volunteer) async throws {
        v.calendarNonce = TokenDigest.random(bytes: 12)
        try await db.writeTransaction { [v] db in try await v.save(on: db) }
    }
}

extension VolunteerService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, protector: c.protector, now: c.now, volunteerReview: c.settings.volunteerReview)
    }
}
