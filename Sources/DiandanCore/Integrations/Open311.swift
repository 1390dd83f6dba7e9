import Foundation

/// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the rules that need no server —
/// how our menu becomes its services, its form becomes our order input, our states its two, and
/// one document tree that is written as the spec's JSON or XML.
public enum Open311 {
    public static let specification = "http://wiki.open311.org/GeoReport_v2"
    /// The longest window a request search may span, and the default one (the spec's 90 days).
    public static let windowDays = 90
    public static let maxPageSize = 1000

    public enum Format: String, Sendable {
        case json, xml

        public var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }

        /// `requests.json` → ("requests", .json); nil for any other suffix.
        public static func split(_ file: String) -> (name: String, format: Format)? {
            guard let dot = file.lastIndex(of: "."), let f = Format(rawValue: String(file[file.index(after: dot)...]).lowercased()) else { return nil }
            return (String(file[..<dot]), f)
        }
    }

    /// A service is a menu item (`M12`) or, for needs off the menu, a category (`C3`).
    public enum ServiceCode: Sendable, Equatable, Hashable, CustomStringConvertible {
        case menuItem(Int)
        case category(Int)

        public init?(_ raw: String) {
            let s = raw.trimmingCharacters(in: .whitespaces).uppercased()
            guard let head = s.first, let n = Int(s.dropFirst()), n > 0, n <= Int(Int32.max) else { return nil }
            switch head {
            case "M": self = .menuItem(n)
            case "C": self = .category(n)
            default: return nil
            }
        }

        public var description: String {
            switch self {
            case .menuItem(let n): "M\(n)"
            case .category(let n): "C\(n)"
            }
        }
    }

    /// Our eleven states become the spec's two.
    public static func status(_ s: OrderStatus) -> String {
        switch s {
        case .submitted, .dispatched, .accepted, .inService: "open"
        case .completed, .rated, .closed, .cancelled, .rejected: "closed"
        }
    }

    public static func statuses(open: Bool) -> [OrderStatus] {
        OrderStatus.allCases.filter { (status($0) == "open") == open }
    }

    // MARK: Service definitions

    /// One attribute of a service definition: an order form field beyond the spec's own fields.
    public struct Attribute: Sendable, Equatable {
        public let code: String
        public let datatype: String
        public let required: Bool
        /// Catalogue keys of the description and the datatype description.
        public let descriptionKey: String
        public let hintKey: String
    }

    /// The order form's own fields (the spec carries the place, the description and the contact).
    public static let attributes: [Attribute] = [
        Attribute(code: "window_start", datatype: "datetime", required: false, descriptionKey: "order.window_start", hintKey: "open311.hint.datetime"),
        Attribute(code: "window_end", datatype: "datetime", required: false, descriptionKey: "order.window_end", hintKey: "open311.hint.datetime"),
        Attribute(code: "people", datatype: "number", required: false, descriptionKey: "order.people", hintKey: "open311.hint.people"),
        Attribute(code: "notes", datatype: "text", required: false, descriptionKey: "order.notes", hintKey: "open311.hint.notes"),
    ]

    // MARK: Posting a request

    /// Our order input's field names as the spec calls them, for error descriptions.
    public static let fieldNames: [String: String] = [
        "menu_item_id": "service_code", "category_id": "service_code", "details": "description", "station_id": "jurisdiction_id",
        "latitude": "lat", "longitude": "long", "address": "address_string", "contact_name": "first_name",
        "contact_phone": "phone", "contact_email": "email", "media_url": "media_url", "window_start": "attribute[window_start]", "window_end": "attribute[window_end]",
        "people": "attribute[people]", "notes": "attribute[notes]",
    ]

    /// A POSTed request, as the fields of our order input (`OrderInput.read` validates them as it
    /// does every order). The station is chosen by the caller and passed in.
    public static func orderFields(_ form: [String: [String]], code: ServiceCode, stationID: Int, fallbackName: String = "") -> [String: InputValue] {
        func one(_ k: String) -> String? {
            guard let v = form[k]?.last?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        var out: [String: InputValue] = ["station_id": .string(String(stationID)), "channel": .string(OrderChannel.open311.rawValue)]
        switch code {
        case .menuItem(let n): out["menu_item_id"] = .string(String(n))
        case .category(let n): out["category_id"] = .string(String(n))
        }
        out["details"] = one("description").map(InputValue.string)
        out["latitude"] = one("lat").map(InputValue.string)
        out["longitude"] = one("long").map(InputValue.string)
        out["address"] = (one("address_string") ?? one("address_id")).map(InputValue.string)
        // Name, phone and e-mail are optional in GeoReport: who calls back is the name given, else the
        // e-mail, else the integration.
        out["contact_name"] = (personName(first: one("first_name"), last: one("last_name")) ?? one("email") ?? (fallbackName.isEmpty ? nil : fallbackName))
            .map(InputValue.string)
        out["contact_phone"] = one("phone").map(InputValue.string)
        out["contact_email"] = one("email").map(InputValue.string)
        out["media_url"] = one("media_url").map(InputValue.string)
        for a in attributes where a.code != "notes" {
            out[a.code] = (one("attribute[\(a.code)]") ?? one("attribute[\(a.code)][]")).map(InputValue.string)
        }
        // Notes carry what the order has no field for: the e-mail.
        var notes = [one("attribute[notes]")].compactMap { $0 }
        if let email = one("email") { notes.append("email: \(email)") }
        if !notes.isEmpty { out["notes"] = .string(notes.joined(separator: "\n")) }
        return out
    }

    /// A latitude or longitude as printed: six decimals (about 0.1 m), without the float noise of
    /// sums such as 25.906000000000002.
    public static func coordinate(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }

    /// Chinese names are written family name first, without a space; others first name first.
    public static func personName(first: String?, last: String?) -> String? {
        switch (first, last) {
        case (nil, nil): return nil
        case (let f?, nil): return f
        case (nil, let l?): return l
        case (let f?, let l?):
            let cjk = (f + l).unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
            return cjk ? l + f : f + " " + l
        }
    }

    // MARK: Searching requests

    public struct Search: Sendable, Equatable {
        /// Our order numbers; when given, every other filter is ignored (as the spec says).
        public var ids: [String] = []
        public var codes: [ServiceCode] = []
        public var statuses: [OrderStatus] = []
        public var start: Date
        public var end: Date
        public var page = 1
        public var pageSize = Open311.maxPageSize

        public init(ids: [String] = [], codes: [ServiceCode] = [], statuses: [OrderStatus] = [], start: Date, end: Date, page: Int = 1, pageSize: Int = Open311.maxPageSize) {
            self.ids = ids
            self.codes = codes
            self.statuses = statuses
            self.start = start
            self.end = end
            self.page = page
            self.pageSize = pageSize
        }
    }

    public enum SearchError: Error, Equatable {
        /// A parameter and the catalogue key of what is wrong with it.
        case invalid(String, String)
    }

    public static func search(_ q: [String: String], now: Date) throws(SearchError) -> Search {
        func list(_ k: String) -> [String] {
            (q[k] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var codes: [ServiceCode] = []
        for raw in list("service_code") {
            guard let c = ServiceCode(raw) else { throw .invalid("service_code", "open311.error.service_code") }
            codes.append(c)
        }
        var statuses: [OrderStatus] = []
        for raw in list("status") {
            switch raw.lowercased() {
            case "open": statuses += Open311.statuses(open: true)
            case "closed": statuses += Open311.statuses(open: false)
            default: throw .invalid("status", "open311.error.status")
            }
        }
        func date(_ k: String) throws(SearchError) -> Date? {
            guard let raw = q[k], !raw.isEmpty else { return nil }
            guard let d = W3C.parse(raw) else { throw .invalid(k, "open311.error.date") }
            return d
        }
        let window = TimeInterval(windowDays * 86_400)
        var start = try date("start_date"), end = try date("end_date")
        switch (start, end) {
        case (nil, nil): end = now; start = now - window
        case (let s?, nil): end = min(now, s + window)
        case (nil, let e?): start = e - window
        case (let s?, let e?):
            guard s <= e else { throw .invalid("end_date", "open311.error.range_order") }
            guard e.timeIntervalSince(s) <= window else { throw .invalid("end_date", "open311.error.range_span") }
        }
        func positive(_ k: String, max: Int) throws(SearchError) -> Int? {
            guard let raw = q[k], !raw.isEmpty else { return nil }
            guard let n = Int(raw), n >= 1, n <= max else { throw .invalid(k, k == "page" ? "open311.error.page" : "open311.error.page_size") }
            return n
        }
        let ids = list("service_request_id")
        guard ids.count <= maxPageSize, ids.allSatisfy({ $0.count <= 40 }) else { throw .invalid("service_request_id", "open311.error.ids") }
        return Search(ids: ids, codes: codes, statuses: statuses, start: start!, end: end!,
                      page: try positive("page", max: 1_000_000) ?? 1, pageSize: try positive("page_size", max: maxPageSize) ?? maxPageSize)
    }

    // MARK: Dates

    /// W3C date-times as the spec writes them: `2026-11-23T09:30:00+08:00` (China time on the way out).
    public enum W3C {
        public static func format(_ d: Date) -> String {
            let c = Calendar.chinaStandard.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        }

        /// With an offset or `Z`, with or without fractions; a bare date means its midnight, China time.
        public static func parse(_ raw: String) -> Date? {
            let s = raw.trimmingCharacters(in: .whitespaces)
            if let d = try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
            return ChinaTime.parse(s, formats: ["yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"])
        }
    }
}

/// A document the spec writes both ways: JSON as objects and arrays, XML as nested elements where
/// an array is a wrapper of repeated items (`<services><service>…</service></services>`).
/// Date-times people type, read as China time unless they say otherwise.
public enum ChinaTime {
    /// ISO 8601 with an offset first; then each format, in China time.
    public static func parse(_ given: String, formats: [String]) -> Date? {
        // RFC 3339 allows a space for the "T" between date and time.
        var s = given
        if s.count > 10, s[s.index(s.startIndex, offsetBy: 10)] == " " { s.replaceSubrange(s.index(s.startIndex, offsetBy: 10)...s.index(s.startIndex, offsetBy: 10), with: "T") }
        if let d = try? Date(s, strategy: .iso8601) { return d }
        if let d = try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        for format in formats {
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        // China time with a fraction of a second (`2026-11-23T09:30:15.250`): the whole seconds count.
        if let dot = s.lastIndex(of: "."), s[s.index(after: dot)...].allSatisfy(\.isNumber), !s[s.index(after: dot)...].isEmpty {
            return parse(String(s[..<dot]), formats: formats)
        }
        return nil
    }
}

public indirect enum GeoDoc: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case object([(String, GeoDoc)])
    /// The element name of each item in XML.
    case array(item: String, [GeoDoc])

    public static func == (a: GeoDoc, b: GeoDoc) -> Bool { a.json() == b.json() }

    public static func optional(_ s: String?) -> GeoDoc { s.map(GeoDoc.text) ?? .null }

    public func json() -> String {
        var out = ""
        writeJSON(&out)
        return out
    }

    /// The whole document under `root` (JSON has no root; an XML document needs one).
    public func xml(root: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        writeXML(&out, name: root)
        return out
    }

    private func writeJSON(_ out: inout String) {
        switch self {
        case .text(let s): Self.quote(s, into: &out)
        case .number(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null"
        case .integer(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .object(let pairs):
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                Self.quote(k, into: &out)
                out += ":"
                v.writeJSON(&out)
            }
            out += "}"
        case .array(_, let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.writeJSON(&out)
            }
            out += "]"
        }
    }

    private func writeXML(_ out: inout String, name: String) {
        switch self {
        case .null: out += "<\(name)/>"
        case .text(let s): out += "<\(name)>\(XMLText.escape(s))</\(name)>"
        case .number, .integer, .bool: out += "<\(name)>\(json())</\(name)>"
        case .object(let pairs):
            out += "<\(name)>"
            for (k, v) in pairs { v.writeXML(&out, name: k) }
            out += "</\(name)>"
        case .array(let item, let items):
            out += "<\(name)>"
            for v in items { v.writeXML(&out, name: item) }
            out += "</\(name)>"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // `<` escaped so a document can never close a script element it is embedded in.
            case "<": out += "\\u003c"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
