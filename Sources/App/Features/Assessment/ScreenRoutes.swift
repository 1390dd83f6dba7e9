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

/// The whole screen: the counters, and the panels as HTML fragments the page swaps in when they
/// change (the same fragments the page is first drawn with, so it reads the same without script).
struct ScreenBoard: Encodable, Equatable {
    var counters: ScreenCounters
    var hours: String
    /// This month's orders, as the assessment counts them for 本月.
    var orders_month: Int
    var fragments: [String: String]
}

struct ScreenPage: Encodable {
    var lang: String
    var large: Bool
    var title: String
    var site: String
    var eventsURL: String
    var back: String
    var board: ScreenBoard
    var every: Int
}

/// The boards last built, per site and language: every screen and stream showing a site shares one
/// board, rebuilt at most every `freshness` seconds (the month's report is the heavy part).
actor ScreenCache {
    static let freshness: TimeInterval = 5
    private var boards: [String: (board: ScreenBoard, at: Date)] = [:]

    func board(site: Int, locale: String, now: Date, build: @Sendable () async throws -> ScreenBoard) async throws -> ScreenBoard {
        let key = "\(site)|\(locale)"
        if let hit = boards[key], now.timeIntervalSince(hit.at) < Self.freshness, now >= hit.at { return hit.board }
        let board = try await build()
        boards[key] = (board, now)
        if boards.count > 500 { boards = boards.filter { now.timeIntervalSince($0.value.at) < Self.freshness } }
        return board
    }
}

extension Application {
    private struct ScreenCacheKey: StorageKey { typealias Value = ScreenCache }

    /// Made once by `configure` (never lazily by two requests at once).
    var screenCache: ScreenCache {
        if let c = storage[ScreenCacheKey.self] { return c }
        let c = ScreenCache()
        storage[ScreenCacheKey.self] = c
        return c
    }
}

