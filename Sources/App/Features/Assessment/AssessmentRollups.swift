import Fluent
import SQLKit
import Foundation
import DiandanCore

/// One order's facts as kept in `order_facts`, beside the order.
struct OrderFactRow: Codable, Sendable, Equatable {
    static let schema = "order_facts"
    static let columns = ["order_id", "station_id", "path", "created_at", "team_id", "practitioner_id", "status", "category_id", "channel",
                          "dispatch_minutes", "accept_minutes", "escalations", "escalated_early", "completed", "rating"]

    var order_id: Int
    var station_id: Int
    var path: String
    var created_at: Date
    var team_id: Int?
    var practitioner_id: Int?
    var status: OrderStatus
    var category_id: Int
    var channel: String
    var dispatch_minutes: Int?
    var accept_minutes: Int?
    var escalations: Int
    var escalated_early: Bool
    var completed: Bool
    var rating: Int?

    init(_ f: OrderFacts, path: String) {
        order_id = f.id
        station_id = f.stationID
        self.path = path
        created_at = f.createdAt
        team_id = f.teamID
        practitioner_id = f.practitioner
        status = f.status
        category_id = f.categoryID
        channel = f.channel
        dispatch_minutes = f.dispatchMinutes
        accept_minutes = f.acceptMinutes
        escalations = f.escalations
        escalated_early = f.escalatedBeforeAccept
        completed = f.completed
        rating = f.rating
    }

    var facts: OrderFacts {
        OrderFacts(id: order_id, createdAt: created_at, status: status, categoryID: category_id, channel: channel,
                   stationID: station_id, teamID: team_id, placedBy: practitioner_id, onBehalf: practitioner_id != nil, dispatchMinutes: dispatch_minutes,
                   acceptMinutes: accept_minutes, escalations: escalations, escalatedBeforeAccept: escalated_early, completed: completed, rating: rating)
    }

    var values: [any Encodable & Sendable] {
        [order_id, station_id, path, created_at, team_id, practitioner_id, status.rawValue, category_id, channel, dispatch_minutes, accept_minutes,
         escalations, escalated_early, completed, rating]
    }
}

/// Keeps the assessment's rollups in step with the loop, inside the transaction that changes an order
/// or writes a service record; and recounts them from the orders, events and records (`rebuild`, and
/// the check that the maintained figures are exact).
struct AssessmentRollups {
    let db: Database
    var sql: SQLDatabase { db as! SQLDatabase }

    // MARK: Maintenance

    /// A new order: its facts, and its contribution to every rollup it belongs to.
    func placed(_ facts: OrderFacts, path: SitePath) async throws {
        let row = OrderFactRow(facts, path: path.rawValue)
        try await sql.insert(into: OrderFactRow.schema).columns(OrderFactRow.columns).values(row.values.map { SQLBind($0) }).run()
        try await apply(Rollup.delta(from: nil, to: facts, path: path.ids))
    }

    /// A step of the loop, as the order stands after it: the facts move on, and the rollups by the difference.
    func stepped(_ o: Order, _ action: OrderAction, at: Date) async throws {
        let id = try o.requireID()
        guard let row = try await sql.select().columns(OrderFactRow.columns.map { SQLColumn($0) }).from(OrderFactRow.schema)
            .where("order_id", .equal, id).first(decoding: OrderFactRow.self) else { return }
        let old = row.facts
        let new = old.advanced(by: action, at: at, status: o.status, teamID: o.$team.id, completed: o.completedAt != nil, rating: o.rating)
        guard new != old else { return }
        try await sql.update(OrderFactRow.schema)
            .set("status", to: SQLBind(new.status.rawValue)).set("team_id", to: SQLBind(new.teamID))
            .set("dispatch_minutes", to: SQLBind(new.dispatchMinutes)).set("accept_minutes", to: SQLBind(new.acceptMinutes))
            .set("escalations", to: SQLBind(new.escalations)).set("escalated_early", to: SQLBind(new.escalatedBeforeAccept))
            .set("completed", to: SQLBind(new.completed)).set("rating", to: SQLBind(new.rating))
            .where("order_id", .equal, id).run()
        try await apply(Rollup.delta(from: old, to: new, path: SitePath(rawValue: row.path).ids))
    }

