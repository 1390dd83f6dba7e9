import Foundation

/// Assessment (考核): the numbers county leaders judge the work by ("从无法比到天天比"). Each metric is
/// defined here once, as a pure function of per-order facts, so the definitions are tested on
/// hand-made data and every page, export and API shows the same figures.
public struct OrderFacts: Sendable, Equatable {
    public var id: Int
    public var createdAt: Date
    public var status: OrderStatus
    public var categoryID: Int
    public var channel: String
    public var stationID: Int
    public var teamID: Int?
    public var placedBy: Int?
    public var onBehalf: Bool
    /// First dispatch or claim, and first acceptance (a claim counts as both).
    public var firstDispatchAt: Date?
    public var firstAcceptAt: Date?
    public var escalations: Int
    /// An escalation happened before the order was accepted (or it was never accepted).
    public var escalatedBeforeAccept: Bool
    public var completedAt: Date?
    public var rating: Int?

    public init(id: Int, createdAt: Date, status: OrderStatus, categoryID: Int, channel: String, stationID: Int, teamID: Int? = nil,
                placedBy: Int? = nil, onBehalf: Bool = false, firstDispatchAt: Date? = nil, firstAcceptAt: Date? = nil, escalations: Int = 0,
                escalatedBeforeAccept: Bool = false, completedAt: Date? = nil, rating: Int? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.status = status
        self.categoryID = categoryID
        self.channel = channel
        self.stationID = stationID
        self.teamID = teamID
        self.placedBy = placedBy
        self.onBehalf = onBehalf
        self.firstDispatchAt = firstDispatchAt
        self.firstAcceptAt = firstAcceptAt
        self.escalations = escalations
        self.escalatedBeforeAccept = escalatedBeforeAccept
        self.completedAt = completedAt
        self.rating = rating
    }
}

public struct Assessment: Codable, Sendable, Equatable {
    public var orders: Int
    public var byStatus: [String: Int]
    public var byCategory: [Int: Int]
    public var byChannel: [String: Int]
    /// Minutes from placing to the first dispatch (or claim), over orders that were dispatched.
    public var dispatchMinutesMedian: Double?
    public var dispatchMinutesP90: Double?
    /// Minutes from placing to acceptance (or claim), over orders that were accepted.
    public var acceptMinutesMedian: Double?
    public var acceptMinutesP90: Double?
    /// Accepted ÷ dispatched: of the orders that reached a team, the share a team took on.
    public var acceptanceRate: Double?
    /// Of the orders that were accepted or escalated, the share accepted before any escalation.
    public var onTimeResponseRate: Double?
    /// Completed ÷ accepted.
    public var completionRate: Double?
    public var ratings: Int
    public var ratingMean: Double?
    /// Count of ratings 1…5 (index 0 is one star).
    public var ratingDistribution: [Int]
    /// Escalation steps (one order escalated twice counts two).
    public var escalations: Int
    public var serviceHours: Double
    public var activeVolunteers: Int

    public static func compute(_ facts: [OrderFacts], serviceHours: Double, activeVolunteers: Int) -> Assessment {
        var byStatus: [String: Int] = [:], byCategory: [Int: Int] = [:], byChannel: [String: Int] = [:]
        var dispatch: [Double] = [], accept: [Double] = []
        var dispatched = 0, accepted = 0, completed = 0, responded = 0, onTime = 0, escalations = 0
        var distribution = [0, 0, 0, 0, 0]
        for o in facts {
            byStatus[o.status.rawValue, default: 0] += 1
            byCategory[o.categoryID, default: 0] += 1
            byChannel[o.channel, default: 0] += 1
            escalations += o.escalations
            if let d = o.firstDispatchAt {
                dispatched += 1
                dispatch.append(d.timeIntervalSince(o.createdAt) / 60)
            }
            if let a = o.firstAcceptAt {
                accepted += 1
                accept.append(a.timeIntervalSince(o.createdAt) / 60)
                if o.completedAt != nil { completed += 1 }
            }
            if o.firstAcceptAt != nil || o.escalations > 0 {
                responded += 1
                if o.firstAcceptAt != nil && !o.escalatedBeforeAccept { onTime += 1 }
            }
            if let r = o.rating, (1...5).contains(r) { distribution[r - 1] += 1 }
        }
        let ratings = distribution.reduce(0, +)
        let sum = distribution.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
        func rate(_ n: Int, _ d: Int) -> Double? { d == 0 ? nil : Double(n) / Double(d) }
        return Assessment(
            orders: facts.count, byStatus: byStatus, byCategory: byCategory, byChannel: byChannel,
            dispatchMinutesMedian: Stats.median(dispatch), dispatchMinutesP90: Stats.percentile(dispatch, 90),
            acceptMinutesMedian: Stats.median(accept), acceptMinutesP90: Stats.percentile(accept, 90),
            acceptanceRate: rate(accepted, dispatched), onTimeResponseRate: rate(onTime, responded), completionRate: rate(completed, accepted),
            ratings: ratings, ratingMean: ratings == 0 ? nil : Double(sum) / Double(ratings), ratingDistribution: distribution,
            escalations: escalations, serviceHours: serviceHours, activeVolunteers: activeVolunteers)
    }
}

