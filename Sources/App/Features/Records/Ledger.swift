import Fluent
import SQLKit
import Foundation
import DiandanCore

/// Hours and points (积分) of volunteers: every change is a ledger entry with the balance after it,
/// and the running totals are updated in place (`SET x = x + ?`) so concurrent credits add up.
struct Ledger {
    let db: Database
    let now: Date

    func add(points delta: Int, hours: Double, to volunteerID: Int, reason: String, orderID: Int?) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.update(Volunteer.schema)
            .set(SQLColumn("points_balance"), to: SQLBinaryExpression(SQLColumn("points_balance"), .add, SQLBind(delta)))
            .set(SQLColumn("hours_total"), to: SQLBinaryExpression(SQLColumn("hours_total"), .add, SQLBind(hours)))
            .where("id", .equal, volunteerID)
            .run()
        let balance = try await Volunteer.find(volunteerID, on: db)?.pointsBalance ?? delta
        let e = PointsEntry()
        e.at = now
        e.delta = delta
        e.balanceAfter = balance
        e.reason = reason
        e.$volunteer.id = volunteerID
        e.$order.id = orderID
        try await e.create(on: db)
    }

    /// A service record (the volunteer's hours for one service) with its points. It counts for the
    /// site the volunteer is registered at now and for the team that served (if any), for good.
    func record(volunteerID: Int, hours: Double, date: Date, content: String, orderID: Int?, activityID: Int?, wishID: Int? = nil, teamID: Int?,
                recordedBy: Int?, points: Int, reason: String) async throws {
        let day = PeriodCode.day(date)
        let r = ServiceRecord()
        r.createdAt = now
        r.serviceDate = isoDay(day)
        r.hours = hours
        r.content = content
        r.$volunteer.id = volunteerID
        r.$order.id = orderID
        r.activityID = activityID
        r.wishID = wishID
        r.teamID = teamID
        r.$recordedBy.id = recordedBy
        guard let sql = db as? SQLDatabase else { return }
        struct Home: Decodable { let site_id: Int, path: String }
        let home = try await sql.raw("SELECT v.site_id, s.path FROM volunteers v JOIN sites s ON s.id = v.site_id WHERE v.id = \(bind: volunteerID)")
            .first(decoding: Home.self)
        r.siteID = home?.site_id
        try await r.create(on: db)
        try await add(points: points, hours: hours, to: volunteerID, reason: reason, orderID: orderID)
        if let home { try await AssessmentRollups(db: db).recorded(volunteerID: volunteerID, path: SitePath(rawValue: home.path), day: day, hours: hours) }
    }
}
