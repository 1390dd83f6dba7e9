import Foundation

/// 手机验证码登录: the rules of the codes sent by text message, as values and pure functions.
///
/// A code is six digits, good once, for five minutes and five tries, and is kept only as a digest.
/// A phone may be sent a code once a minute and five times an hour; one address may ask for twenty
/// an hour (whatever the phones), so nobody can flood a number or the gateway.
public enum SignInCodeRules {
    public static let digits = 6
    public static let lifetime: TimeInterval = 5 * 60
    public static let maxTries = 5
    /// The least time between two codes for one phone.
    public static let phoneGap: TimeInterval = 60
    public static let phoneHourly = 5
    public static let addressHourly = 20

    /// A fresh code: six digits, leading zeros kept, from the generator given (the system's, in use).
    public static func newCode<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let n = Int.random(in: 0..<1_000_000, using: &generator)
        let s = String(n)
        return String(repeating: "0", count: digits - s.count) + s
    }

    public static func newCode() -> String {
        var g = SystemRandomNumberGenerator()
        return newCode(using: &g)
    }

    /// What a person typed as a code, read leniently (spaces, full-width digits) but only six digits.
    public static func normalized(_ typed: String) -> String? {
        let digits = typed.compactMap { c -> Character? in
            if c.isWhitespace || c == "-" { return nil }
            // Decimal digits of any script (full-width ones from a Chinese keyboard), not numerals like 五.
            guard c.unicodeScalars.count == 1, c.unicodeScalars.first?.properties.numericType == .decimal,
                  let v = c.wholeNumberValue, (0...9).contains(v) else { return "x" }
            return Character(String(v))
        }
        let s = String(digits)
        return s.count == Self.digits && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) ? s : nil
    }

    public enum Refusal: Sendable, Equatable {
        /// Asked again too soon: wait this many seconds.
        case tooSoon(seconds: Int)
        /// This phone has had its codes for the hour.
        case phoneHourly
        /// This address has asked for too many codes this hour.
        case addressHourly
    }

    /// Whether a code may be sent now, given when codes were sent to this phone and asked for from
    /// this address (older than an hour no longer count). nil: it may.
    public static func refusal(now: Date, phoneRequests: [Date], addressRequests: [Date]) -> Refusal? {
        let hourAgo = now.addingTimeInterval(-3600)
        // Stored times come back rounded (to the microsecond): one a hair after `now` still counts.
        let phone = phoneRequests.filter { $0 > hourAgo }
        let address = addressRequests.filter { $0 > hourAgo }
        if address.count >= addressHourly { return .addressHourly }
        if let last = phone.max(), now.timeIntervalSince(last) < phoneGap {
            return .tooSoon(seconds: min(Int(phoneGap), Int((phoneGap - now.timeIntervalSince(last)).rounded(.up))))
        }
        if phone.count >= phoneHourly { return .phoneHourly }
        return nil
    }

    /// A code as it is stored.
    public struct Stored: Sendable, Equatable {
        public var digest: String
        public var createdAt: Date
        public var tries: Int
        public var usedAt: Date?

        public init(digest: String, createdAt: Date, tries: Int = 0, usedAt: Date? = nil) {
            self.digest = digest
            self.createdAt = createdAt
            self.tries = tries
            self.usedAt = usedAt
        }
    }

    public enum Outcome: Sendable, Equatable {
        case accepted
        /// Not the code; this many tries are left.
        case wrong(triesLeft: Int)
        /// Older than five minutes: ask for a new one.
        case expired
        /// Used already (a code signs in once).
        case used
        /// Five wrong tries: this code is spent; ask for a new one.
        case exhausted
    }

    /// Judges a typed code against the newest stored one. The try counts whatever the outcome (the
    /// caller stores `tries + 1`); the digests are compared in constant time.
    public static func judge(_ typed: String, against stored: Stored, now: Date, digest: (String) -> String) -> Outcome {
        if stored.usedAt != nil { return .used }
        if now.timeIntervalSince(stored.createdAt) >= lifetime { return .expired }
        if stored.tries >= maxTries { return .exhausted }
        guard let code = normalized(typed), constantTimeEquals(digest(code), stored.digest) else {
            let left = maxTries - stored.tries - 1
            return left > 0 ? .wrong(triesLeft: left) : .exhausted
        }
        return .accepted
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