    /// A service record: its hours where it counts, and the volunteer as active in the month, quarter
    /// and year if it is their first record in them.
    func recorded(volunteerID: Int, path: SitePath, day: Int, hours: Double) async throws {
        guard let siteID = path.ids.last else { return }
        var d = Rollup.Delta()
        var t = Tally()
        t[.hoursCenti] = Self.centi(hours)
        d.add(counters: t.counts, at: Rollup.keys(path: path.ids, day: day))
        struct Row: Decodable { let period: Int }
        var insert = sql.insert(into: "volunteer_periods").columns("volunteer_id", "period", "site_id")
        for p in PeriodCode.presence(day: day) { insert = insert.values(SQLBind(volunteerID), SQLBind(p), SQLBind(siteID)) }
        let fresh = try await insert.ignoringConflicts(with: ["volunteer_id", "period"]).returning("period").all(decoding: Row.self)
        var one = Tally()
        one[.active] = 1
        for p in fresh { d.add(counters: one.counts, at: ([0] + path.ids).map { Rollup.Key(site: $0, period: p.period) }) }
        try await apply(d)
    }

    /// A site moved in the tree, with everything below it: its rows (which hold its whole subtree)
    /// leave the old ancestors' rollups and join the new ones'; its orders' facts get the new path.
    func moved(site: Int, from old: SitePath, to new: SitePath) async throws {
        var d = Rollup.Delta()
        for (period, row) in try await series(site: site, periods: nil) {
            let negative = row.counts.map { -$0 }
            d.add(counters: negative, at: old.ids.dropLast().map { Rollup.Key(site: $0, period: period) })
            d.add(counters: row.counts, at: new.ids.dropLast().map { Rollup.Key(site: $0, period: period) })
        }
        try await apply(d)
        try await sql.raw("""
            UPDATE order_facts SET path = \(bind: new.rawValue) || substr(path, \(unsafeRaw: String(old.rawValue.count + 1))) WHERE path LIKE \(bind: old.rawValue + "%")
            """).run()
    }

    static func centi(_ hours: Double) -> Int { Int((hours * 100).rounded()) }

    /// Adds a difference to the rollup rows (creating them as needed), in key order.
    /// Adds a difference to the rollup rows (creating them as needed), in key order, in statements of
    /// at most 500 rows (a bulk load brings hundreds of thousands).
    func apply(_ d: Rollup.Delta) async throws {
        let (counters, dists) = d.changes
        for start in stride(from: 0, to: counters.count, by: 500) {
            var insert = sql.insert(into: "assessment_rollups").columns(["site_id", "period"] + Tally.columns)
            for (key, row) in counters[start..<min(start + 500, counters.count)] {
                insert = insert.values([SQLBind(key.site), SQLBind(key.period)] + row.map { SQLBind($0) })
            }
            try await insert.onConflict(with: ["site_id", "period"]) { u in
                var u = u
                for c in Tally.columns { u = u.set(c, to: SQLBinaryExpression(SQLColumn(c, table: "assessment_rollups"), .add, SQLExcludedColumn(c))) }
                return u
            }.run()
        }
        for start in stride(from: 0, to: dists.count, by: 2_000) {
            var insert = sql.insert(into: "assessment_dists").columns("period", "measure", "value", "n")
            for (key, n) in dists[start..<min(start + 2_000, dists.count)] {
                insert = insert.values(SQLBind(key.period), SQLBind(key.measure.rawValue), SQLBind(key.value), SQLBind(n))
            }
            try await insert.onConflict(with: ["period", "measure", "value"]) { u in
                u.set("n", to: SQLBinaryExpression(SQLColumn("n", table: "assessment_dists"), .add, SQLExcludedColumn("n")))
            }.run()
        }
    }

