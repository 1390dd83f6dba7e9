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

    static func make(_ app: Application) -> PrivacyService {
        PrivacyService(db: app.db, now: app.clock.now(), protector: app.protector, rules: app.settings.privacy)
    }

    static func make(_ req: Request) -> PrivacyService {
        PrivacyService(db: req.db, now: req.now, protector: req.application.protector, rules: req.application.settings.privacy)
    }

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

enum PrivacyController {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        api.get("me", "data", use: myData).rule(.signedIn)
        api.post("me", "deletion", use: requestDeletion).rule(.signedIn)
        api.delete("me", "deletion", use: cancelDeletion).rule(.signedIn)
        web.get("me", "data.json", use: download).rule(.signedIn)
        web.post("me", "deletion", use: requestPage).rule(.signedIn)
        web.post("me", "deletion", "cancel", use: cancelPage).rule(.signedIn)
    }

    static func myData(req: Request) async throws -> MyDataDTO {
        let p = try req.requirePrincipal()
        guard let account = try await Account.find(p.accountID, on: req.db) else { throw AppError.notFound }
        let protector = req.application.protector
        let v = try await Volunteer.query(on: req.db).filter(\.$account.$id == p.accountID).with(\.$site).first()
        var dto = MyDataDTO(exported_at: req.now,
                            account: .init(username: account.username, phone: try account.phoneSealed.map { try protector.open($0) }, locale: account.locale, created_at: account.createdAt),
                            volunteer: nil, memberships: [], service_records: [], points: [], signups: [], certificates: [], orders: [])
        if let v {
            let id = try v.requireID()
            dto.volunteer = .init(number: v.number, real_name: v.realName, id_number: try protector.open(v.idSealed), phone: try protector.open(v.phoneSealed),
                                  gender: v.gender, birth_date: v.birthDate, skills: v.skills, site: v.site.name, registered_on: v.registeredOn,
                                  hours_total: v.hoursTotal, points_balance: v.pointsBalance, deletion_requested_at: v.deletionRequestedAt)
            let record = try await RecordController.record(v, req)
            dto.service_records = record.records
            dto.points = record.points
            dto.memberships = try await TeamMembership.query(on: req.db).filter(\.$volunteer.$id == id).with(\.$team).all().map { .init(team: $0.team.name, role: $0.role) }
            dto.signups = try await Signup.query(on: req.db).filter(\.$volunteer.$id == id).with(\.$activity).sort(\.$id).all().map {
                .init(activity_id: $0.$activity.id, title: $0.activity.title, status: $0.status, check_in_at: $0.checkInAt, check_out_at: $0.checkOutAt)
            }
            dto.certificates = try await Certificate.query(on: req.db).filter(\.$volunteer.$id == id).sort(\.$id).all().map(\.number)
        }
        dto.orders = try await Order.query(on: req.db).group(.or) { $0.filter(\.$requester.$id == p.accountID).filter(\.$placedBy.$id == p.accountID) }
            .sort(\.$id).all().map { .init(number: $0.number, title: $0.title, status: $0.status, created_at: $0.createdAt) }
        try await req.audit("personal.self_export", target: "accounts/\(p.accountID)", detail: "own data")
        return dto
    }

    static func download(req: Request) async throws -> Response {
        let r = try await myData(req: req).encodeResponse(for: req)
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"my-data.json\"")
        r.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return r
    }

    static func volunteer(_ req: Request) async throws -> Volunteer {
        guard let v = try await Volunteer.query(on: req.db).filter(\.$account.$id == (try req.requirePrincipal()).accountID).first() else {
            throw AppError.forbidden(Message("error.activity.not_volunteer"))
        }
        return v
    }

    static func requestDeletion(req: Request) async throws -> DeletionDTO {
        let v = try await volunteer(req)
        if v.deletionRequestedAt == nil {
            v.deletionRequestedAt = req.now
            try await req.db.writeTransaction { [v] db in try await v.save(on: db) }
            try await req.audit("personal.deletion_requested", target: "volunteers/\(try v.requireID())")
        }
        return DeletionDTO(deletion_requested_at: v.deletionRequestedAt,
                           takes_effect_at: v.deletionRequestedAt.map { req.application.settings.privacy.deletionTakesEffect(requestedAt: $0) })
    }

    static func cancelDeletion(req: Request) async throws -> DeletionDTO {
        let v = try await volunteer(req)
        if v.deletionRequestedAt != nil {
            v.deletionRequestedAt = nil
            try await req.db.writeTransaction { [v] db in try await v.save(on: db) }
            try await req.audit("personal.deletion_cancelled", target: "volunteers/\(try v.requireID())")
        }
        return DeletionDTO(deletion_requested_at: nil, takes_effect_at: nil)
    }

    static func requestPage(req: Request) async throws -> Response {
        let d = try await requestDeletion(req: req)
        req.webSession["flash"] = req.t("privacy.deletion_requested", ["date": d.takes_effect_at.map { DateText.minute($0) } ?? ""])
        return req.redirect(to: "/me/service#privacy", redirectType: .normal)
    }

    static func cancelPage(req: Request) async throws -> Response {
        _ = try await cancelDeletion(req: req)
        req.webSession["flash"] = req.t("privacy.deletion_cancelled")
        return req.redirect(to: "/me/service#privacy", redirectType: .normal)
    }
}
