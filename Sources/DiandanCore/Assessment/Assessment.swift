import Foundation

/// Assessment (考核): the numbers county leaders judge the work by ("从无法比到天天比"). Each metric is
/// defined here once, as a pure function of per-order facts (through a `Tally`, which adds up), so
/// the definitions are tested on hand-made data and every page, export, API and rollup agrees.
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
    /// Whole minutes from placing to the first dispatch (or claim), and to the first acceptance (a
    /// claim counts as both); see `Minutes.between`.
    public var dispatchMinutes: Int?
    public var acceptMinutes: Int?
    public var escalations: Int
    /// An escalation happened before the order was accepted (or it was never accepted).
    public var escalatedBeforeAccept: Bool
    public var completed: Bool
    public var rating: Int?

    public init(id: Int, createdAt: Date, status: OrderStatus, categoryID: Int, channel: String, stationID: Int, teamID: Int? = nil,
                placedBy: Int? = nil, onBehalf: Bool = false, dispatchMinutes: Int?, acceptMinutes: Int?, escalations: Int = 0,
                escalatedBeforeAccept: Bool = false, completed: Bool, rating: Int? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.status = status
        self.categoryID = categoryID
        self.channel = channel
        self.stationID = stationID
        self.teamID = teamID
        self.placedBy = placedBy
        self.onBehalf = onBehalf
        self.dispatchMinutes = dispatchMinutes
        self.acceptMinutes = acceptMinutes
        self.escalations = escalations
        self.escalatedBeforeAccept = escalatedBeforeAccept
        self.completed = completed
        self.rating = rating
    }

    /// From the instants of the timeline.
    public init(id: Int, createdAt: Date, status: OrderStatus, categoryID: Int, channel: String, stationID: Int, teamID: Int? = nil,
                placedBy: Int? = nil, onBehalf: Bool = false, firstDispatchAt: Date? = nil, firstAcceptAt: Date? = nil, escalations: Int = 0,
                escalatedBeforeAccept: Bool = false, completedAt: Date? = nil, rating: Int? = nil) {
        self.init(id: id, createdAt: createdAt, status: status, categoryID: categoryID, channel: channel, stationID: stationID, teamID: teamID,
                  placedBy: placedBy, onBehalf: onBehalf, dispatchMinutes: firstDispatchAt.map { Minutes.between(createdAt, $0) },
                  acceptMinutes: firstAcceptAt.map { Minutes.between(createdAt, $0) }, escalations: escalations,
                  escalatedBeforeAccept: escalatedBeforeAccept, completed: completedAt != nil, rating: rating)
    }

    /// The practitioner (文明实践员) who placed it for a resident, if any.
    public var practitioner: Int? { onBehalf ? placedBy : nil }

    /// The facts after one more step of the loop, taken at `at`, leaving the order as described.
    public func advanced(by action: OrderAction, at: Date, status: OrderStatus, teamID: Int?, completed: Bool, rating: Int?) -> OrderFacts {
        var f = self
        f.status = status
        f.teamID = teamID
        f.completed = completed
        f.rating = rating
        if action == .dispatch || action == .claim, f.dispatchMinutes == nil { f.dispatchMinutes = Minutes.between(createdAt, at) }
        if action == .accept || action == .claim, f.acceptMinutes == nil { f.acceptMinutes = Minutes.between(createdAt, at) }
        if action == .escalate {
            f.escalations += 1
            if f.acceptMinutes == nil { f.escalatedBeforeAccept = true }
        }
        return f
    }
}

/// Durations are counted in whole minutes, rounded up (to the nearest second first, so that clocks
/// stored with different precision agree): dispatched within the minute is "1 minute", at once is 0.
public enum Minutes {
    public static func between(_ start: Date, _ end: Date) -> Int {
        let seconds = max(0, end.timeIntervalSince(start).rounded())
        return Int((seconds / 60).rounded(.up))
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
    public var dispatchMinutesMean: Double?
    /// Minutes from placing to acceptance (or claim), over orders that were accepted.
    public var acceptMinutesMedian: Double?
    public var acceptMinutesP90: Double?
    public var acceptMinutesMean: Double?
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
        var t = Tally()
        for f in facts { t.add(f) }
        return make(t, serviceHours: serviceHours, activeVolunteers: activeVolunteers)
    }

