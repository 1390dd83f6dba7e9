import Vapor
import Fluent
import SQLKit
import DiandanCore

/// `diandan check`: is the database whole, and does every record agree with the others? The file's
/// own integrity (SQLite), then what a half-written transaction would leave behind — an order without
/// its first event or its facts, a status its timeline does not end in, rollups that differ from a
/// recount, hours and points that differ from their records. Run after a crash, a restore, or any time.
struct ConsistencyCheck {
    let db: Database

    struct Report: Sendable {
        /// What was looked at, in order: (name, count).
        var counted: [(String, Int)] = []
        /// What is wrong, as sentences.
        var problems: [String] = []

        var lines: [String] {
            [counted.map { "\($0.0) \($0.1)" }.joined(separator: ", ")] + (problems.isEmpty ? ["no problems"] : problems.map { "PROBLEM: \($0)" })
        }
    }

    func run() async throws -> Report {
        guard let sql = db as? SQLDatabase else { return Report(problems: ["not an SQL database"]) }
        var r = Report()
        struct Text: Decodable { let v: String }
        struct Number: Decodable { let n: Int }
        func count(_ q: SQLQueryString) async throws -> Int { try await sql.raw(q).first(decoding: Number.self)?.n ?? 0 }

        if sql.dialect.name == "sqlite" {
            let integrity = try await sql.raw("PRAGMA integrity_check").all().compactMap { try? $0.decode(column: "integrity_check", as: String.self) }
            if integrity != ["ok"] { r.problems.append("SQLite integrity check: " + integrity.prefix(5).joined(separator: "; ")) }
            let foreign = try await sql.raw("PRAGMA foreign_key_check").all().count
            if foreign > 0 { r.problems.append("\(foreign) rows point at rows that do not exist") }
        }
        for (name, table) in [("orders", "orders"), ("events", "order_events"), ("facts", "order_facts"), ("volunteers", "volunteers"),
                              ("service records", "service_records"), ("points entries", "points_entries"), ("sign-ups", "activity_signups")] {
            r.counted.append((name, try await count("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)")))
        }

        let bare = try await count("SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id)")
        if bare > 0 { r.problems.append("\(bare) orders without a single event") }
        // The timeline's last change of status is where the order stands (messages and urges change none).
        let astray = try await count("""
            SELECT COUNT(*) AS n FROM orders o JOIN order_events e ON e.id = (
                SELECT MAX(x.id) FROM order_events x WHERE x.order_id = o.id AND (x.from_status IS NULL OR x.from_status <> x.to_status))
            WHERE e.to_status <> o.status
            """)
        if astray > 0 { r.problems.append("\(astray) orders whose status is not where their timeline ends") }
        let unfacted = try await count("SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_facts f WHERE f.order_id = o.id)")
        if unfacted > 0 { r.problems.append("\(unfacted) orders without their assessment facts") }
        let orphans = try await count("SELECT COUNT(*) AS n FROM order_facts f WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = f.order_id)")
        if orphans > 0 { r.problems.append("\(orphans) assessment facts of orders that do not exist") }

        // Hours and points are kept on the volunteer beside their records: they must agree.
        let hours = try await count("""
            SELECT COUNT(*) AS n FROM volunteers v
            WHERE ABS(v.hours_total - COALESCE((SELECT SUM(s.hours) FROM service_records s WHERE s.volunteer_id = v.id), 0)) > 0.001
            """)
        if hours > 0 { r.problems.append("\(hours) volunteers whose hours differ from their service records") }
        let points = try await count("""
            SELECT COUNT(*) AS n FROM volunteers v
            WHERE v.points_balance <> COALESCE((SELECT SUM(p.delta) FROM points_entries p WHERE p.volunteer_id = v.id), 0)
            """)
        if points > 0 { r.problems.append("\(points) volunteers whose points differ from their ledger") }

        // The rollups against a recount from the orders themselves.
        let rollups = AssessmentRollups(db: db)
        let kept = try await rollups.snapshot().normalized
        let recounted = try await rollups.recount(write: false).normalized
        let keys = Set(kept.counters.keys).union(recounted.counters.keys)
        let differing = keys.filter { kept.counters[$0] != recounted.counters[$0] }.count
            + Set(kept.dists.keys).union(recounted.dists.keys).filter { kept.dists[$0] != recounted.dists[$0] }.count
        r.counted.append(("rollup rows", keys.count))
        if differing > 0 { r.problems.append("\(differing) assessment rollup rows differ from a recount (`diandan check --rebuild-rollups` recounts them)") }
        let wrongFacts = Set(kept.facts.keys).union(recounted.facts.keys).filter { kept.facts[$0] != recounted.facts[$0] }.count
        if wrongFacts > 0 { r.problems.append("\(wrongFacts) orders whose assessment facts differ from their timeline") }
        return r
    }
}
