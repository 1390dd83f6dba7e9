import Vapor
import Fluent
import DiandanCore

struct AssessmentPage: Encodable {
    struct Card: Encodable { var label: String; var value: String; var id: String }
    struct Table: Encodable { var key: String; var heading: String; var columns: [String]; var rows: [[Cell]]; var export: String; var exportXLSX: String; var note: String? }
    struct Cell: Encodable { var text: String; var link: String? }
    var chrome: Chrome
    var heading: String
    /// The period in words, printed where the form is on screen.
    var printedPeriod: String = ""
    var crumbs: [Cell]
    var periods: [FormField.Option]
    var grains: [FormField.Option]
    var siteID: Int
    var from: String
    var to: String
    /// Why the period asked for was not shown.
    var problem: String?
    var cards: [Card]
    var charts: [Chart]
    var tables: [Table]
    struct Chart: Encodable { var title: String; var svg: String }
    /// Training (培训), apart from the orders' tables.
    struct TrainingTable: Encodable { var key: String; var heading: String; var columns: [String]; var rows: [[String]] }
    var trainingTables: [TrainingTable]
}

/// 考核: a site's numbers for a period, with its child sites (drill down), teams and practitioners.
enum AssessmentRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("assessment", use: page).rule(.resource(.orders, .read))
        web.get("assessment", "export.csv", use: csv).rule(.resource(.orders, .read))
        web.get("assessment", "export.xlsx", use: xlsx).rule(.resource(.orders, .read))
        api.get("assessment", use: json).rule(.resource(.orders, .read))
    }

    /// The site asked for (within the person's reach), or everything (`site=0`, the province overview,
    /// for someone whose reach covers every centre), and the range.
    /// `ignoringRange`: this month instead of the period asked for (which was refused, and is shown
    /// again with what was wrong).
    static func parse(_ req: Request, ignoringRange: Bool = false) async throws -> (Site?, AssessmentRange, String) {
        let scopes = try req.scopes(.orders, .read)
        let period = ignoringRange ? "month" : try req.queryText("period", max: 20) ?? "month"
        // A value given must be a value: a site that is not a number, a date that is not a date, is an
        // error rather than quietly the default (an export would be queued for the wrong thing).
        let from = ignoringRange ? nil : try req.queryDay("from"), to = ignoringRange ? nil : try req.queryDay("to")
        let asked = try req.queryInt("site", in: 0...Int(Int32.max))
        guard let range = AssessmentRange.make(period, containing: req.now, from: from, to: to) else {
            throw ValidationFailure(field: "period", "error.assessment.period")
        }
        if let id = asked, id != 0 {
            guard let s = try await Site.find(id, on: req.db) else { throw ValidationFailure(field: "site", "error.not_found_choice") }
            try req.authorize(.orders, .read, at: s.sitePath)
            return (s, range, period)
        }
        let everything = try await coversEverything(req, scopes)
        if asked == 0 {
            guard everything else { throw AppError.forbidden() }
            return (nil, range, period)
        }
        // By default the top of the person's reach: everything when it spans several centres.
        if everything && scopes.count > 1 { return (nil, range, period) }
        guard let top = scopes.first, let id = top.ids.last, let s = try await Site.find(id, on: req.db) else { throw AppError.forbidden() }
        return (s, range, period)
    }

    /// Whether the person may read every centre (and so the whole).
    static func coversEverything(_ req: Request, _ scopes: [SitePath]) async throws -> Bool {
        let roots = try await Site.query(on: req.db).filter(\.$parent.$id == nil).all()
        return !roots.isEmpty && roots.allSatisfy { r in scopes.contains { $0.covers(r.sitePath) } }
    }

    /// The outline under a map: the sites of the county around `site` (or of everything), then those
    /// of each part one level down (townships), so the county shows with its townships apart.
    /// `frame`: every site below the one in view, which the map's window takes in.
    static func mapAreas(_ req: Request, around site: Site?) async throws -> (areas: [ScatterChart.Area], frame: [ScatterChart.Coordinate]) {
        var root = site
        if let s = site, s.kind != .centre {
            let above = try await Site.query(on: req.db).filter(\.$id ~~ s.sitePath.ids).filter(\.$kind == .centre).all()
            root = above.max { $0.path.count < $1.path.count } ?? s
        }
        var query = Site.query(on: req.db).filter(\.$active == true).field(\.$id).field(\.$path).field(\.$latitude).field(\.$longitude)
        if let root { query = query.filter(\.$path, .custom("LIKE"), root.path + "%") }
        let sites = try await query.sort(\.$path).limit(20_000).all()
        let depth = root?.sitePath.ids.count ?? 0
        var parts: [Int: [ScatterChart.Coordinate]] = [:], order: [Int] = []
        for s in sites {
            let ids = s.sitePath.ids
            guard ids.count > depth else { continue }
            if parts[ids[depth]] == nil { order.append(ids[depth]) }
            parts[ids[depth], default: []].append(.init(longitude: s.longitude, latitude: s.latitude))
        }
        let whole = sites.map { ScatterChart.Coordinate(longitude: $0.longitude, latitude: $0.latitude) }
        let frame = sites.filter { s in site.map { s.path.hasPrefix($0.path) } ?? true }.map { ScatterChart.Coordinate(longitude: $0.longitude, latitude: $0.latitude) }
        return ([.init(sites: whole)] + order.compactMap { parts[$0] }.map { .init(sites: $0) }, frame)
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
    static func number(_ x: Double?, digits: Int = 1) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "—" }

    static let columnKeys = ["assessment.orders", "assessment.acceptance", "assessment.on_time", "assessment.completion", "assessment.satisfaction",
                             "assessment.dispatch_mean", "assessment.hours", "assessment.active_volunteers", "assessment.escalations"]

    /// A table row: rates and means, which add up from the rollups (medians are on the cards).
    static func cells(_ a: Assessment) -> [String] {
        [String(a.orders), percent(a.acceptanceRate), percent(a.onTimeResponseRate), percent(a.completionRate), number(a.ratingMean, digits: 2),
         number(a.dispatchMinutesMean), OrdersPages.hours(a.serviceHours), String(a.activeVolunteers), String(a.escalations)]
    }

    static func query(_ siteID: Int, _ period: String, _ range: AssessmentRange) -> String {
        var q = "site=\(siteID)&period=\(period)"
        if period == "custom" { q += "&from=\(range.days.from)&to=\(range.days.to)" }
        return q
    }

    static func grain(_ req: Request, _ range: AssessmentRange) throws -> TrendGrain {
        try req.queryChoice("grain", TrendGrain.self) ?? TrendGrain.suggested(for: range)
    }

    /// A period that cannot be (dates the wrong way round, a range over three years, a date that is
    /// not one) shows this month, with the dates as typed and what was wrong beside them.
    static func page(req: Request) async throws -> Response {
        do {
            return try await page(req, problem: nil)
        } catch let failure as ValidationFailure where failure.errors.allSatisfy({ ["period", "from", "to"].contains($0.field) }) {
            return try await page(req, problem: failure.errors.first.map { req.t($0.message) } ?? req.t("error.assessment.period"))
        }
    }

    static func page(_ req: Request, problem: String?) async throws -> Response {
        let (site, range, period) = try await parse(req, ignoringRange: problem != nil)
        let grain = try grain(req, range)
        let report = try await AssessmentService.make(req).report(site, range, grain: grain)
        let a = report.total
        let siteID = site?.id ?? 0
        let here = query(siteID, period, range)
        // Breadcrumbs: from the top of the person's reach (everything, if it covers every centre) down to this site.
        var crumbs: [AssessmentPage.Cell] = []
        let grants = try req.requirePrincipal().grants
        if try await coversEverything(req, try req.scopes(.orders, .read)) {
            crumbs.append(.init(text: req.t("assessment.everything"), link: site == nil ? nil : "/assessment?" + query(0, period, range)))
        }
        if let site {
            let visible = try await Site.query(on: req.db).filter(\.$id ~~ site.sitePath.ids).all()
            for id in site.sitePath.ids {
                guard let s = visible.first(where: { $0.id == id }), Policy.allows(grants, .orders, .read, at: s.sitePath) else { continue }
                crumbs.append(.init(text: s.name, link: id == site.id ? nil : "/assessment?" + query(id, period, range)))
            }
        }
        let categories = try await Category.query(on: req.db).all()
        let categoryName = { (id: Int) in categories.first { $0.id == id }?.displayName(req.locale) ?? String(id) }
        let columns = columnKeys.map { req.t($0) }
        func table(_ key: String, _ heading: String, _ lines: [AssessmentService.Line], link: ((Int) -> String)?, note: String? = nil) -> AssessmentPage.Table {
            .init(key: key, heading: req.t(heading), columns: [req.t("assessment.name")] + columns,
                  rows: lines.prefix(pageRows).map { l in [AssessmentPage.Cell(text: l.name, link: link?(l.id))] + cells(l.assessment).map { .init(text: $0, link: nil) } },
                  export: Paths.assessmentExport(table: key, xlsx: false, query: here), exportXLSX: Paths.assessmentExport(table: key, xlsx: true, query: here),
                  note: note ?? (lines.count > pageRows ? req.t("assessment.more_in_export", ["count": String(lines.count)]) : nil))
        }
        // The map names the sites one level down (or this one), where they are.
        let placeIDs = report.children.isEmpty ? [site?.id].compactMap { $0 } : report.children.prefix(40).map(\.id)
        let places = try await Site.query(on: req.db).filter(\.$id ~~ placeIDs).all()
            .map { ScatterChart.Place(x: $0.longitude, y: $0.latitude, name: SiteNames.short($0.name)) }
        let (areas, frame) = try await mapAreas(req, around: site)
        let mapTitle = req.t("assessment.map") + (report.points.count >= AssessmentService.mapLimit ? " · " + req.t("assessment.map_latest", ["count": String(AssessmentService.mapLimit)]) : "")
        let page = AssessmentPage(
            chrome: .make(req, title: req.t("assessment.title")), heading: (site?.name ?? req.t("assessment.everything")) + " · " + req.t("assessment.title"),
            printedPeriod: req.t("assessment.printed_period", ["from": range.days.from, "to": range.days.to]),
            crumbs: crumbs,
            periods: ["month", "quarter", "year", "custom"].map { .init(value: $0, label: req.t("period.\($0 == "custom" ? "custom" : $0)"), selected: $0 == period) },
            grains: TrendGrain.allCases.map { .init(value: $0.rawValue, label: req.t("grain.\($0.rawValue)"), selected: $0 == grain) },
            siteID: siteID, from: problem == nil ? range.days.from : String((req.queryFields["from"]?.last ?? "").prefix(10)),
            to: problem == nil ? range.days.to : String((req.queryFields["to"]?.last ?? "").prefix(10)), problem: problem,
            cards: [
                .init(label: req.t("assessment.orders"), value: String(a.orders), id: "orders"),
                .init(label: req.t("assessment.acceptance"), value: percent(a.acceptanceRate), id: "acceptance"),
                .init(label: req.t("assessment.on_time"), value: percent(a.onTimeResponseRate), id: "on-time"),
                .init(label: req.t("assessment.completion"), value: percent(a.completionRate), id: "completion"),
                .init(label: req.t("assessment.satisfaction"), value: number(a.ratingMean, digits: 2), id: "satisfaction"),
                .init(label: req.t("assessment.dispatch_times"), value: number(a.dispatchMinutesMedian) + " / " + number(a.dispatchMinutesP90), id: "dispatch"),
                .init(label: req.t("assessment.accept_times"), value: number(a.acceptMinutesMedian) + " / " + number(a.acceptMinutesP90), id: "accept"),
                .init(label: req.t("assessment.escalations"), value: String(a.escalations), id: "escalations"),
                .init(label: req.t("assessment.hours"), value: OrdersPages.hours(a.serviceHours), id: "hours"),
                .init(label: req.t("assessment.active_volunteers"), value: String(a.activeVolunteers), id: "volunteers"),
                .init(label: req.t("assessment.training_hours"), value: OrdersPages.hours(report.training.hours), id: "training-hours"),
            ],
            charts: [
                .init(title: req.t("assessment.trend") + " · " + req.t("grain.\(grain.rawValue)"),
                      svg: ColumnChart.html(report.trend.map { .init(label: $0.label, value: Double($0.count)) }, title: req.t("assessment.trend"))),
                .init(title: req.t("assessment.by_category"), svg: BarChart.html(a.byCategory.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { .init(label: categoryName($0.key), value: Double($0.value)) }, title: req.t("assessment.by_category"))),
                .init(title: req.t("assessment.by_channel"), svg: BarChart.html(a.byChannel.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { .init(label: req.t("order.channel.\($0.key)"), value: Double($0.value)) }, title: req.t("assessment.by_channel"))),
                .init(title: req.t("assessment.by_status"), svg: BarChart.html(a.byStatus.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { .init(label: req.t("order.status.\($0.key)"), value: Double($0.value)) }, title: req.t("assessment.by_status"))),
                .init(title: mapTitle, svg: ScatterChart.svg(
                    report.points.map { .init(x: $0.longitude, y: $0.latitude, group: $0.status) }, places: places, placesLabel: req.t("assessment.map_sites"),
                    groups: OrderStatus.allCases.map { ($0.rawValue, req.t("order.status.\($0.rawValue)")) }, title: req.t("assessment.map"),
                    areas: areas, frame: frame, basemap: req.application.settings.basemap, textScale: req.largeText ? 1.25 : 1)),
                .init(title: req.t("assessment.rating_distribution"), svg: BarChart.html((1...5).map { .init(label: String(repeating: "★", count: $0), value: Double(a.ratingDistribution[$0 - 1])) }, title: req.t("assessment.rating_distribution"))),
                .init(title: req.t("assessment.training_by_site"), svg: BarChart.html(report.trainingSites.prefix(20).map { .init(label: SiteNames.short($0.name), value: $0.totals.hours) }, title: req.t("assessment.training_by_site"))),
            ],
            tables: [
                table("sites", "assessment.by_site", report.children, link: { "/assessment?" + query($0, period, range) }),
                table("teams", "assessment.by_team", report.teams, link: nil, note: site == nil ? req.t("assessment.choose_county") : nil),
                table("practitioners", "assessment.by_practitioner", report.practitioners, link: nil, note: site == nil ? req.t("assessment.choose_county") : nil),
            ],
            trainingTables: [("training-sites", "assessment.training_sites", report.trainingSites), ("training-teams", "assessment.training_teams", report.trainingTeams)].map { key, heading, lines in
                .init(key: key, heading: req.t(heading),
                      columns: ["assessment.name", "assessment.training_sessions", "assessment.training_attendances", "assessment.training_hours"].map { req.t($0) },
                      rows: lines.prefix(pageRows).map { [$0.name, String($0.totals.sessions), String($0.totals.attendances), OrdersPages.hours($0.totals.hours)] })
            })
        return try await Pages.render(req, "assessment", page, status: problem == nil ? .ok : .unprocessableEntity)
    }

    /// Rows shown on the page per table; the export has them all.
    static let pageRows = 200

    /// The lines of one table of the report, named as the page names it.
    static func exportLines(_ req: Request) async throws -> (key: String, lines: [AssessmentService.Line], range: AssessmentRange) {
        let (site, range, _) = try await parse(req)
        let key = try req.queryText("table", max: 20) ?? "sites"
        guard ["sites", "teams", "practitioners", "total"].contains(key) else { throw AppError.notFound }
        let report = try await AssessmentService.make(req).report(site, range, grain: try grain(req, range))
        switch key {
        case "sites": return (key, report.children, range)
        case "teams": return (key, report.teams, range)
        case "practitioners": return (key, report.practitioners, range)
        default: return (key, [.init(id: site?.id ?? 0, name: site?.name ?? req.t("assessment.everything"), assessment: report.total)], range)
        }
    }

    static func attachment(_ r: Response, _ key: String, _ range: AssessmentRange, _ ext: String) {
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"assessment-\(key)-\(range.days.from)-\(range.days.to).\(ext)\"")
        r.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
    }

    /// One table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese).
    static func csv(req: Request) async throws -> Response {
        let (key, lines, range) = try await exportLines(req)
        var text = "\u{FEFF}" + ([req.t("assessment.name")] + columnKeys.map { req.t($0) }).map(CSV.field).joined(separator: ",") + "\r\n"
        for l in lines { text += ([l.name] + cells(l.assessment)).map(CSV.field).joined(separator: ",") + "\r\n" }
        let r = Response(status: .ok, body: .init(string: text))
        r.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        attachment(r, key, range, "csv")
        return r
    }

    /// The same table as an Excel workbook: numbers stay numbers, rates are percentages.
    static func xlsx(req: Request) async throws -> Response {
        let (key, lines, range) = try await exportLines(req)
        let header: [XLSX.Cell] = ([req.t("assessment.name")] + columnKeys.map { req.t($0) }).map { .text($0) }
        let rows: [[XLSX.Cell]] = lines.map { l in
            let a = l.assessment
            func ratio(_ x: Double?) -> XLSX.Cell { x.map { .percent($0) } ?? .empty }
            func num(_ x: Double?) -> XLSX.Cell { x.map { .number($0) } ?? .empty }
            return [.text(l.name), .number(Double(a.orders)), ratio(a.acceptanceRate), ratio(a.onTimeResponseRate), ratio(a.completionRate),
                    num(a.ratingMean), num(a.dispatchMinutesMean), .number(a.serviceHours), .number(Double(a.activeVolunteers)), .number(Double(a.escalations))]
        }
        let bytes = try XLSX.workbook(sheet: req.t("assessment.title"), rows: [header] + rows)
        let r = Response(status: .ok, body: .init(data: Data(bytes)))
        r.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        attachment(r, key, range, "xlsx")
        return r
    }

    struct ReportDTO: Content {
        struct Line: Content { var id: Int; var name: String; var assessment: Assessment }
        var site_id: Int
        var from: String
        var to: String
        var total: Assessment
        var sites: [Line]
        var teams: [Line]
        var practitioners: [Line]
        struct TrainingLine: Content { var id: Int; var name: String; var training: TrainingStats.Totals }
        /// Training (培训): sessions held, attendances, hours — in total, per child site, per team.
        var training: TrainingStats.Totals
        var training_sites: [TrainingLine]
        var training_teams: [TrainingLine]
    }

    static func json(req: Request) async throws -> ReportDTO {
        let (site, range, _) = try await parse(req)
        let r = try await AssessmentService.make(req).report(site, range, grain: try grain(req, range))
        func lines(_ l: [AssessmentService.Line]) -> [ReportDTO.Line] { l.map { .init(id: $0.id, name: $0.name, assessment: $0.assessment) } }
        return ReportDTO(site_id: site?.id ?? 0, from: range.days.from, to: range.days.to, total: r.total, sites: lines(r.children),
                         teams: lines(r.teams), practitioners: lines(r.practitioners), training: r.training,
                         training_sites: r.trainingSites.map { .init(id: $0.id, name: $0.name, training: $0.totals) },
                         training_teams: r.trainingTeams.map { .init(id: $0.id, name: $0.name, training: $0.totals) })
    }
}
