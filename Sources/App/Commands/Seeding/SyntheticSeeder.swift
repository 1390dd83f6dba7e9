import Fluent
import Vapor
import SQLKit
import FluentSQLiteDriver
import DiandanCore

/// Writes many rows with multi-row INSERTs (a few hundred rows per statement, many statements per
/// transaction): the way to load a province in minutes.
final class BulkWriter: @unchecked Sendable {
    let sql: SQLDatabase
    let table: String
    let columns: [String]
    private var rows: [[any Encodable & Sendable]] = []
    private let perStatement: Int
    private(set) var written = 0
    /// Writers whose rows these rows refer to: flushed first, so foreign keys always find their row.
    private let parents: [BulkWriter]

    init(_ sql: SQLDatabase, _ table: String, _ columns: [String], after parents: [BulkWriter] = []) {
        self.sql = sql
        self.table = table
        self.columns = columns
        self.parents = parents
        // SQLite allows 32,766 bound values in a statement; PostgreSQL 65,535.
        perStatement = max(1, min(1000, 30_000 / columns.count))
    }

    func add(_ row: [any Encodable & Sendable]) async throws {
        rows.append(row)
        if rows.count >= perStatement { try await flush() }
    }

    func flush() async throws {
        guard !rows.isEmpty else { return }
        for p in parents { try await p.flush() }
        if let sqlite = sql as? SQLiteDatabase, let binds = Self.sqliteValues(rows) {
            // SQLite: the statement text and the values straight to the driver, without building and
            // serialising an expression tree per value (most of the time of a load went there).
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
            let text = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
                + Array(repeating: tuple, count: rows.count).joined(separator: ",")
            _ = try await sqlite.query(text, binds)
        } else if sql.dialect.name == "postgresql", let values = Self.postgresLiterals(rows) {
            // PostgreSQL: the values as literals in the statement text; binding hundreds of thousands of
            // values through the expression tree costs more than PostgreSQL's parsing them.
            let text = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES " + values
            try await sql.raw("\(unsafeRaw: text)").run()
        } else {
            var insert = sql.insert(into: table).columns(columns)
            for row in rows { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
        }
        written += rows.count
        rows.removeAll(keepingCapacity: true)
    }

    /// The values as SQLite stores them through Fluent (dates as seconds since 1970, booleans as 0/1);
    /// nil if a value is of another kind (then the general path encodes it).
    static func sqliteValues(_ rows: [[any Encodable & Sendable]]) -> [SQLiteData]? {
        var out: [SQLiteData] = []
        out.reserveCapacity(rows.count * (rows.first?.count ?? 0))
        for row in rows {
            for value in row {
                switch value {
                case let v as Int: out.append(.integer(v))
                case let v as String: out.append(.text(v))
                case let v as Double: out.append(.float(v))
                case let v as Date: out.append(.float(v.timeIntervalSince1970))
                case let v as Bool: out.append(.integer(v ? 1 : 0))
                case let v as [String]:
                    guard let json = try? JSONEncoder().encode(v) else { return nil }
                    out.append(.text(String(decoding: json, as: UTF8.self)))
                case let v as any OptionalValue where v.isNone: out.append(.null)
                default: return nil
                }
            }
        }
        return out
    }
}

extension BulkWriter {
    /// `(…),(…)` with every value a PostgreSQL literal (strings quoted, dates as `to_timestamp`); nil if
    /// a value is of another kind.
    static func postgresLiterals(_ rows: [[any Encodable & Sendable]]) -> String? {
        func quote(_ s: String) -> String? { s.contains("\0") ? nil : "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        var out = ""
        for (i, row) in rows.enumerated() {
            out += i == 0 ? "(" : ",("
            for (j, value) in row.enumerated() {
                if j > 0 { out += "," }
                switch value {
                case let v as Int: out += String(v)
                case let v as Double where v.isFinite: out += String(v)
                case let v as String: guard let q = quote(v) else { return nil }; out += q
                case let v as Date: out += "to_timestamp(\(v.timeIntervalSince1970))"
                case let v as Bool: out += v ? "TRUE" : "FALSE"
                case let v as [String]:
                    let items = v.compactMap(quote)
                    guard items.count == v.count else { return nil }
                    out += "ARRAY[" + items.joined(separator: ",") + "]::text[]"
                case let v as any OptionalValue where v.isNone: out += "NULL"
                default: return nil
                }
            }
            out += ")"
        }
        return out
    }
}

/// Lets a value in an existential say it is an empty optional.
protocol OptionalValue { var isNone: Bool { get } }
extension Optional: OptionalValue { var isNone: Bool { self == nil } }

/// `diandan seed synthetic --scale county|city|province [--seed N]`: a deterministic province of
/// sites, teams, volunteers, menus, projects and two years of orders with their events and service
/// records, for the assessment and the benchmarks. Ids are assigned here, so nothing is read back.
struct SyntheticSeeder {
    let db: Database
    let protector: DataProtector
    let scale: SyntheticScale
    let seed: UInt64
    let now: Date
    var progress: @Sendable (String) -> Void = { print($0) }