public enum Stats {
    /// The middle value (the mean of the two middle values for an even count).
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let rank = Int((p / 100 * Double(s.count)).rounded(.up))
        return s[min(max(rank, 1), s.count) - 1]
    }
}

/// The stretch of time an assessment covers: `[from, to)` in China time.
public struct AssessmentRange: Sendable, Equatable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// The month, quarter or year containing `day`; `custom` takes `yyyy-MM-dd` days, both included.
    public static func make(_ period: String, containing day: Date, from: String? = nil, to: String? = nil) -> AssessmentRange? {
        let cal = Calendar.chinaStandard
        func date(_ s: String) -> Date? {
            let p = s.split(separator: "-").compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            return cal.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))
        }
        let c = cal.dateComponents([.year, .month], from: day)
        guard let y = c.year, let m = c.month else { return nil }
        switch period {
        case "month":
            let start = cal.date(from: DateComponents(year: y, month: m, day: 1))!
            return AssessmentRange(from: start, to: cal.date(byAdding: .month, value: 1, to: start)!)
        case "quarter":
            let start = cal.date(from: DateComponents(year: y, month: (m - 1) / 3 * 3 + 1, day: 1))!
            return AssessmentRange(from: start, to: cal.date(byAdding: .month, value: 3, to: start)!)
        case "year":
            let start = cal.date(from: DateComponents(year: y, month: 1, day: 1))!
            return AssessmentRange(from: start, to: cal.date(byAdding: .year, value: 1, to: start)!)
        case "custom":
            guard let f = from.flatMap(date), let t = to.flatMap(date), t >= f, t.timeIntervalSince(f) <= 3 * 366 * 86_400 else { return nil }
            return AssessmentRange(from: f, to: t.addingTimeInterval(86_400))
        default:
            return nil
        }
    }

    /// The first and last day as `yyyy-MM-dd` (for service records, which are kept by day).
    public var days: (from: String, to: String) {
        let cal = Calendar.chinaStandard
        func s(_ d: Date) -> String {
            let c = cal.dateComponents([.year, .month, .day], from: d)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        return (s(from), s(to.addingTimeInterval(-1)))
    }
}

/// How a trend groups its days: by day, ISO week (Monday first) or month, in China time.
public enum TrendGrain: String, Sendable, CaseIterable {
    case day, week, month

    /// A sensible default for a range: days up to ten weeks, weeks up to a year, then months.
    public static func suggested(for range: AssessmentRange) -> TrendGrain {
        let days = range.to.timeIntervalSince(range.from) / 86_400
        return days <= 70 ? .day : days <= 366 ? .week : .month
    }

    public func label(_ d: Date) -> String {
        var cal = Calendar.chinaStandard
        switch self {
        case .day:
            let c = cal.dateComponents([.month, .day], from: d)
            return String(format: "%02d-%02d", c.month!, c.day!)
        case .week:
            cal.firstWeekday = 2
            cal.minimumDaysInFirstWeek = 4
            let c = cal.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
            return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
        case .month:
            let c = cal.dateComponents([.year, .month], from: d)
            return String(format: "%04d-%02d", c.year!, c.month!)
        }
    }

    /// Every bucket of the range in order (empty ones included), with the count of `dates` in each.
    public func series(_ dates: [Date], over range: AssessmentRange) -> [(label: String, count: Int)] {
        var counts: [String: Int] = [:]
        for d in dates where d >= range.from && d < range.to { counts[label(d), default: 0] += 1 }
        var labels: [String] = []
        var day = range.from
        while day < range.to {
            let l = label(day)
            if labels.last != l { labels.append(l) }
            day = day.addingTimeInterval(86_400)
        }
        return labels.map { ($0, counts[$0] ?? 0) }
    }
}
