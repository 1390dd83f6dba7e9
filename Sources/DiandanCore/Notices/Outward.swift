import Foundation

/// Telling the outside world: webhooks to integrations, text messages through an SMS gateway. The
/// rules here are plain: what is sent, how it is signed, when it is tried again, when given up.
public enum WebhookRules {
    /// Tries before a delivery is set aside (dead-lettered) with its last error.
    public static let maxAttempts = 8
    public static let signatureHeader = "X-Diandan-Signature"
    public static let timestampHeader = "X-Diandan-Timestamp"
    public static let deliveryHeader = "X-Diandan-Delivery"
    public static let eventHeader = "X-Diandan-Event"

    /// 10 s, 40 s, 160 s … at most an hour: a receiver that is down for a while is not hammered.
    public static func retryDelay(afterAttempt n: Int) -> Double {
        min(3600, 10 * pow(4, Double(max(0, min(n - 1, 10)))))
    }

    /// Order topics go to webhooks; a person's own reminders do not.
    public static func forwards(_ topic: NoticeTopic) -> Bool { topic.rawValue.hasPrefix("order.") }

    /// Whether a webhook's host may be called: names such as `localhost` and literal internal
    /// addresses (loopback, private, link-local…) are refused unless private targets are allowed.
    /// A name is checked again once resolved, when the call is made (`NetworkAddress`).
    public static func hostIsAllowed(_ raw: String, allowPrivate: Bool) -> Bool {
        guard !allowPrivate else { return true }
        guard let host = URLComponents(string: raw)?.host?.lowercased(), !host.isEmpty else { return false }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if NetworkAddress.ipv4(bare) != nil || NetworkAddress.ipv6(bare) != nil { return !NetworkAddress.isInternal(bare) }
        // A number standing for an address (http://2130706433/ is 127.0.0.1 to some resolvers).
        if bare.first?.isNumber == true, bare.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == "x" }) { return false }
        let local = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]
        return !(local.contains(bare) || bare.hasSuffix(".localhost") || bare.hasSuffix(".local") || bare.hasSuffix(".internal") || !bare.contains("."))
    }

    public static func isValidURL(_ raw: String) -> Bool {
        guard let u = URLComponents(string: raw), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty, u.user == nil, u.password == nil else { return false }
        return !raw.contains(where: { $0.isWhitespace })
    }

    /// What is signed: the timestamp, a dot, and the exact body, so a replayed body with a new
    /// timestamp fails the check.
    public static func signedText(timestamp: Int, body: String) -> String { "\(timestamp).\(body)" }

    /// The JSON body of an order's webhook, keys in a fixed order.
    public struct OrderEvent: Sendable, Equatable {
        public var delivery: String
        public var topic: String
        public var at: Date
        public var number: String
        public var status: OrderStatus
        public var title: String
        public var station: String
        public var team: String?
        public var text: String?

        public init(delivery: String, topic: String, at: Date, number: String, status: OrderStatus, title: String, station: String, team: String?, text: String?) {
            self.delivery = delivery
            self.topic = topic
            self.at = at
            self.number = number
            self.status = status
            self.title = title
            self.station = station
            self.team = team
            self.text = text
        }

        public func json() -> String {
            GeoDoc.object([
                ("id", .text(delivery)),
                ("event", .text(topic)),
                ("created_at", .text(Open311.W3C.format(at))),
                ("order", .object([
                    ("service_request_id", .text(number)),
                    ("status", .text(status.rawValue)),
                    ("open311_status", .text(Open311.status(status))),
                    ("title", .text(title)),
                    ("jurisdiction_id", .text(station)),
                    ("agency_responsible", .optional(team)),
                ])),
                ("text", .optional(text)),
            ]).json()
        }
    }
}

/// An SMS gateway described by configuration: a URL, a method, a body template and a header, with
/// `{phone}` and `{text}` filled in and escaped for where they stand (URL, JSON or form body).
public struct SMSTemplate: Sendable, Equatable {
    public enum Method: String, Sendable { case GET, POST }

    public var url: String
    public var method: Method
    public var body: String?
    public var contentType: String
    public var header: (name: String, value: String)?
    public var topics: Set<NoticeTopic>

    public static func == (a: SMSTemplate, b: SMSTemplate) -> Bool {
        a.url == b.url && a.method == b.method && a.body == b.body && a.contentType == b.contentType
            && a.header?.name == b.header?.name && a.header?.value == b.header?.value && a.topics == b.topics
    }

    /// What residents and team leaders are texted about by default: the loop's turning points.
    public static let defaultTopics: Set<NoticeTopic> = [.dispatched, .deadlineNear, .escalated, .accepted, .completed, .activityTomorrow]

    public struct Invalid: Error, Equatable { public let reason: String }

    public init(url: String, method: String?, body: String?, contentType: String?, header: String?, topics: String?) throws(Invalid) {
        guard WebhookRules.isValidURL(url.replacingOccurrences(of: "{phone}", with: "1").replacingOccurrences(of: "{text}", with: "x")) else {
            throw Invalid(reason: "DIANDAN_SMS_URL must be an http(s) address.")
        }
        self.url = url
        guard let m = Method(rawValue: (method ?? (body == nil ? "GET" : "POST")).uppercased()) else {
            throw Invalid(reason: "DIANDAN_SMS_METHOD must be GET or POST.")
        }
        self.method = m
        self.body = body
        self.contentType = contentType ?? "application/json"
        if let header {
            guard let colon = header.firstIndex(of: ":") else { throw Invalid(reason: "DIANDAN_SMS_HEADER must look like 'Name: value'.") }
            self.header = (header[..<colon].trimmingCharacters(in: .whitespaces), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        guard (url + (body ?? "")).contains("{phone}"), (url + (body ?? "")).contains("{text}") else {
            throw Invalid(reason: "The SMS template (DIANDAN_SMS_URL or DIANDAN_SMS_BODY) must contain {phone} and {text}.")
        }
        if let topics {
            var set: Set<NoticeTopic> = []
            for raw in topics.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
                guard let t = NoticeTopic(rawValue: raw) else { throw Invalid(reason: "DIANDAN_SMS_TOPICS: unknown topic \(raw).") }
                set.insert(t)
            }
            self.topics = set
        } else {
            self.topics = Self.defaultTopics
        }
    }

    /// The request for one message.
    public func render(phone: String, text: String) -> (url: String, body: String?) {
        let url = fill(url, phone: phone, text: text, escape: Self.percent)
        guard let body else { return (url, nil) }
        let json = contentType.lowercased().contains("json")
        return (url, fill(body, phone: phone, text: text, escape: json ? Self.jsonInner : Self.percent))
    }

    private func fill(_ template: String, phone: String, text: String, escape: (String) -> String) -> String {
        template.replacingOccurrences(of: "{phone}", with: escape(phone)).replacingOccurrences(of: "{text}", with: escape(text))
    }

    static func percent(_ s: String) -> String {
        // ASCII letters and digits only: `alphanumerics` would let Chinese through unencoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The inside of a JSON string (the template supplies the quotes).
    static func jsonInner(_ s: String) -> String {
        var out = ""
        GeoDoc.quote(s, into: &out)
        return String(out.dropFirst().dropLast())
    }
}
