import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Activities and sign-ups. A slot is taken by a conditional update of the activity's counter inside
/// the sign-up's transaction (`signed_up < slots`), never by reading and then writing, so no number of
/// people signing up at once can take more slots than there are.
struct ActivityService {
    let db: Database
    let now: Date
    let rules: SignupRules
    let reviewRequired: Bool
    let checkin: CheckinPolicy
    let rewards: RewardPolicy
    let protector: DataProtector

    // MARK: Activities

    func create(_ input: ActivityInput, by p: Principal) async throws -> Activity {
        try await db.writeTransaction { db in
            let site = try await Lookup.site(input.siteID, on: db)
            guard try await Category.find(input.categoryID, on: db)?.active == true else {
                throw ValidationFailure(field: "category_id", "error.not_found_choice")
            }
            let isAdmin = Policy.allows(p.grants, .activities, .write, at: site.sitePath)
            if let teamID = input.teamID {
                guard let team = try await Team.find(teamID, on: db), team.active else { throw ValidationFailure(field: "team_id", "error.not_found_choice") }
                let teamSite = try await Site.find(team.$site.id, on: db)
                // A leader organises for their own team, at the team's site or below it.
                let leads = try await p.ledTeams(on: db).contains(teamID)
                guard isAdmin || (leads && teamSite.map { $0.sitePath.covers(site.sitePath) } == true) else {
                    throw AppError.forbidden(Message("error.activity.not_organiser"))
                }
            } else if !isAdmin {
                throw AppError.forbidden(Message("error.activity.not_organiser"))
            }
            if let orderID = input.orderID, try await Order.find(orderID, on: db) == nil {
                throw ValidationFailure(field: "order_id", "error.not_found_choice")
            }
            if let projectID = input.projectID, try await Project.find(projectID, on: db) == nil {
                throw ValidationFailure(field: "project_id", "error.not_found_choice")
            }
            let a = Activity()
            a.createdAt = now
            a.updatedAt = now
            a.title = input.title
            a.description = input.description
            a.$category.id = input.categoryID
            a.$site.id = try site.requireID()
            a.$team.id = input.teamID
            a.$createdBy.id = p.accountID
            a.orderID = input.orderID
            a.projectID = input.projectID
            a.address = input.address
            a.latitude = input.latitude
            a.longitude = input.longitude
            a.startsAt = input.startsAt
            a.endsAt = input.endsAt
            a.slots = input.slots
            a.signedUp = 0
            a.skills = input.skills
            a.minAge = input.minAge
            a.radius = input.radius
            // 审核: a site admin's activity goes out at once; a leader's waits for review when it is on.
            a.status = isAdmin || !reviewRequired ? .published : .pending
            if isAdmin { a.reviewedBy = p.accountID; a.reviewedAt = now }
            try await a.create(on: db)
            return a
        }
    }

