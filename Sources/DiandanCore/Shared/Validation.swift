import Foundation

/// A message for a person: a catalogue key and the values to put into it.
public struct Message: Sendable, Equatable, Hashable {
    public let key: String
    public let args: [String: String]
    /// Arguments that are themselves catalogue keys (a status, an action), put in translated.
    public let keyArgs: [String: String]

    public init(_ key: String, _ args: [String: String] = [:], keys keyArgs: [String: String] = [:]) {
        self.key = key
        self.args = args
        self.keyArgs = keyArgs
    }
}

public struct FieldError: Sendable, Equatable {
    public let field: String
    public let message: Message

    public init(_ field: String, _ message: Message) {
        self.field = field
        self.message = message
    }
}

/// Input that failed validation; nothing has been written.
public struct ValidationFailure: Error, Sendable, Equatable {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }
    public init(field: String, _ key: String, _ args: [String: String] = [:]) {
        self.errors = [FieldError(field, Message(key, args))]
    }
}

/// One value from a form or a JSON body, before it is given a type.
public enum InputValue: Sendable, Equatable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([InputValue])
    case object([String: InputValue])
    case null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([InputValue].self) { self = .list(l) }
        else { self = .object(try c.decode([String: InputValue].self)) }
    }
}

/// A field a reader reads and the limits it enforces on it.
public struct FieldSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text(max: Int, min: Int, multiline: Bool)
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        /// A moment in ISO 8601 (or China time without an offset).
        case moment
        case flag
        case choice([String])
        case ids(max: Int)
        case tags(maxCount: Int, maxLength: Int)
        /// A list or object read as a whole (a survey's questions, its answers); the document gives its shape.
        case structured
    }
    public let name: String
    public let required: Bool
    public let kind: Kind
}

/// Reads typed fields out of raw input and collects every problem, so a person sees all of
/// them at once. Used alike for HTML forms (all strings) and JSON bodies (typed values).
public struct FieldReader: Sendable {
    public private(set) var errors: [FieldError] = []
    let values: [String: InputValue]
    /// The fields read and their limits, when the reader is describing rather than reading.
    public private(set) var declared: [FieldSpec] = []
    var describing = false

    /// The fields a reading function reads, with the limits it enforces: the one declaration that
    /// both the validation and the OpenAPI document use.
    public static func fields(_ read: (inout FieldReader) -> Void) -> [FieldSpec] {
        var r = FieldReader([:])
        r.describing = true
        read(&r)
        return r.declared
    }

    mutating func declare(_ name: String, _ required: Bool, _ kind: FieldSpec.Kind) {
        guard describing, !declared.contains(where: { $0.name == name }) else { return }
        declared.append(FieldSpec(name: name, required: required, kind: kind))
    }

    public init(_ values: [String: InputValue]) { self.values = values }

    public init(form: [String: [String]]) {
        var v: [String: InputValue] = [:]
        for (key, list) in form {
            let name = key.hasSuffix("[]") ? String(key.dropLast(2)) : key
            v[name] = key.hasSuffix("[]") ? .list(list.map(InputValue.string)) : list.last.map(InputValue.string) ?? .null
        }
        self.values = v
    }

    public var isValid: Bool { errors.isEmpty }

    /// The raw value of a field, for structured input (a list of objects) that a caller reads itself.
    public func raw(_ name: String) -> InputValue? { values[name] }

    /// Takes another reader's problems (a nested object's) under `prefix`.
    public mutating func absorb(_ inner: FieldReader, prefix: String) {
        for e in inner.errors { fail(prefix + "." + e.field, e.message.key, e.message.args) }
    }

    public mutating func fail(_ field: String, _ key: String, _ args: [String: String] = [:]) {
        // One message per field is enough; the first is the most basic.
        guard !errors.contains(where: { $0.field == field }) else { return }
        errors.append(FieldError(field, Message(key, args)))
    }

    public func hasError(_ field: String) -> Bool { errors.contains { $0.field == field } }

