import Vapor
import Fluent
import DiandanCore

/// iCalendar feeds: a site's activities (public), and a volunteer's sign-ups at a private address
/// (`/calendar/<volunteer>-<signature>.ics`) that a phone's calendar can subscribe to.
enum CalendarRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("activities.ics", use: siteFeed).rule(.open)
        web.get("calendar", ":file", use: personalFeed).rule(.open)
        web.post("me", "calendar", "reset", use: reset).rule(.signedIn)
        api.get("me", "calendar", use: link).rule(.signedIn)
    }

    static func response(_ cal: ICalendar, _ req: Request) -> Response {
        let r = Response(status: .ok, body: .init(string: cal.render(stamp: req.now)))
        r.headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        r.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        return r
    }

    static func base(_ req: Request) -> String {
        req.baseURL
    }

    static func event(_ a: Activity, _ req: Request, status: String = "CONFIRMED", note: String = "") throws -> ICalendar.Event {
        let id = try a.requireID()
        return ICalendar.Event(uid: "activity-\(id)@diandan", start: a.startsAt, end: a.endsAt, summary: a.title + note, location: a.address,
                               latitude: a.latitude, longitude: a.longitude, description: a.description, url: base(req) + Paths.activity(id), status: status)
    }

    /// Published activities of a site and below, from thirty days back.
    static func siteFeed(req: Request) async throws -> Response {
        var q = Activity.query(on: req.db).filter(\.$status == ActivityStatus.published).filter(\.$endsAt >= req.now.addingTimeInterval(-30 * 86_400))
        var name = req.t("activity.list")
        if let s = try await req.querySite() {
            q = q.join(Site.self, on: \Activity.$site.$id == \Site.$id).filter(Site.self, \.$path =~ s.path)
            name = s.name + " · " + name
        }
        let activities = try await q.sort(\.$startsAt).range(0..<1000).all()
        return response(ICalendar(name: name, events: try activities.map { try event($0, req) }), req)
    }

    static func signature(_ v: Volunteer, _ req: Request) throws -> String {
        req.application.protector.sign("calendar|\(try v.requireID())|\(v.calendarNonce ?? "")")
    }

    static func personalPath(_ v: Volunteer, _ req: Request) throws -> String {
        Paths.calendarFeed(volunteer: try v.requireID(), signature: try signature(v, req))
    }

    static func personalFeed(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics"), let dash = file.firstIndex(of: "-"), let id = Int(file[..<dash]),
              let v = try await Volunteer.find(id, on: req.db) else { throw AppError.notFound }
        let given = String(file[file.index(after: dash)...].dropLast(4))
        guard req.application.protector.verify("calendar|\(id)|\(v.calendarNonce ?? "")", signature: given) else { throw AppError.notFound }
        let signups = try await Signup.query(on: req.db).filter(\.$volunteer.$id == id).filter(\.$status != SignupStatus.cancelled)
            .with(\.$activity).all()
        let events = try signups.filter { $0.activity.status.isPublished }.sorted { $0.activity.startsAt < $1.activity.startsAt }.map { s in
            s.status == .waiting
                ? try event(s.activity, req, status: "TENTATIVE", note: req.t("calendar.waiting_note"))
                : try event(s.activity, req)
        }
        return response(ICalendar(name: req.t("calendar.mine"), events: events), req)
    }

    struct LinkDTO: Content { var url: String }

    static func volunteer(_ req: Request) async throws -> Volunteer {
        try await ActivityService.volunteer(of: try req.requirePrincipal(), on: req.db)
    }

    static func link(req: Request) async throws -> LinkDTO {
        LinkDTO(url: base(req) + (try personalPath(try await volunteer(req), req)))
    }

    /// A new address; the old one stops working.
    static func reset(req: Request) async throws -> Response {
        try await VolunteerService.make(req).renewCalendarKey(try await volunteer(req))
        return req.redirect(to: Paths.myService, redirectType: .normal)
    }
}
