import Foundation

/// The audit trail (审计日志): who did what, when, to what, and why — every admin action and every
/// view of personal data in the clear. Each entry carries the hash of the one before it, so an entry
/// changed, removed or slipped in afterwards breaks the chain at that point.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int
    public var at: Date
    public var accountID: Int?
    public var username: String
    public var siteID: Int?
    public var action: String
    public var target: String
    public var detail: String
    public var reason: String?
    public var address: String

    public init(seq: Int, at: Date, accountID: Int?, username: String, siteID: Int?, action: String, target: String, detail: String, reason: String?, address: String) {
        self.seq = seq
        self.at = at
        self.accountID = accountID
        self.username = username
        self.siteID = siteID
        self.action = action
        self.target = target
        self.detail = detail
        self.reason = reason
        self.address = address
    }

    /// The exact text that is hashed: every field, in order, separated by a character no field holds
    /// (unit separator), time in whole milliseconds so both databases give it back the same.
    public var canonical: String {
        [String(seq), String(Int64((at.timeIntervalSince1970 * 1000).rounded())), accountID.map(String.init) ?? "", username,
         siteID.map(String.init) ?? "", action, target, detail, reason ?? "", address]
            .map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }
}

public enum AuditChain {
    /// The hash "before" the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// An entry's hash: of the previous hash and its canonical text. The digest (SHA-256, hex) is given
    /// by the caller, as this module has no cryptography of its own.
    public static func hash(previous: String, _ entry: AuditEntry, digest: (String) -> String) -> String {
        digest(previous + "\u{1E}" + entry.canonical)
    }

    public enum Break: Equatable, Sendable {
        /// The entry's stored hash is not the hash of its content and its predecessor.
        case altered(seq: Int)
        /// The sequence skips (an entry removed) or repeats (one slipped in).
        case gap(after: Int, found: Int)
        /// The chain holds but ends before its head says it does: the newest entries were removed.
        case truncated(expected: Int, found: Int)
        /// The head is gone, or not signed by the server.
        case headMissing, headAltered
    }

    /// Checks stored entries one after another, in order (a page at a time is fine).
    public struct Verifier: Sendable {
        public private(set) var count = 0
        private var last = AuditChain.genesis
        private var lastSeq = 0

        public init() {}

        /// After the last entry: the chain must end where its separately kept head says.
        public func finish(expectedCount: Int, expectedLastHash: String) -> Break? {
            guard count == expectedCount, last == expectedLastHash else {
                return count < expectedCount ? .truncated(expected: expectedCount, found: count) : .gap(after: expectedCount, found: count)
            }
            return nil
        }

        /// The break this entry makes, or nil when it continues the chain.
        public mutating func check(_ entry: AuditEntry, previous: String, hash stored: String, digest: (String) -> String) -> Break? {
            guard entry.seq == lastSeq + 1 else { return .gap(after: lastSeq, found: entry.seq) }
            guard previous == last, AuditChain.hash(previous: last, entry, digest: digest) == stored else { return .altered(seq: entry.seq) }
            last = stored
            lastSeq = entry.seq
            count += 1
            return nil
        }
    }

    /// Walks the stored entries in order; the first break, or nil when the chain holds.
    public static func verify<S: Sequence>(_ stored: S, digest: (String) -> String) -> Break? where S.Element == (entry: AuditEntry, previous: String, hash: String) {
        var v = Verifier()
        for item in stored {
            if let b = v.check(item.entry, previous: item.previous, hash: item.hash, digest: digest) { return b }
        }
        return nil
    }

    /// Form fields kept in an entry's detail: their names always, their values unless they are secret or personal.
    public static let redacted: Set<String> = ["password", "phone", "id_number", "contact_phone", "_csrf", "webhook_secret"]

    public static func describe(_ form: [String: [String]]) -> String {
        form.keys.sorted().filter { $0 != "_csrf" }.map { key in
            let name = key.hasSuffix("[]") ? String(key.dropLast(2)) : key
            if redacted.contains(name) { return "\(name)=…" }
            let value = (form[key] ?? []).joined(separator: ",")
            return "\(name)=\(value.count > 80 ? String(value.prefix(80)) + "…" : value)"
        }.joined(separator: "; ")
    }
}
