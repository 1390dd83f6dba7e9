import Foundation

/// How an order reached the platform.
public enum OrderChannel: String, Sendable, Codable, CaseIterable {
    case web, mobile, phone, walkIn = "walk_in", api, open311
}

/// A new order (点单): a menu item, or a category and free text for a need off the menu.
public struct OrderInput: Sendable, Equatable {
    public var menuItemID: Int?
    public var categoryID: Int?
    public var details: String
    public var stationID: Int
    public var latitude: Double?
    public var longitude: Double?
    public var address: String?
    public var windowStart: Date?
    public var windowEnd: Date?
    public var people: Int
    public var contactName: String
    /// Absent only for orders from outside systems (Open311), which may give an e-mail instead.
    public var contactPhone: PhoneNumber?
    public var channel: OrderChannel
    public var notes: String
    /// A photo or document the caller's system holds (Open311 `media_url`).
    public var mediaURL: String? = nil

    /// The order as asked for, in one line (fields in a fixed order): what an idempotency key is
    /// bound to, so a retry must ask for the same order.
    public var canonical: String {
        func d(_ x: Date?) -> String { x.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? "" }
        func n(_ x: Int?) -> String { x.map { String($0) } ?? "" }
        func g(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        var parts: [String] = [n(menuItemID), n(categoryID), details, String(stationID), g(latitude), g(longitude)]
        parts += [address ?? "", d(windowStart), d(windowEnd), String(people), contactName, contactPhone?.value ?? "", channel.rawValue, notes, mediaURL ?? ""]
        return parts.map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }

    static func date(_ r: inout FieldReader, _ name: String) -> Date? {
        r.declare(name, false, .moment)
        guard let raw = r.text(name, required: false, max: 40) else { return nil }
        // Forms send `2026-11-23T09:30` (datetime-local, China time); the API sends ISO 8601.
        if let d = ChinaTime.parse(raw, formats: ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"]) { return d }
        r.fail(name, "error.date_format")
        return nil
    }

    public static func read(_ r: inout FieldReader, defaultChannel: OrderChannel, now: Date) -> OrderInput? {
        let menu = r.int("menu_item_id", required: false, in: 1...Int(Int32.max))
        let category = r.int("category_id", required: false, in: 1...Int(Int32.max))
        // GeoReport allows a description of 4,000 characters; people typing in our forms, 1,000.
        let outside = defaultChannel == .open311
        let details = r.text("details", required: menu == nil, max: outside ? 4000 : 1000, multiline: true) ?? ""
        if menu == nil, category == nil, !r.hasError("menu_item_id"), !r.hasError("category_id") {
            r.fail("category_id", "error.order.menu_or_category")
        }
        let station = r.int("station_id", in: 1...Int(Int32.max))
        let lat = r.double("latitude", required: false, in: 3...54)
        let lon = r.double("longitude", required: false, in: 73...136)
        if (lat == nil) != (lon == nil), !r.hasError("latitude"), !r.hasError("longitude") {
            r.fail(lat == nil ? "latitude" : "longitude", "error.order.coordinates_pair")
        }
        let address = r.text("address", required: false, max: 200)
        if lat == nil, address == nil, !r.hasError("latitude"), !r.hasError("address") {
            r.fail("address", "error.order.location_required")
        }
        let start = date(&r, "window_start"), end = date(&r, "window_end")
        if let start, let end, end <= start { r.fail("window_end", "error.order.window_order") }
        if let end, end < now { r.fail("window_end", "error.order.window_past") }
        let people = r.int("people", required: false, in: 1...10_000) ?? 1
        let name = r.text("contact_name", max: 40)
        var phone: PhoneNumber?
        // Outside systems (12345 hotlines) pass on landlines too, or an e-mail instead of a phone.
        if let raw = r.text("contact_phone", required: !outside, max: 24) {
            phone = PhoneNumber.parse(raw, landline: outside)
            if phone == nil { r.fail("contact_phone", outside ? "error.phone_or_landline" : "error.phone") }
        }
        var email: String?
        if outside, let raw = r.text("contact_email", required: false, max: 200) {
            if raw.contains("@"), !raw.hasPrefix("@"), !raw.hasSuffix("@"), !raw.contains(where: { $0.isWhitespace }) { email = raw } else { r.fail("contact_email", "error.email") }
        }
        if outside, phone == nil, email == nil, !r.hasError("contact_phone"), !r.hasError("contact_email") {
            r.fail("contact_phone", "error.phone_or_email")
        }
        var media: String?
        if let raw = r.text("media_url", required: false, max: 500) {
            if let u = URLComponents(string: raw), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host?.isEmpty == false { media = raw } else { r.fail("media_url", "error.url") }
        }
        let channel = r.choice("channel", OrderChannel.self, required: false) ?? defaultChannel
        let notes = r.text("notes", required: false, max: 1000, multiline: true) ?? ""
        guard r.isValid, let station, let name, phone != nil || email != nil else { return nil }
        var input = OrderInput(menuItemID: menu, categoryID: category, details: details, stationID: station, latitude: lat, longitude: lon,
                               address: address, windowStart: start, windowEnd: end, people: people, contactName: name,
                               contactPhone: phone, channel: channel, notes: notes)
        input.mediaURL = media
        return input
    }
}

/// Who served and for how long, when a team leader completes an order.
public struct CompletionInput: Sendable, Equatable {
    public struct Served: Sendable, Equatable {
        public var volunteerID: Int
        public var hours: Double
    }

    public var served: [Served]
    public var notes: String

    /// The hours one volunteer may be credited for one service: half an hour to a day.
    public static let hours: ClosedRange<Double> = 0.5...24

    public static func read(_ r: inout FieldReader) -> CompletionInput? {
        let ids = r.ids("volunteer_ids", max: 200)
        var served: [Served] = []
        for id in ids {
            // `hours_<id>` per volunteer, from half an hour to 24 (the form's own limits, said as they are).
            if let h = r.double("hours_\(id)", in: -100_000...100_000) {
                if hours.contains(h) {
                    served.append(Served(volunteerID: id, hours: h))
                } else {
                    r.fail("hours_\(id)", "error.order.hours_range", ["min": "0.5", "max": "24"])
                }
            }
        }
        if ids.isEmpty, !r.hasError("volunteer_ids") { r.fail("volunteer_ids", "error.order.served_required") }
        let notes = r.text("notes", required: false, max: 2000, multiline: true) ?? ""
        guard r.isValid else { return nil }
        return CompletionInput(served: served, notes: notes)
    }
}

public struct RatingInput: Sendable, Equatable {
    public var score: Int
    public var comment: String

    /// The window in which the requester may rate a completed order (`RatingWindow`).
    public static var windowDays: Int { RatingWindow.days }

    public static func read(_ r: inout FieldReader) -> RatingInput? {
        let score = r.int("score", in: 1...5)
        let comment = r.text("comment", required: false, max: 500, multiline: true) ?? ""
        guard r.isValid, let score else { return nil }
        return RatingInput(score: score, comment: comment)
    }
}

/// Photos of a completed service: images only, recognised by their first bytes, not by the name or
/// the type a browser claims.
public enum ImageKind: String, Sendable, CaseIterable {
    case jpeg, png, webp

    public static let maxBytes = 5 * 1024 * 1024
    public static let maxCount = 6

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    public static func sniff(_ bytes: [UInt8]) -> ImageKind? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 8, bytes.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 12, bytes.prefix(4).elementsEqual(Array("RIFF".utf8)), bytes[8..<12].elementsEqual(Array("WEBP".utf8)) { return .webp }
        return nil
    }
}
