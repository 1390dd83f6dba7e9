import Foundation

/// A small, fast, seedable random number generator (SplitMix64): synthetic data is the same for the
/// same seed on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One of `choices`, with the given weights.
    public mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var pick = Int.random(in: 0..<total, using: &self)
        for (value, weight) in choices {
            if pick < weight { return value }
            pick -= weight
        }
        return choices[choices.count - 1].0
    }
}

/// How much synthetic data: per county centre, the volumes of a typical county (the province is a
/// hundred of them: 1,600 institutes, 20,000 stations, 70,000 teams, a million volunteers, 280,000
/// menu items and projects, 2.6 million orders over two years).
public struct SyntheticScale: Sendable, Equatable {
    public var centres: Int
    public var institutesPerCentre: Int
    public var stationsPerCentre: Int
    public var teamsPerStation: Int
    public var teamsPerInstitute: Int
    public var teamsPerCentre: Int
    public var volunteersPerStation: Int
    public var menuItemsPerStation: Int
    /// Projects per team (every team, at every level).
    public var projectsPerStationTeam: Int
    public var ordersPerStation: Int
    public var days: Int

    public static let county = SyntheticScale(centres: 1, institutesPerCentre: 16, stationsPerCentre: 200, teamsPerStation: 3, teamsPerInstitute: 5,
                                              teamsPerCentre: 20, volunteersPerStation: 50, menuItemsPerStation: 7, projectsPerStationTeam: 2,
                                              ordersPerStation: 130, days: 730)
    public static var city: SyntheticScale { var s = county; s.centres = 10; return s }
    public static var province: SyntheticScale { var s = county; s.centres = 100; return s }

    public static func named(_ name: String) -> SyntheticScale? {
        switch name {
        case "county": county
        case "city": city
        case "province": province
        default: nil
        }
    }

    public var stations: Int { centres * stationsPerCentre }
    public var orders: Int { stations * ordersPerStation }
    public var volunteers: Int { stations * volunteersPerStation }
}

/// One synthetic order's life: where it ended, through which steps, and when (seconds after it was
/// placed). Realistic shares of outcomes, channels, ratings and escalations; open orders only among
/// the most recent.
public struct OrderPlan: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var action: OrderAction
        public var after: TimeInterval
        public var from: OrderStatus?
        public var to: OrderStatus
    }

    public var status: OrderStatus
    public var channel: OrderChannel
    public var steps: [Step]
    public var rating: Int?
    /// Volunteers who served (indexes into the team's members) and the hours of each.
    public var served: [(member: Int, hours: Double)]
    public var escalations: Int

    public static func == (a: OrderPlan, b: OrderPlan) -> Bool {
        a.status == b.status && a.channel == b.channel && a.steps == b.steps && a.rating == b.rating && a.escalations == b.escalations
            && a.served.map(\.member) == b.served.map(\.member) && a.served.map(\.hours) == b.served.map(\.hours)
    }

    /// `age` is how long ago the order was placed: open states only for orders younger than a week.
    public static func make(_ rng: inout SplitMix64, age: TimeInterval, autoAccept: Bool, teamSize: Int) -> OrderPlan {
        let recent = age < 7 * 86_400
        let outcome: OrderStatus = rng.weighted(recent
            ? [(.submitted, 10), (.dispatched, 10), (.accepted, 15), (.inService, 10), (.completed, 20), (.rated, 15), (.closed, 10), (.cancelled, 7), (.rejected, 3)]
            : [(.closed, 63), (.rated, 12), (.cancelled, 15), (.rejected, 10)])
        let channel: OrderChannel = rng.weighted([(.web, 30), (.mobile, 35), (.phone, 15), (.walkIn, 15), (.api, 3), (.open311, 2)])
        var steps = [Step(action: .submit, after: 0, from: nil, to: .submitted)]
        var t: TimeInterval = 0
        var status = OrderStatus.submitted
        func step(_ a: OrderAction, _ to: OrderStatus?, _ wait: ClosedRange<Double>) {
            // Whole seconds, like a clock that is read to the second: durations in minutes then round alike everywhere.
            t += Double.random(in: wait, using: &rng).rounded()
            steps.append(Step(action: a, after: min(t, max(0, (age - 1).rounded(.down))), from: status, to: to ?? status))
            if let to { status = to }
        }
        var escalations = 0
        if outcome == .rejected {
            step(.reject, .rejected, 300...86_400)
            return OrderPlan(status: .rejected, channel: channel, steps: steps, rating: nil, served: [], escalations: 0)
        }
        // Not taken in time: handed up the tree once or twice before anyone dispatches it.
        let escalate = rng.weighted([(0, 88), (1, 9), (2, 3)])
        if !autoAccept || escalate > 0 {
            for _ in 0..<escalate { step(.escalate, nil, 600...14_400); escalations += 1 }
        }
        if outcome == .submitted || (outcome == .cancelled && Bool.random(using: &rng)) {
            if outcome == .cancelled { step(.cancel, .cancelled, 600...172_800) }
            return OrderPlan(status: status, channel: channel, steps: steps, rating: nil, served: [], escalations: escalations)
        }
        step(.dispatch, .dispatched, autoAccept && escalate == 0 ? 0...0 : 120...10_800)
        if outcome == .dispatched {
            return OrderPlan(status: status, channel: channel, steps: steps, rating: nil, served: [], escalations: escalations)
        }
        if outcome == .cancelled {
            step(.cancel, .cancelled, 600...86_400)
            return OrderPlan(status: status, channel: channel, steps: steps, rating: nil, served: [], escalations: escalations)
        }
        step(.accept, .accepted, 60...7_200)
        if outcome == .accepted { return OrderPlan(status: status, channel: channel, steps: steps, rating: nil, served: [], escalations: escalations) }
        step(.start, .inService, 3_600...172_800)
        if outcome == .inService { return OrderPlan(status: status, channel: channel, steps: steps, rating: nil, served: [], escalations: escalations) }
        step(.complete, .completed, 3_600...21_600)
        var served: [(Int, Double)] = []
        let count = min(teamSize, Int.random(in: 1...3, using: &rng))
        var members = Array(0..<teamSize)
        members.shuffle(using: &rng)
        for m in members.prefix(count) { served.append((m, Double(Int.random(in: 2...8, using: &rng)) / 2)) }
        var rating: Int?
        if outcome == .rated || outcome == .closed {
            rating = rng.weighted([(5, 60), (4, 25), (3, 9), (2, 4), (1, 2)])
            // Some closed orders were never rated: they closed themselves after the window.
            if outcome == .closed, Int.random(in: 0..<10, using: &rng) == 0 {
                rating = nil
                step(.close, .closed, 14 * 86_400...15 * 86_400)
            } else {
                step(.rate, .rated, 3_600...7 * 86_400)
                if outcome == .closed { step(.close, .closed, 3_600...10 * 86_400) }
            }
        }
        return OrderPlan(status: status, channel: channel, steps: steps, rating: rating, served: served, escalations: escalations)
    }
}
