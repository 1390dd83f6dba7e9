import Fluent
import Foundation
import DiandanCore

struct VolunteerService {
    let db: Database
    let protector: DataProtector
    let now: Date

    /// Real-name registration. One ID number, one volunteer: checked first for a clear message,
    /// and enforced by a unique index for the race.
    /// Registers a volunteer; with `passwordHash`, also the account they sign in with (registering on
    /// the site): the phone number as the username (the volunteer number if another account has
    /// the phone's), a volunteer's grant at their site, in the same transaction.
    func register(_ input: VolunteerRegistration, passwordHash: String? = nil, locale: AppLocale = .zhCN) async throws -> Volunteer {
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
                    let taken = try await Account.query(on: db).filter(\.$username == phone).count() > 0
                    let account = try await Account.insert(username: taken ? v.number : phone, passwordHash: passwordHash, site: site,
                                                           role: .volunteer, locale: locale, on: db)
                    account.phoneSealed = try protector.seal(phone)
                    account.phoneMasked = input.phone.masked
                    try await account.save(on: db)
                    v.$account.id = try account.requireID()
                }
                try await v.save(on: db)
            }
        } catch where error.isUniqueViolation {
            throw AppError.conflict(field: "id_number", Message("error.duplicate_id_number"))
        }
        return v
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
        self.init(db: c.db, protector: c.protector, now: c.now)
    }
}