    // MARK: Reading

    /// Counter rows of some sites over some periods, summed per site.
    func counters(sites: [Int], periods: [Int]) async throws -> [Int: Tally] {
        guard !sites.isEmpty, !periods.isEmpty else { return [:] }
        // PostgreSQL sums BIGINT into NUMERIC: cast back.
        let sums = Tally.columns.enumerated().map { i, c in SQLAlias(SQLRaw("CAST(SUM(\(c)) AS BIGINT)"), as: "v\(i)") }
        let rows = try await sql.select().column("site_id").columns(sums)
            .from("assessment_rollups")
            .where("site_id", .in, SQLBind.group(sites)).where("period", .in, SQLBind.group(periods))
            .groupBy("site_id").all()
        var out: [Int: Tally] = [:]
        for r in rows {
            let site = try r.decode(column: "site_id", as: Int.self)
            out[site] = Tally(counts: try Tally.columns.indices.map { try r.decode(column: "v\($0)", as: Int?.self) ?? 0 })
        }
        return out
    }

    /// The counter rows of one site, period by period (for trends), of the periods given or all.
    func series(site: Int, periods: [Int]?) async throws -> [Int: Tally] {
        if periods?.isEmpty == true { return [:] }
        var select = sql.select().column("period").columns(Tally.columns.map { SQLColumn($0) }).from("assessment_rollups").where("site_id", .equal, site)
        if let periods { select = select.where("period", .in, SQLBind.group(periods)) }
        let rows = try await select.all()
        var out: [Int: Tally] = [:]
        for r in rows { out[try r.decode(column: "period", as: Int.self)] = Tally(counts: try Tally.columns.map { try r.decode(column: $0, as: Int.self) }) }
        return out
    }

    /// The distributions of the whole over some months.
    func dists(months: [Int]) async throws -> Tally {
        var t = Tally()
        guard !months.isEmpty else { return t }
        struct Row: Decodable { let measure: Int, value: Int, n: Int }
        let rows = try await sql.raw("""
            SELECT measure, value, CAST(SUM(n) AS BIGINT) AS n FROM assessment_dists WHERE period IN (\(binds: months)) GROUP BY measure, value
            """).all(decoding: Row.self)
        for r in rows {
            switch Rollup.Measure(rawValue: r.measure) {
            case .category: t.categories[r.value] = r.n
            case .dispatch: t.dispatchMinutes[r.value] = r.n
            case .accept: t.acceptMinutes[r.value] = r.n
            case nil: break
            }
        }
        return t.normalized
    }

    // MARK: Recount

    /// Everything the rollups hold, as maintained or as recounted.
    struct Snapshot: Equatable, Sendable {
        var facts: [Int: OrderFactRow] = [:]
        var counters: [Rollup.Key: [Int]] = [:]
        var dists: [Rollup.DistKey: Int] = [:]
        var presence: [String: Int] = [:]

        /// Rows that add up to nothing say nothing: a rollup that went up and down again equals none.
        var normalized: Snapshot {
            var s = self
            s.counters = counters.filter { $0.value.contains { $0 != 0 } }
            s.dists = dists.filter { $0.value != 0 }
            return s
        }
    }

    /// What the tables hold now.
    func snapshot() async throws -> Snapshot {
        var s = Snapshot()
        for r in try await sql.select().columns(OrderFactRow.columns.map { SQLColumn($0) }).from(OrderFactRow.schema).all(decoding: OrderFactRow.self) {
            s.facts[r.order_id] = r
        }
        for r in try await sql.select().columns(["site_id", "period"] + Tally.columns).from("assessment_rollups").all() {
            s.counters[Rollup.Key(site: try r.decode(column: "site_id", as: Int.self), period: try r.decode(column: "period", as: Int.self))] =
                try Tally.columns.map { try r.decode(column: $0, as: Int.self) }
        }
        struct Dist: Decodable { let period: Int, measure: Int, value: Int, n: Int }
        for r in try await sql.select().columns("period", "measure", "value", "n").from("assessment_dists").all(decoding: Dist.self) {
            s.dists[Rollup.DistKey(period: r.period, measure: Rollup.Measure(rawValue: r.measure)!, value: r.value)] = r.n
        }
        struct Presence: Decodable { let volunteer_id: Int, period: Int, site_id: Int }
        for r in try await sql.select().columns("volunteer_id", "period", "site_id").from("volunteer_periods").all(decoding: Presence.self) {
            s.presence["\(r.volunteer_id)/\(r.period)"] = r.site_id
        }
        return s.normalized
    }

