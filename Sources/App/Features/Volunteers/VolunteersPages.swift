import Vapor
import Fluent
import DiandanCore

enum VolunteerSection: AdminSection {
    static let section = "volunteers"
    static let resource = Resource.volunteers
    static let headingKey = "admin.volunteers"
    static let columnKeys = ["volunteer.number", "volunteer.real_name", "volunteer.gender", "volunteer.id_number", "volunteer.phone", "volunteer.site", "volunteer.registered_on"]
    /// New volunteers register under their real name on the public page, also when staff help them.
    static var newPath: String? { Paths.register }
    static var creatable: Bool { false }

    static func load(_ id: Int, on db: Database) async throws -> Volunteer? {
        try await Volunteer.query(on: db).filter(\.$id == id).with(\.$site).first()
    }

    static func sitePath(of item: Volunteer) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Volunteer> {
        var q = Volunteer.query(on: req.db).join(Site.self, on: \Volunteer.$site.$id == \Site.$id).within(scopes).with(\.$site)
            .sort(\.$id, .descending)
        if let pattern { q = q.group(.or) { $0.filter(\.$realName ~~ pattern).filter(\.$number ~~ pattern) } }
        return q
    }

    static func row(_ req: Request, _ v: Volunteer) -> [String] {
        [v.number, v.realName, req.t("gender.\(v.gender)"), v.idMasked, v.phoneMasked, v.site.name, v.registeredOn]
    }

    static func values(_ req: Request, of v: Volunteer?) -> [String: [String]] {
        guard let v else { return [:] }
        return ["number": [v.number], "real_name": [v.realName], "id_masked": [v.idMasked], "phone_masked": [v.phoneMasked],
                "birth_date": [v.birthDate], "site_id": [String(v.$site.id)], "skills": [v.skills.joined(separator: ", ")], "active": [v.active ? "on" : ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Volunteer?) async throws -> [FormField] {
        func shown(_ name: String, _ key: String) -> FormField {
            var f = form.text(name, key, required: false)
            f.kind = .text
            f.hint = req.t("common.read_only")
            return f
        }
        return [
            shown("number", "volunteer.number"),
            shown("real_name", "volunteer.real_name"),
            shown("id_masked", "volunteer.id_number"),
            shown("phone_masked", "volunteer.phone"),
            shown("birth_date", "volunteer.birth_date"),
            form.select("site_id", "volunteer.site", try await SiteChoices.options(req, .volunteers, .write)),
            form.text("skills", "volunteer.skills", required: false, hint: "volunteer.skills_hint"),
            form.checkbox("active", "common.active"),
        ]
    }

    static func save(_ req: Request, _ item: Volunteer?) async throws -> Volunteer {
        guard let item else { throw AppError.notFound }
        var r = try await req.adminReader()
        let input = VolunteerUpdateInput.read(&r)
        try r.check()
        let site = try await Lookup.site(input!.siteID, on: req.db)
        try req.authorize(.volunteers, .write, at: site.sitePath)
        try await VolunteerService.make(req).update(item, input!)
        return item
    }
}

extension VolunteerSection {
    /// The volunteer's trainings, apart from the service hours above.
    static func sections(_ req: Request, _ v: Volunteer, canWrite: Bool) async throws -> [FormPage.Section] {
        let training = try await TrainingService.make(req).records(volunteerID: try v.requireID(), limit: 100)
        return [FormPage.Section(
            heading: req.t("me.trainings") + " · " + req.t("me.trainings_hint", ["n": String(training.summary.sessions), "hours": TrainingSection.hours(training.summary.hours)]),
            rows: training.records.map { .init(cells: [DateText.minute($0.date), $0.title, $0.trainer, req.t("training.mode.\($0.mode.rawValue)"), TrainingSection.hours($0.hours)]) },
            form: nil)]
    }
}

struct VolunteerReviewPage: Encodable {
    struct Row: Encodable { var id: Int; var number: String; var name: String; var phone: String; var site: String; var registeredOn: String; var action: String }
    var chrome: Chrome
    var rows: [Row]
    var reviewRequired: Bool
    var notice: String?
}

extension VolunteerSection {
    static func registerExtras(_ admin: RoutesBuilder) {
        admin.get("volunteers", "review", use: reviewList).rule(.resource(.volunteers, .write))
        admin.post("volunteers", ":id", "confirm", use: confirm).rule(.resource(.volunteers, .write))
    }

    /// 待审核志愿者 (DIANDAN_VOLUNTEER_REVIEW): who registered at the admin's sites and waits.
    static func reviewList(req: Request) async throws -> Response {
        let waiting = try await VolunteerService.make(req).awaitingReview(within: try req.scopes(.volunteers, .write))
        let page = VolunteerReviewPage(chrome: .make(req, title: req.t("volunteer.review.title")), rows: waiting.compactMap { v in
            v.id.map { .init(id: $0, number: v.number, name: v.realName, phone: v.phoneMasked, site: v.site.name, registeredOn: v.registeredOn,
                             action: Paths.adminVolunteerConfirm($0)) }
        }, reviewRequired: req.application.settings.volunteerReview, notice: req.takeFlash())
        return try await Pages.render(req, "admin/volunteer-review", page)
    }

    static func confirm(req: Request) async throws -> Response {
        let v = try await AdminRoutes<VolunteerSection>.find(req)
        try req.authorize(.volunteers, .write, at: v.site.sitePath)
        try await VolunteerService.make(req).confirm(v)
        req.webSession["flash"] = req.t("volunteer.review.confirmed", ["name": v.realName])
        return req.redirect(to: Paths.adminVolunteerReview, redirectType: .normal)
    }
}
