import Foundation

/// What the assessment adds up: counters that sum across orders, sites and periods, and the
/// distributions (categories, minutes to dispatch and to accept) that medians are read from.
/// A tally of one order is its contribution; a rollup row is the sum of many; the difference of an
/// order's tallies before and after a step is what the step changes in every rollup it belongs to.
public struct Tally: Sendable, Equatable {
    public enum Counter: Sendable, Hashable {
        case orders, status(OrderStatus), channel(OrderChannel), dispatched, dispatchMinutes, accepted, acceptMinutes, completed,
             responded, onTime, escalations, rating(Int), hoursCenti, active

        /// The column that keeps it in the rollup tables.
        public var column: String {
            switch self {
            case .orders: "orders"
            case .status(let s): "s_" + s.rawValue
            case .channel(let c): "c_" + c.rawValue
            case .dispatched: "dispatched"
            case .dispatchMinutes: "dispatch_minutes"
            case .accepted: "accepted"
            case .acceptMinutes: "accept_minutes"
            case .completed: "completed"
            case .responded: "responded"
            case .onTime: "on_time"
            case .escalations: "escalations"
            case .rating(let r): "r\(r)"
            case .hoursCenti: "hours_centi"
            case .active: "active"
            }
        }

        public static let all: [Counter] = [.orders] + OrderStatus.allCases.map { .status($0) } + OrderChannel.allCases.map { .channel($0) }
            + [.dispatched, .dispatchMinutes, .accepted, .acceptMinutes, .completed, .responded, .onTime, .escalations]
            + (1...5).map { .rating($0) } + [.hoursCenti, .active]

        static let index: [Counter: Int] = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
    }

    public static var columns: [String] { Counter.all.map(\.column) }

    /// Aligned with `Counter.all`.
    public var counts: [Int]
    public var categories: [Int: Int] = [:]
    public var dispatchMinutes: [Int: Int] = [:]
    public var acceptMinutes: [Int: Int] = [:]

    public init() { counts = Array(repeating: 0, count: Counter.all.count) }

    public init(counts: [Int]) {
        precondition(counts.count == Counter.all.count)
        self.counts = counts
    }

    /// One order's contribution.
    public init(_ f: OrderFacts) {
        self.init()
        add(f)
    }

    public subscript(_ c: Counter) -> Int {
        get { Counter.index[c].map { counts[$0] } ?? 0 }
        set { if let i = Counter.index[c] { counts[i] = newValue } }
    }

    public mutating func add(_ f: OrderFacts, sign: Int = 1) {
        self[.orders] += sign
        self[.status(f.status)] += sign
        if let c = OrderChannel(rawValue: f.channel) { self[.channel(c)] += sign }
        categories[f.categoryID, default: 0] += sign
        self[.escalations] += sign * f.escalations
        if let d = f.dispatchMinutes {
            self[.dispatched] += sign
            self[.dispatchMinutes] += sign * d
            dispatchMinutes[d, default: 0] += sign
        }
        if let a = f.acceptMinutes {
            self[.accepted] += sign
            self[.acceptMinutes] += sign * a
            acceptMinutes[a, default: 0] += sign
            if f.completed { self[.completed] += sign }
        }
        if f.acceptMinutes != nil || f.escalations > 0 {
            self[.responded] += sign
            if f.acceptMinutes != nil && !f.escalatedBeforeAccept { self[.onTime] += sign }
        }
        if let r = f.rating, (1...5).contains(r) { self[.rating(r)] += sign }
    }

    public mutating func formSum(_ other: Tally) {
        for i in counts.indices { counts[i] += other.counts[i] }
        for (k, v) in other.categories { categories[k, default: 0] += v }
        for (k, v) in other.dispatchMinutes { dispatchMinutes[k, default: 0] += v }
        for (k, v) in other.acceptMinutes { acceptMinutes[k, default: 0] += v }
    }

    public static func + (a: Tally, b: Tally) -> Tally {
        var t = a
        t.formSum(b)
        return t
    }

    /// The counters only (what a child site's row in a table needs).
    public var countersOnly: Tally { Tally(counts: counts) }

    /// Entries that add up to nothing are dropped, so equal tallies compare equal.
    public var normalized: Tally {
        var t = self
        t.categories = categories.filter { $0.value != 0 }
        t.dispatchMinutes = dispatchMinutes.filter { $0.value != 0 }
        t.acceptMinutes = acceptMinutes.filter { $0.value != 0 }
        return t
    }

    public var isZero: Bool { normalized == Tally() }
}