    /// The metrics of a tally. Without distributions (rollup rows of child sites), medians and p90s
    /// are absent and the means stand in; hours and active volunteers default to the tally's own.
    public static func make(_ t: Tally, serviceHours: Double? = nil, activeVolunteers: Int? = nil) -> Assessment {
        func rate(_ n: Int, _ d: Int) -> Double? { d == 0 ? nil : Double(n) / Double(d) }
        let distribution = (1...5).map { t[.rating($0)] }
        let ratings = distribution.reduce(0, +)
        let sum = distribution.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
        var byStatus: [String: Int] = [:], byChannel: [String: Int] = [:]
        for s in OrderStatus.allCases where t[.status(s)] != 0 { byStatus[s.rawValue] = t[.status(s)] }
        for c in OrderChannel.allCases where t[.channel(c)] != 0 { byChannel[c.rawValue] = t[.channel(c)] }
        return Assessment(
            orders: t[.orders], byStatus: byStatus, byCategory: t.categories.filter { $0.value != 0 }, byChannel: byChannel,
            dispatchMinutesMedian: Stats.median(histogram: t.dispatchMinutes), dispatchMinutesP90: Stats.percentile(histogram: t.dispatchMinutes, 90),
            dispatchMinutesMean: rate(t[.dispatchMinutes], t[.dispatched]),
            acceptMinutesMedian: Stats.median(histogram: t.acceptMinutes), acceptMinutesP90: Stats.percentile(histogram: t.acceptMinutes, 90),
            acceptMinutesMean: rate(t[.acceptMinutes], t[.accepted]),
            acceptanceRate: rate(t[.accepted], t[.dispatched]), onTimeResponseRate: rate(t[.onTime], t[.responded]), completionRate: rate(t[.completed], t[.accepted]),
            ratings: ratings, ratingMean: ratings == 0 ? nil : Double(sum) / Double(ratings), ratingDistribution: distribution,
            escalations: t[.escalations], serviceHours: serviceHours ?? Double(t[.hoursCenti]) / 100, activeVolunteers: activeVolunteers ?? t[.active])
    }
}

public enum Stats {
    /// The middle value (the mean of the two middle values for an even count).
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The median of values given as value → count.
    public static func median(histogram h: [Int: Int]) -> Double? {
        let n = h.values.reduce(0, +)
        guard n > 0 else { return nil }
        let lower = value(at: (n + 1) / 2, h), upper = value(at: n / 2 + 1, h)
        return n % 2 == 1 ? Double(lower) : Double(lower + upper) / 2
    }

    /// Nearest-rank percentile of values given as value → count.
    public static func percentile(histogram h: [Int: Int], _ p: Double) -> Double? {
        let n = h.values.reduce(0, +)
        guard n > 0 else { return nil }
        return Double(value(at: min(max(Int((p / 100 * Double(n)).rounded(.up)), 1), n), h))
    }

    /// The `rank`-th smallest value (from 1).
    static func value(at rank: Int, _ h: [Int: Int]) -> Int {
        var seen = 0
        for (v, c) in h.sorted(by: { $0.key < $1.key }) where c > 0 {
            seen += c
            if seen >= rank { return v }
        }
        return h.keys.max() ?? 0
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

    /// Every day of the range (its start in China time).
    public var dayStarts: [Date] {
        var out: [Date] = []
        var day = from
        while day < to {
            out.append(day)
            day = Calendar.chinaStandard.date(byAdding: .day, value: 1, to: day)!
        }
        return out
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
        series(counts: dates.map { ($0, 1) }, over: range)
    }

    /// The same from counts at instants (a day's rollup counted at its start).
    public func series(counts weighted: [(Date, Int)], over range: AssessmentRange) -> [(label: String, count: Int)] {
        var counts: [String: Int] = [:]
        for (d, n) in weighted where d >= range.from && d < range.to { counts[label(d), default: 0] += n }
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
