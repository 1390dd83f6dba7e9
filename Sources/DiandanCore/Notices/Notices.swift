import Foundation

/// Who hears about what happens to an order. The rules are values, so what each step tells whom is
/// decided here once and tested without a database; the outbox and its dispatcher only carry it out.
public enum NoticeTopic: String, Sendable, Codable, CaseIterable {
    /// A new order waits in a site's queue (nobody took it at once).
    case submitted = "order.submitted"
    /// The order went to your team.
    case dispatched = "order.dispatched"
    /// The order missed its deadline and now waits in your (the parent site's) queue.
    case escalated = "order.escalated"
    /// Missed at the top of the tree, with nowhere left to go.
    case overdue = "order.overdue"
    case accepted = "order.accepted"
    case declined = "order.declined"
    /// Served: please rate it (评单).
    case completed = "order.completed"
    case rated = "order.rated"
    case cancelled = "order.cancelled"
    case rejected = "order.rejected"
    case urged = "order.urged"
    case message = "order.message"
    /// The response deadline is near and nobody has taken the order yet.
    case deadlineNear = "order.deadline_near"
    /// Your micro-wish was claimed by a volunteer.
    case wishClaimed = "wish.claimed"
    /// Your micro-wish was fulfilled: please confirm.
    case wishFulfilled = "wish.fulfilled"
    /// An activity you signed up for starts within a day.
    case activityTomorrow = "activity.tomorrow"
}

/// The groups of people an order's notice can go to. Resolved to accounts when it is delivered.
public enum Audience: String, Sendable, Codable, CaseIterable {
    /// The resident, and the practitioner who ordered for them.
    case requester
    /// Leaders of the team named on the event.
    case teamLeaders
    /// Admins of the site that owns the order after the event; if that site has none, the nearest
    /// site above it that has.
    case siteAdmins
    /// The one account the notice names (for notices about something other than an order).
    case named
}

public enum NoticeRules {
    /// The notice a step of the loop sends, if any. `queued` says the order ended the step waiting in
    /// a queue with no team (a new order nobody took at once); `overdue` that an escalation found no
    /// parent left.
    public static func topic(for action: OrderAction, queued: Bool = false, overdue: Bool = false) -> NoticeTopic? {
        switch action {
        case .submit: queued ? .submitted : nil
        case .dispatch: .dispatched
        case .claim, .accept: .accepted
        case .decline: .declined
        case .escalate: overdue ? .overdue : .escalated
        case .complete: .completed
        case .rate: .rated
        case .cancel: .cancelled
        case .reject: .rejected
        case .urge: .urged
        case .message: .message
        case .start, .close: nil
        }
    }

    public static func audiences(of topic: NoticeTopic) -> Set<Audience> {
        switch topic {
        case .submitted, .declined, .overdue: [.siteAdmins]
        case .dispatched, .rated: [.teamLeaders]
        case .escalated: [.siteAdmins, .requester]
        case .accepted, .completed, .rejected: [.requester]
        case .cancelled, .urged: [.teamLeaders, .siteAdmins]
        case .message: [.requester, .teamLeaders, .siteAdmins]
        case .deadlineNear: [.siteAdmins, .teamLeaders]
        case .wishClaimed, .wishFulfilled, .activityTomorrow: [.named]
        }
    }

    /// What the person who ordered is told of a step addressed to others, in words of their own: a
    /// dispatch asks the team to accept; the resident hears which team has their order.
    public static func requesterTopic(for topic: NoticeTopic) -> String? {
        topic == .dispatched ? "order.team_assigned" : nil
    }

    /// The accounts to tell: everyone in the audiences except the person who acted.
    public static func recipients(_ topic: NoticeTopic, requester: [Int], teamLeaders: [Int], siteAdmins: [Int], named: [Int] = [],
                                  actor: Int?) -> [Int] {
        let audiences = audiences(of: topic)
        var out: [Int] = []
        if audiences.contains(.named) { out += named }
        if audiences.contains(.requester) { out += requester }
        if audiences.contains(.teamLeaders) { out += teamLeaders }
        if audiences.contains(.siteAdmins) { out += siteAdmins }
        var seen: Set<Int> = []
        return out.filter { $0 != actor && seen.insert($0).inserted }
    }

    /// How long before its response deadline a waiting order is pointed out to the people who can
    /// still take it: urban orders (minutes to answer) three minutes before, rural ones (the same day)
    /// two hours before.
    public static func warningLead(for zone: Zone) -> TimeInterval {
        zone == .urban ? 3 * 60 : 2 * 3600
    }

    /// Sign-ups are reminded once, within the day before the activity starts.
    public static let reminderLead: TimeInterval = 86_400

    /// Delivery that fails is tried again later, waiting longer each time: 30 s, 1 min, 2 min … at most
    /// an hour; after `maxAttempts` the entry is set aside (dead-lettered) with its last error.
    public static let maxAttempts = 8

    public static func retryDelay(afterAttempt n: Int) -> Double {
        min(3600, 30 * Double(1 << max(0, min(n - 1, 16))))
    }
}
