import Fluent
import Vapor
import SQLKit
import DiandanCore

/// 逐级上报: finds orders nobody took by their response deadline and hands each to the parent
/// site's queue; closes completed orders whose rating window has passed. The deadlines live in the
/// database, so a restart loses none; each order is re-checked inside its own transaction and its
/// version claimed, so two passes (or two servers) never escalate it twice.
struct DeadlineScanner {
    let service: OrderService

    struct Pass: Sendable, Equatable {
        var escalated = 0
        var overdue = 0
        var closed = 0
        var warned = 0
        var reminded = 0
    }

    func runOnce() async throws -> Pass {
        var pass = Pass()
        let db = service.db, now = service.now
        let due = try await Order.query(on: db)
            .filter(\.$status ~~ [OrderStatus.submitted, OrderStatus.dispatched])
            .filter(\.$overdue == false)
            .filter(\.$responseDeadline <= now)
            .sort(\.$responseDeadline).limit(5000).all(\.$id)
        for id in due {
            // Another instance's scanner, or a person, may take the same order at the same moment:
            // whoever claims its version first acts, and this pass leaves it (the next one looks again).
            switch try await Self.unlessChanged({ try await service.escalateIfDue(orderID: id) }) ?? .nothing {
            case .escalated: pass.escalated += 1
            case .overdue: pass.overdue += 1
            case .nothing: break
            }
        }
        let window = now.addingTimeInterval(-Double(RatingInput.windowDays) * 86_400)
        let unrated = try await Order.query(on: db).filter(\.$status == OrderStatus.completed)
            .filter(\.$completedAt <= window).limit(5000).all(\.$id)
        for id in unrated where try await Self.unlessChanged({ try await service.closeUnrated(orderID: id) }) == true { pass.closed += 1 }
        pass.warned = try await warnNearDeadlines()
        pass.reminded = try await remindSignups()
        return pass
    }

    /// 即将超时: orders still waiting whose deadline is near, told once to the site's admins (and the
    /// team it went to). Each is claimed by a conditional update, so two scanners never both tell.
    func warnNearDeadlines() async throws -> Int {
        let db = service.db, now = service.now
        guard let sql = db as? SQLDatabase else { return 0 }
        struct Row: Decodable { let id: Int, response_deadline: Date, zone: Zone, owner_site_id: Int, team_id: Int? }
        let longest = Zone.allCases.map(NoticeRules.warningLead).max() ?? 0
        let candidates = try await sql.raw("""
            SELECT o.id, o.response_deadline, s.zone, o.owner_site_id, o.team_id FROM orders o JOIN sites s ON s.id = o.owner_site_id
            WHERE o.status IN (\(bind: OrderStatus.submitted.rawValue), \(bind: OrderStatus.dispatched.rawValue)) AND o.overdue = \(bind: false)
              AND o.deadline_warned_at IS NULL AND o.response_deadline > \(bind: now) AND o.response_deadline <= \(bind: now.addingTimeInterval(longest))
            """).all(decoding: Row.self)
        var told = 0
        for o in candidates where o.response_deadline.addingTimeInterval(-NoticeRules.warningLead(for: o.zone)) <= now {
            let claimed = try await db.writeTransaction { db -> Bool in
                guard let sql = db as? SQLDatabase else { return false }
                struct Claimed: Decodable { let id: Int }
                let rows = try await sql.raw("UPDATE orders SET deadline_warned_at = \(bind: now) WHERE id = \(bind: o.id) AND deadline_warned_at IS NULL RETURNING id")
                    .all(decoding: Claimed.self)
                guard !rows.isEmpty else { return false }
                try await Self.outbox(.deadlineNear, now: now, order: o.id, site: o.owner_site_id, team: o.team_id, on: db)
                return true
            }
            if claimed { told += 1 }
        }
        return told
    }

    /// 活动提醒: each volunteer signed up for an activity that starts within a day hears it once.
    func remindSignups() async throws -> Int {
        let db = service.db, now = service.now
        guard let sql = db as? SQLDatabase else { return 0 }
        struct Row: Decodable { let id: Int, activity_id: Int, account_id: Int, title: String, site_id: Int }
        let due = try await sql.raw("""
            SELECT g.id, g.activity_id, v.account_id, a.title, a.site_id FROM activity_signups g
            JOIN activities a ON a.id = g.activity_id JOIN volunteers v ON v.id = g.volunteer_id
            WHERE g.status = \(bind: SignupStatus.signedUp.rawValue) AND g.reminded_at IS NULL AND a.status = \(bind: ActivityStatus.published.rawValue)
              AND a.starts_at > \(bind: now) AND a.starts_at <= \(bind: now.addingTimeInterval(NoticeRules.reminderLead)) AND v.account_id IS NOT NULL
            """).all(decoding: Row.self)
        var told = 0
        for g in due {
            let claimed = try await db.writeTransaction { db -> Bool in
                guard let sql = db as? SQLDatabase else { return false }
                struct Claimed: Decodable { let id: Int }
                let rows = try await sql.raw("UPDATE activity_signups SET reminded_at = \(bind: now) WHERE id = \(bind: g.id) AND reminded_at IS NULL RETURNING id")
                    .all(decoding: Claimed.self)
                guard !rows.isEmpty else { return false }
                try await Self.outbox(.activityTomorrow, now: now, site: g.site_id, recipient: g.account_id, subject: g.title,
                                      link: Paths.activity(g.activity_id), on: db)
                return true
            }
            if claimed { told += 1 }
        }
        return told
    }

