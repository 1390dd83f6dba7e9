import Foundation

/// Where an order stands in the closed loop (点单 → 派单 → 接单 → 服务 → 评单 → 销号).
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case submitted
    case dispatched
    case accepted
    case inService = "in_service"
    case completed
    case rated
    case closed
    case cancelled
    case rejected

    /// Still waiting for a team to take it: the response deadline applies.
    public var awaitsResponse: Bool { self == .submitted || self == .dispatched }

    /// Holds a place in a team's capacity.
    public var occupiesTeam: Bool { self == .dispatched || self == .accepted || self == .inService }

    public var isFinal: Bool { self == .closed || self == .cancelled || self == .rejected }

    /// In a team's hands: held, or served and waiting for the resident's rating (the team's inbox).
    public var isWithTeam: Bool { occupiesTeam || self == .completed }

    /// Served: completed, then perhaps rated and closed (what may be shown on the showcase).
    public var isFinished: Bool { self == .completed || self == .rated || self == .closed }
}

/// When the requester may rate a completed order: for fourteen days; at exactly fourteen days it has
/// closed (and the scanner closes the order unrated).
public enum RatingWindow {
    public static let days = 14

    public static func isOpen(completedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(completedAt) < Double(days) * 86_400
    }
}

/// Deadlines, rewards and dispatch weights (from settings), and who may order.
public struct OrderPolicy: Sendable {
    public var deadlines = DeadlinePolicy()
    public var rewards = RewardPolicy()
    public var ranker = DispatchRanker()
    public var urgeInterval: TimeInterval = 30 * 60

    public init() {}

    /// The roles that may order (点单): residents for themselves, practitioners and site admins on
    /// someone's behalf (代点单).
    public static let orderingRoles: Set<Role> = [.resident, .practitioner, .siteAdmin]

    /// Where these grants may order: the sites (and their subtrees) of the ordering roles.
    public static func orderingReach(_ grants: [Grant]) -> [SitePath] {
        grants.filter { orderingRoles.contains($0.role) }.map(\.sitePath)
    }

    /// Who takes orders for residents by phone or at the door (代点单): practitioners and site admins.
    public static func takesOrdersForOthers(_ grants: [Grant]) -> Bool { grants.contains { $0.role == .practitioner || $0.role == .siteAdmin } }

    /// Whether these grants take orders for others at this station.
    public static func takesOrdersForOthers(_ grants: [Grant], at station: SitePath) -> Bool {
        proxyReach(grants).contains { $0.covers(station) }
    }

    /// The stations where these grants take orders for others.
    public static func proxyReach(_ grants: [Grant]) -> [SitePath] {
        grants.filter { $0.role == .practitioner || $0.role == .siteAdmin }.map(\.sitePath)
    }

    /// Whether someone orders for themselves (a resident) rather than for others (代点单).
    public static func ordersForThemselves(_ grants: [Grant]) -> Bool { grants.contains { $0.role == .resident } }

    /// Whether these grants may order at this station: nil when not; otherwise whether it is on
    /// someone's behalf (false when a resident's own grant reaches the station).
    public static func mayOrder(_ grants: [Grant], at station: SitePath) -> Bool? {
        let roles = Set(grants.filter { $0.sitePath.covers(station) }.map(\.role))
        guard !roles.isDisjoint(with: orderingRoles) else { return nil }
        return !roles.contains(.resident)
    }

    /// 清单认领: an admin of the site that owns an order may open it, while it waits to be
    /// dispatched, for any team that could serve it to claim.
    public static func mayOpenForClaim(_ status: OrderStatus, openForClaim: Bool, by actors: Set<OrderActor>) -> Bool {
        actors.contains(.siteAdmin) && status == .submitted && !openForClaim
    }

    /// Who may see the resident's phone in the clear (audited): the admins of the order's site, and
    /// the leader of the team serving it while the service is under way.
    public static func maySeeContact(_ status: OrderStatus, by actors: Set<OrderActor>) -> Bool {
        actors.contains(.siteAdmin) || (actors.contains(.assignedLeader) && [.dispatched, .accepted, .inService].contains(status))
    }

    /// An activity may be organised for an order (many hands for one job) by its serving leader or
    /// an admin, once the order is accepted and until it is done.
    public static func mayOrganiseActivity(_ status: OrderStatus, by actors: Set<OrderActor>) -> Bool {
        [.accepted, .inService].contains(status) && !actors.isDisjoint(with: [.assignedLeader, .siteAdmin])
    }