enum ScreenRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("screen", use: page).rule(.resource(.orders, .read))
        web.get("screen", "data", use: data).rule(.resource(.orders, .read))
        web.get("screen", "events", use: stream).rule(.resource(.orders, .read))
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
                   (SELECT COUNT(*) FROM (
                      SELECT g.volunteer_id AS v FROM activity_signups g JOIN activities a ON a.id = g.activity_id JOIN sites s ON s.id = a.site_id
                       WHERE s.path LIKE \(bind: site.path + "%") AND g.check_in_at IS NOT NULL AND g.check_out_at IS NULL AND a.ends_at > \(bind: req.now)
                      UNION
                      SELECT v.id AS v FROM \(unsafeRaw: facts) JOIN order_events e ON e.order_id = f.order_id JOIN volunteers v ON v.account_id = e.actor_account_id
                       WHERE \(under) AND f.status = \(bind: OrderStatus.inService.rawValue) AND e.action = \(bind: OrderAction.start.rawValue)
                    ) duty) AS on_duty
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

    /// Everything on the screen for a site: counters, today's orders by status, this month's trend and
    /// map (the assessment's own report for 本月), the latest orders, the month's top teams and volunteers.
    static func board(_ req: Request, _ site: Site) async throws -> ScreenBoard {
        guard let sql = req.db as? SQLDatabase else { throw AppError.notFound }
        let c = try await counters(req, site)
        let service = AssessmentService.make(req)
        guard let month = AssessmentRange.make("month", containing: req.now) else { throw AppError.notFound }
        let report = try await service.report(site: site, month, grain: .day)
        let today = Calendar.chinaStandard.startOfDay(for: req.now)
        let under = service.under("f.path", site.path), facts = service.factsTable(scoped: true)
        struct StatusRow: Decodable { let status: String; let n: Int }
        let byStatus = try await sql.raw("""
            SELECT f.status, COUNT(*) AS n FROM \(unsafeRaw: facts) WHERE \(under) AND f.created_at >= \(bind: today) GROUP BY f.status
            """).all(decoding: StatusRow.self)
        // The latest orders: what was asked for, never who asked or what they wrote.
        struct Latest: Decodable { let number: String; let status: String; let created_at: Date; let site: String; let service: String?; let category: String; let category_en: String? }
        let latest = try await sql.raw("""
            SELECT o.number, o.status, o.created_at, s.name AS site, m.title AS service, c.name AS category, c.name_en AS category_en
            FROM \(unsafeRaw: facts) JOIN orders o ON o.id = f.order_id JOIN sites s ON s.id = o.station_id
                 JOIN categories c ON c.id = o.category_id LEFT JOIN menu_items m ON m.id = o.menu_item_id
            WHERE \(under) ORDER BY f.order_id DESC LIMIT 12
            """).all(decoding: Latest.self)
        let siteID = try site.requireID()
        let teams = try await RankingsRoutes.ranking(req, kind: .teams, period: .month, siteID: siteID, limit: 5)
        let volunteers = try await RankingsRoutes.ranking(req, kind: .volunteers, period: .month, siteID: siteID, limit: 5)
        let lines = report.children.isEmpty ? [AssessmentService.Line(id: siteID, name: site.name, assessment: report.total)] : Array(report.children.prefix(40))
        let sites = try await Site.query(on: req.db).filter(\.$id ~~ lines.map(\.id)).all()
        let places = lines.compactMap { l in
            sites.first { $0.id == l.id }.map { ScatterChart.Place(x: $0.longitude, y: $0.latitude, name: req.t("screen.map_place", ["site": SiteNames.short(l.name), "count": String(l.assessment.orders)])) }
        }
        let (areas, frame) = try await AssessmentRoutes.mapAreas(req, around: site)
        let none = req.t("screen.none")
        func esc(_ s: String) -> String { XMLText.escape(s) }
        let ticker = latest.isEmpty ? "<p class=\"chart-empty\">\(esc(none))</p>" : "<ol class=\"ticker\">" + latest.map { o in
            let what = o.service ?? (req.locale == .en ? (o.category_en.flatMap { $0.isEmpty ? nil : $0 } ?? o.category) : o.category)
            return "<li><time>\(esc(DateText.minute(o.created_at)))</time><span class=\"what\">\(esc(what))</span><span class=\"where\">\(esc(o.site))</span>"
                + "<span class=\"badge status-\(esc(o.status))\">\(esc(req.t("order.status.\(o.status)")))</span></li>"
        }.joined() + "</ol>"
        let fragments: [String: String] = [
            "status": BarChart.html(OrderStatus.allCases.compactMap { s in
                byStatus.first { $0.status == s.rawValue }.map { .init(label: req.t("order.status.\(s.rawValue)"), value: Double($0.n)) }
            }, title: req.t("screen.today_by_status"), empty: none),
            "trend": ColumnChart.html(report.trend.map { .init(label: $0.label, value: Double($0.count)) }, title: req.t("screen.trend"), empty: none),
            // A hall screen is seen by anyone passing: the map names each site with its count of the
            // month's orders, never the place of one order (usually someone's home).
            "map": ScatterChart.svg([], places: places, placesLabel: req.t("screen.map_sites"), groups: [], title: req.t("screen.map"),
                                   areas: areas, frame: frame, basemap: req.application.settings.basemap, aspect: 1, room: 700,
                                   textScale: req.largeText ? 1.25 : 1),
            "latest": ticker,
            "teams": BarChart.html(teams.entries.map { .init(label: $0.name, value: $0.hours) }, title: req.t("screen.top_teams"), unit: req.t("me.hours_unit"), empty: none),
            "volunteers": BarChart.html(volunteers.entries.map { .init(label: $0.name, value: $0.hours) }, title: req.t("screen.top_volunteers"), unit: req.t("me.hours_unit"), empty: none),
        ]
        var stamped = c
        stamped.at = Date(timeIntervalSince1970: 0)   // compared for changes: the time alone is not one
        return ScreenBoard(counters: stamped, hours: OrdersPages.hours(c.hours_this_year), orders_month: report.total.orders, fragments: fragments)
    }

    static func page(req: Request) async throws -> Response {
        let s = try await site(req)
        let every = try req.queryInt("every", in: 2...60) ?? 5
        let id = try s.requireID()
        let page = ScreenPage(lang: req.locale.rawValue, large: req.largeText, title: req.t("screen.title"), site: s.name,
                              eventsURL: Paths.screenEvents(site: id, every: every), back: "/assessment?site=\(id)",
                              board: try await cachedBoard(req, s), every: every)
        return try await Pages.render(req, "screen", page)
    }

    static func cachedBoard(_ req: Request, _ s: Site) async throws -> ScreenBoard {
        try await req.application.screenCache.board(site: try s.requireID(), locale: req.locale.rawValue + (req.largeText ? "|large" : ""), now: Date()) { try await board(req, s) }
    }

    /// `text/event-stream`: the whole board when it changes (looked at every `every` seconds, at least
    /// five apart), a comment when nothing was sent for 15 seconds — which keeps proxies from closing
    /// the line and ends the loop soon after the screen has gone; after five minutes the browser
    /// reconnects.
    static func stream(req: Request) async throws -> Response {
        let s = try await site(req)
        let every = max(ScreenCache.freshness, TimeInterval(try req.queryInt("every", in: 2...60) ?? 5))
        let seconds = try req.queryInt("seconds", in: 0...300) ?? 300
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        response.body = .init(managedAsyncStream: { writer in
            let deadline = Date().addingTimeInterval(TimeInterval(seconds))
            var last: ScreenBoard?
            var wrote = Date()
            try await writer.writeBuffer(ByteBuffer(string: "retry: 3000\n\n"))
            repeat {
                let now = try await cachedBoard(req, s)
                if now != last {
                    let data = try JSONEncoder().encode(now)
                    try await writer.writeBuffer(ByteBuffer(string: "event: screen\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                    last = now
                    wrote = Date()
                } else if Date().timeIntervalSince(wrote) >= 15 {
                    try await writer.writeBuffer(ByteBuffer(string: ": still here\n\n"))
                    wrote = Date()
                }
                if Date() >= deadline { break }
                // Short naps, so a screen that has gone is noticed at the next keep-alive, not minutes later.
                var slept: TimeInterval = 0
                while slept < every, Date() < deadline {
                    try await Task.sleep(nanoseconds: 1_000_000_000)
                    slept += 1
                    if Date().timeIntervalSince(wrote) >= 15 { break }
                }
            } while Date() < deadline
        })
        return response
    }
}