    func approve(_ id: Int, by p: Principal) async throws -> Activity {
        try await db.writeTransaction { db in
            guard let a = try await Activity.find(id, on: db) else { throw AppError.notFound }
            let site = try await Site.find(a.$site.id, on: db)
            guard Policy.allows(p.grants, .activities, .write, at: site?.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
            guard a.status == .pending else {
                throw AppError.conflict(field: nil, Message("error.activity.not_pending"))
            }
            a.status = ActivityStatus.published
            a.reviewedBy = p.accountID
            a.reviewedAt = now
            a.updatedAt = now
            try await a.save(on: db)
            return a
        }
    }

    /// Site admins over the activity's site, and leaders of its team.
    func manages(_ a: Activity, _ p: Principal, on given: Database? = nil) async throws -> Bool {
        let db = given ?? self.db
        if let site = try await Site.find(a.$site.id, on: db), Policy.allows(p.grants, .activities, .write, at: site.sitePath) { return true }
        guard let team = a.$team.id else { return false }
        return try await p.ledTeams(on: db).contains(team)
    }

    /// Published activities show to everyone; pending ones only to those who manage them.
    func canSee(_ a: Activity, _ p: Principal?) async throws -> Bool {
        if a.status == .published { return true }
        guard let p else { return false }
        return try await manages(a, p)
    }

    /// The signed-in person's volunteer record; signing up needs one.
    static func volunteer(of p: Principal, on db: Database) async throws -> Volunteer {
        guard let v = try await Volunteer.query(on: db).filter(\.$account.$id == p.accountID).filter(\.$active == true).first() else {
            throw AppError.forbidden(Message("error.activity.not_volunteer"))
        }
        return v
    }

    // MARK: Sign-up

    /// 报名: a slot if one is free, else a place on the waiting list.
    ///
    /// The reading — the volunteer, the activity and its rules, an earlier sign-up — comes first; the
    /// write transaction only takes a slot (a conditional update: never more than the slots) and
    /// writes the sign-up, so a rush of thousands queues on two statements each, not seven.
    func signUp(activityID: Int, by p: Principal, guardianConsent: Bool) async throws -> Signup {
        let v = try await Self.volunteer(of: p, on: db)
        // Registered where a station reviews new volunteers, not yet confirmed.
        if v.awaitingReview { throw AppError.forbidden(Message("error.activity.awaiting_review")) }
        guard let a = try await Activity.find(activityID, on: db), a.status == .published else { throw AppError.notFound }
        guard now < a.startsAt else { throw AppError.conflict(field: nil, Message("error.activity.started")) }
        if let refusal = rules.check(birthDate: v.birthDate, skills: v.skills, activityStart: a.startsAt, activityMinAge: a.minAge,
                                     requiredSkills: a.skills, guardianConsent: guardianConsent) {
            throw Self.error(for: refusal)
        }
        let volunteerID = try v.requireID()
        let earlier = try await Signup.query(on: db).filter(\.$activity.$id == activityID).filter(\.$volunteer.$id == volunteerID).first()
        if let earlier, earlier.status.isActive {
            throw AppError.conflict(field: nil, Message("error.activity.already_signed_up"))
        }
        let now = self.now
        do {
            return try await db.writeTransaction { db in
                // A sign-up cancelled earlier is taken up again, unless it came back meanwhile.
                let existing = earlier == nil ? nil : try await Signup.find(earlier?.id, on: db)
                if let existing, existing.status.isActive {
                    throw AppError.conflict(field: nil, Message("error.activity.already_signed_up"))
                }
                let got = try await takeSlot(activityID, on: db)
                if !got, try await Activity.find(activityID, on: db)?.status != .published { throw AppError.notFound }
                let s = existing ?? Signup()
                if existing == nil {
                    s.createdAt = now
                    s.$activity.id = activityID
                    s.$volunteer.id = volunteerID
                }
                s.status = got ? .signedUp : .waiting
                s.queuedAt = now
                s.guardianConsent = guardianConsent
                s.cancelledAt = nil
                try await s.save(on: db)
                return s
            }
        } catch where error.isUniqueViolation {
            // The same person twice at the same moment: the first one counts.
            throw AppError.conflict(field: nil, Message("error.activity.already_signed_up"))
        }
    }

    /// Cancels one's own sign-up; a freed slot goes to the first on the waiting list.
    func cancel(activityID: Int, by p: Principal) async throws -> Signup {
        try await db.writeTransaction { db in
            let v = try await Self.volunteer(of: p, on: db)
            guard let a = try await Activity.find(activityID, on: db),
                  let s = try await Signup.query(on: db).filter(\.$activity.$id == activityID).filter(\.$volunteer.$id == v.requireID()).first(),
                  s.status.isActive else { throw AppError.notFound }
            guard now < a.startsAt else { throw AppError.conflict(field: nil, Message("error.activity.started")) }
            let held = s.status == .signedUp
            s.status = SignupStatus.cancelled
            s.cancelledAt = now
            try await s.save(on: db)
            if held { try await passOnSlot(activityID, on: db) }
            return s
        }
    }

    /// `UPDATE activities SET signed_up = signed_up + 1 WHERE id = ? AND signed_up < slots`: true when a
    /// slot was taken. Concurrent callers each see the other's increment (SQLite has one writer;
    /// PostgreSQL re-checks the condition after the row lock), so the count never passes the slots.
    private func takeSlot(_ activityID: Int, on db: Database) async throws -> Bool {
        guard let sql = db as? SQLDatabase else { return false }
        return try await sql.update(Activity.schema)
            .set(SQLColumn("signed_up"), to: SQLBinaryExpression(SQLColumn("signed_up"), .add, SQLLiteral.numeric("1")))
            .where(SQLColumn("id"), .equal, SQLBind(activityID))
            .where(SQLColumn("status"), .equal, SQLBind(ActivityStatus.published.rawValue))
            .where(SQLColumn("signed_up"), .lessThan, SQLColumn("slots"))
            .returning("id").all().count == 1
    }

    /// Moves the first in line onto the freed slot; with nobody waiting, the slot is freed.
    private func passOnSlot(_ activityID: Int, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        struct Row: Decodable { let id: Int }
        // Two cancellations at once may pick the same first in line; the loser's update finds it no
        // longer waiting and tries the next.
        for _ in 0..<20 {
            let promoted = try await sql.raw("""
                UPDATE activity_signups SET status = \(bind: SignupStatus.signedUp.rawValue)
                WHERE status = \(bind: SignupStatus.waiting.rawValue) AND id = (
                    SELECT id FROM activity_signups WHERE activity_id = \(bind: activityID) AND status = \(bind: SignupStatus.waiting.rawValue)
                    ORDER BY queued_at, id LIMIT 1)
                RETURNING id
                """).all(decoding: Row.self)
            if !promoted.isEmpty { return }
            let waiting = try await Signup.query(on: db).filter(\.$activity.$id == activityID)
                .filter(\.$status == SignupStatus.waiting).count()
            if waiting == 0 { break }
        }
        try await sql.update(Activity.schema)
            .set(SQLColumn("signed_up"), to: SQLBinaryExpression(SQLColumn("signed_up"), .subtract, SQLLiteral.numeric("1")))
            .where(SQLColumn("id"), .equal, SQLBind(activityID))
            .where(SQLColumn("signed_up"), .greaterThan, SQLLiteral.numeric("0"))
            .run()
    }

    static func error(for refusal: SignupRules.Refusal) -> Error {
        switch refusal {
        case .tooYoung(let min): AppError.forbidden(Message("error.activity.too_young", ["min": String(min)]))
        case .belowActivityAge(let min): AppError.forbidden(Message("error.activity.below_min_age", ["min": String(min)]))
        case .needsGuardianConsent(let adult): ValidationFailure(field: "guardian_consent", "error.activity.guardian_consent", ["age": String(adult)])
        case .missingSkills(let skills): AppError.forbidden(Message("error.activity.missing_skills", ["skills": skills.joined(separator: "、")]))
        }
    }

    /// Place on the waiting list (1 = next), for a waiting sign-up: the line's own order, read from
    /// the database (comparing stored times in SQL would be at the mercy of their rounding).
    func position(of s: Signup) async throws -> Int? {
        guard s.status == .waiting, let id = s.id, let sql = db as? SQLDatabase else { return nil }
        // Those ahead in line, counted on the index (a rush puts thousands in line: never read them all).
        struct Row: Decodable { let n: Int }
        // Compared with the stored time (a time read back and bound again may differ in its last bit).
        let ahead = try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: Signup.schema) o JOIN \(ident: Signup.schema) me ON me.id = \(bind: id)
            WHERE o.activity_id = me.activity_id AND o.status = \(bind: SignupStatus.waiting.rawValue)
              AND (o.queued_at < me.queued_at OR (o.queued_at = me.queued_at AND o.id < me.id))
            """).first(decoding: Row.self)?.n ?? 0
        return ahead + 1
    }

    /// How many people the activity served (服务人次), entered by its organisers once it has begun.
    func setPeopleServed(_ activityID: Int, _ people: Int, by p: Principal) async throws -> Activity {
        try await db.writeTransaction { db in
            guard let a = try await Activity.find(activityID, on: db) else { throw AppError.notFound }
            guard try await manages(a, p, on: db) else { throw AppError.forbidden(Message("error.out_of_scope")) }
            guard now >= a.startsAt else { throw AppError.conflict(field: nil, Message("error.attendance.not_started")) }
            a.peopleServed = people
            a.updatedAt = now
            try await a.save(on: db)
            return a
        }
    }

    // MARK: Check-in and hours

    /// The signed token a QR code carries for this activity, kind and the current window.
    func token(activityID: Int, kind: CheckinPolicy.Kind) -> (window: Int, signature: String, expires: Date) {
        let window = checkin.window(at: now)
        return (window, protector.sign(CheckinPolicy.message(activityID: activityID, kind: kind, window: window)), checkin.expiry(of: window))
    }

    /// 签到/签退 by scanning the code: signature, time, distance, then the person's sign-up.
    func check(_ kind: CheckinPolicy.Kind, activityID: Int, window: Int, signature: String, latitude: Double, longitude: Double,
               by p: Principal) async throws -> Signup {
        guard protector.verify(CheckinPolicy.message(activityID: activityID, kind: kind, window: window), signature: signature) else {
            throw Self.error(for: .badSignature)
        }
        return try await db.writeTransaction { db in
            guard let a = try await Activity.find(activityID, on: db), a.status == .published else { throw AppError.notFound }
            if let refusal = checkin.check(kind: kind, window: window, now: now, start: a.startsAt, end: a.endsAt, latitude: latitude, longitude: longitude,
                                           placeLatitude: a.latitude, placeLongitude: a.longitude, radius: a.radius) {
                throw Self.error(for: refusal)
            }
            let v = try await Self.volunteer(of: p, on: db)
            guard let s = try await Signup.query(on: db).filter(\.$activity.$id == activityID).filter(\.$volunteer.$id == v.requireID()).first(),
                  s.status == .signedUp else { throw Self.error(for: .notSignedUp) }
            switch kind {
            case .checkIn:
                guard s.checkInAt == nil else { throw Self.error(for: .already) }
                s.checkInAt = now
                s.checkInLatitude = latitude
                s.checkInLongitude = longitude
            case .checkOut:
                guard s.checkInAt != nil else { throw Self.error(for: .notCheckedIn) }
                guard s.checkOutAt == nil else { throw Self.error(for: .already) }
                s.checkOutAt = now
                s.checkOutLatitude = latitude
                s.checkOutLongitude = longitude
            }
            try await s.save(on: db)
            return s
        }
    }

    /// Hours from attendance, when both ends were scanned.
    static func attendedHours(_ s: Signup, _ a: Activity) -> Double? {
        guard let i = s.checkInAt, let o = s.checkOutAt else { return nil }
        return AttendanceHours.hours(checkIn: i, checkOut: o, activityEnd: a.endsAt)
    }

    /// The leader confirms a volunteer's hours: as attended, or corrected with a reason (also for a
    /// missing check-out). Confirmed hours become a service record with points, once.
    func confirm(signupID: Int, hours given: Double?, reason: String?, by p: Principal) async throws -> Signup {
        try await db.writeTransaction { db in
            guard let s = try await Signup.find(signupID, on: db), let a = try await Activity.find(s.$activity.id, on: db) else { throw AppError.notFound }
            guard try await manages(a, p, on: db) else { throw AppError.forbidden(Message("error.out_of_scope")) }
            guard s.status == .signedUp else { throw AppError.conflict(field: nil, Message("error.attendance.not_signed_up")) }
            guard s.confirmedAt == nil else { throw AppError.conflict(field: nil, Message("error.attendance.already_confirmed")) }
            guard now >= a.startsAt else { throw AppError.conflict(field: nil, Message("error.attendance.not_started")) }
            let attended = Self.attendedHours(s, a)
            let hours: Double
            if let given {
                guard AttendanceHours.allowed.contains(given), AttendanceHours.isHalfHour(given) else {
                    throw ValidationFailure(field: "hours", "error.attendance.hours")
                }
                if given != attended, (reason ?? "").isEmpty { throw ValidationFailure(field: "reason", "error.attendance.reason_required") }
                hours = given
            } else {
                guard let attended else { throw ValidationFailure(field: "hours", "error.attendance.no_check_out") }
                hours = attended
            }
            s.confirmedHours = hours
            s.confirmedAt = now
            s.confirmedBy = p.accountID
            s.correctionReason = hours == attended ? nil : reason
            try await s.save(on: db)
            if hours > 0 {
                try await Ledger(db: db, now: now).record(volunteerID: s.$volunteer.id, hours: hours, date: a.startsAt, content: a.title, orderID: nil,
                                                          activityID: try a.requireID(), teamID: a.$team.id, recordedBy: p.accountID,
                                                          points: rewards.points(forHours: hours), reason: "points.activity")
            }
            return s
        }
    }

    static func error(for refusal: CheckinPolicy.Refusal) -> Error {
        switch refusal {
        case .badSignature: AppError.forbidden(Message("error.checkin.bad_signature"))
        case .expired: AppError.forbidden(Message("error.checkin.expired"))
        case .tooEarly: AppError.conflict(field: nil, Message("error.checkin.too_early"))
        case .tooLate: AppError.conflict(field: nil, Message("error.checkin.too_late"))
        case .tooFar(let metres, let radius): AppError.forbidden(Message("error.checkin.too_far", ["metres": String(metres), "radius": String(radius)]))
        case .notSignedUp: AppError.forbidden(Message("error.checkin.not_signed_up"))
        case .notCheckedIn: AppError.conflict(field: nil, Message("error.checkin.not_checked_in"))
        case .already: AppError.conflict(field: nil, Message("error.checkin.already"))
        }
    }
}

extension ActivityService: MadeFromContext {
    init(_ c: ServiceContext) {
        let s = c.settings
        self.init(db: c.db, now: c.now, rules: s.signupRules, reviewRequired: s.activityReview, checkin: s.checkin,
                  rewards: s.orderPolicy.rewards, protector: c.protector)
    }
}