    /// An order opened for claiming stays claimable while it waits to be dispatched.
    public static func isClaimable(_ status: OrderStatus, openForClaim: Bool) -> Bool {
        openForClaim && status == .submitted
    }
}

/// Who may publish a finished order to the showcase (志愿风采): the leader of the team that served
/// it, or an admin over its station or over the site that owns it now (after an escalation, a
/// higher site). The page shows the button to exactly these people.
public enum ShowcasePolicy {
    public static func mayPublish(_ grants: [Grant], station: SitePath, owner: SitePath, leadsServingTeam: Bool) -> Bool {
        leadsServingTeam || Policy.allows(grants, .orders, .write, at: station) || Policy.allows(grants, .orders, .write, at: owner)
    }
}

/// The steps a person takes on an order, as the API's paths (`POST /api/v1/orders/{id}/<step>`) and
/// the order page's forms name them: one list for parsing, routes, the OpenAPI document and buttons.
public enum OrderStep: String, Sendable, CaseIterable {
    case dispatch, accept, decline, claim, start, complete, rate, cancel, reject, close, urge, escalate, message
    case openForClaim = "open-for-claim"

    /// The state machine's action this step asks for (opening for claiming is a kind of dispatch).
    public var action: OrderAction {
        switch self {
        case .dispatch, .openForClaim: .dispatch
        case .accept: .accept
        case .decline: .decline
        case .claim: .claim
        case .start: .start
        case .complete: .complete
        case .rate: .rate
        case .cancel: .cancel
        case .reject: .reject
        case .close: .close
        case .urge: .urge
        case .escalate: .escalate
        case .message: .message
        }
    }

    /// Steps that need a reason written down (the form asks for it, the danger styling warns).
    public var needsReason: Bool { [.decline, .cancel, .reject].contains(self) }
}

/// Every way an order moves (or is acted on without moving).
public enum OrderAction: String, Sendable, Codable, CaseIterable {
    case submit, dispatch, accept, decline, claim, start, complete, rate, close, cancel, reject, escalate, urge, message
}

/// Who is acting, relative to this order.
public enum OrderActor: String, Sendable, Codable, CaseIterable {
    /// The platform itself: auto-dispatch, the deadline scanner, closing unrated orders.
    case system
    /// The resident who ordered, or the practitioner who ordered for them.
    case requester
    /// An admin whose scope covers the site that owns the order now.
    case siteAdmin
    /// The leader of the team the order is dispatched or assigned to.
    case assignedLeader
    /// The leader of a team that may claim an order opened for claiming.
    case eligibleLeader
}

public struct TransitionRule: Sendable {
    public let action: OrderAction
    public let from: Set<OrderStatus>
    /// nil: the status stays as it is (urge, message, escalate moves the owner, not the status).
    public let to: OrderStatus?
    public let actors: Set<OrderActor>
    public let needsReason: Bool
}

public enum OrderMachineError: Error, Equatable, Sendable {
    /// The order is not in a state where this can happen (→ 409).
    case illegalTransition(action: OrderAction, status: OrderStatus)
    /// This person may not do this to this order (→ 403).
    case notAllowed(action: OrderAction, actor: OrderActor)
    case reasonRequired(action: OrderAction)
}

/// The order state machine: one table, every rule of the loop in one place.
public enum OrderMachine {
    public static let rules: [TransitionRule] = [
        .init(action: .dispatch, from: [.submitted], to: .dispatched, actors: [.siteAdmin, .system], needsReason: false),
        .init(action: .accept, from: [.dispatched], to: .accepted, actors: [.assignedLeader], needsReason: false),
        .init(action: .decline, from: [.dispatched], to: .submitted, actors: [.assignedLeader], needsReason: true),
        .init(action: .claim, from: [.submitted], to: .accepted, actors: [.eligibleLeader], needsReason: false),
        .init(action: .start, from: [.accepted], to: .inService, actors: [.assignedLeader], needsReason: false),
        .init(action: .complete, from: [.inService], to: .completed, actors: [.assignedLeader], needsReason: false),
        .init(action: .rate, from: [.completed], to: .rated, actors: [.requester], needsReason: false),
        .init(action: .close, from: [.rated], to: .closed, actors: [.siteAdmin, .system], needsReason: false),
        // Completed orders nobody rated close themselves when the rating window ends.
        .init(action: .close, from: [.completed], to: .closed, actors: [.system], needsReason: false),
        .init(action: .cancel, from: [.submitted, .dispatched, .accepted], to: .cancelled, actors: [.requester, .siteAdmin], needsReason: true),
        .init(action: .reject, from: [.submitted, .dispatched], to: .rejected, actors: [.siteAdmin], needsReason: true),
        .init(action: .escalate, from: [.submitted, .dispatched], to: .submitted, actors: [.siteAdmin, .system], needsReason: false),
        .init(action: .urge, from: [.submitted, .dispatched, .accepted], to: nil, actors: [.requester], needsReason: false),
        .init(action: .message, from: Set(OrderStatus.allCases).subtracting([.closed, .cancelled, .rejected]), to: nil,
              actors: [.requester, .siteAdmin, .assignedLeader], needsReason: false),
    ]