    /// The next id of each table and the random stream, carried from one county's transaction to the next.
    final class Cursor: @unchecked Sendable {
        var site = 0, team = 0, volunteer = 0, menu = 0, project = 0, order = 0, event = 0, record = 0
        var rng: SplitMix64
        /// The assessment's rollups of everything written, added to the database at the end.
        var rollups = Rollup.Delta()
        init(rng: SplitMix64) { self.rng = rng }
    }

    struct Counts: Sendable, Equatable {
        var sites = 0, teams = 0, volunteers = 0, menuItems = 0, projects = 0, orders = 0, events = 0, records = 0
    }

    static let syllables = Array("安宁和平兴福康瑞祥云山河东西南北新中泉石桥溪湖林竹梅兰松柏金银华阳春秋")

    func name(_ rng: inout SplitMix64) -> String {
        String((0..<2).map { _ in Self.syllables[Int.random(in: 0..<Self.syllables.count, using: &rng)] })
    }

    func nextID(_ sql: SQLDatabase, _ table: String) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM \(unsafeRaw: table)").first(decoding: Row.self)?.n ?? 1
    }

    func bar(_ done: Int, _ total: Int, _ label: String) {
        let width = 30, filled = total == 0 ? width : done * width / total
        progress("\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)")
    }

    func run() async throws -> Counts {
        guard let sql = db as? SQLDatabase else { throw AppError.notFound }
        var counts = Counts()
        let categories = try await Category.query(on: db).filter(\.$active == true).sort(\.$sortOrder).all().map { try $0.requireID() }
        guard !categories.isEmpty else { throw ConfigurationError("No service categories: run the migrations first.") }
        let cur = Cursor(rng: SplitMix64(seed: seed))
        var tally = Tally()
        tally[.active] = 1
        let one = tally
        cur.site = try await nextID(sql, "sites")
        cur.team = try await nextID(sql, "teams")
        cur.volunteer = try await nextID(sql, "volunteers")
        cur.menu = try await nextID(sql, "menu_items")
        cur.project = try await nextID(sql, "projects")
        cur.order = try await nextID(sql, "orders")
        cur.event = try await nextID(sql, "order_events")
        cur.record = try await nextID(sql, "service_records")
        let day = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: now)
        let stamp = String(format: "%04d%02d%02d", day.year!, day.month!, day.day!)

