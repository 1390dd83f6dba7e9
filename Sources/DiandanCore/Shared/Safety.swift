import Foundation

// Small rules that keep what comes from outside from doing harm: where a redirect may go, what a
// spreadsheet cell may start with, which addresses a webhook may reach.

public enum LocalPath {
    /// A redirect target from a request (`next=`) is followed only when it is a path on this site:
    /// one leading `/`, and nowhere a `//`, a backslash, a control character or whitespace. Browsers
    /// drop tabs and newlines from a URL before they read it, so `/%09/evil.example` is `//evil.example`
    /// to them: another host.
    public static func isSafe(_ s: String) -> Bool {
        guard s.hasPrefix("/"), s.utf8.count <= 2000, !s.contains("//") else { return false }
        for u in s.unicodeScalars {
            if u == "\\" || u.properties.isWhitespace || u.properties.generalCategory == .control || u.properties.generalCategory == .format
                || u.properties.generalCategory == .lineSeparator || u.properties.generalCategory == .paragraphSeparator {
                return false
            }
        }
        return true
    }
}

public enum CSVCell {
    /// A spreadsheet opening a CSV treats a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return as a formula (`=HYPERLINK(…)` leaks or runs things). Such a cell gets a leading `'`,
    /// which spreadsheets show as text. Plain negative numbers (`-3`, `-0.5`) are numbers, not
    /// formulas, and stay as they are.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first else { return value }
        guard ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        if first == "-", value.count > 1, Double(value) != nil, value.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) { return value }
        return "'" + value
    }

    /// One field of a CSV line: neutralised, then quoted when it holds a comma, quote or line break.
    public static func field(_ value: String) -> String {
        let v = neutralised(value)
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// A whole line, with CRLF as RFC 4180 has it.
    public static func line(_ values: [String]) -> String { values.map(field).joined(separator: ",") + "\r\n" }
}

/// Where an outgoing call may go. Webhooks are addresses typed by admins; one pointing at the
/// machine itself or the private network would let them make the server call its own services.
public enum NetworkAddress {
    /// True for addresses that are not on the public internet: loopback, private (RFC 1918, ULA),
    /// link-local, carrier-grade NAT, unspecified, multicast, reserved and documentation ranges,
    /// and IPv4 written inside IPv6.
    public static func isInternal(_ address: String) -> Bool {
        if let v4 = ipv4(address) { return internalV4(v4) }
        if let v6 = ipv6(address) { return internalV6(v6) }
        return true // not an address we can read: treat as internal, so it is refused
    }

    /// The four bytes of a dotted IPv4 address (each part 0–255, decimal, no leading zero — some
    /// resolvers read `0177` as octal), or nil.
    public static func ipv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), p == "0" || !p.hasPrefix("0"), let n = UInt8(p) else { return nil }
            out.append(n)
        }
        return out
    }

    /// The sixteen bytes of an IPv6 address (with `::`, and an IPv4 tail), or nil. A zone (`%eth0`)
    /// is dropped.
    public static func ipv6(_ raw: String) -> [UInt8]? {
        var s = raw
        if s.hasPrefix("[") && s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        if let zone = s.firstIndex(of: "%") { s = String(s[..<zone]) }
        guard s.contains(":") else { return nil }
        var tail: [UInt8] = []
        if let lastColon = s.lastIndex(of: ":"), s[s.index(after: lastColon)...].contains(".") {
            guard let v4 = ipv4(String(s[s.index(after: lastColon)...])) else { return nil }
            tail = v4
            s = String(s[...lastColon])
            if s.hasSuffix(":") && !s.hasSuffix("::") { s.removeLast() }
        }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let n = UInt16(g, radix: 16) else { return nil }
                out.append(n)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let rest = halves.count == 2 ? groups(halves[1]) : []
        guard let rest else { return nil }
        let needed = 8 - tail.count / 2
        var all: [UInt16]
        if halves.count == 2 {
            guard head.count + rest.count < needed else { return nil }
            all = head + Array(repeating: 0, count: needed - head.count - rest.count) + rest
        } else {
            guard head.count == needed else { return nil }
            all = head
        }
        var bytes: [UInt8] = []
        for g in all { bytes.append(UInt8(g >> 8)); bytes.append(UInt8(g & 0xFF)) }
        return bytes + tail
    }

    static func internalV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127): return true          // carrier-grade NAT
        case (169, 254): return true               // link-local (cloud metadata lives here)
        case (172, 16...31): return true
        case (192, 168): return true
        case (192, 0) where b[2] == 0 || b[2] == 2: return true  // IETF protocol assignments, TEST-NET-1
        case (198, 18...19): return true           // benchmarking
        case (198, 51) where b[2] == 100: return true
        case (203, 0) where b[2] == 113: return true
        case (224...255, _): return true           // multicast, reserved, broadcast
        default: return false
        }
    }

    static func internalV6(_ b: [UInt8]) -> Bool {
        if b[0..<15].allSatisfy({ $0 == 0 }) { return true }                       // :: and ::1
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF {  // ::ffff:a.b.c.d
            return internalV4(Array(b[12..<16]))
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return internalV4(Array(b[12..<16])) } // ::a.b.c.d
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B { return internalV4(Array(b[12..<16])) } // 64:ff9b::/96
        if b[0] == 0x20 && b[1] == 0x02 { return internalV4(Array(b[2..<6])) }      // 6to4
        if b[0] & 0xFE == 0xFC { return true }                                      // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }                      // fe80::/10 link-local
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return true }                      // fec0::/10 site-local (old)
        if b[0] == 0xFF { return true }                                             // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return true } // documentation
        return false
    }
}