    /// The rule for doing `action` to an order in `status`, if that can happen at all.
    public static func rule(for action: OrderAction, from status: OrderStatus) -> TransitionRule? {
        rules.first { $0.action == action && $0.from.contains(status) }
    }

    /// The status after `action`, or why it cannot happen: the state decides first (409), then the
    /// person (403), then the reason for actions that need one.
    public static func apply(_ action: OrderAction, to status: OrderStatus, by actors: Set<OrderActor>, reason: String? = nil) -> Result<OrderStatus, OrderMachineError> {
        guard let rule = rule(for: action, from: status) else {
            return .failure(.illegalTransition(action: action, status: status))
        }
        guard !rule.actors.isDisjoint(with: actors) else {
            return .failure(.notAllowed(action: action, actor: actors.sorted { $0.rawValue < $1.rawValue }.first ?? .requester))
        }
        if rule.needsReason, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .failure(.reasonRequired(action: action))
        }
        return .success(rule.to ?? status)
    }
}

/// Readable order numbers: `DD20261122-000123` (date in China time, then a sequence).
public enum OrderNumber {
    public static func make(date: Date, sequence: Int, calendar: Calendar = .chinaStandard) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return "DD" + c.year!.padded(4) + c.month!.padded(2) + c.day!.padded(2) + "-" + sequence.padded(6)
    }
}

/// Response deadlines by zone: urban sites answer within minutes, rural ones the same day.
public struct DeadlinePolicy: Sendable, Equatable {
    public var urbanResponse: TimeInterval
    /// A rural order placed late in the day still gets at least this long.
    public var ruralMinimum: TimeInterval
    public var defaultCompletionDays: Int

    public init(urbanResponse: TimeInterval = 10 * 60, ruralMinimum: TimeInterval = 2 * 3600, defaultCompletionDays: Int = 3) {
        self.urbanResponse = urbanResponse
        self.ruralMinimum = ruralMinimum
        self.defaultCompletionDays = defaultCompletionDays
    }

    /// `override` is a per-site response time in minutes, when a site sets its own.
    public func responseDeadline(zone: Zone, from start: Date, overrideMinutes: Int? = nil, calendar: Calendar = .chinaStandard) -> Date {
        if let overrideMinutes { return start.addingTimeInterval(TimeInterval(overrideMinutes) * 60) }
        switch zone {
        case .urban:
            return start.addingTimeInterval(urbanResponse)
        case .rural:
            let endOfDay = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: start))!
            return max(endOfDay, start.addingTimeInterval(ruralMinimum))
        }
    }

    public func completionDeadline(from start: Date, days: Int?) -> Date {
        start.addingTimeInterval(TimeInterval(days ?? defaultCompletionDays) * 86_400)
    }
}

/// Stars and points (星级, 积分) earned by service hours.
public struct RewardPolicy: Sendable, Equatable {
    /// Hours needed for 1 to 5 stars.
    public var starThresholds: [Double]
    public var pointsPerHour: Int
    /// Extra share of points when the resident gave 5 stars.
    public var fiveStarBonus: Double

    public init(starThresholds: [Double] = [100, 300, 600, 1000, 1500], pointsPerHour: Int = 10, fiveStarBonus: Double = 0.2) {
        self.starThresholds = starThresholds
        self.pointsPerHour = pointsPerHour
        self.fiveStarBonus = fiveStarBonus
    }

    public func stars(forHours hours: Double) -> Int {
        starThresholds.filter { hours >= $0 }.count
    }

    /// Hours still needed for the next star, nil at five stars.
    public func hoursToNextStar(from hours: Double) -> Double? {
        starThresholds.first { hours < $0 }.map { $0 - hours }
    }

    public func points(forHours hours: Double, rating: Int? = nil) -> Int {
        let base = Double(pointsPerHour) * hours
        let bonus = rating == 5 ? base * fiveStarBonus : 0
        return Int((base + bonus).rounded(.down))
    }
}