        for centre in 0..<scale.centres {
            // Every county in one transaction: a crash loses at most the county being written.
            let c = try await db.writeTransaction { db -> Counts in
                guard let sql = db as? SQLDatabase else { throw AppError.notFound }
                // The order number index takes keys in date order, not id order: with SQLite's small
                // default cache every insert would fetch pages; half a gigabyte keeps them at hand.
                if sql.dialect.name == "sqlite" { try await sql.raw("PRAGMA cache_size=-524288").run() }
                var c = Counts()
                let sites = BulkWriter(sql, "sites", ["id", "created_at", "updated_at", "code", "name", "kind", "path", "latitude", "longitude", "zone", "active", "parent_id"])
                let teams = BulkWriter(sql, "teams", ["id", "created_at", "name", "professional", "max_concurrent_orders", "active", "site_id"])
                let teamCategories = BulkWriter(sql, "team_categories", ["team_id", "category_id"], after: [teams])
                let volunteers = BulkWriter(sql, "volunteers", ["id", "created_at", "number", "real_name", "id_sealed", "id_hash", "id_masked", "gender", "birth_date",
                                                                "phone_sealed", "phone_masked", "skills", "registered_on", "active", "site_id", "hours_total", "points_balance"])
                let memberships = BulkWriter(sql, "team_memberships", ["created_at", "role", "team_id", "volunteer_id"], after: [volunteers])
                let menu = BulkWriter(sql, "menu_items", ["id", "created_at", "title", "description", "auto_accept", "active", "category_id", "site_id"])
                let menuTeams = BulkWriter(sql, "menu_item_teams", ["menu_item_id", "team_id"], after: [menu])
                let menuSites = BulkWriter(sql, "menu_item_sites", ["menu_item_id", "site_id"], after: [menu])
                let projects = BulkWriter(sql, "projects", ["id", "created_at", "title", "description", "category_id", "team_id", "site_id", "target_group", "status"])
                let orders = BulkWriter(sql, "orders", ["id", "created_at", "updated_at", "number", "status", "version", "menu_item_id", "category_id", "title", "details",
                                                        "station_id", "owner_site_id", "team_id", "requester_account_id", "placed_by_account_id", "on_behalf",
                                                        "contact_name", "contact_phone_sealed", "contact_phone_masked", "address", "latitude", "longitude",
                                                        "people", "channel", "notes", "response_deadline", "completion_deadline", "overdue", "open_for_claim",
                                                        "completed_at", "rating", "rated_by_proxy"])
                let events = BulkWriter(sql, "order_events", ["id", "at", "action", "from_status", "to_status", "actor", "team_id", "site_id", "order_id"], after: [orders])
                let records = BulkWriter(sql, "service_records", ["id", "created_at", "service_date", "hours", "content", "volunteer_id", "order_id", "site_id", "team_id"],
                                         after: [orders])
                let facts = BulkWriter(sql, OrderFactRow.schema, OrderFactRow.columns, after: [orders])
                let presence = BulkWriter(sql, "volunteer_periods", ["volunteer_id", "period", "site_id"], after: [volunteers])
                var seen: [Int: Set<Int>] = [:]

                // The tree: centre, institutes, stations.
                let region = 360_000 + (centre * 37) % 9_000
                let lat0 = 24.5 + Double(centre % 10) * 0.45, lon0 = 114.2 + Double(centre / 10) * 0.4
                let centreID = cur.site
                cur.site += 1
                let centrePath = SitePath.root(centreID)
                let countyName = name(&cur.rng)
                try await sites.add([centreID, now, now, String(region), countyName + "县新时代文明实践中心", SiteKind.centre.rawValue, centrePath.rawValue,
                                     lat0, lon0, Zone.urban.rawValue, true, Optional<Int>.none])
                var stationList: [(id: Int, path: SitePath, lat: Double, lon: Double, institute: Int)] = []
                var instituteList: [(id: Int, path: SitePath)] = []
                for i in 0..<scale.institutesPerCentre {
                    let id = cur.site
                    cur.site += 1
                    let path = centrePath.child(id)
                    let lat = lat0 + Double.random(in: -0.2...0.2, using: &cur.rng), lon = lon0 + Double.random(in: -0.2...0.2, using: &cur.rng)
                    try await sites.add([id, now, now, String(region) + (i + 1).padded(3), name(&cur.rng) + "镇新时代文明实践所", SiteKind.institute.rawValue,
                                         path.rawValue, lat, lon, (i % 4 == 0 ? Zone.urban : .rural).rawValue, true, centreID])
                    instituteList.append((id, path))
                    let count = scale.stationsPerCentre / scale.institutesPerCentre + (i < scale.stationsPerCentre % scale.institutesPerCentre ? 1 : 0)
                    for j in 0..<count {
                        let sid = cur.site
                        cur.site += 1
                        let spath = path.child(sid)
                        let slat = lat + Double.random(in: -0.05...0.05, using: &cur.rng), slon = lon + Double.random(in: -0.05...0.05, using: &cur.rng)
                        try await sites.add([sid, now, now, String(region) + (i + 1).padded(3) + (j + 1).padded(3), name(&cur.rng) + "村新时代文明实践站",
                                             SiteKind.station.rawValue, spath.rawValue, slat, slon, (j % 5 == 0 ? Zone.urban : .rural).rawValue, true, id])
                        stationList.append((sid, spath, slat, slon, id))
                    }
                }
                try await sites.flush()
                c.sites = sites.written

                // Teams at every level, each offering two categories.
                var teamsAt: [Int: [Int]] = [:]
                func team(_ site: Int, _ title: String) async throws {
                    let id = cur.team
                    cur.team += 1
                    try await teams.add([id, now, title, Bool.random(using: &cur.rng), Int.random(in: 2...6, using: &cur.rng), true, site])
                    let first = Int.random(in: 0..<categories.count, using: &cur.rng)
                    try await teamCategories.add([id, categories[first]])
                    if categories.count > 1 {
                        try await teamCategories.add([id, categories[(first + 1 + Int.random(in: 0..<(categories.count - 1), using: &cur.rng)) % categories.count]])
                    }
                    teamsAt[site, default: []].append(id)
                }
                for k in 0..<scale.teamsPerCentre { try await team(centreID, countyName + "志愿服务队\(k + 1)") }
                for inst in instituteList { for k in 0..<scale.teamsPerInstitute { try await team(inst.id, name(&cur.rng) + "志愿服务队\(k + 1)") } }
                for st in stationList { for k in 0..<scale.teamsPerStation { try await team(st.id, name(&cur.rng) + "红马甲服务队\(k + 1)") } }
                try await teams.flush()
                try await teamCategories.flush()
                c.teams = teams.written

                // Volunteers: registered at a station, members of one of its teams (the first a leader).
                var members: [Int: [Int]] = [:]
                let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高钟曾谢邱")
                for (s, st) in stationList.enumerated() {
                    for k in 0..<scale.volunteersPerStation {
                        let id = cur.volunteer
                        cur.volunteer += 1
                        let local = s * scale.volunteersPerStation + k
                        let birth = Calendar.chinaStandard.date(byAdding: .day, value: (local &* 7919) % 20_000, to: Calendar.chinaStandard.date(from: DateComponents(year: 1955, month: 1, day: 1))!)!
                        let b = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: birth)
                        let birthText = b.year!.padded(4) + b.month!.padded(2) + b.day!.padded(2)
                        let idNumber = IDNumber.compose(region: String(region), birth: birthText, sequence: 100 + local / 20_000)
                        let phone = "1" + String([3, 5, 8][k % 3]) + ((id &* 7_919) % 1_000_000_000).padded(9)
                        try await volunteers.add([id, now, "SY" + stamp + id.padded(7), String(surnames[local % surnames.count]) + name(&cur.rng),
                                                  try protector.seal(idNumber), protector.lookupHash(idNumber), Masking.mask(idNumber, keepFirst: 3, keepLast: 4),
                                                  (local % 2 == 0 ? Gender.female : .male).rawValue,
                                                  isoDay(b.year! * 10_000 + b.month! * 100 + b.day!), try protector.seal(phone), Masking.mask(phone, keepFirst: 3, keepLast: 4),
                                                  [String](), isoDay((day.year! - 1) * 10_000 + (1 + k % 12) * 100 + 1 + k % 28), true, st.id, 0.0, 0])
                        let teamsHere = teamsAt[st.id] ?? []
                        let t = teamsHere[k % teamsHere.count]
                        try await memberships.add([now, (members[t] ?? []).isEmpty ? MemberRole.leader.rawValue : MemberRole.member.rawValue, t, id])
                        members[t, default: []].append(id)
                    }
                }
                try await volunteers.flush()
                try await memberships.flush()
                c.volunteers = volunteers.written

                // Each station's menu, offered by its teams; each station team's projects.
                var menuAt: [Int: [(id: Int, category: Int, auto: Bool, title: String)]] = [:]
                for st in stationList {
                    let teamsHere = teamsAt[st.id] ?? []
                    for k in 0..<scale.menuItemsPerStation {
                        let id = cur.menu
                        cur.menu += 1
                        let category = categories[(k + st.id) % categories.count]
                        let auto = k % 2 == 0
                        let title = name(&cur.rng) + "服务\(k + 1)"
                        try await menu.add([id, now, title, "", auto, true, category, st.id])
                        try await menuTeams.add([id, teamsHere[k % teamsHere.count]])
                        try await menuSites.add([id, st.id])
                        menuAt[st.id, default: []].append((id, category, auto, title))
                    }
                }
                // Projects: every team runs some (项目库).
                for (site, list) in teamsAt.sorted(by: { $0.key < $1.key }) {
                    for t in list {
                        for k in 0..<scale.projectsPerStationTeam {
                            let id = cur.project
                            cur.project += 1
                            try await projects.add([id, now, name(&cur.rng) + "项目\(k + 1)", "", categories[(t + k) % categories.count], t, site,
                                                    ["留守老人", "留守儿童", "困难家庭", "全体村民"][(t + k) % 4], ProjectStatus.active.rawValue])
                        }
                    }
                }
                try await menu.flush()
                try await menuTeams.flush()
                try await menuSites.flush()
                try await projects.flush()
                c.menuItems = menu.written
                c.projects = projects.written

                // Two years of orders with their events and service records.
                let span = Double(scale.days) * 86_400
                let phone = try protector.seal("13800000000")
                for (s, st) in stationList.enumerated() {
                    let pathIDs = st.path.ids
                    let items = menuAt[st.id] ?? []
                    let teamsHere = teamsAt[st.id] ?? []
                    for _ in 0..<scale.ordersPerStation {
                        let id = cur.order
                        cur.order += 1
                        let age = (span * pow(Double.random(in: 0...1, using: &cur.rng), 1.3)).rounded()
                        let created = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down) - age)
                        let item = Int.random(in: 0..<10, using: &cur.rng) < 7 ? items[Int.random(in: 0..<items.count, using: &cur.rng)] : nil
                        let team = teamsHere[Int.random(in: 0..<teamsHere.count, using: &cur.rng)]
                        let crew = members[team] ?? []
                        let plan = OrderPlan.make(&cur.rng, age: age, autoAccept: item?.auto ?? false, teamSize: max(1, crew.count))
                        let holdsTeam = ![.submitted, .cancelled, .rejected].contains(plan.status)
                        let owner = plan.escalations > 0 ? (plan.escalations > 1 ? centreID : st.institute) : st.id
                        let completed = plan.steps.first { $0.action == .complete }.map { created.addingTimeInterval($0.after) }
                        let category = item?.category ?? categories[Int.random(in: 0..<categories.count, using: &cur.rng)]
                        let lat = st.lat + Double.random(in: -0.01...0.01, using: &cur.rng), lon = st.lon + Double.random(in: -0.01...0.01, using: &cur.rng)
                        try await orders.add([
                            id, created, created.addingTimeInterval(plan.steps.last?.after ?? 0), OrderNumber.make(date: created, sequence: id), plan.status.rawValue,
                            plan.steps.count - 1, item?.id, category, item?.title ?? "需求\(id)", "", st.id, owner, holdsTeam ? team : nil,
                            Optional<Int>.none, Optional<Int>.none, plan.channel == .walkIn, "居民", phone, "138****0000", "村委会旁", lat, lon,
                            1, plan.channel.rawValue, "", created.addingTimeInterval(3_600), created.addingTimeInterval(3 * 86_400), false, false,
                            completed, plan.rating, false])
                        for stepItem in plan.steps {
                            let actor: OrderActor = switch stepItem.action {
                            case .submit, .rate, .cancel: .requester
                            case .escalate: .system
                            case .accept, .start, .complete: .assignedLeader
                            default: .siteAdmin
                            }
                            try await events.add([cur.event, created.addingTimeInterval(stepItem.after), stepItem.action.rawValue, stepItem.from?.rawValue,
                                                  stepItem.to.rawValue, actor.rawValue,
                                                  [.dispatch, .accept, .start, .complete].contains(stepItem.action) ? team : nil, owner, id])
                            cur.event += 1
                        }
                        // The order's facts and its share of the rollups, as the loop would have kept them.
                        let at = { (a: OrderAction) in plan.steps.first { $0.action == a }.map { created.addingTimeInterval($0.after) } }
                        let firstEscalation = at(.escalate), firstAccept = at(.accept)
                        let f = OrderFacts(id: id, createdAt: created, status: plan.status, categoryID: category, channel: plan.channel.rawValue, stationID: st.id,
                                           teamID: holdsTeam ? team : nil, placedBy: nil, onBehalf: plan.channel == .walkIn, firstDispatchAt: at(.dispatch),
                                           firstAcceptAt: firstAccept, escalations: plan.escalations,
                                           escalatedBeforeAccept: firstEscalation.map { e in firstAccept.map { e < $0 } ?? true } ?? false,
                                           completedAt: completed, rating: plan.rating)
                        try await facts.add(OrderFactRow(f, path: st.path.rawValue).values)
                        cur.rollups.add(f, path: pathIDs)
                        if let completed, !crew.isEmpty {
                            let day = PeriodCode.day(completed)
                            for (m, hours) in plan.served {
                                let volunteer = crew[m % crew.count]
                                try await records.add([cur.record, completed, isoDay(day), hours, item?.title ?? "需求\(id)", volunteer, id, st.id, team])
                                cur.record += 1
                                var t = Tally()
                                t[.hoursCenti] = AssessmentRollups.centi(hours)
                                cur.rollups.add(counters: t.counts, at: Rollup.keys(path: pathIDs, day: day))
                                // Active where the volunteer first served in each month, quarter and year.
                                for p in PeriodCode.presence(day: day) where seen[volunteer, default: []].insert(p).inserted {
                                    try await presence.add([volunteer, p, st.id])
                                    cur.rollups.add(counters: one.counts, at: ([0] + pathIDs).map { Rollup.Key(site: $0, period: p) })
                                }
                            }
                        }
                    }
                    if (s + 1) % max(1, stationList.count / 10) == 0 || s == stationList.count - 1 {
                        bar(s + 1, stationList.count, "county \(centre + 1)/\(scale.centres) orders")
                    }
                }
                try await orders.flush()
                try await events.flush()
                try await records.flush()
                try await facts.flush()
                try await presence.flush()
                c.orders = orders.written
                c.events = events.written
                c.records = records.written
                return c
            }
            counts.sites += c.sites
            counts.teams += c.teams
            counts.volunteers += c.volunteers
            counts.menuItems += c.menuItems
            counts.projects += c.projects
            counts.orders += c.orders
            counts.events += c.events
            counts.records += c.records
            bar(centre + 1, scale.centres, "counties")
        }
        // PostgreSQL hands out ids from sequences that the explicit ids above did not move: move them.
        if sql.dialect.name == "postgresql" {
            for table in ["sites", "teams", "volunteers", "menu_items", "projects", "orders", "order_events", "service_records"] {
                try await sql.raw("SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT MAX(id) FROM \(unsafeRaw: table)))").run()
            }
        }
        // Each volunteer's totals from the records (10 points an hour, as the loop credits them).
        progress("volunteer totals …")
        try await sql.raw("""
            UPDATE volunteers SET hours_total = COALESCE((SELECT SUM(r.hours) FROM service_records r WHERE r.volunteer_id = volunteers.id), 0),
                                  points_balance = CAST(COALESCE((SELECT SUM(r.hours) FROM service_records r WHERE r.volunteer_id = volunteers.id), 0) * 10 AS INTEGER)
            WHERE number LIKE 'SY%'
            """).run()
        // The rollups of the whole province, added to what the database held (in batches).
        progress("assessment rollups …")
        try await db.writeTransaction { db in try await AssessmentRollups(db: db).load(cur.rollups) }
        // Fresh statistics for the query planners after a bulk load.
        progress("statistics …")
        // (PostgreSQL: our tables by name, resolved in our schema, not every table of the database.)
        let tables = ["sites", "teams", "volunteers", "orders", "order_events", "order_facts", "service_records", "assessment_rollups", "volunteer_periods"]
        try await sql.raw("ANALYZE \(unsafeRaw: sql.dialect.name == "postgresql" ? tables.joined(separator: ", ") : "")").run()
        return counts
    }
}
