import Foundation

/// A resident identity card number (居民身份证号码) as defined by GB 11643-1999:
/// six digits of region, eight of birth date, three of sequence (odd = male), one check character.
public struct IDNumber: Sendable, Hashable {
    public let value: String

    public enum Problem: Error, Equatable, Sendable {
        case length, characters, region, birthDate, checkDigit
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The ISO 7064 MOD 11-2 check character for the first 17 digits.
    public static func checkCharacter(for first17: String) -> Character? {
        let digits = first17.compactMap { $0.wholeNumberValue }
        guard digits.count == 17, first17.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Parses and validates; `today` bounds the birth date (no one is born tomorrow).
    public static func parse(_ raw: String, today: Date, calendar: Calendar = .chinaStandard) -> Result<IDNumber, Problem> {
        let s = raw.trimmingCharacters(in: .whitespaces).uppercased()
        guard s.count == 18 else { return .failure(.length) }
        let first17 = String(s.prefix(17))
        guard first17.allSatisfy({ $0.isASCII && $0.isNumber }),
              let last = s.last, last.isASCII, last.isNumber || last == "X"
        else { return .failure(.characters) }
        guard let firstDigit = s.first?.wholeNumberValue, (1...8).contains(firstDigit) else { return .failure(.region) }
        let candidate = IDNumber(value: s)
        guard let birth = candidate.birthComponents,
              let date = calendar.date(from: birth),
              calendar.dateComponents([.year, .month, .day], from: date) == birth,
              date <= today,
              birth.year! >= 1900
        else { return .failure(.birthDate) }
        guard checkCharacter(for: first17) == last else { return .failure(.checkDigit) }
        return .success(candidate)
    }

    private init(value: String) { self.value = value }


    /// Builds a well-formed number (for demo and synthetic data): region "360781", birth "19850314",
    /// a sequence 0...999 (odd for men), and the computed check character.
    public static func compose(region: String, birth: String, sequence: Int) -> String {
        let first17 = region + birth + String(format: "%03d", sequence % 1000)
        return first17 + String(checkCharacter(for: first17) ?? "0")
    }

    var birthComponents: DateComponents? {
        let chars = Array(value)
        guard let y = Int(String(chars[6..<10])), let m = Int(String(chars[10..<12])), let d = Int(String(chars[12..<14])) else { return nil }
        return DateComponents(year: y, month: m, day: d)
    }

    /// Birth date as `yyyy-MM-dd`, derived from the number itself.
    public var birthDate: String {
        let c = Array(value)
        return "\(String(c[6..<10]))-\(String(c[10..<12]))-\(String(c[12..<14]))"
    }

    public var gender: Gender {
        (Array(value)[16].wholeNumberValue ?? 0) % 2 == 1 ? .male : .female
    }

    /// Shown masked everywhere: the first three and the last four characters.
    public var masked: String { Masking.mask(value, keepFirst: 3, keepLast: 4) }

    /// Whole years of age on `today`.
    public func age(on today: Date, calendar: Calendar = .chinaStandard) -> Int {
        guard let birth = birthComponents, let date = calendar.date(from: birth) else { return 0 }
        return calendar.dateComponents([.year], from: date, to: today).year ?? 0
    }
}

public enum Gender: String, Sendable, Codable, CaseIterable {
    case male, female
}

public enum Masking {
    public static func mask(_ s: String, keepFirst: Int, keepLast: Int) -> String {
        let chars = Array(s)
        guard chars.count > keepFirst + keepLast else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(keepFirst)) + String(repeating: "*", count: chars.count - keepFirst - keepLast) + String(chars.suffix(keepLast))
    }
}

/// A mainland China mobile number, normalised to 11 digits.
public struct PhoneNumber: Sendable, Hashable {
    public let value: String

    public static func parse(_ raw: String) -> PhoneNumber? {
        var s = raw.filter { !$0.isWhitespace && $0 != "-" }
        if s.hasPrefix("+86") { s.removeFirst(3) } else if s.hasPrefix("0086") { s.removeFirst(4) }
        guard s.count == 11, s.allSatisfy({ $0.isASCII && $0.isNumber }), s.hasPrefix("1"),
              let second = Array(s)[1].wholeNumberValue, (3...9).contains(second)
        else { return nil }
        return PhoneNumber(value: s)
    }

    /// A mobile number, or with `landline` also a fixed line with its area code (0797-1234567,
    /// 010 12345678, +86 797 1234567), kept as its digits.
    public static func parse(_ raw: String, landline: Bool) -> PhoneNumber? {
        if let mobile = parse(raw) { return mobile }
        guard landline else { return nil }
        var s = raw.filter { !$0.isWhitespace && $0 != "-" && $0 != "(" && $0 != ")" }
        if s.hasPrefix("+86") { s = "0" + s.dropFirst(3) } else if s.hasPrefix("0086") { s = "0" + s.dropFirst(4) }
        guard (10...12).contains(s.count), s.hasPrefix("0"), !s.hasPrefix("00"), s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return PhoneNumber(value: s)
    }

    private init(value: String) { self.value = value }

    /// Written the way people read a number out: 138 0013 8000, 0797-2212345, 010-12345678.
    public var readable: String {
        if isMobile { return value.prefix(3) + " " + value.dropFirst(3).prefix(4) + " " + value.suffix(4) }
        guard value.hasPrefix("0") else { return value }
        // Beijing, Tianjin and the 02x cities have three-digit area codes; the rest four.
        let area = value.hasPrefix("01") || value.hasPrefix("02") ? 3 : 4
        return value.prefix(area) + "-" + value.dropFirst(area)
    }

    public var isMobile: Bool { value.count == 11 && value.hasPrefix("1") }

    public var masked: String { isMobile ? Masking.mask(value, keepFirst: 3, keepLast: 4) : Masking.mask(value, keepFirst: 4, keepLast: 4) }
}

extension Calendar {
    /// Dates in the domain (birthdays, deadlines "by the end of the day") are in China Standard Time.
    public static let chinaStandard: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()
}
