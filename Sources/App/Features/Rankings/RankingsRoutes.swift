import Vapor
import Fluent
import SQLKit
import DiandanCore

struct RankingDTO: Content {
    struct Entry: Content { var rank: Int; var id: Int; var name: String; var hours: Double; var services: Int }
    var kind: String
    var period: String
    var from: String?
    var to: String?
    var site_id: Int?
    var entries: [Entry]
}

struct RankingPage: Encodable {
    struct Row: Encodable { var rank: Int; var name: String; var hours: String; var services: Int }
    var chrome: Chrome
    var heading: String
    var sites: [FormField.Option]
    var periods: [FormField.Option]
    var kinds: [FormField.Option]
    var rows: [Row]
    var chart: String
}

/// 光荣榜: volunteers and teams by service hours, per site (and below) and period.
enum RankingsRoutes {
    enum Kind: String, CaseIterable { case volunteers, teams }

    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("rankings", use: page).rule(.open)
        api.get("rankings", use: list).rule(.open)
    }

    /// Hours from service records in the period, by volunteer (registered in the site's subtree) or by
    /// team (of the order or activity the record came from, the team in the subtree). Names of
    /// volunteers are masked: the board is public.
    static func ranking(_ req: Request, kind: Kind, period: Period, siteID: Int?, limit: Int = 50) async throws -> RankingDTO {
        guard let sql = req.db as? SQLDatabase else { throw AppError.notFound }
        var path = "/"
        if let siteID {
            guard let s = try await Site.find(siteID, on: req.db) else { throw ValidationFailure(field: "site", "error.not_found_choice") }
            path = s.path
        }
        let range = period.range(containing: req.now)
        let from = range?.from ?? "0000-00-00", to = range?.to ?? "9999-99-99"
        struct Row: Decodable { let id: Int, name: String, hours: Double, services: Int }
        let rows: [Row]
        switch kind {
        case .volunteers:
            rows = try await sql.raw("""
                SELECT v.id, v.real_name AS name, SUM(r.hours) AS hours, COUNT(*) AS services
                FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id JOIN sites s ON s.id = v.site_id
                WHERE r.service_date >= \(bind: from) AND r.service_date <= \(bind: to) AND s.path LIKE \(bind: path + "%")
                GROUP BY v.id, v.real_name ORDER BY hours DESC, v.id LIMIT \(bind: limit)
                """).all(decoding: Row.self)
        case .teams:
            rows = try await sql.raw("""
                SELECT t.id, t.name, SUM(r.hours) AS hours, COUNT(*) AS services
                FROM service_records r
                LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN activities a ON a.id = r.activity_id
                JOIN teams t ON t.id = COALESCE(o.team_id, a.team_id) JOIN sites s ON s.id = t.site_id
                WHERE r.service_date >= \(bind: from) AND r.service_date <= \(bind: to) AND s.path LIKE \(bind: path + "%")
                GROUP BY t.id, t.name ORDER BY hours DESC, t.id LIMIT \(bind: limit)
                """).all(decoding: Row.self)
        }
        return RankingDTO(kind: kind.rawValue, period: period.rawValue, from: range?.from, to: range?.to, site_id: siteID,
                          entries: rows.enumerated().map { i, r in
                              .init(rank: i + 1, id: r.id, name: kind == .volunteers ? Masking.name(r.name) : r.name, hours: r.hours, services: r.services)
                          })
    }

    static func parse(_ req: Request) throws -> (Kind, Period, Int?) {
        (try req.queryChoice("kind", Kind.self) ?? .volunteers, try req.queryChoice("period", Period.self) ?? .year, try req.queryID("site"))
    }

    static func list(req: Request) async throws -> RankingDTO {
        let (kind, period, site) = try parse(req)
        return try await ranking(req, kind: kind, period: period, siteID: site)
    }

    static func page(req: Request) async throws -> Response {
        let (kind, period, site) = try parse(req)
        let r = try await ranking(req, kind: kind, period: period, siteID: site)
        let sites = try await Site.query(on: req.db).filter(\.$active == true).filter(\.$kind != SiteKind.point).sort(\.$path).range(0..<2000).all()
        let heading = req.t("ranking.\(kind.rawValue)")
        let page = RankingPage(
            chrome: .make(req, title: heading), heading: heading,
            sites: [.init(value: "", label: req.t("activity.all_sites"), selected: site == nil)]
                + sites.compactMap { s in s.id.map { .init(value: String($0), label: s.name, selected: $0 == site) } },
            periods: Period.allCases.map { .init(value: $0.rawValue, label: req.t("period.\($0.rawValue)"), selected: $0 == period) },
            kinds: Kind.allCases.map { .init(value: $0.rawValue, label: req.t("ranking.\($0.rawValue)"), selected: $0 == kind) },
            rows: r.entries.map { .init(rank: $0.rank, name: $0.name, hours: OrdersPages.hours($0.hours), services: $0.services) },
            chart: BarChart.html(r.entries.prefix(15).map { .init(label: $0.name, value: $0.hours) }, title: heading, unit: req.t("me.hours_unit")))
        return try await Pages.render(req, "rankings", page)
    }
}
