import Vapor
import Fluent
import SQLKit
import DiandanCore

/// Carries out the privacy rules: ended orders lose the resident's contact data after a while;
/// volunteers who asked are deleted after the grace period — name, ID and phone numbers, account and
/// team places gone, their service records and points kept against an unnamed row, so every total
/// and assessment stays as it was.
struct PrivacyService {
    let db: Database
    let now: Date
    let protector: DataProtector
    let rules: PrivacyRules

    struct Pass: Sendable, Equatable {
        var anonymised = 0
        var deleted = 0
    }

    func runOnce() async throws -> Pass {
        guard let sql = db as? SQLDatabase else { return Pass() }
        var pass = Pass()
        let empty = try protector.seal("")
        struct Row: Decodable { let id: Int }
        // In batches, each its own short write transaction: the first run on a large database has
        // hundreds of thousands to do, and writers must not wait behind one long statement.
        while !Task.isCancelled {
            let ids = try await sql.select().column("id").from(Order.schema)
                .where(SQLColumn("status"), .in, SQLBind.group(PrivacyRules.ended.map(\.rawValue)))
                .where(SQLColumn("updated_at"), .lessThan, SQLBind(rules.anonymiseBefore(now)))
                .where(SQLColumn("anonymised_at"), .is, SQLLiteral.null)
                .orderBy("id").limit(500).all(decoding: Row.self).map(\.id)
            guard !ids.isEmpty else { break }
            let now = self.now
            pass.anonymised += try await db.writeTransaction { db in
                guard let sql = db as? SQLDatabase else { return 0 }
                return try await sql.update(Order.schema)
                    .set(SQLColumn("contact_name"), to: SQLBind(PrivacyRules.anonymousName))
                    .set(SQLColumn("contact_phone_sealed"), to: SQLBind(empty))
                    .set(SQLColumn("contact_phone_masked"), to: SQLBind(""))
                    .set(SQLColumn("address"), to: SQLLiteral.null)
                    .set(SQLColumn("latitude"), to: SQLLiteral.null)
                    .set(SQLColumn("longitude"), to: SQLLiteral.null)
                    .set(SQLColumn("anonymised_at"), to: SQLBind(now))
                    .where(SQLColumn("id"), .in, SQLBind.group(ids))
                    .where(SQLColumn("anonymised_at"), .is, SQLLiteral.null)
                    .returning("id").all(decoding: Row.self).count
            }
            if ids.count < 500 { break }
        }
        let due = try await Volunteer.query(on: db).filter(\.$deletionRequestedAt < rules.deleteRequestedBefore(now)).filter(\.$deletedAt == nil).all()
        for v in due {
            try await delete(v)
            pass.deleted += 1
        }
        return pass
    }

    /// 申请注销, or taking the request back: the volunteer's request time set now, or cleared.
    /// True when it changed (asking twice keeps the first time).
    func markDeletion(of v: Volunteer, requested: Bool) async throws -> Bool {
        guard (v.deletionRequestedAt != nil) != requested else { return false }
        v.deletionRequestedAt = requested ? now : nil
        try await db.writeTransaction { [v] db in try await v.save(on: db) }
        return true
    }

    /// Deletes one volunteer's personal data for good.
    func delete(_ v: Volunteer) async throws {
        let id = try v.requireID()
        let empty = try protector.seal("")
        try await db.writeTransaction { db in
            v.realName = PrivacyRules.deletedVolunteerName
            v.idSealed = empty
            v.idHash = "deleted-\(id)"
            v.idMasked = ""
            v.gender = ""
            v.birthDate = ""
            v.phoneSealed = empty
            v.phoneMasked = ""
            v.skills = []
            v.active = false
            v.calendarNonce = nil
            v.deletedAt = now
            let accountID = v.$account.id
            v.$account.id = nil
            try await v.save(on: db)
            try await TeamMembership.query(on: db).filter(\.$volunteer.$id == id).delete()
            // Certificates carry the name: they are withdrawn with it.
            try await Certificate.query(on: db).filter(\.$volunteer.$id == id).delete()
            if let accountID, let account = try await Account.find(accountID, on: db) {
                account.username = "deleted-\(accountID)"
                account.phoneSealed = nil
                account.phoneMasked = nil
                account.phoneHash = nil
                account.displayName = nil
                account.address = nil
                account.disabled = true
                try await account.save(on: db)
                try await APIToken.query(on: db).filter(\.$account.$id == accountID).delete()
            }
        }
    }
}

extension PeriodicService {
    /// The privacy rules, once an hour.
    static func privacy(_ app: Application) -> PeriodicService {
        PeriodicService("Privacy", every: 3600) { app in
            let pass = try await PrivacyService.make(app).runOnce()
            return pass == .init() ? nil : "\(pass.anonymised) orders anonymised, \(pass.deleted) volunteers deleted"
        }
    }
}

/// A volunteer's own data, all of it, in the clear (it is theirs): the export they may ask for.
struct MyDataDTO: Content {
    struct AccountPart: Content { var username: String; var phone: String?; var locale: String; var created_at: Date? }
    struct VolunteerPart: Content {
        var number: String, real_name: String, id_number: String, phone: String, gender: String, birth_date: String, skills: [String]
        var site: String, registered_on: String, hours_total: Double, points_balance: Int, deletion_requested_at: Date?
    }
    struct Membership: Content { var team: String; var role: String }
    struct Signup: Content { var activity_id: Int; var title: String; var status: String; var check_in_at: Date?; var check_out_at: Date? }
    struct OrderPart: Content { var number: String; var title: String; var status: String; var created_at: Date }
    var exported_at: Date
    var account: AccountPart
    var volunteer: VolunteerPart?
    var memberships: [Membership]
    var service_records: [RecordDTO.Entry]
    var points: [RecordDTO.Points]
    var signups: [Signup]
    var certificates: [String]
    var orders: [OrderPart]
}

struct DeletionDTO: Content {
    var deletion_requested_at: Date?
    var takes_effect_at: Date?
}

extension PrivacyService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now, protector: c.protector, rules: c.settings.privacy)
    }
}
