import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Trainings (培训): held by sites, attended by scanning the trainer's rotating code, recorded on
/// the volunteer's record apart from service hours.
struct TrainingService {
    let db: Database
    let now: Date
    let checkin: CheckinPolicy
    let protector: DataProtector

    // MARK: Trainings

    func save(_ input: TrainingInput, into existing: Training? = nil, by p: Principal) async throws -> Training {
        let site = try await Lookup.site(input.siteID, on: db)
        guard site.active else { throw ValidationFailure(field: "site_id", "error.site.inactive") }
        guard Policy.allows(p.grants, .trainings, .write, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        if let existing, let old = try await Site.find(existing.$site.id, on: db), !Policy.allows(p.grants, .trainings, .write, at: old.sitePath) {
            throw AppError.forbidden(Message("error.out_of_scope"))
        }
        if let teamID = input.teamID {
            // The team trained belongs to the site, below it or above it (a county team trained at a station).
            guard let team = try await Team.query(on: db).filter(\.$id == teamID).with(\.$site).first(),
                  site.sitePath.covers(team.site.sitePath) || team.site.sitePath.covers(site.sitePath) else {
                throw ValidationFailure(field: "team_id", "error.training.team_outside")
            }
        }
        let t = existing ?? Training()
        if existing == nil {
            t.createdAt = now
            t.$createdBy.id = p.accountID
        }
        t.updatedAt = now
        t.$site.id = try site.requireID()
        t.$team.id = input.teamID
        t.title = input.title
        t.description = input.description
        t.trainer = input.trainer
        t.startsAt = input.startsAt
        t.hours = input.hours
        t.mode = input.mode
        t.address = input.address
        t.latitude = input.mode == .onsite ? input.latitude : nil
        t.longitude = input.mode == .onsite ? input.longitude : nil
        t.radius = input.radius
        try await db.writeTransaction { [t] db in try await t.save(on: db) }
        return t
    }

    // MARK: Attendance

    /// The signed token the trainer's code carries for the current window.
    func token(trainingID: Int) -> (window: Int, signature: String, expires: Date) {
        let window = checkin.window(at: now)
        return (window, protector.sign(TrainingCheckin.message(trainingID: trainingID, window: window)), checkin.expiry(of: window))
    }

    /// 培训签到: the code's signature and freshness, the training's hours, the place if on site,
    /// then one attendance per volunteer — scanning again gives the same one (created: false).
    func checkIn(trainingID: Int, window: Int, signature: String, latitude: Double?, longitude: Double?,
                 by p: Principal) async throws -> (attendance: TrainingAttendance, created: Bool) {
        guard protector.verify(TrainingCheckin.message(trainingID: trainingID, window: window), signature: signature) else {
            throw ActivityService.error(for: .badSignature)
        }
        guard let t = try await Training.find(trainingID, on: db) else { throw AppError.notFound }
        let v = try await ActivityService.volunteer(of: p, on: db)
        let volunteerID = try v.requireID()
        if let earlier = try await attendance(trainingID, volunteerID) { return (earlier, false) }
        let place = t.latitude.flatMap { lat in t.longitude.map { (lat, $0) } }
        if let refusal = TrainingCheckin.check(checkin, window: window, now: now, start: t.startsAt, hours: t.hours, mode: t.mode,
                                               latitude: latitude, longitude: longitude, place: place, radius: t.radius) {
            if case .tooFar = refusal, latitude == nil { throw AppError.badRequest(Message("error.checkin.no_location")) }
            throw ActivityService.error(for: refusal)
        }
        let a = TrainingAttendance()
        a.$training.id = trainingID
        a.$volunteer.id = volunteerID
        a.checkedInAt = now
        // Online, no position is kept: it says nothing about the training.
        a.latitude = t.mode == .onsite ? latitude : nil
        a.longitude = t.mode == .onsite ? longitude : nil
        a.hours = t.hours
        do {
            try await db.writeTransaction { [a] db in try await a.create(on: db) }
            return (a, true)
        } catch where error.isUniqueViolation {
            guard let earlier = try await attendance(trainingID, volunteerID) else { throw error }
            return (earlier, false)
        }
    }

    private func attendance(_ trainingID: Int, _ volunteerID: Int) async throws -> TrainingAttendance? {
        try await TrainingAttendance.query(on: db).filter(\.$training.$id == trainingID).filter(\.$volunteer.$id == volunteerID).first()
    }

    // MARK: Records

    struct Record: Sendable {
        var title: String
        var trainer: String
        var site: String
        var mode: TrainingMode
        var date: Date
        var hours: Double
    }

    /// A volunteer's trainings, newest first, and their totals.
    func records(volunteerID: Int, limit: Int = 500) async throws -> (records: [Record], summary: TrainingSummary) {
        let rows = try await TrainingAttendance.query(on: db).filter(\.$volunteer.$id == volunteerID)
            .join(Training.self, on: \TrainingAttendance.$training.$id == \Training.$id)
            .sort(Training.self, \.$startsAt, .descending).range(0..<limit).all()
        let trainings = try await Training.query(on: db).filter(\.$id ~~ Set(rows.map(\.$training.id))).with(\.$site).all()
        let byID = Dictionary(uniqueKeysWithValues: trainings.compactMap { t in t.id.map { ($0, t) } })
        let records = rows.compactMap { a -> Record? in
            guard let t = byID[a.$training.id] else { return nil }
            return Record(title: t.title, trainer: t.trainer, site: t.site.name, mode: t.mode, date: t.startsAt, hours: a.hours)
        }
        return (records, TrainingSummary(sessions: records.count, hours: records.reduce(0) { $0 + $1.hours }))
    }
}

/// Training in the assessment (考核): sessions held, attendances and hours, per site subtree and per team.
struct TrainingStats {
    let db: Database

