import Vapor
import Fluent
import SQLKit
import DiandanCore

struct ActivityDTO: Content {
    var id: Int
    var title: String
    var description: String
    var category_id: Int
    var site_id: Int
    var team_id: Int?
    var order_id: Int?
    var project_id: Int?
    var address: String
    var latitude: Double
    var longitude: Double
    var starts_at: Date
    var ends_at: Date
    var slots: Int
    var signed_up: Int
    var skills: [String]
    var min_age: Int?
    var radius: Int
    var status: String
    var people_served: Int?

    init(_ a: Activity) throws {
        id = try a.requireID()
        title = a.title
        description = a.description
        category_id = a.$category.id
        site_id = a.$site.id
        team_id = a.$team.id
        order_id = a.orderID
        project_id = a.projectID
        address = a.address
        latitude = a.latitude
        longitude = a.longitude
        starts_at = a.startsAt
        ends_at = a.endsAt
        slots = a.slots
        signed_up = a.signedUp
        skills = a.skills
        min_age = a.minAge
        radius = a.radius
        status = a.status.rawValue
        people_served = a.peopleServed
    }
}

struct SignupDTO: Content {
    var id: Int
    var activity_id: Int
    var volunteer_id: Int
    var status: String
    /// Place on the waiting list (1 = next in line), while waiting.
    var position: Int?
    var guardian_consent: Bool
    var check_in_at: Date?
    var check_out_at: Date?
    var confirmed_hours: Double?

    init(_ s: Signup, position: Int?) throws {
        id = try s.requireID()
        activity_id = s.$activity.id
        volunteer_id = s.$volunteer.id
        status = s.status.rawValue
        self.position = position
        guardian_consent = s.guardianConsent
        check_in_at = s.checkInAt
        check_out_at = s.checkOutAt
        confirmed_hours = s.confirmedHours
    }
}

struct ActivityListDTO: Content {
    var items: [ActivityDTO]
    var page: Int
    var per_page: Int
}

/// Activities (活动) and sign-ups (报名), for pages and the API.
enum ActivitiesAPI {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        let a = api.grouped("activities")
        a.get(use: list).rule(.open)
        a.post(use: create).rule(.signedIn)
        a.get(":id", use: one).rule(.open)
        a.post(":id", "approve", use: approve).rule(.resource(.activities, .write))
        a.post(":id", "signup", use: signUp).rule(.signedIn)
        a.delete(":id", "signup", use: cancel).rule(.signedIn)
        a.get(":id", "signups", use: roster).rule(.signedIn)
        a.get(":id", "qr", use: qrLink).rule(.signedIn)
        a.post(":id", "check-in", use: { try await check($0, .checkIn) }).rule(.signedIn)
        a.post(":id", "check-out", use: { try await check($0, .checkOut) }).rule(.signedIn)
        a.post(":id", "signups", ":signup", "confirm", use: confirm).rule(.signedIn)
        a.post(":id", "people-served", use: peopleServed).rule(.signedIn)

