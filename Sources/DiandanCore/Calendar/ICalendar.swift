import Foundation

/// iCalendar (RFC 5545) feeds: activities of a site, and a volunteer's own sign-ups.
public struct ICalendar: Sendable {
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var location: String
        public var latitude: Double?
        public var longitude: Double?
        public var description: String
        public var url: String?
        /// CONFIRMED, TENTATIVE (on the waiting list) or CANCELLED.
        public var status: String

        public init(uid: String, start: Date, end: Date, summary: String, location: String, latitude: Double? = nil, longitude: Double? = nil,
                    description: String = "", url: String? = nil, status: String = "CONFIRMED") {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.location = location
            self.latitude = latitude
            self.longitude = longitude
            self.description = description
            self.url = url
            self.status = status
        }
    }

    public var name: String
    public var events: [Event]

    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    public func render(stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Diandan//Volunteer Service//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + Self.escape(name), "X-WR-TIMEZONE:Asia/Shanghai"]
        for e in events {
            lines += ["BEGIN:VEVENT", "UID:" + e.uid, "DTSTAMP:" + Self.utc(stamp), "DTSTART:" + Self.utc(e.start), "DTEND:" + Self.utc(e.end),
                      "SUMMARY:" + Self.escape(e.summary), "LOCATION:" + Self.escape(e.location), "STATUS:" + e.status]
            if let lat = e.latitude, let lon = e.longitude { lines.append(String(format: "GEO:%.6f;%.6f", lat, lon)) }
            if !e.description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(e.description)) }
            if let url = e.url { lines.append("URL:" + url) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20301205T010000Z`.
    static func utc(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// TEXT values: backslash, semicolon, comma and line breaks escaped.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: ",", with: "\\,")
            .replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\n")
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a character.
    static func fold(_ line: String) -> String {
        var out = "", count = 0
        for ch in line {
            let n = String(ch).utf8.count
            if count + n > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(ch)
            count += n
        }
        return out
    }
}