    public func check() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// Text, trimmed; control characters other than line breaks and tabs are refused.
    public mutating func text(_ name: String, required: Bool = true, max: Int, min: Int = 1, multiline: Bool = false) -> String? {
        declare(name, required, .text(max: max, min: min, multiline: multiline))
        let raw: String
        switch values[name] {
        case nil, .null?:
            if required { fail(name, "error.required") }
            return nil
        case .string(let s)?: raw = s
        default:
            // A number where text belongs is a mistake of the caller's: JSON says what it sends.
            fail(name, "error.not_text")
            return nil
        }
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty {
            if required { fail(name, "error.required") }
            return nil
        }
        // Line breaks as any system writes them (browsers send a textarea's as CRLF) and tabs are
        // allowed in text of several lines; no other control character anywhere.
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) {
            fail(name, "error.control_characters")
            return nil
        }
        if s.count > max {
            fail(name, "error.too_long", ["max": String(max)])
            return nil
        }
        if s.count < min {
            fail(name, "error.too_short", ["min": String(min)])
            return nil
        }
        return s
    }

    public mutating func int(_ name: String, required: Bool = true, in range: ClosedRange<Int>) -> Int? {
        declare(name, required, .integer(range))
        let n: Int?
        switch values[name] {
        case nil, .null?:
            if required { fail(name, "error.required") }
            return nil
        case .number(let d)?: n = d.rounded() == d && abs(d) < 1e15 ? Int(d) : nil
        case .string(let s)?:
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                if required { fail(name, "error.required") }
                return nil
            }
            n = Int(t)
        default: n = nil
        }
        guard let n else {
            fail(name, "error.not_integer")
            return nil
        }
        guard range.contains(n) else {
            fail(name, "error.out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)])
            return nil
        }
        return n
    }

    public mutating func double(_ name: String, required: Bool = true, in range: ClosedRange<Double>) -> Double? {
        declare(name, required, .number(range))
        let n: Double?
        switch values[name] {
        case nil, .null?:
            if required { fail(name, "error.required") }
            return nil
        case .number(let d)?: n = d
        case .string(let s)?:
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                if required { fail(name, "error.required") }
                return nil
            }
            n = Double(t)
        default: n = nil
        }
        guard let n, n.isFinite else {
            fail(name, "error.not_number")
            return nil
        }
        guard range.contains(n) else {
            fail(name, "error.out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)])
            return nil
        }
        return n
    }

    /// A moment in ISO 8601 (`2026-11-23T08:15:00Z`, fractional seconds allowed).
    public mutating func date(_ name: String, required: Bool = true) -> Date? {
        declare(name, required, .moment)
        guard let raw = text(name, required: required, max: 40) else { return nil }
        if let d = try? Date(raw, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        if let d = try? Date(raw, strategy: .iso8601) { return d }
        fail(name, "error.date_format")
        return nil
    }

    /// A checkbox: absent means false; forms send "on", JSON sends true.
    public mutating func bool(_ name: String) -> Bool {
        declare(name, false, .flag)
        switch values[name] {
        case nil, .null?: return false
        case .bool(let b)?: return b
        case .string(let s)?:
            switch s.lowercased() {
            case "on", "true", "1", "yes": return true
            case "", "off", "false", "0", "no": return false
            default: fail(name, "error.not_boolean"); return false
            }
        case .number(let d)?: return d != 0
        default:
            fail(name, "error.not_boolean")
            return false
        }
    }

    public mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, required: Bool = true) -> T? where T.RawValue == String {
        declare(name, required, .choice(T.allCases.map(\.rawValue)))
        guard let raw = text(name, required: required, max: 64) else { return nil }
        guard let value = T(rawValue: raw) else {
            fail(name, "error.invalid_choice")
            return nil
        }
        return value
    }

    /// A list of ids (multi-select or JSON array); duplicates removed, order kept.
    public mutating func ids(_ name: String, max: Int = 500) -> [Int] {
        declare(name, false, .ids(max: max))
        let items: [InputValue]
        switch values[name] {
        case nil, .null?: return []
        case .list(let l)?: items = l
        case .string(let s)?: items = s.isEmpty ? [] : [.string(s)]
        case .number(let d)?: items = [.number(d)]
        default:
            fail(name, "error.not_list")
            return []
        }
        var out: [Int] = []
        for item in items {
            var id: Int?
            if case .number(let d) = item, d.rounded() == d, abs(d) < 1e15 { id = Int(d) }
            if case .string(let s) = item { id = Int(s.trimmingCharacters(in: .whitespaces)) }
            guard let id, (1...Int(Int32.max)).contains(id) else {
                fail(name, "error.invalid_choice")
                return []
            }
            if !out.contains(id) { out.append(id) }
        }
        if out.count > max { fail(name, "error.too_many", ["max": String(max)]) }
        return out
    }

    /// A list of short texts (e.g. skills), from a JSON array or a comma-separated line.
    public mutating func tags(_ name: String, maxCount: Int, maxLength: Int) -> [String] {
        declare(name, false, .tags(maxCount: maxCount, maxLength: maxLength))
        var parts: [String] = []
        switch values[name] {
        case nil, .null?: return []
        case .string(let s)?:
            parts = s.split(whereSeparator: { ",，、;；\n".contains($0) }).map(String.init)
        case .list(let l)?:
            for item in l {
                guard case .string(let s) = item else {
                    fail(name, "error.not_text")
                    return []
                }
                parts.append(s)
            }
        default:
            fail(name, "error.not_list")
            return []
        }
        var out: [String] = []
        for p in parts {
            let t = p.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { continue }
            if t.count > maxLength || t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                fail(name, "error.too_long", ["max": String(maxLength)])
                return []
            }
            if !out.contains(t) { out.append(t) }
        }
        if out.count > maxCount { fail(name, "error.too_many", ["max": String(maxCount)]) }
        return out
    }
}

/// MultipartKit's parser traps (index out of range) on a header name byte above 127: one crafted
/// upload would bring the server down. Bodies are checked with this before it sees them.
public enum MultipartCheck {
    /// Every header line of every part has an ASCII name (the text before its colon).
    public static func headerNamesAreASCII(_ body: [UInt8], boundary: String) -> Bool {
        let delimiter = Array(("--" + boundary).utf8)
        guard !delimiter.isEmpty else { return true }
        var i = 0
        while let start = find(delimiter, in: body, from: i) {
            var j = start + delimiter.count
            while j < body.count, body[j] != 0x0A { j += 1 }
            j += 1
            // The part's header lines, up to the empty line before its body.
            while j < body.count {
                var end = j
                while end < body.count, body[end] != 0x0A { end += 1 }
                var line = body[j..<end]
                if line.last == 0x0D { line = line.dropLast() }
                if line.isEmpty { break }
                let nameEnd = line.firstIndex(of: 0x3A) ?? line.endIndex
                if line[line.startIndex..<nameEnd].contains(where: { $0 >= 0x80 }) { return false }
                j = end + 1
            }
            i = max(j, start + 1)
        }
        return true
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count, from <= hay.count - needle.count else { return nil }
        var k = from
        while k <= hay.count - needle.count {
            if hay[k] == needle[0], hay[k..<(k + needle.count)].elementsEqual(needle) { return k }
            k += 1
        }
        return nil
    }
}