    /// The same figures counted afresh from the orders, their events and the service records. With
    /// `write`, the tables are emptied and filled with them (and only the counters are kept in memory).
    func recount(write: Bool, progress: (@Sendable (String) -> Void)? = nil) async throws -> Snapshot {
        var s = Snapshot()
        var delta = Rollup.Delta()
        struct SiteRow: Decodable { let id: Int, path: String }
        let paths = Dictionary(uniqueKeysWithValues: try await sql.select().columns("id", "path").from(Site.schema).all(decoding: SiteRow.self).map { ($0.id, $0.path) })
        if write { for table in ["volunteer_periods", "assessment_dists", "assessment_rollups", OrderFactRow.schema] { try await sql.delete(from: table).run() } }
        let factWriter = BulkWriter(sql, OrderFactRow.schema, OrderFactRow.columns)

        struct OrderRow: Decodable {
            let id: Int, created_at: Date, status: OrderStatus, category_id: Int, channel: String, station_id: Int, team_id: Int?
            let placed_by_account_id: Int?, on_behalf: Bool, completed_at: Date?, rating: Int?
        }
        struct EventRow: Decodable { let order_id: Int, first_dispatch: Date?, first_accept: Date?, escalations: Int, first_escalation: Date? }
        struct Count: Decodable { let n: Int }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM orders").first(decoding: Count.self)?.n ?? 0
        var after = 0, done = 0
        let chunk = 20_000
        while true {
            let orders = try await sql.raw("""
                SELECT id, created_at, status, category_id, channel, station_id, team_id, placed_by_account_id, on_behalf, completed_at, rating
                FROM orders WHERE id > \(bind: after) ORDER BY id LIMIT \(unsafeRaw: String(chunk))
                """).all(decoding: OrderRow.self)
            guard let last = orders.last else { break }
            let events = try await sql.raw("""
                SELECT order_id,
                       MIN(CASE WHEN action IN ('dispatch', 'claim') THEN at END) AS first_dispatch,
                       MIN(CASE WHEN action IN ('accept', 'claim') THEN at END) AS first_accept,
                       CAST(SUM(CASE WHEN action = 'escalate' THEN 1 ELSE 0 END) AS BIGINT) AS escalations,
                       MIN(CASE WHEN action = 'escalate' THEN at END) AS first_escalation
                FROM order_events WHERE order_id > \(bind: after) AND order_id <= \(bind: last.id) GROUP BY order_id
                """).all(decoding: EventRow.self)
            let byOrder = Dictionary(uniqueKeysWithValues: events.map { ($0.order_id, $0) })
            for o in orders {
                guard let path = paths[o.station_id] else { continue }
                let e = byOrder[o.id]
                let early = e?.first_escalation.map { esc in e?.first_accept.map { esc < $0 } ?? true } ?? false
                let f = OrderFacts(id: o.id, createdAt: o.created_at, status: o.status, categoryID: o.category_id,
                                   channel: o.channel, stationID: o.station_id, teamID: o.team_id, placedBy: o.placed_by_account_id, onBehalf: o.on_behalf,
                                   firstDispatchAt: e?.first_dispatch, firstAcceptAt: e?.first_accept, escalations: e?.escalations ?? 0,
                                   escalatedBeforeAccept: early, completedAt: o.completed_at, rating: o.rating)
                let row = OrderFactRow(f, path: path)
                if write { try await factWriter.add(row.values) } else { s.facts[o.id] = row }
                delta.add(f, path: SitePath(rawValue: path).ids)
            }
            after = last.id
            done += orders.count
            progress?("assessment facts \(done)/\(total)")
        }
        try await factWriter.flush()

        // Records, a volunteer at a time: hours where each counts, and where the volunteer first counts
        // as active in each month, quarter and year (their earliest record in it).
        struct RecordRow: Decodable { let id: Int, volunteer_id: Int, site_id: Int?, service_date: String, hours: Double }
        let presenceWriter = BulkWriter(sql, "volunteer_periods", ["volunteer_id", "period", "site_id"])
        var one = Tally()
        one[.active] = 1
        var seen: Set<Int> = []
        var current = -1
        let bounds = try await sql.raw("SELECT COALESCE(MAX(volunteer_id), 0) AS n FROM service_records").first(decoding: Count.self)?.n ?? 0
        var from = 0
        while from < bounds {
            // A slice of volunteers at a time: ranges on the volunteer index, each volunteer whole.
            let to = from + 5_000
            let records = try await sql.raw("""
                SELECT id, volunteer_id, site_id, service_date, hours FROM service_records
                WHERE volunteer_id > \(bind: from) AND volunteer_id <= \(bind: to) ORDER BY volunteer_id, id
                """).all(decoding: RecordRow.self)
            for r in records {
                if r.volunteer_id != current { current = r.volunteer_id; seen = [] }
                guard let site = r.site_id, let path = paths[site].map({ SitePath(rawValue: $0).ids }), let day = PeriodCode.day(iso: r.service_date) else { continue }
                var t = Tally()
                t[.hoursCenti] = Self.centi(r.hours)
                delta.add(counters: t.counts, at: Rollup.keys(path: path, day: day))
                for p in PeriodCode.presence(day: day) where seen.insert(p).inserted {
                    if write { try await presenceWriter.add([r.volunteer_id, p, site]) } else { s.presence["\(r.volunteer_id)/\(p)"] = site }
                    delta.add(counters: one.counts, at: ([0] + path).map { Rollup.Key(site: $0, period: p) })
                }
            }
            from = to
        }
        try await presenceWriter.flush()
        s.counters = delta.counters
        s.dists = delta.dists
        if write {
            progress?("assessment rollups \(delta.counters.count) rows")
            try await insertAll(delta)
        }
        return s.normalized
    }

