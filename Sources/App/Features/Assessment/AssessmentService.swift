import Fluent
import Vapor
import SQLKit
import DiandanCore

/// The assessment of a site (or of everything, the province overview) over a range. A site's figures
/// come from its orders' kept facts (`order_facts`: a county is some ten thousand rows a year); the
/// province's from the rollups, a few hundred rows a year, with the edges of a custom range from the
/// facts. Both are exact; a test holds the rollups to a full recount.
struct AssessmentService {
    let db: Database
    var sql: SQLDatabase { db as! SQLDatabase }
    var rollups: AssessmentRollups { AssessmentRollups(db: db) }

    struct Line: Sendable { var id: Int; var name: String; var assessment: Assessment }
    struct Point: Sendable { var latitude: Double; var longitude: Double; var status: String }

    struct Report: Sendable {
        /// nil: every site (the province).
        var site: Site?
        var range: AssessmentRange
        var total: Assessment
        var children: [Line]
        var teams: [Line]
        var practitioners: [Line]
        var trend: [(label: String, count: Int)]
        /// The latest orders of the range with their place (at most `mapLimit`).
        var points: [Point]
        /// Training (培训), apart from the orders: the whole, each child site, each team.
        var training = TrainingStats.Totals()
        var trainingSites: [TrainingStats.Line] = []
        var trainingTeams: [TrainingStats.Line] = []
    }

    static let mapLimit = 2_000

    // MARK: Queries

    /// `column` lies in the subtree of `path`: a prefix on an index (SQLite compares bytes, so a range;
    /// PostgreSQL's index on the path uses pattern operators, so LIKE).
    func under(_ column: String, _ path: String) -> SQLQueryString {
        if sql.dialect.name == "sqlite" {
            let upper = String(path.dropLast()) + "0"   // '/' + 1
            return "\(unsafeRaw: column) >= \(bind: path) AND \(unsafeRaw: column) < \(bind: upper)"
        }
        return "\(unsafeRaw: column) LIKE \(bind: path + "%")"
    }

    /// `order_facts f`, for a site with SQLite's hint to take the path index: sorted by date or id, it
    /// would rather walk the whole range in that order and test each row's path than sort the subtree's
    /// own rows, which are far fewer.
    func factsTable(scoped: Bool) -> String {
        scoped && sql.dialect.name == "sqlite" ? "order_facts f INDEXED BY order_facts_path_created" : "order_facts f"
    }

