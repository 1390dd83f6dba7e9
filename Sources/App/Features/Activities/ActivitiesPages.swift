import Vapor
import Fluent
import DiandanCore

struct ActivityListPage: Encodable {
    /// `state`: the activity's phase, or `full` while it takes sign-ups only onto the waiting list.
    struct Row: Encodable { var link: String; var title: String; var when: String; var place: String; var site: String; var slots: String; var full: Bool
        var state: String; var badge: String }
    var chrome: Chrome
    var sites: [FormField.Option]
    var categories: [FormField.Option]
    var from: String
    var to: String
    var q: String
    /// Whether a filter is set: the filters then show open (on a phone they are folded away otherwise).
    var filtering: Bool
    var rows: [Row]
    var canCreate: Bool
    var feed: String
}

struct ActivityShowPage: Encodable {
    struct Fact: Encodable { var label: String; var value: String }
    struct Person: Encodable { var name: String; var number: String; var status: String; var statusKey: String }
    var chrome: Chrome
    var title: String
    var status: String
    var statusKey: String
    var description: String
    var facts: [Fact]
    var base: String
    /// For a volunteer: where they stand, and what they can do.
    var mine: String?
    /// Why there is no sign-up button, when there is none (started, not a volunteer, not signed in).
    var closed: String? = nil
    /// Where to sign in (and come back) to sign up.
    var signIn: String? = nil
    var canSignUp: Bool
    var askConsent: Bool
    var canCancel: Bool
    var canApprove: Bool
    var roster: [Person]
    var summary: String?
    /// For organisers: the rotating codes, and attendance to confirm.
    var qr: [QR]
    var refreshSeconds: Int
    var attendance: [Attendance]
    var canRecordPeople: Bool
    /// After it ended, for its organisers: publish it to the showcase (志愿风采).
    var showcase: String?

    struct QR: Encodable { var kind: String; var label: String; var svg: String; var png: String }
    struct Attendance: Encodable {
        var signupID: Int; var name: String; var checkIn: String; var checkOut: String
        var hours: String; var confirmed: String?; var confirmPath: String
    }
}

struct ActivityFormPage: Encodable {
    var chrome: Chrome
    var fields: [FormField]
    var summary: String?
}

/// Activity pages: a public list per site with filters, the activity page, and the organiser's form.
enum ActivitiesPages {
    static func register(_ web: RoutesBuilder) {
        web.get("activities", use: list).rule(.open)
        web.get("activities", "new", use: newForm).rule(.signedIn)
        web.post("activities", use: create).rule(.signedIn)
        web.get("activities", ":id", use: show).rule(.open)
        web.post("activities", ":id", "signup", use: signUp).rule(.signedIn)
        web.post("activities", ":id", "cancel-signup", use: cancel).rule(.signedIn)
        web.post("activities", ":id", "approve", use: approve).rule(.resource(.activities, .write))
        web.get("activities", ":id", "qr", ":kind", use: qrImage).rule(.signedIn)
        web.get("activities", ":id", "check", use: checkPage).rule(.open)
        web.post("activities", ":id", "check", use: checkSubmit).rule(.signedIn)
        web.post("activities", ":id", "signups", ":signup", "confirm", use: confirm).rule(.signedIn)
        web.post("activities", ":id", "people", use: people).rule(.signedIn)
    }

    // MARK: QR check-in

    /// The organiser's QR code as SVG (or PNG with `?format=png`); never cached, it rotates.
    static func qrImage(req: Request) async throws -> Response {
        let a = try await ActivitiesAPI.managed(req)
        guard let kind = req.parameters.get("kind").flatMap(CheckinPolicy.Kind.init(rawValue:)) else { throw AppError.notFound }
        let (url, _) = ActivitiesAPI.checkURL(req, activityID: try a.requireID(), kind: kind)
        return try codeImage(req, url)
    }