/// Periods as integers that sort and never collide: year 2026, quarter 20264, month 202611, day 20261122
/// (China time). Rollup rows are keyed by them.
public enum PeriodCode {
    static func parts(_ d: Date) -> (y: Int, m: Int, d: Int) {
        let c = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: d)
        return (c.year!, c.month!, c.day!)
    }

    public static func day(_ d: Date) -> Int { let p = parts(d); return p.y * 10_000 + p.m * 100 + p.d }
    public static func month(_ d: Date) -> Int { let p = parts(d); return p.y * 100 + p.m }
    public static func quarter(_ d: Date) -> Int { let p = parts(d); return p.y * 10 + (p.m - 1) / 3 + 1 }
    public static func year(_ d: Date) -> Int { parts(d).y }

    /// From a `yyyy-MM-dd` day (service records keep their day so).
    public static func day(iso: String) -> Int? {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return p[0] * 10_000 + p[1] * 100 + p[2]
    }

    /// The month, quarter and year a day belongs to (the periods an active volunteer is counted in).
    public static func presence(day: Int) -> [Int] {
        let y = day / 10_000, m = day / 100 % 100
        return [y * 100 + m, y * 10 + (m - 1) / 3 + 1, y]
    }

    /// The code of a range that is exactly one month, quarter or year; nil for any other range.
    public static func exact(_ r: AssessmentRange) -> Int? {
        let cal = Calendar.chinaStandard
        let f = parts(r.from)
        guard f.d == 1, cal.dateComponents([.hour, .minute, .second], from: r.from) == DateComponents(hour: 0, minute: 0, second: 0) else { return nil }
        let start = cal.date(from: DateComponents(year: f.y, month: f.m, day: 1))!
        if r.to == cal.date(byAdding: .month, value: 1, to: start) { return f.y * 100 + f.m }
        if (f.m - 1) % 3 == 0, r.to == cal.date(byAdding: .month, value: 3, to: start) { return f.y * 10 + (f.m - 1) / 3 + 1 }
        if f.m == 1, r.to == cal.date(byAdding: .year, value: 1, to: start) { return f.y }
        return nil
    }

    /// The whole months inside a range, and what is left at its edges (at most one stretch before
    /// and one after, each shorter than a month).
    public static func split(_ r: AssessmentRange) -> (months: [Int], edges: [AssessmentRange]) {
        let cal = Calendar.chinaStandard
        let f = parts(r.from)
        var start = cal.date(from: DateComponents(year: f.y, month: f.m, day: 1))!
        if start < r.from { start = cal.date(byAdding: .month, value: 1, to: start)! }
        var months: [Int] = []
        var cursor = start
        while let next = cal.date(byAdding: .month, value: 1, to: cursor), next <= r.to {
            months.append(month(cursor))
            cursor = next
        }
        guard !months.isEmpty else { return ([], [r]) }
        var edges: [AssessmentRange] = []
        if r.from < start { edges.append(AssessmentRange(from: r.from, to: start)) }
        if cursor < r.to { edges.append(AssessmentRange(from: cursor, to: r.to)) }
        return (months, edges)
    }
}

/// Which rollup rows an order or a service record counts in. Site 0 stands for everything (the
/// province overview). Every site on the station's path keeps a row per month; the whole keeps one
/// per day too (for trends), and the distributions per month (for its medians).
public enum Rollup {
    public struct Key: Sendable, Hashable, Comparable {
        public var site: Int
        public var period: Int
        public init(site: Int, period: Int) {
            self.site = site
            self.period = period
        }
        public static func < (a: Key, b: Key) -> Bool { (a.site, a.period) < (b.site, b.period) }
    }

    public enum Measure: Int, Sendable, CaseIterable { case category = 1, dispatch = 2, accept = 3 }

    public struct DistKey: Sendable, Hashable, Comparable {
        public var period: Int
        public var measure: Measure
        public var value: Int
        public init(period: Int, measure: Measure, value: Int) {
            self.period = period
            self.measure = measure
            self.value = value
        }
        public static func < (a: DistKey, b: DistKey) -> Bool { (a.period, a.measure.rawValue, a.value) < (b.period, b.measure.rawValue, b.value) }
    }

    /// The rows a thing placed (or served) on `date` at the end of `path` counts in.
    public static func keys(path: [Int], date: Date) -> [Key] {
        let month = PeriodCode.month(date)
        return ([0] + path).map { Key(site: $0, period: month) } + [Key(site: 0, period: PeriodCode.day(date))]
    }

    public static func keys(path: [Int], day: Int) -> [Key] {
        ([0] + path).map { Key(site: $0, period: day / 100) } + [Key(site: 0, period: day)]
    }

    /// Counter rows and distribution entries an order adds (or, with `sign: -1`, takes away).
    public struct Delta: Sendable, Equatable {
        public var counters: [Key: [Int]] = [:]
        public var dists: [DistKey: Int] = [:]
        public init() {}

        public mutating func add(_ f: OrderFacts, path: [Int], sign: Int = 1) {
            var t = Tally()
            t.add(f, sign: sign)
            add(counters: t.counts, at: keys(path: path, date: f.createdAt))
            let month = PeriodCode.month(f.createdAt)
            for (k, v) in t.categories { dists[DistKey(period: month, measure: .category, value: k), default: 0] += v }
            for (k, v) in t.dispatchMinutes { dists[DistKey(period: month, measure: .dispatch, value: k), default: 0] += v }
            for (k, v) in t.acceptMinutes { dists[DistKey(period: month, measure: .accept, value: k), default: 0] += v }
        }

        public mutating func add(counters: [Int], at keys: [Key]) {
            for key in keys {
                var row = self.counters[key] ?? Array(repeating: 0, count: counters.count)
                for i in row.indices { row[i] += counters[i] }
                self.counters[key] = row
            }
        }

        /// Rows and entries that changed (zero changes dropped), in key order: writers take row locks
        /// in one order, so two of them never wait on each other in a circle.
        public var changes: (counters: [(Key, [Int])], dists: [(DistKey, Int)]) {
            (counters.filter { $0.value.contains { $0 != 0 } }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
             dists.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// What one step changes: the order's old contribution out, the new one in.
    public static func delta(from old: OrderFacts?, to new: OrderFacts, path: [Int]) -> Delta {
        var d = Delta()
        if let old { d.add(old, path: path, sign: -1) }
        d.add(new, path: path)
        return d
    }
}
