import Foundation

/// How failed sign-ins are answered, so that guessing is slow but nobody can lock anybody else out.
///
/// Failures are counted three ways: for one username from one address, for one address over all
/// usernames, and for one username from anywhere. The address that keeps failing is locked (for that
/// username after a few failures, for every username after many); the username itself is never
/// locked, only slowed: every attempt on it waits a little longer, the owner's from another address
/// included, so a guesser spread over many addresses gains little and the owner still gets in.
/// Unknown usernames are counted and answered exactly like known ones, so the answers never tell
/// which usernames exist. Failures older than `window` are forgotten; a success clears the counts for
/// that username.
public struct LoginThrottle: Sendable, Equatable {
    /// Failures of one username from one address before that address is locked for it.
    public var freeAttempts: Int
    public var baseLock: TimeInterval
    public var maxLock: TimeInterval
    /// Failures from one address, over all usernames, before the address is locked for all of them.
    public var addressFreeAttempts: Int = 50
    public var addressBaseLock: TimeInterval = 60
    public var addressMaxLock: TimeInterval = 3600
    /// Failures of one username, from anywhere, before attempts on it are slowed.
    public var slowAfter: Int = 10
    public var slowStep: TimeInterval = 0.25
    public var maxSlow: TimeInterval = 5
    /// Failures older than this are forgotten.
    public var window: TimeInterval = 3600

    public init(freeAttempts: Int = 5, baseLock: TimeInterval = 30, maxLock: TimeInterval = 15 * 60) {
        self.freeAttempts = freeAttempts
        self.baseLock = baseLock
        self.maxLock = maxLock
    }

    /// How long to lock one username for one address after its `failures`-th failure (0 = no lock).
    public func lockDuration(afterFailures failures: Int) -> TimeInterval {
        Self.doubling(failures, free: freeAttempts, base: baseLock, max: maxLock)
    }

    public func lockedUntil(afterFailures failures: Int, now: Date) -> Date? {
        let d = lockDuration(afterFailures: failures)
        return d > 0 ? now.addingTimeInterval(d) : nil
    }

    /// How long to lock an address for every username after its `failures`-th failure.
    public func addressLockDuration(afterFailures failures: Int) -> TimeInterval {
        Self.doubling(failures, free: addressFreeAttempts, base: addressBaseLock, max: addressMaxLock)
    }

    /// How long an attempt on a username waits once it has failed `failures` times from anywhere.
    public func slowDown(afterFailures failures: Int) -> TimeInterval {
        guard failures >= slowAfter else { return 0 }
        return min(slowStep * pow(2, Double(min(failures - slowAfter, 20))), maxSlow)
    }

    static func doubling(_ failures: Int, free: Int, base: TimeInterval, max ceiling: TimeInterval) -> TimeInterval {
        guard failures >= free else { return 0 }
        let exponent = min(failures - free, 20)
        return min(base * pow(2, Double(exponent)), ceiling)
    }

    /// The keys failures are counted under; usernames are compared without case.
    public static func keys(username: String, address: String) -> (pair: String, address: String, username: String) {
        let u = username.lowercased()
        return ("ua|" + u + "|" + address, "a|" + address, "u|" + u)
    }
}
