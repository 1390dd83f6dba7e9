import Vapor
import Fluent
import DiandanCore

/// Trainings (培训) in the admin pages: the list, the form, and on each training its check-in page
/// and who attended.
enum TrainingSection: AdminSection {
    static let section = "trainings"
    static let resource = Resource.trainings
    static let headingKey = "admin.trainings"
    static let columnKeys = ["training.title", "training.site", "training.starts_at", "training.hours", "training.mode", "training.attendances"]

    static func load(_ id: Int, on db: Database) async throws -> Training? {
        try await Training.query(on: db).filter(\.$id == id).with(\.$site).first()
    }

    static func sitePath(of item: Training) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Training> {
        var q = Training.query(on: req.db).join(Site.self, on: \Training.$site.$id == \Site.$id).within(scopes).with(\.$site)
            .sort(\.$startsAt, .descending)
        if let pattern { q = q.filter(\.$title ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ t: Training) -> [String] {
        [t.title, t.site.name, DateText.minute(t.startsAt), hours(t.hours), req.t("training.mode.\(t.mode)")]
    }

    static func hours(_ h: Double) -> String { h.rounded() == h ? String(Int(h)) : String(h) }

    /// Each training's attendance, counted in one query.
    static func rows(_ req: Request, _ items: [Training]) async throws -> [[String]] {
        var counts: [Int: Int] = [:]
        let ids = items.compactMap(\.id)
        if !ids.isEmpty {
            for id in try await TrainingAttendance.query(on: req.db).filter(\.$training.$id ~~ ids).all(\.$training.$id) { counts[id, default: 0] += 1 }
        }
        return items.map { row(req, $0) + [String(counts[$0.id ?? 0] ?? 0)] }
    }

    static func values(_ req: Request, of t: Training?) -> [String: [String]] {
        guard let t else { return ["hours": ["2"], "mode": [TrainingMode.onsite.rawValue], "radius": [String(ActivityInput.defaultRadius)]] }
        let c = Calendar.chinaStandard.dateComponents([.year, .month, .day, .hour, .minute], from: t.startsAt)
        return ["title": [t.title], "trainer": [t.trainer], "description": [t.description], "site_id": [String(t.$site.id)],
                "team_id": [t.$team.id.map(String.init) ?? ""],
                "starts_at": [String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)],
                "hours": [hours(t.hours)], "mode": [t.mode.rawValue], "address": [t.address],
                "latitude": [t.latitude.map { String($0) } ?? ""], "longitude": [t.longitude.map { String($0) } ?? ""], "radius": [String(t.radius)]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Training?) async throws -> [FormField] {
        let scopes = Policy.scopes(req.grants, .trainings, .write).isEmpty ? Policy.scopes(req.grants, .trainings, .read) : Policy.scopes(req.grants, .trainings, .write)
        // Teams of the admin's subtrees and of the sites above them.
        let teams = try await Team.query(on: req.db).join(Site.self, on: \Team.$site.$id == \Site.$id)
            .group(.or) { g in
                for s in scopes { g.filter(Site.self, \Site.$path =~ s.rawValue) }
                g.filter(\Team.$site.$id ~~ Array(Set(scopes.flatMap(\.ids))))
            }
            .filter(\.$active == true).with(\.$site).sort(Site.self, \.$path).range(0..<2000).all()
        return [
            form.text("title", "training.title"),
            form.text("trainer", "training.trainer"),
            form.select("site_id", "training.site", try await SiteChoices.options(req, .trainings, .write)),
            form.select("team_id", "training.team", [("", req.t("training.team_none"))] + teams.compactMap { t in t.id.map { (String($0), "\(t.name)（\(t.site.name)）") } },
                        required: false),
            form.text("starts_at", "training.starts_at", kind: .datetime),
            form.text("hours", "training.hours", kind: .number, step: "0.5"),
            form.select("mode", "training.mode", TrainingMode.allCases.map { ($0.rawValue, req.t("training.mode.\($0.rawValue)")) }),
            form.text("address", "training.address", required: false, hint: "training.address_hint"),
            form.text("latitude", "training.latitude", kind: .number, required: false, step: "any"),
            form.text("longitude", "training.longitude", kind: .number, required: false, step: "any"),
            form.text("radius", "training.radius", kind: .number, required: false),
            form.text("description", "training.description", kind: .textarea, required: false),
        ]
    }

    static func save(_ req: Request, _ item: Training?) async throws -> Training {
        var r = try await req.adminReader()
        let input = TrainingInput.read(&r)
        try r.check()
        return try await TrainingService.make(req).save(input!, into: item, by: try req.requirePrincipal())
    }

    static func sections(_ req: Request, _ t: Training, canWrite: Bool) async throws -> [FormPage.Section] {
        let id = try t.requireID()
        let attended = try await TrainingAttendance.query(on: req.db).filter(\.$training.$id == id).with(\.$volunteer).sort(\.$checkedInAt).all()
        return [FormPage.Section(
            heading: req.t("training.attendance", ["n": String(attended.count)]),
            rows: attended.map { .init(cells: [$0.volunteer.realName, $0.volunteer.number, DateText.minute($0.checkedInAt), hours($0.hours)]) },
            form: nil,
            link: canWrite ? Paths.trainingCode(id) : nil, linkLabel: canWrite ? req.t("training.show_code") : nil)]
    }
}

/// The trainer's code (shown in the room or shared on screen in an online session) and the page a
/// scanned code opens on the volunteer's phone.
enum TrainingPages {
    static func register(web: RoutesBuilder) {
        web.get("trainings", ":id", "code", use: codePage).rule(.resource(.trainings, .write))
        web.get("trainings", ":id", "qr", use: qrImage).rule(.resource(.trainings, .write))
        web.get("trainings", ":id", "check", use: checkPage).rule(.open)
        web.post("trainings", ":id", "check", use: checkSubmit).rule(.signedIn)
    }

    static func find(_ req: Request) async throws -> Training {
        guard let id = (try? req.pathInt("id")), let t = try await TrainingSection.load(id, on: req.db) else { throw AppError.notFound }
        return t
    }

    static func managed(_ req: Request) async throws -> Training {
        let t = try await find(req)
        try req.authorize(.trainings, .write, at: t.site.sitePath)
        return t
    }

    static func checkURL(_ req: Request, _ id: Int) -> String {
        let t = TrainingService.make(req).token(trainingID: id)
        return req.baseURL + Paths.trainingCheck(id, window: t.window, signature: t.signature)
    }

    struct CodePage: Encodable {
        var chrome: Chrome
        var title: String
        var facts: String
        var qr: String
        var png: String
        var link: String
        var refreshSeconds: Int
        var attended: Int
        var back: String
    }

    static func codePage(req: Request) async throws -> Response {
        let t = try await managed(req)
        let id = try t.requireID()
        let attended = try await TrainingAttendance.query(on: req.db).filter(\.$training.$id == id).count()
        let page = CodePage(
            chrome: .make(req, title: t.title), title: t.title,
            facts: [t.site.name, DateText.minute(t.startsAt), req.t("training.mode.\(t.mode)"), req.t("training.trainer") + "：" + t.trainer].joined(separator: " · "),
            qr: Paths.trainingQR(id), png: Paths.trainingQR(id) + "?format=png", link: checkURL(req, id),
            refreshSeconds: max(15, Int(req.application.settings.checkin.rotation / 3)), attended: attended, back: Paths.adminItem(TrainingSection.section, id))
        return try await Pages.render(req, "trainings/code", page)
    }

    static func qrImage(req: Request) async throws -> Response {
        let t = try await managed(req)
        return try ActivitiesPages.codeImage(req, checkURL(req, try t.requireID()))
    }

    struct CheckPage: Encodable {
        var chrome: Chrome
        var title: String
        var heading: String
        var action: String
        var window: String
        var signature: String
        var online: Bool
        var message: String?
        var done: Bool
    }

    static func context(_ req: Request, _ t: Training, window: String, signature: String, message: String?, done: Bool) throws -> CheckPage {
        let heading = req.t("training.check_in")
        return CheckPage(chrome: .make(req, title: heading), title: t.title, heading: heading, action: Paths.trainingCheckAction(try t.requireID()),
                         window: window, signature: signature, online: t.mode == .online, message: message, done: done)
    }

    static func checkPage(req: Request) async throws -> Response {
        guard req.principal != nil else { return req.redirect(to: Paths.login(next: req.url.string), redirectType: .normal) }
        let t = try await find(req)
        let page = try context(req, t, window: req.queryText("t", max: 20) ?? "", signature: req.queryText("s", max: 100) ?? "", message: nil, done: false)
        return try await Pages.render(req, "trainings/check", page)
    }

    static func checkSubmit(req: Request) async throws -> Response {
        let t = try await find(req)
        let form = try await req.formFields()
        let window = form["t"]?.last ?? "", signature = form["s"]?.last ?? ""
        do {
            var r = try await req.fieldReader()
            let lat = r.double("latitude", required: false, in: -90...90), lon = r.double("longitude", required: false, in: -180...180)
            guard let w = Int(window), (0...Int(Int32.max)).contains(w) else { throw ActivityService.error(for: .badSignature) }
            let (a, created) = try await TrainingService.make(req).checkIn(trainingID: try t.requireID(), window: w, signature: signature,
                                                                           latitude: lat, longitude: lon, by: try req.requirePrincipal())
            let message = req.t(created ? "training.checked_in" : "training.already", ["time": DateText.minute(a.checkedInAt), "hours": TrainingSection.hours(a.hours)])
            return try await Pages.render(req, "trainings/check", try context(req, t, window: window, signature: signature, message: message, done: true))
        } catch let e as AppError {
            let page = try context(req, t, window: window, signature: signature, message: req.t(e.message), done: false)
            return try await Pages.render(req, "trainings/check", page, status: e.status)
        }
    }
}
