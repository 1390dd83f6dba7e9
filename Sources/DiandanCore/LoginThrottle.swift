import Foundation

/// Growing delay after failed logins: the first few are free, then each failure locks the account
/// for twice as long as the last, up to a ceiling. A success resets the count.
public struct LoginThrottle: Sendable, Equatable {
    public var freeAttempts: Int
    public var baseLock: TimeInterval
    public var maxLock: TimeInterval

    public init(freeAttempts: Int = 5, baseLock: TimeInterval = 30, maxLock: TimeInterval = 15 * 60) {
        self.freeAttempts = freeAttempts
        self.baseLock = baseLock
        self.maxLock = maxLock
    }

    /// How long to lock after the `failures`-th consecutive failure (0 = no lock).
    public func lockDuration(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeAttempts else { return 0 }
        let exponent = min(failures - freeAttempts, 20)
        return min(baseLock * pow(2, Double(exponent)), maxLock)
    }

    public func lockedUntil(afterFailures failures: Int, now: Date) -> Date? {
        let d = lockDuration(afterFailures: failures)
        return d > 0 ? now.addingTimeInterval(d) : nil
    }
}