    struct Totals: Sendable, Equatable, Content {
        /// Trainings held (starting in the range).
        var sessions = 0
        /// Volunteers' attendances.
        var attendances = 0
        var hours: Double = 0
    }

    struct Line: Sendable { var id: Int; var name: String; var totals: Totals }

    /// Trainings held under a path in the range, by the subtree at `childLength` characters of path
    /// (one entry, "", for all of it when childLength is 0).
    func totals(under path: String, _ range: AssessmentRange, childLength: Int) async throws -> [String: Totals] {
        guard let sql = db as? SQLDatabase else { return [:] }
        struct Row: Decodable { let child: String, sessions: Int, attendances: Int, centi: Int? }
        let child: SQLQueryString = childLength > 0 ? "substr(s.path, 1, \(unsafeRaw: String(childLength)))" : "''"
        let rows = try await sql.raw("""
            SELECT \(child) AS child, COUNT(DISTINCT t.id) AS sessions, COUNT(a.id) AS attendances,
                   CAST(SUM(CAST(ROUND(a.hours * 100) AS BIGINT)) AS BIGINT) AS centi
            FROM trainings t JOIN sites s ON s.id = t.site_id LEFT JOIN training_attendances a ON a.training_id = t.id
            WHERE s.path LIKE \(bind: path + "%") AND t.starts_at >= \(bind: range.from) AND t.starts_at < \(bind: range.to)
            \(unsafeRaw: childLength > 0 ? "GROUP BY substr(s.path, 1, \(childLength))" : "")
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.child, Totals(sessions: $0.sessions, attendances: $0.attendances, hours: Double($0.centi ?? 0) / 100)) })
    }

    /// The teams of the subtree whose members trained in the range (anywhere), most hours first.
    func teams(under path: String, _ range: AssessmentRange) async throws -> [Line] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Row: Decodable { let team_id: Int, name: String, sessions: Int, attendances: Int, centi: Int? }
        let rows = try await sql.raw("""
            SELECT m.team_id, tm.name, COUNT(DISTINCT t.id) AS sessions, COUNT(a.id) AS attendances,
                   CAST(SUM(CAST(ROUND(a.hours * 100) AS BIGINT)) AS BIGINT) AS centi
            FROM training_attendances a JOIN trainings t ON t.id = a.training_id
            JOIN team_memberships m ON m.volunteer_id = a.volunteer_id JOIN teams tm ON tm.id = m.team_id JOIN sites s ON s.id = tm.site_id
            WHERE s.path LIKE \(bind: path + "%") AND t.starts_at >= \(bind: range.from) AND t.starts_at < \(bind: range.to)
            GROUP BY m.team_id, tm.name
            """).all(decoding: Row.self)
        return rows.map { Line(id: $0.team_id, name: $0.name, totals: Totals(sessions: $0.sessions, attendances: $0.attendances, hours: Double($0.centi ?? 0) / 100)) }
            .sorted { ($0.totals.hours, $1.name) > ($1.totals.hours, $0.name) }
    }
}

extension TrainingService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now, checkin: c.settings.checkin, protector: c.protector)
    }
}