    /// A rotating check-in code as SVG, or PNG with `?format=png`; never cached.
    static func codeImage(_ req: Request, _ url: String) throws -> Response {
        let qr = try QRCode.encode(url, errorCorrection: .medium)
        let response: Response
        if try req.queryChoice("format", ImageFormat.self) == .png {
            response = Response(status: .ok, body: .init(data: Data(qr.png(scale: 8))))
            response.headers.contentType = .png
        } else {
            response = Response(status: .ok, body: .init(string: qr.svg()))
            response.headers.replaceOrAdd(name: .contentType, value: "image/svg+xml")
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct CheckPage: Encodable {
        var chrome: Chrome
        var title: String
        var heading: String
        var action: String
        var kind: String
        var window: String
        var signature: String
        var message: String?
        var done: Bool
    }

    static func checkContext(_ req: Request, _ a: Activity, kind: CheckinPolicy.Kind, window: String, signature: String, message: String?, done: Bool) throws -> CheckPage {
        let heading = req.t(kind == .checkIn ? "checkin.check_in" : "checkin.check_out")
        return CheckPage(chrome: .make(req, title: heading), title: a.title, heading: heading, action: Paths.activity(try a.requireID()) + "/check",
                         kind: kind.rawValue, window: window, signature: signature, message: message, done: done)
    }

    /// Where a scanned code lands: sign in first if needed, then the page asks the phone for its location.
    static func checkPage(req: Request) async throws -> Response {
        guard req.principal != nil else { return req.redirect(to: Paths.login(next: req.url.string), redirectType: .normal) }
        let a = try await ActivitiesAPI.find(req)
        let kind = try req.queryChoice("k", CheckinPolicy.Kind.self) ?? .checkIn
        let page = try checkContext(req, a, kind: kind, window: req.queryText("t", max: 20) ?? "", signature: req.queryText("s", max: 100) ?? "",
                                    message: nil, done: false)
        return try await Pages.render(req, "activities/check", page)
    }

    static func checkSubmit(req: Request) async throws -> Response {
        let a = try await ActivitiesAPI.find(req)
        let form = try await req.formFields()
        let kind = CheckinPolicy.Kind(rawValue: form["k"]?.last ?? "") ?? .checkIn
        let window = form["t"]?.last ?? "", signature = form["s"]?.last ?? ""
        do {
            var r = try await req.fieldReader()
            let lat = r.double("latitude", in: -90...90), lon = r.double("longitude", in: -180...180)
            if lat == nil || lon == nil { throw AppError.badRequest(Message("error.checkin.no_location")) }
            guard let t = Int(window), (0...Int(Int32.max)).contains(t) else { throw ActivityService.error(for: .badSignature) }
            let s = try await ActivityService.make(req).check(kind, activityID: try a.requireID(), window: t, signature: signature,
                                                              latitude: lat!, longitude: lon!, by: try req.requirePrincipal())
            let at = DateText.minute((kind == .checkIn ? s.checkInAt : s.checkOutAt) ?? req.now)
            let page = try checkContext(req, a, kind: kind, window: window, signature: signature,
                                        message: req.t(kind == .checkIn ? "checkin.done_in" : "checkin.done_out", ["time": at]), done: true)
            return try await Pages.render(req, "activities/check", page)
        } catch let e as AppError {
            let page = try checkContext(req, a, kind: kind, window: window, signature: signature, message: req.t(e.message), done: false)
            return try await Pages.render(req, "activities/check", page, status: e.status)
        }
    }

    static func people(req: Request) async throws -> Response {
        var r = FieldReader(form: try await req.formFields())
        let input = PeopleServedInput.read(&r)
        return try await act(req) { a in
            try r.check()
            _ = try await ActivityService.make(req).setPeopleServed(try a.requireID(), input!.people, by: try req.requirePrincipal())
        }
    }

    static func confirm(req: Request) async throws -> Response {
        guard let id = (try? req.pathInt("signup")) else { throw AppError.notFound }
        var r = FieldReader(form: try await req.formFields())
        let input = HoursConfirmation.read(&r)
        return try await act(req) { _ in
            try r.check()
            _ = try await ActivityService.make(req).confirm(signupID: id, hours: input!.hours, reason: input!.reason, by: try req.requirePrincipal())
        }
    }

    static func state(_ a: Activity, now: Date) -> String {
        ActivityWindow.cardState(a.status, startsAt: a.startsAt, endsAt: a.endsAt, signedUp: a.signedUp, slots: a.slots, now: now)
    }

    static func list(req: Request) async throws -> Response {
        let f = try ActivitiesAPI.Filter.read(req)
        let activities = try await ActivitiesAPI.query(req, f, page: 1, perPage: 100)
        let siteIDs = Array(Set(activities.map(\.$site.id)))
        let siteNames = Dictionary(uniqueKeysWithValues: try await Site.query(on: req.db).filter(\.$id ~~ siteIDs).all().compactMap { s in s.id.map { ($0, s.name) } })
        let sites = try await Site.query(on: req.db).filter(\.$active == true).filter(\.$kind != SiteKind.point).sort(\.$path).range(0..<2000).all()
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        let rows = try activities.map { a in
            ActivityListPage.Row(link: Paths.activity(try a.requireID()), title: a.title, when: DateText.minute(a.startsAt) + " – " + DateText.minute(a.endsAt),
                                 place: a.address, site: siteNames[a.$site.id].flatMap { $0 == a.address ? nil : $0 } ?? "",
                                 slots: req.t("activity.slots_taken", ["taken": String(a.signedUp), "slots": String(a.slots)]), full: a.signedUp >= a.slots,
                                 state: state(a, now: req.now), badge: req.t("activity.phase.\(state(a, now: req.now))"))
        }
        let p = req.principal
        let page = ActivityListPage(
            chrome: .make(req, title: req.t("activity.list")),
            sites: [.init(value: "", label: req.t("activity.all_sites"), selected: f.siteID == nil)]
                + sites.compactMap { s in s.id.map { .init(value: String($0), label: s.name, selected: $0 == f.siteID) } },
            categories: [.init(value: "", label: req.t("activity.all_categories"), selected: f.categoryID == nil)]
                + categories.compactMap { c in c.id.map { .init(value: String($0), label: c.displayName(req.locale), selected: $0 == f.categoryID) } },
            from: try req.queryText("from", max: 30) ?? "", to: try req.queryText("to", max: 30) ?? "", q: f.text ?? "",
            filtering: ["site", "category", "from", "to", "q"].contains { !(req.queryFields[$0]?.last ?? "").isEmpty },
            rows: rows, canCreate: p.map { Policy.leadsTeams($0.grants) || Policy.allows($0.grants, .activities, .write, at: nil) } ?? false,
            feed: "/activities.ics" + (f.siteID.map { "?site=\($0)" } ?? ""))
        return try await Pages.render(req, "activities/list", page)
    }

    static func show(req: Request) async throws -> Response {
        try await render(req, try await ActivitiesAPI.find(req), summary: nil)
    }

    static func render(_ req: Request, _ a: Activity, summary: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let service = ActivityService.make(req)
        let id = try a.requireID()
        let site = try await Site.find(a.$site.id, on: req.db)
        let team = try await a.$team.get(on: req.db)
        let category = try await a.$category.get(on: req.db)
        let waiting = try await Signup.query(on: req.db).filter(\.$activity.$id == id).filter(\.$status == SignupStatus.waiting).count()
        var facts: [ActivityShowPage.Fact] = [
            .init(label: req.t("activity.when"), value: DateText.minute(a.startsAt) + " – " + DateText.minute(a.endsAt)),
            .init(label: req.t("activity.place"), value: a.address),
            .init(label: req.t("activity.site"), value: site?.name ?? ""),
            .init(label: req.t("activity.category"), value: category.displayName(req.locale)),
            .init(label: req.t("activity.slots"), value: req.t("activity.slots_taken", ["taken": String(a.signedUp), "slots": String(a.slots)])
                  + (waiting > 0 ? " · " + req.t("activity.waiting_count", ["count": String(waiting)]) : "")),
        ]
        if let team { facts.append(.init(label: req.t("activity.team"), value: team.name)) }
        if let pid = a.projectID, let project = try await Project.find(pid, on: req.db) { facts.append(.init(label: req.t("activity.project"), value: project.title)) }
        if let n = a.peopleServed { facts.append(.init(label: req.t("activity.people_served"), value: String(n))) }
        if !a.skills.isEmpty { facts.append(.init(label: req.t("activity.skills"), value: a.skills.joined(separator: "、"))) }
        if let min = a.minAge { facts.append(.init(label: req.t("activity.min_age"), value: String(min))) }

        var mine: String?, canSignUp = false, canCancel = false, askConsent = false, canApprove = false
        var roster: [ActivityShowPage.Person] = []
        var qr: [ActivityShowPage.QR] = []
        var attendance: [ActivityShowPage.Attendance] = []
        var manager = false
        if let p = req.principal {
            let open = ActivityWindow.takesSignups(a.status, startsAt: a.startsAt, now: req.now)
            if let v = try await Volunteer.query(on: req.db).filter(\.$account.$id == p.accountID).first() {
                let s = try await Signup.query(on: req.db).filter(\.$activity.$id == id).filter(\.$volunteer.$id == v.requireID()).first()
                if let s, s.status.isActive {
                    if s.status == .waiting, let n = try await service.position(of: s) {
                        mine = req.t("activity.you_wait", ["position": String(n)])
                    } else {
                        mine = req.t("activity.you_signed_up")
                    }
                    canCancel = open
                } else {
                    canSignUp = open
                    askConsent = (SignupRules.age(birthDate: v.birthDate, on: a.startsAt) ?? 99) < service.rules.adultAge
                }
            }
            if try await service.manages(a, p) {
                manager = true
                canApprove = a.status.awaitsReview && Policy.allows(p.grants, .activities, .write, at: site?.sitePath)
                let signups = try await Signup.query(on: req.db).filter(\.$activity.$id == id).filter(\.$status != SignupStatus.cancelled)
                    .with(\.$volunteer).sort(\.$queuedAt).sort(\.$id).all()
                roster = signups.map { s in
                    .init(name: s.volunteer.realName, number: s.volunteer.number, status: req.t("signup.status.\(s.status)"), statusKey: s.status.rawValue)
                }
                if a.status.isPublished {
                    qr = CheckinPolicy.Kind.allCases.map { k in
                        .init(kind: k.rawValue, label: req.t(k == .checkIn ? "checkin.check_in" : "checkin.check_out"),
                              svg: Paths.activityQR(id, kind: k.rawValue), png: Paths.activityQR(id, kind: k.rawValue, png: true))
                    }
                }
                attendance = try signups.filter { $0.status == .signedUp }.map { s in
                    let attended = ActivityService.attendedHours(s, a)
                    return .init(signupID: try s.requireID(), name: s.volunteer.realName, checkIn: s.checkInAt.map(DateText.minute) ?? "—",
                                 checkOut: s.checkOutAt.map(DateText.minute) ?? "—", hours: attended.map { String($0) } ?? "",
                                 confirmed: s.confirmedHours.map { String($0) }, confirmPath: Paths.activity(id) + "/signups/\(try s.requireID())/confirm")
                }
            }
        }
        // Why nobody can sign up here, said rather than left to guess.
        let phase = ActivityWindow.phase(a.status, startsAt: a.startsAt, endsAt: a.endsAt, now: req.now)
        var closed: String?, signIn: String?
        if !canSignUp, mine == nil, !manager {
            switch phase {
            case .underway, .ended: closed = req.t("activity.closed_started")
            case .cancelled: closed = req.t("activity.closed_cancelled")
            case .pending: closed = nil
            case .open:
                if req.principal == nil { signIn = Paths.login(next: Paths.activity(id)) } else { closed = req.t("activity.closed_not_volunteer") }
            }
        }
        var page = ActivityShowPage(chrome: .make(req, title: a.title), title: a.title, status: req.t("activity.phase.\(phase.rawValue)"), statusKey: phase.rawValue,
                                    description: a.description, facts: facts, base: Paths.activity(id), mine: mine, canSignUp: canSignUp,
                                    askConsent: askConsent, canCancel: canCancel, canApprove: canApprove, roster: roster, summary: summary,
                                    qr: qr, refreshSeconds: max(15, Int(service.checkin.rotation / 3)), attendance: attendance,
                                    canRecordPeople: manager && ActivityWindow.hasBegun(a.status, startsAt: a.startsAt, now: req.now),
                                    showcase: manager && ActivityWindow.hasEnded(a.status, endsAt: a.endsAt, now: req.now) ? Paths.activityShowcase(id) : nil)
        page.closed = closed
        page.signIn = signIn
        return try await Pages.render(req, "activities/show", page, status: status)
    }

    /// Runs an action for the activity page and shows the page again, with the error if it failed.
    static func act(_ req: Request, _ body: (Activity) async throws -> Void) async throws -> Response {
        let a = try await ActivitiesAPI.find(req)
        do {
            try await body(a)
            return req.redirect(to: Paths.activity(try a.requireID()), redirectType: .normal)
        } catch let e as AppError where e.status != .notFound {
            return try await render(req, try await ActivitiesAPI.find(req), summary: req.t(e.message), status: e.status)
        } catch let v as ValidationFailure {
            return try await render(req, try await ActivitiesAPI.find(req), summary: v.errors.first.map { req.t($0.message) }, status: .unprocessableEntity)
        }
    }

    static func signUp(req: Request) async throws -> Response {
        var r = FieldReader(form: try await req.formFields())
        let input = SignupInput.read(&r)
        return try await act(req) { a in
            try r.check()
            _ = try await ActivityService.make(req).signUp(activityID: try a.requireID(), by: try req.requirePrincipal(), guardianConsent: input!.guardianConsent)
        }
    }

    static func cancel(req: Request) async throws -> Response {
        try await act(req) { a in _ = try await ActivityService.make(req).cancel(activityID: try a.requireID(), by: try req.requirePrincipal()) }
    }

    static func approve(req: Request) async throws -> Response {
        try await act(req) { a in _ = try await ActivityService.make(req).approve(try a.requireID(), by: try req.requirePrincipal()) }
    }

    // MARK: The organiser's form

    static func fields(_ req: Request, _ form: FormBuilder) async throws -> [FormField] {
        let p = try req.requirePrincipal()
        let led = try await p.ledTeams(on: req.db)
        let teams = try await Team.query(on: req.db).filter(\.$active == true).with(\.$site).sort(\.$name).range(0..<2000).all()
            .filter { t in led.contains(t.id ?? 0) || Policy.allows(p.grants, .activities, .write, at: t.site.sitePath) }
        var reach = Policy.scopes(p.grants, .activities, .write)
        reach += teams.filter { led.contains($0.id ?? 0) }.map(\.site.sitePath)
        let sites = reach.isEmpty ? [] : try await Site.query(on: req.db).within(reach).filter(\.$active == true).sort(\.$path).range(0..<2000).all()
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        let projects = try await Project.query(on: req.db).filter(\.$status == ProjectStatus.active.rawValue).sort(\.$title).range(0..<1000).all()
        var lat = form.text("latitude", "activity.latitude")
        lat.kind = .hidden
        var lon = form.text("longitude", "activity.longitude")
        lon.kind = .hidden
        return [
            { var f = form.text("order_id", "activity.title", required: false); f.kind = .hidden; return f }(),
            form.text("title", "activity.title"),
            form.select("category_id", "activity.category", categories.compactMap { c in c.id.map { (String($0), c.displayName(req.locale)) } }),
            form.select("site_id", "activity.site", sites.compactMap { s in s.id.map { (String($0), s.name) } }),
            form.select("team_id", "activity.team", [("", req.t("activity.no_team"))] + teams.compactMap { t in t.id.map { (String($0), t.name) } }, required: false),
            form.select("project_id", "activity.project", [("", req.t("activity.no_project"))] + projects.compactMap { p in p.id.map { (String($0), p.title) } }, required: false),
            form.text("starts_at", "activity.starts_at", kind: .datetime),
            form.text("ends_at", "activity.ends_at", kind: .datetime),
            form.text("address", "activity.place"),
            lat, lon,
            form.text("slots", "activity.slots", kind: .number),
            form.text("skills", "activity.skills", required: false, hint: "activity.skills_hint"),
            form.text("min_age", "activity.min_age", kind: .number, required: false),
            form.text("radius", "activity.radius", kind: .number, required: false, hint: "activity.radius_hint"),
            form.text("description", "activity.description", kind: .textarea, required: false),
        ]
    }

    /// A new activity: on its own, for an order (`?order_id=`) or within a project (`?project_id=`),
    /// with what those already say filled in.
    static func newForm(req: Request) async throws -> Response {
        var values: [String: [String]] = ["radius": [String(ActivityInput.defaultRadius)], "slots": ["20"]]
        if let id = try req.queryID("order_id"), let o = try await Order.find(id, on: req.db), try await OrderService.make(req).canRead(o, try req.requirePrincipal(), on: req.db) {
            values["order_id"] = [String(id)]
            values["title"] = [o.title]
            values["category_id"] = [String(o.$category.id)]
            values["site_id"] = [String(o.$station.id)]
            values["team_id"] = o.$team.id.map { [String($0)] }
            values["address"] = o.address.map { [$0] }
            values["latitude"] = o.latitude.map { [String($0)] }
            values["longitude"] = o.longitude.map { [String($0)] }
            values["description"] = [o.details]
        }
        if let id = try req.queryID("project_id"), let p = try await Project.find(id, on: req.db) {
            values["project_id"] = [String(id)]
            values["title"] = [p.title]
            values["category_id"] = [String(p.$category.id)]
            values["team_id"] = [String(p.$team.id)]
            values["site_id"] = [String(p.$site.id)]
        }
        return try await renderForm(req, values: values, errors: [])
    }

    static func renderForm(_ req: Request, values: [String: [String]], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = ActivityFormPage(chrome: .make(req, title: req.t("activity.new")), fields: try await fields(req, FormBuilder(req, values: values, errors: errors)),
                                    summary: errors.isEmpty ? nil : req.t("error.validation"))
        return try await Pages.render(req, "activities/new", page, status: status)
    }

    static func create(req: Request) async throws -> Response {
        let form = try await req.formFields()
        do {
            var r = try await req.fieldReader()
            let input = ActivityInput.read(&r, now: req.now)
            try r.check()
            let a = try await ActivityService.make(req).create(input!, by: try req.requirePrincipal())
            return req.redirect(to: Paths.activity(try a.requireID()), redirectType: .normal)
        } catch let failure as ValidationFailure {
            return try await renderForm(req, values: form, errors: failure.errors, status: .unprocessableEntity)
        }
    }
}
