import Vapor
import Fluent
import SQLKit
import DiandanCore

enum PrivacyRoutes {
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
            let record = try await RecordsRoutes.record(v, req)
            dto.service_records = record.records
            dto.points = record.points
            dto.memberships = try await TeamMembership.query(on: req.db).filter(\.$volunteer.$id == id).with(\.$team).all().map { .init(team: $0.team.name, role: $0.role) }
            dto.signups = try await Signup.query(on: req.db).filter(\.$volunteer.$id == id).with(\.$activity).sort(\.$id).all().map {
                .init(activity_id: $0.$activity.id, title: $0.activity.title, status: $0.status.rawValue, check_in_at: $0.checkInAt, check_out_at: $0.checkOutAt)
            }
            dto.certificates = try await Certificate.query(on: req.db).filter(\.$volunteer.$id == id).sort(\.$id).all().map(\.number)
        }
        dto.orders = try await Order.query(on: req.db).group(.or) { $0.filter(\.$requester.$id == p.accountID).filter(\.$placedBy.$id == p.accountID) }
            .sort(\.$id).all().map { .init(number: $0.number, title: $0.title, status: $0.status.rawValue, created_at: $0.createdAt) }
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
        if try await PrivacyService.make(req).markDeletion(of: v, requested: true) {
            try await req.audit("personal.deletion_requested", target: "volunteers/\(try v.requireID())")
        }
        return DeletionDTO(deletion_requested_at: v.deletionRequestedAt,
                           takes_effect_at: v.deletionRequestedAt.map { req.application.settings.privacy.deletionTakesEffect(requestedAt: $0) })
    }

    static func cancelDeletion(req: Request) async throws -> DeletionDTO {
        let v = try await volunteer(req)
        if try await PrivacyService.make(req).markDeletion(of: v, requested: false) {
            try await req.audit("personal.deletion_cancelled", target: "volunteers/\(try v.requireID())")
        }
        return DeletionDTO(deletion_requested_at: nil, takes_effect_at: nil)
    }

    static func requestPage(req: Request) async throws -> Response {
        if !Confirmation.given(try await req.formFields()) {
            return try await Confirmation.ask(req, heading: req.t("privacy.request"), question: req.t("privacy.confirm", ["days": String(req.application.settings.privacy.deletionGraceDays)]),
                                              action: "/me/deletion", confirm: req.t("privacy.request"), back: Paths.myPrivacy)
        }
        let d = try await requestDeletion(req: req)
        req.webSession["flash"] = req.t("privacy.deletion_requested", ["date": d.takes_effect_at.map { DateText.minute($0) } ?? ""])
        return req.redirect(to: Paths.myPrivacy, redirectType: .normal)
    }

    static func cancelPage(req: Request) async throws -> Response {
        _ = try await cancelDeletion(req: req)
        req.webSession["flash"] = req.t("privacy.deletion_cancelled")
        return req.redirect(to: Paths.myPrivacy, redirectType: .normal)
    }
}