/// Great-circle distance, for "nearest team first".
public enum Geo {
    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6371.0
        let dLat = (lat2 - lat1) * .pi / 180, dLon = (lon2 - lon1) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * .pi / 180) * cos(lat2 * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// A team that could serve an order, with what the ranking needs to know.
public struct TeamCandidate: Sendable, Equatable {
    public var teamID: Int
    public var name: String
    public var sitePath: SitePath
    public var latitude: Double
    public var longitude: Double
    public var activeOrders: Int
    public var maxConcurrentOrders: Int
    public var meanRating: Double?
    public var active: Bool
    public var declinedThisOrder: Bool

    public init(teamID: Int, name: String, sitePath: SitePath, latitude: Double, longitude: Double, activeOrders: Int,
                maxConcurrentOrders: Int, meanRating: Double?, active: Bool = true, declinedThisOrder: Bool = false) {
        self.teamID = teamID
        self.name = name
        self.sitePath = sitePath
        self.latitude = latitude
        self.longitude = longitude
        self.activeOrders = activeOrders
        self.maxConcurrentOrders = maxConcurrentOrders
        self.meanRating = meanRating
        self.active = active
        self.declinedThisOrder = declinedThisOrder
    }
}

/// Why a team was suggested: the parts of its score, shown to the admin ("why this team").
public struct DispatchScore: Sendable, Equatable, Codable {
    public var teamID: Int
    public var tier: Int
    public var distanceKm: Double
    public var load: Double
    public var rating: Double
    public var score: Double
}

/// Ranks teams for an order: nearest level of the tree first (the station, then its institute, then
/// the centre), then by a score of distance, load and rating. Lower is better.
public struct DispatchRanker: Sendable {
    /// Kilometres one unit of load (a full team) is worth.
    public var loadWeight: Double
    /// Kilometres one rating star above 3 is worth.
    public var ratingWeight: Double

    public init(loadWeight: Double = 10, ratingWeight: Double = 3) {
        self.loadWeight = loadWeight
        self.ratingWeight = ratingWeight
    }

    /// `tiers`: the order's station path, then its ancestors up to the centre (nearest first).
    public func rank(_ candidates: [TeamCandidate], latitude: Double, longitude: Double, tiers: [SitePath]) -> [DispatchScore] {
        var out: [DispatchScore] = []
        for c in candidates where c.active && !c.declinedThisOrder && c.activeOrders < c.maxConcurrentOrders {
            guard let tier = tiers.firstIndex(where: { $0.covers(c.sitePath) }) else { continue }
            let distance = Geo.distanceKm(latitude, longitude, c.latitude, c.longitude)
            let load = Double(c.activeOrders) / Double(max(1, c.maxConcurrentOrders))
            let rating = c.meanRating ?? 3
            let score = distance + load * loadWeight - (rating - 3) * ratingWeight
            out.append(DispatchScore(teamID: c.teamID, tier: tier, distanceKm: (distance * 100).rounded() / 100,
                                     load: (load * 100).rounded() / 100, rating: rating, score: (score * 100).rounded() / 100))
        }
        return out.sorted { ($0.tier, $0.score, $0.teamID) < ($1.tier, $1.score, $1.teamID) }
    }
}

/// Menu items residents do not "buy" (群众不买账): a recent mean rating under the threshold, once
/// enough people have rated, flags the item for revision.
public struct MenuReview: Sendable, Equatable {
    public var threshold: Double
    public var minimumRatings: Int
    public var windowDays: Int

    public init(threshold: Double = 3.0, minimumRatings: Int = 3, windowDays: Int = 90) {
        self.threshold = threshold
        self.minimumRatings = minimumRatings
        self.windowDays = windowDays
    }

    public func needsReview(mean: Double, count: Int) -> Bool {
        count >= minimumRatings && mean < threshold
    }
}

// Stored values read back as what they are: written into text (a message key, a log line) a status
// is its stored name (`in_service`), never the Swift case name.
extension OrderStatus: CustomStringConvertible { public var description: String { rawValue } }

/// The order's progress as people follow it: 点单 → 派单 → 接单 → 服务 → 评单.
public enum OrderProgress {
    public static let steps = ["ordered", "dispatched", "accepted", "served", "rated"]

    /// How many of the steps are reached (done, or the last one under way).
    public static func reached(_ status: OrderStatus, rated: Bool) -> Int {
        switch status {
        case .submitted, .cancelled, .rejected: 1
        case .dispatched: 2
        case .accepted: 3
        case .inService, .completed, .closed: 4
        case .rated: rated ? 5 : 4
        }
    }
}
