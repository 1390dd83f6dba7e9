import Foundation

/// How often one address or one account may do something that costs the server, or others, dearly.
/// Counted in fixed windows per key; past the limit the answer is 429 with the seconds to wait.
public struct RateRule: Sendable, Equatable {
    public let limit: Int
    public let window: TimeInterval

    public init(_ limit: Int, per window: TimeInterval) {
        self.limit = limit
        self.window = window
    }
}

public enum RateBucket: String, Sendable, CaseIterable {
    /// Signing in, on the page and for an API token (guessing passwords; each account also locks).
    case signIn = "sign_in"
    /// Volunteer registration (each one stores a protected ID number).
    case registration
    /// Placing orders, on the page, the API or Open311.
    case orders
    /// Urging (催单) notifies people; each order also allows one urge per half hour.
    case urge
    /// Open311 reads by an address, and requests by an API key.
    case open311

    /// Per address, and per account (or API key) when the caller is known.
    public var rules: (perAddress: RateRule, perAccount: RateRule?) {
        switch self {
        case .signIn: (RateRule(30, per: 60), nil)
        case .registration: (RateRule(60, per: 3600), nil)
        case .orders: (RateRule(120, per: 60), RateRule(20, per: 60))
        case .urge: (RateRule(60, per: 60), RateRule(10, per: 60))
        case .open311: (RateRule(300, per: 60), RateRule(300, per: 60))
        }
    }
}

/// The counters, in memory (each instance counts its own callers). Old windows are dropped as the
/// table grows, so a flood of addresses cannot fill memory.
public final class RateLimiter: @unchecked Sendable {
    private struct Window { var start: Date; var count: Int }
    private let lock = NSLock()
    private var windows: [String: Window] = [:]
    private let maxKeys: Int

    public init(maxKeys: Int = 200_000) { self.maxKeys = maxKeys }

    /// Counts one try; nil when allowed, else the whole seconds to wait.
    public func take(_ key: String, _ rule: RateRule, now: Date) -> Int? {
        lock.withLock {
            if windows.count >= maxKeys { windows = windows.filter { now.timeIntervalSince($0.value.start) < rule.window } }
            var w = windows[key] ?? Window(start: now, count: 0)
            if now.timeIntervalSince(w.start) >= rule.window { w = Window(start: now, count: 0) }
            guard w.count < rule.limit else {
                return max(1, Int((w.start.addingTimeInterval(rule.window).timeIntervalSince(now)).rounded(.up)))
            }
            w.count += 1
            windows[key] = w
            return nil
        }
    }

    public func reset() { lock.withLock { windows = [:] } }
}
