import Vapor
import Fluent
import SQLKit
import DiandanCore

/// 数据大屏: a site's live counters for the hall screen, refreshed by the page every few seconds
/// without reloading.
struct ScreenCounters: Content, Equatable {
    var orders_today: Int
    var in_service: Int
    var on_duty: Int
    var hours_this_year: Double
    var at: Date
}

struct ScreenPage: Encodable {
    var chrome: Chrome
    var site: String
    var dataURL: String
    var counters: ScreenCounters
    var hours: String
    var every: Int
}

enum ScreenRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("screen", use: page).rule(.resource(.orders, .read))
        web.get("screen", "data", use: data).rule(.resource(.orders, .read))
        api.get("screen", use: data).rule(.resource(.orders, .read))
    }

    /// Orders from the kept facts of the site's subtree; hours from its rollups (the months of this
    /// year so far), so the screen and the assessment count alike.
    static func counters(_ req: Request, _ site: Site) async throws -> ScreenCounters {
        guard let sql = req.db as? SQLDatabase else { throw AppError.notFound }
        let cal = Calendar.chinaStandard
        let today = cal.startOfDay(for: req.now)
        let year = cal.component(.year, from: req.now), month = cal.component(.month, from: req.now)
        let service = AssessmentService.make(req)
        let under = service.under("f.path", site.path), facts = service.factsTable(scoped: true)
        struct Row: Decodable { let orders_today: Int, in_service: Int, on_duty: Int }
        let row = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM \(unsafeRaw: facts) WHERE \(under) AND f.created_at >= \(bind: today)) AS orders_today,
                   (SELECT COUNT(*) FROM \(unsafeRaw: facts) WHERE \(under) AND f.status = \(bind: OrderStatus.inService.rawValue)) AS in_service,
                   (SELECT COUNT(DISTINCT g.volunteer_id) FROM activity_signups g JOIN activities a ON a.id = g.activity_id JOIN sites s ON s.id = a.site_id
                     WHERE s.path LIKE \(bind: site.path + "%") AND g.check_in_at IS NOT NULL AND g.check_out_at IS NULL AND a.ends_at > \(bind: req.now)) AS on_duty
            """).first(decoding: Row.self)
        let months = try await service.rollups.counters(sites: [try site.requireID()], periods: (1...month).map { year * 100 + $0 })
        let hours = Double(months.values.reduce(0) { $0 + $1[.hoursCenti] }) / 100
        return ScreenCounters(orders_today: row?.orders_today ?? 0, in_service: row?.in_service ?? 0, on_duty: row?.on_duty ?? 0,
                              hours_this_year: hours, at: req.now)
    }

    static func site(_ req: Request) async throws -> Site {
        if let s = try await req.querySite() {
            try req.authorize(.orders, .read, at: s.sitePath)
            return s
        }
        guard let top = try req.scopes(.orders, .read).first?.ids.last, let s = try await Site.find(top, on: req.db) else { throw AppError.forbidden() }
        return s
    }

    static func data(req: Request) async throws -> Response {
        let r = try await counters(req, try await site(req)).encodeResponse(for: req)
        r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return r
    }

    static func page(req: Request) async throws -> Response {
        let s = try await site(req)
        let c = try await counters(req, s)
        return try await Pages.render(req, "screen", ScreenPage(chrome: .make(req, title: req.t("screen.title")), site: s.name,
                                                                dataURL: Paths.screenData(site: try s.requireID()), counters: c,
                                                                hours: OrdersPages.hours(c.hours_this_year),
                                                                every: try req.queryInt("every", in: 2...60) ?? 10))
    }
}