        ActivitiesPages.register(web)
    }

    /// Filters shared by the page and the API: site (with its subtree), category, from, to, text.
    struct Filter {
        var siteID: Int?
        var categoryID: Int?
        var from: Date?
        var to: Date?
        var text: String?

        static func read(_ req: Request) throws -> Filter {
            func day(_ name: String) throws -> Date? {
                try req.queryDay(name).flatMap { ChinaTime.parse($0, formats: ["yyyy-MM-dd"]) }
            }
            return Filter(siteID: try req.queryID("site"), categoryID: try req.queryID("category"),
                          from: try day("from"), to: try day("to").map { $0.addingTimeInterval(86_400) }, text: try req.queryText("q", max: 50))
        }
    }

    /// Published activities matching the filter, soonest first; without dates, those not yet ended.
    static func query(_ req: Request, _ f: Filter, page: Int, perPage: Int) async throws -> [Activity] {
        var q = Activity.query(on: req.db).filter(\.$status == ActivityStatus.published)
        if let site = f.siteID {
            guard let s = try await Site.find(site, on: req.db) else { throw ValidationFailure(field: "site", "error.not_found_choice") }
            q = q.join(Site.self, on: \Activity.$site.$id == \Site.$id).filter(Site.self, \.$path =~ s.path)
        }
        if let c = f.categoryID {
            guard try await Category.find(c, on: req.db) != nil else { throw ValidationFailure(field: "category", "error.not_found_choice") }
            q = q.filter(\.$category.$id == c)
        }
        if let from = f.from { q = q.filter(\.$endsAt >= from) } else if f.to == nil { q = q.filter(\.$endsAt >= req.now) }
        if let to = f.to { q = q.filter(\.$startsAt < to) }
        if let text = f.text { q = q.filter(\.$title ~~ text) }
        return try await q.sort(\.$startsAt).sort(\.$id).range((page - 1) * perPage..<page * perPage).all()
    }

    static func list(req: Request) async throws -> ActivityListDTO {
        let page = try req.queryPage(), per = try req.queryInt("per_page", in: QueryBounds.perPage) ?? 20
        let items = try await query(req, try .read(req), page: page, perPage: per)
        return ActivityListDTO(items: try items.map(ActivityDTO.init), page: page, per_page: per)
    }

    static func find(_ req: Request) async throws -> Activity {
        guard let id = (try? req.pathInt("id")), let a = try await Activity.find(id, on: req.db),
              try await ActivityService.make(req).canSee(a, req.principal) else { throw AppError.notFound }
        return a
    }

    static func one(req: Request) async throws -> ActivityDTO { try ActivityDTO(try await find(req)) }

    static func create(req: Request) async throws -> Response {
        var r = try await req.fieldReader()
        let input = ActivityInput.read(&r, now: req.now)
        try r.check()
        let a = try await ActivityService.make(req).create(input!, by: try req.requirePrincipal())
        let response = try await ActivityDTO(a).encodeResponse(for: req)
        response.status = .created
        return response
    }

    static func approve(req: Request) async throws -> ActivityDTO {
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        return try ActivityDTO(try await ActivityService.make(req).approve(id, by: try req.requirePrincipal()))
    }

    static func signUp(req: Request) async throws -> SignupDTO {
        let a = try await find(req)
        var consent = false
        if req.headers.contentType != nil || req.body.data?.readableBytes ?? 0 > 0 {
            var r = try await req.fieldReader()
            let input = SignupInput.read(&r)
            try r.check()
            consent = input!.guardianConsent
        }
        let service = ActivityService.make(req)
        let s = try await service.signUp(activityID: try a.requireID(), by: try req.requirePrincipal(), guardianConsent: consent)
        return try SignupDTO(s, position: try await service.position(of: s))
    }

    static func cancel(req: Request) async throws -> SignupDTO {
        let a = try await find(req)
        return try SignupDTO(try await ActivityService.make(req).cancel(activityID: try a.requireID(), by: try req.requirePrincipal()), position: nil)
    }

    /// Everyone on the activity, in line order: for its organisers only.
    static func roster(req: Request) async throws -> [SignupDTO] {
        let a = try await find(req)
        let service = ActivityService.make(req)
        guard try await service.manages(a, try req.requirePrincipal()) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        let all = try await Signup.query(on: req.db).filter(\.$activity.$id == a.requireID()).sort(\.$queuedAt).sort(\.$id).all()
        var waiting = 0
        return try all.map { s in
            if s.status == .waiting { waiting += 1 }
            return try SignupDTO(s, position: s.status == .waiting ? waiting : nil)
        }
    }

    // MARK: Check-in

    struct QRLinkDTO: Content {
        var kind: String
        var url: String
        var expires_at: Date
    }

    /// The signed check-in (or check-out) URL a QR code carries now.
    static func checkURL(_ req: Request, activityID: Int, kind: CheckinPolicy.Kind) -> (String, Date) {
        let t = ActivityService.make(req).token(activityID: activityID, kind: kind)
        return (req.baseURL + Paths.activityCheck(activityID, kind: kind.rawValue, window: t.window, signature: t.signature), t.expires)
    }

    /// The organiser's current code, for those who manage the activity.
    static func managed(_ req: Request) async throws -> Activity {
        let a = try await find(req)
        guard try await ActivityService.make(req).manages(a, try req.requirePrincipal()) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        return a
    }

    static func qrLink(req: Request) async throws -> QRLinkDTO {
        let a = try await managed(req)
        let kind = try req.queryChoice("kind", CheckinPolicy.Kind.self) ?? .checkIn
        let (url, expires) = checkURL(req, activityID: try a.requireID(), kind: kind)
        return QRLinkDTO(kind: kind.rawValue, url: url, expires_at: expires)
    }

    static func check(_ req: Request, _ kind: CheckinPolicy.Kind) async throws -> SignupDTO {
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        var r = try await req.fieldReader()
        let scan = ScanInput.read(&r, positionRequired: true)
        try r.check()
        let s = try await ActivityService.make(req).check(kind, activityID: id, window: scan!.window, signature: scan!.signature,
                                                          latitude: scan!.latitude!, longitude: scan!.longitude!, by: try req.requirePrincipal())
        return try SignupDTO(s, position: nil)
    }

    static func confirm(req: Request) async throws -> SignupDTO {
        guard let id = (try? req.pathInt("signup")) else { throw AppError.notFound }
        var r = try await req.fieldReader()
        let input = HoursConfirmation.read(&r)
        try r.check()
        return try SignupDTO(try await ActivityService.make(req).confirm(signupID: id, hours: input!.hours, reason: input!.reason, by: try req.requirePrincipal()), position: nil)
    }

    static func peopleServed(req: Request) async throws -> ActivityDTO {
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        var r = try await req.fieldReader()
        let input = PeopleServedInput.read(&r)
        try r.check()
        return try ActivityDTO(try await ActivityService.make(req).setPeopleServed(id, input!.people, by: try req.requirePrincipal()))
    }
}