    /// The kept facts of the orders placed in the range, under a path (or everywhere).
    func facts(under path: String?, _ range: AssessmentRange) async throws -> [OrderFactRow] {
        let cols = OrderFactRow.columns.map { "f." + $0 }.joined(separator: ", ")
        let scope: SQLQueryString = path.map { under("f.path", $0) + " AND " } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: cols) FROM \(unsafeRaw: factsTable(scoped: path != nil)) WHERE \(scope)f.created_at >= \(bind: range.from) AND f.created_at < \(bind: range.to)
            """).all(decoding: OrderFactRow.self)
    }

    struct Served: Sendable { var centi = 0; var volunteers = 0 }

    /// Hours (in hundredths, as the rollups keep them) and distinct volunteers of the records in the
    /// range under a path, in total and by the subtree at `childLength` characters of path.
    func served(under path: String, _ range: AssessmentRange, childLength: Int) async throws -> (total: Served, children: [String: Served]) {
        struct Row: Decodable { let child: String?, centi: Int?, volunteers: Int }
        let days = range.days
        let rows = try await sql.raw("""
            SELECT substr(s.path, 1, \(unsafeRaw: String(childLength))) AS child,
                   CAST(SUM(CAST(ROUND(r.hours * 100) AS BIGINT)) AS BIGINT) AS centi, COUNT(DISTINCT r.volunteer_id) AS volunteers
            FROM service_records r JOIN sites s ON s.id = r.site_id
            WHERE \(under("s.path", path)) AND r.service_date >= \(bind: days.from) AND r.service_date <= \(bind: days.to)
            GROUP BY substr(s.path, 1, \(unsafeRaw: String(childLength)))
            """).all(decoding: Row.self)
        let total = try await sql.raw("""
            SELECT '' AS child, CAST(SUM(CAST(ROUND(r.hours * 100) AS BIGINT)) AS BIGINT) AS centi, COUNT(DISTINCT r.volunteer_id) AS volunteers
            FROM service_records r JOIN sites s ON s.id = r.site_id
            WHERE \(under("s.path", path)) AND r.service_date >= \(bind: days.from) AND r.service_date <= \(bind: days.to)
            """).first(decoding: Row.self)
        var children: [String: Served] = [:]
        for r in rows { if let c = r.child { children[c] = Served(centi: r.centi ?? 0, volunteers: r.volunteers) } }
        return (Served(centi: total?.centi ?? 0, volunteers: total?.volunteers ?? 0), children)
    }

    /// Hours and distinct volunteers of each team's records in the range.
    func teamServed(_ teamIDs: [Int], _ range: AssessmentRange) async throws -> [Int: Served] {
        guard !teamIDs.isEmpty else { return [:] }
        struct Row: Decodable { let team_id: Int, centi: Int?, volunteers: Int }
        let days = range.days
        let rows = try await sql.raw("""
            SELECT team_id, CAST(SUM(CAST(ROUND(hours * 100) AS BIGINT)) AS BIGINT) AS centi, COUNT(DISTINCT volunteer_id) AS volunteers
            FROM service_records WHERE team_id IN (\(binds: teamIDs)) AND service_date >= \(bind: days.from) AND service_date <= \(bind: days.to)
            GROUP BY team_id
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.team_id, Served(centi: $0.centi ?? 0, volunteers: $0.volunteers)) })
    }

    /// The latest orders of the range (under a path, or everywhere) with where they are.
    func points(under path: String?, _ range: AssessmentRange) async throws -> [Point] {
        struct Row: Decodable { let latitude: Double?, longitude: Double?, status: String, s_latitude: Double, s_longitude: Double }
        let scope: SQLQueryString = path.map { under("f.path", $0) + " AND " } ?? ""
        let rows = try await sql.raw("""
            SELECT o.latitude, o.longitude, f.status, s.latitude AS s_latitude, s.longitude AS s_longitude
            FROM \(unsafeRaw: factsTable(scoped: path != nil)) JOIN orders o ON o.id = f.order_id JOIN sites s ON s.id = f.station_id
            WHERE \(scope)f.created_at >= \(bind: range.from) AND f.created_at < \(bind: range.to)
            ORDER BY f.created_at DESC LIMIT \(unsafeRaw: String(Self.mapLimit))
            """).all(decoding: Row.self)
        return rows.map { Point(latitude: $0.latitude ?? $0.s_latitude, longitude: $0.longitude ?? $0.s_longitude, status: $0.status) }
    }

    /// Volunteers active in a month, quarter or year, as the rollups count them (where each first served in it).
    func active(_ sites: [Int], code: Int) async throws -> [Int: Int] {
        try await rollups.counters(sites: sites, periods: [code]).mapValues { $0[.active] }
    }

    // MARK: The report

    func report(_ site: Site?, _ range: AssessmentRange, grain: TrendGrain) async throws -> Report {
        if let site { return try await report(site: site, range, grain: grain) }
        return try await province(range, grain: grain)
    }

    /// Everything: the rollups of the whole and of each county for the whole months, the facts for the
    /// edges of a custom range.
    func province(_ range: AssessmentRange, grain: TrendGrain) async throws -> Report {
        let roots = try await Site.query(on: db).filter(\.$parent.$id == nil).sort(\.$path).all()
        let rootIDs = try roots.map { try $0.requireID() }
        let (months, edges) = PeriodCode.split(range)
        let rows = try await rollups.counters(sites: [0] + rootIDs, periods: months)
        var total = (rows[0] ?? Tally()) + (try await rollups.dists(months: months))
        var counties = Dictionary(uniqueKeysWithValues: rootIDs.map { ($0, rows[$0] ?? Tally()) })
        let rootOf = { (path: String) in SitePath(rawValue: path).ids.first ?? 0 }
        for edge in edges {
            for f in try await facts(under: nil, edge) {
                total.add(f.facts)
                counties[rootOf(f.path)]?.add(f.facts)
            }
            let served = try await self.served(under: "/", edge, childLength: 10)
            total[.hoursCenti] += served.total.centi
            for (path, s) in served.children { counties[rootOf(path)]?[.hoursCenti] += s.centi }
        }
        // Active volunteers do not add up across months: the rollups count each month, quarter and year.
        var active: [Int: Int]
        if let code = PeriodCode.exact(range) {
            active = try await self.active([0] + rootIDs, code: code)
        } else {
            let served = try await self.served(under: "/", range, childLength: 10)
            active = [0: served.total.volunteers]
            for (path, s) in served.children { active[rootOf(path)] = s.volunteers }
        }
        let days = try await rollups.series(site: 0, periods: range.dayStarts.map(PeriodCode.day))
        let trend = grain.series(counts: range.dayStarts.map { ($0, days[PeriodCode.day($0)]?[.orders] ?? 0) }, over: range)
        let training = try await TrainingStats(db: db).totals(under: "/", range, childLength: roots.first.map { $0.path.count } ?? 0)
        return Report(site: nil, range: range, total: Assessment.make(total, activeVolunteers: active[0] ?? 0),
                      children: zip(roots, rootIDs).map { s, id in
                          Line(id: id, name: s.name, assessment: Assessment.make(counties[id] ?? Tally(), activeVolunteers: active[id] ?? 0))
                      },
                      teams: [], practitioners: [], trend: trend, points: try await points(under: nil, range),
                      training: training.values.reduce(into: TrainingStats.Totals()) { $0.sessions += $1.sessions; $0.attendances += $1.attendances; $0.hours += $1.hours },
                      trainingSites: zip(roots, rootIDs).map { s, id in TrainingStats.Line(id: id, name: s.name, totals: training[s.path] ?? .init()) })
    }

    /// One site from its orders' facts: totals, child sites, teams that served, practitioners who ordered.
    func report(site: Site, _ range: AssessmentRange, grain: TrendGrain) async throws -> Report {
        let all = try await facts(under: site.path, range)
        var total = Tally()
        var byChild: [String: Tally] = [:], byTeam: [Int: Tally] = [:], byPractitioner: [Int: Tally] = [:]
        let childLength = site.path.count + 9
        for row in all {
            let f = row.facts
            total.add(f)
            if row.path.count >= childLength { byChild[String(row.path.prefix(childLength)), default: Tally()].add(f) }
            if let t = f.teamID { byTeam[t, default: Tally()].add(f) }
            if let p = f.practitioner { byPractitioner[p, default: Tally()].add(f) }
        }
        let served = try await self.served(under: site.path, range, childLength: childLength)
        let children = try await Site.query(on: db).filter(\.$parent.$id == site.requireID()).filter(\.$active == true).sort(\.$path).all()
        var active: [Int: Int] = [:]
        if let code = PeriodCode.exact(range) { active = try await self.active(try [site.requireID()] + children.map { try $0.requireID() }, code: code) }
        let exact = PeriodCode.exact(range) != nil
        let siteID = try site.requireID()
        let childLines = try children.map { c -> Line in
            let s = served.children[c.path] ?? Served()
            return Line(id: try c.requireID(), name: c.name,
                        assessment: Assessment.make(byChild[c.path] ?? Tally(), serviceHours: Double(s.centi) / 100,
                                                    activeVolunteers: exact ? active[try c.requireID()] ?? 0 : s.volunteers))
        }

        let teamIDs = Array(byTeam.keys).sorted()
        let teams = try await Team.query(on: db).filter(\.$id ~~ teamIDs).all()
        let teamServed = try await self.teamServed(teamIDs, range)
        let teamLines = try teams.map { t -> Line in
            let id = try t.requireID()
            let s = teamServed[id] ?? Served()
            return Line(id: id, name: t.name, assessment: Assessment.make(byTeam[id] ?? Tally(), serviceHours: Double(s.centi) / 100, activeVolunteers: s.volunteers))
        }.sorted { ($0.assessment.orders, $1.name) > ($1.assessment.orders, $0.name) }

        // 文明实践员: orders they placed for residents.
        let accounts = try await Account.query(on: db).filter(\.$id ~~ Array(byPractitioner.keys)).all()
        let practitionerLines = try accounts.map { a -> Line in
            let id = try a.requireID()
            return Line(id: id, name: a.username, assessment: Assessment.make(byPractitioner[id] ?? Tally(), serviceHours: 0, activeVolunteers: 0))
        }.sorted { ($0.assessment.orders, $1.name) > ($1.assessment.orders, $0.name) }

        let stats = TrainingStats(db: db)
        let trainingByChild = try await stats.totals(under: site.path, range, childLength: childLength)
        return Report(site: site, range: range,
                      total: Assessment.make(total, serviceHours: Double(served.total.centi) / 100,
                                             activeVolunteers: exact ? active[siteID] ?? 0 : served.total.volunteers),
                      children: childLines, teams: teamLines, practitioners: practitionerLines,
                      trend: grain.series(all.map(\.created_at), over: range), points: try await points(under: site.path, range),
                      training: try await stats.totals(under: site.path, range, childLength: 0)[""] ?? .init(),
                      trainingSites: try children.map { c in TrainingStats.Line(id: try c.requireID(), name: c.name, totals: trainingByChild[c.path] ?? .init()) },
                      trainingTeams: try await stats.teams(under: site.path, range))
    }
}

extension AssessmentService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db)
    }
}