    /// A bulk load's rollups: written straight in when the tables are empty, added row by row otherwise.
    func load(_ delta: Rollup.Delta) async throws {
        struct Count: Decodable { let n: Int }
        let rows = try await sql.raw("SELECT (SELECT COUNT(*) FROM assessment_rollups) + (SELECT COUNT(*) FROM assessment_dists) AS n").first(decoding: Count.self)?.n ?? 0
        if rows == 0 { try await insertAll(delta) } else { try await apply(delta) }
    }

    /// Writes a whole delta into empty tables (no upserts needed).
    func insertAll(_ delta: Rollup.Delta) async throws {
        let (counters, dists) = delta.changes
        let rows = BulkWriter(sql, "assessment_rollups", ["site_id", "period"] + Tally.columns)
        for (key, row) in counters { try await rows.add(([key.site, key.period] + row).map { $0 as any Encodable & Sendable }) }
        try await rows.flush()
        let entries = BulkWriter(sql, "assessment_dists", ["period", "measure", "value", "n"])
        for (key, n) in dists { try await entries.add([key.period, key.measure.rawValue, key.value, n]) }
        try await entries.flush()
    }

    /// Empties the rollups and counts them again (after a bulk load, or to repair).
    func rebuild(progress: (@Sendable (String) -> Void)? = nil) async throws {
        try await db.writeTransaction { db in
            _ = try await AssessmentRollups(db: db).recount(write: true, progress: progress)
        }
    }
}