    static func outbox(_ topic: NoticeTopic, now: Date, order: Int? = nil, site: Int?, team: Int? = nil, recipient: Int? = nil,
                       subject: String? = nil, link: String? = nil, on db: Database) async throws {
        let e = OutboxEntry()
        e.createdAt = now
        e.topic = topic.rawValue
        e.orderID = order
        e.siteID = site
        e.teamID = team
        e.recipientAccountID = recipient
        e.subject = subject
        e.link = link
        e.attempts = 0
        e.nextAttemptAt = now
        e.failed = false
        try await e.create(on: db)
    }

    /// The step's result, or nil when the order changed under it (its version was claimed elsewhere).
    static func unlessChanged<T>(_ step: () async throws -> T) async throws -> T? {
        do {
            return try await step()
        } catch AppError.conflict(_, let message) where message.key == "error.order.changed" {
            return nil
        }
    }
}

extension OrderService {
    enum Escalation: Sendable { case escalated, overdue, nothing }

    func escalateIfDue(orderID: Int) async throws -> Escalation {
        try await db.writeTransaction { db in
            guard let o = try await Order.find(orderID, on: db), o.status.awaitsResponse, !o.overdue, o.responseDeadline <= now else { return .nothing }
            try await systemTransition(o, .escalate, on: db)
            return o.overdue ? .overdue : .escalated
        }
    }

    func closeUnrated(orderID: Int) async throws -> Bool {
        try await db.writeTransaction { db in
            guard let o = try await Order.find(orderID, on: db), o.status == .completed, let done = o.completedAt,
                  !RatingWindow.isOpen(completedAt: done, now: now) else { return false }
            try await systemTransition(o, .close, on: db)
            return true
        }
    }
}

/// Background work inside `serve`: runs `work` every `interval` seconds until the app stops. The
/// work itself is a plain function that tests and commands call once.
final class PeriodicService: LifecycleHandler, @unchecked Sendable {
    private let name: String
    private let interval: TimeInterval
    private let work: @Sendable (Application) async throws -> String?
    private var task: Task<Void, Never>?

    /// `work` returns a line worth logging, or nil when there was nothing to do.
    init(_ name: String, every interval: TimeInterval, work: @escaping @Sendable (Application) async throws -> String?) {
        self.name = name
        self.interval = interval
        self.work = work
    }

    func didBootAsync(_ app: Application) async throws {
        guard interval > 0 else { return }
        task = Task { [app, name, interval, work] in
            while !Task.isCancelled {
                do {
                    // With group commit, background writers take turns with the requests' in the
                    // same batches instead of waiting on SQLite's lock.
                    let line = try await GroupCommitContext.$committer.withValue(app.groupCommitter) { try await work(app) }
                    if let line { app.logger.notice("\(name): \(line)") }
                } catch {
                    app.logger.error("\(name) failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        await task?.value
    }
}

extension PeriodicService {
    /// 逐级上报 every DIANDAN_SCAN_SECONDS.
    static func deadlineScanner(_ app: Application) -> PeriodicService {
        PeriodicService("Deadline scan", every: app.settings.scanInterval) { app in
            let pass = try await DeadlineScanner(service: OrderService.make(app)).runOnce()
            return pass == .init() ? nil : "\(pass.escalated) escalated, \(pass.overdue) overdue, \(pass.closed) closed unrated, \(pass.warned) warned, \(pass.reminded) reminded"
        }
    }

    /// The outbox to inboxes every DIANDAN_OUTBOX_SECONDS.
    static func noticeDispatcher(_ app: Application) -> PeriodicService {
        PeriodicService("Notices", every: app.settings.outboxInterval) { app in
            let pass = try await NoticeDispatcher.make(app).runOnce()
            guard pass.retried + pass.failed > 0 else { return nil }
            return "\(pass.entries) delivered (\(pass.notices) notices), \(pass.retried) to retry, \(pass.failed) set aside"
        }
    }
}
