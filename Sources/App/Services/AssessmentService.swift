import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Gathers the facts the assessment is computed from: one row per order placed in the range at a
/// station under the scope, with its first dispatch, acceptance and escalation from the events.
struct AssessmentService {
    let db: Database

    struct Fact: Sendable {
        var facts: OrderFacts
        var stationPath: String
        var latitude: Double?
        var longitude: Double?
    }

    func facts(under path: String, _ range: AssessmentRange) async throws -> [Fact] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Row: Decodable {
            let id: Int, created_at: Date, status: String, category_id: Int, channel: String, station_id: Int, team_id: Int?
            let placed_by_account_id: Int?, on_behalf: Bool, completed_at: Date?, rating: Int?, path: String
            let latitude: Double?, longitude: Double?, s_latitude: Double, s_longitude: Double
            let first_dispatch: Date?, first_accept: Date?, escalations: Int, first_escalation: Date?
        }
        let rows = try await sql.raw("""
            SELECT o.id, o.created_at, o.status, o.category_id, o.channel, o.station_id, o.team_id, o.placed_by_account_id, o.on_behalf,
                   o.completed_at, o.rating, s.path, o.latitude, o.longitude, s.latitude AS s_latitude, s.longitude AS s_longitude,
                   (SELECT MIN(e.at) FROM order_events e WHERE e.order_id = o.id AND e.action IN ('dispatch', 'claim')) AS first_dispatch,
                   (SELECT MIN(e.at) FROM order_events e WHERE e.order_id = o.id AND e.action IN ('accept', 'claim')) AS first_accept,
                   (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id AND e.action = 'escalate') AS escalations,
                   (SELECT MIN(e.at) FROM order_events e WHERE e.order_id = o.id AND e.action = 'escalate') AS first_escalation
            FROM orders o JOIN sites s ON s.id = o.station_id
            WHERE s.path LIKE \(bind: path + "%") AND o.created_at >= \(bind: range.from) AND o.created_at < \(bind: range.to)
            ORDER BY o.id
            """).all(decoding: Row.self)
        return rows.map { r in
            let escalatedFirst = r.first_escalation.map { esc in r.first_accept.map { esc < $0 } ?? true } ?? false
            return Fact(facts: OrderFacts(id: r.id, createdAt: r.created_at, status: OrderStatus(rawValue: r.status) ?? .submitted,
                                          categoryID: r.category_id, channel: r.channel, stationID: r.station_id, teamID: r.team_id,
                                          placedBy: r.placed_by_account_id, onBehalf: r.on_behalf, firstDispatchAt: r.first_dispatch,
                                          firstAcceptAt: r.first_accept, escalations: r.escalations, escalatedBeforeAccept: escalatedFirst,
                                          completedAt: r.completed_at, rating: r.rating),
                        stationPath: r.path, latitude: r.latitude ?? r.s_latitude, longitude: r.longitude ?? r.s_longitude)
        }
    }

    /// Service hours in the range by volunteers registered under `path`, and how many served.
    func hours(under path: String, _ range: AssessmentRange, team: Int? = nil) async throws -> (hours: Double, volunteers: Int) {
        guard let sql = db as? SQLDatabase else { return (0, 0) }
        struct Row: Decodable { let hours: Double?, volunteers: Int }
        let days = range.days
        let row = try await sql.raw("""
            SELECT SUM(r.hours) AS hours, COUNT(DISTINCT r.volunteer_id) AS volunteers
            FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id JOIN sites s ON s.id = v.site_id
            WHERE s.path LIKE \(bind: path + "%") AND r.service_date >= \(bind: days.from) AND r.service_date <= \(bind: days.to)
            """).first(decoding: Row.self)
        return (row?.hours ?? 0, row?.volunteers ?? 0)
    }

    /// Hours by volunteers of each team's records in the range (orders and activities of the team).
    func teamHours(_ teamIDs: [Int], _ range: AssessmentRange) async throws -> [Int: (Double, Int)] {
        guard let sql = db as? SQLDatabase, !teamIDs.isEmpty else { return [:] }
        struct Row: Decodable { let team_id: Int, hours: Double?, volunteers: Int }
        let days = range.days
        let rows = try await sql.raw("""
            SELECT COALESCE(o.team_id, a.team_id) AS team_id, SUM(r.hours) AS hours, COUNT(DISTINCT r.volunteer_id) AS volunteers
            FROM service_records r LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN activities a ON a.id = r.activity_id
            WHERE COALESCE(o.team_id, a.team_id) IN (\(binds: teamIDs)) AND r.service_date >= \(bind: days.from) AND r.service_date <= \(bind: days.to)
            GROUP BY COALESCE(o.team_id, a.team_id)
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.team_id, ($0.hours ?? 0, $0.volunteers)) })
    }

    struct Report: Sendable {
        struct Line: Sendable { var id: Int; var name: String; var assessment: Assessment }
        var site: Site
        var range: AssessmentRange
        var total: Assessment
        var children: [Line]
        var teams: [Line]
        var practitioners: [Line]
        var facts: [Fact]
    }

    func report(_ site: Site, _ range: AssessmentRange) async throws -> Report {
        let all = try await facts(under: site.path, range)
        let (hours, volunteers) = try await self.hours(under: site.path, range)
        let total = Assessment.compute(all.map(\.facts), serviceHours: hours, activeVolunteers: volunteers)

        var children: [Report.Line] = []
        for child in try await Site.query(on: db).filter(\.$parent.$id == site.requireID()).filter(\.$active == true).sort(\.$path).all() {
            let mine = all.filter { $0.stationPath.hasPrefix(child.path) }.map(\.facts)
            let (h, v) = try await self.hours(under: child.path, range)
            children.append(.init(id: try child.requireID(), name: child.name, assessment: Assessment.compute(mine, serviceHours: h, activeVolunteers: v)))
        }

        let teamIDs = Array(Set(all.compactMap(\.facts.teamID))).sorted()
        let teams = try await Team.query(on: db).filter(\.$id ~~ teamIDs).all()
        let teamHours = try await self.teamHours(teamIDs, range)
        let teamLines = try teams.map { t -> Report.Line in
            let id = try t.requireID()
            let (h, v) = teamHours[id] ?? (0, 0)
            return .init(id: id, name: t.name, assessment: Assessment.compute(all.filter { $0.facts.teamID == id }.map(\.facts), serviceHours: h, activeVolunteers: v))
        }.sorted { ($0.assessment.orders, $1.name) > ($1.assessment.orders, $0.name) }

        // 文明实践员: orders they placed for residents.
        let practitionerIDs = Array(Set(all.filter(\.facts.onBehalf).compactMap(\.facts.placedBy))).sorted()
        let accounts = try await Account.query(on: db).filter(\.$id ~~ practitionerIDs).all()
        let practitionerLines = try accounts.map { a -> Report.Line in
            let id = try a.requireID()
            return .init(id: id, name: a.username, assessment: Assessment.compute(all.filter { $0.facts.onBehalf && $0.facts.placedBy == id }.map(\.facts),
                                                                                  serviceHours: 0, activeVolunteers: 0))
        }.sorted { ($0.assessment.orders, $1.name) > ($1.assessment.orders, $0.name) }
        return Report(site: site, range: range, total: total, children: children, teams: teamLines, practitioners: practitionerLines, facts: all)
    }
}
