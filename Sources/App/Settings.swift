import Foundation
import Vapor
import DiandanCore

/// Every setting the server reads from its environment, with its default. `.env.example` and the
/// README list the same names; a test keeps the three in step.
public struct Settings: Sendable {
    public static let developmentSecret = "diandan-development-secret-change-me"

    public var databaseURL: String?
    public var postgresSchema: String?
    public var postgresConnections: Int
    public var sqlitePath: String
    public var secret: String
    public var resourcesDirectory: String
    public var bcryptCost: Int
    /// Development or testing: the only environments that may use the development secret, take
    /// the public address from requests and seed demo data.
    public var developmentLike: Bool
    public var seedDemo: Bool
    public var sessionCookieSecure: Bool
    public var loginThrottle: LoginThrottle
    public var tokenLifetimeDays: Int
    var orderPolicy: OrderPolicy
    public var scanInterval: TimeInterval
    public var outboxInterval: TimeInterval
    public var signupRules: SignupRules
    public var activityReview: Bool
    public var checkin: CheckinPolicy
    public var publicURL: String?
    public var wishHours: Double
    public var wishPoints: Int
    public var menuReview: MenuReview
    public var uploadsDirectory: String
    /// The bearer token a Prometheus scraper sends to `/metrics` (without one, only the machine itself may read them).
    public var metricsToken: String?
    /// SQLite's page cache per connection, in MB.
    public var sqliteCacheMB: Int
    /// SQLite connections per event loop (a file only; an in-memory database has one).
    public var sqliteConnections: Int
    /// How SQLite commits: `full` syncs the WAL at every commit (durable across a power cut),
    /// `normal` only at checkpoints (faster; the last commits may be lost to a power cut, never to a crash).
    public var sqliteSync: SQLiteSync

    public enum SQLiteSync: String, Sendable { case full, normal }
    /// How often `serve` looks for export jobs to run (0 = never; `diandan run-exports` does one pass).
    public var exportInterval: TimeInterval
    /// How often `serve` sends webhook calls and text messages (0 = never; `diandan send-deliveries` does one pass).
    public var deliveryInterval: TimeInterval
    /// The SMS gateway, when one is configured.
    public var sms: SMSTemplate?
    /// SQLite group commit (`GroupCommitter`).
    public var groupCommit: Bool
    /// How long personal data is kept.
    public var privacy: PrivacyRules
    /// Rate limits on sign-in, registration, orders, urging and Open311 (`RateBucket`).
    public var rateLimits: Bool
    /// Addresses whose X-Forwarded-For is believed (a reverse proxy on the machine).
    public var trustedProxies: Set<String>
    /// Whether webhooks may point at loopback, private or link-local addresses.
    public var webhookAllowPrivate: Bool

    /// The names, defaults and meanings, in the order the README shows them.
    public static let documented: [(name: String, default: String, meaning: String)] = [
        ("DATABASE_URL", "(unset: SQLite)", "postgres://user:pass@host:5432/db?sslmode=disable selects PostgreSQL"),
        ("DIANDAN_PG_SCHEMA", "(unset: public)", "PostgreSQL schema to use (the tests give each test its own)"),
        ("DIANDAN_PG_CONNECTIONS", "4", "PostgreSQL connections per event loop (one event loop per core)"),
        ("DIANDAN_SQLITE_PATH", "./diandan.sqlite", "SQLite file used when DATABASE_URL is unset (WAL mode)"),
        ("DIANDAN_SECRET", "(development value)", "key material for personal-data encryption and signatures (QR codes, calendar addresses); required, at least 32 characters, in every environment but development and testing"),
        ("DIANDAN_UPLOADS_DIR", "./uploads", "folder for photos attached to completed services"),
        ("DIANDAN_RESOURCES_DIR", "(package root)", "folder holding Resources/ and Public/"),
        ("DIANDAN_BCRYPT_COST", "12", "bcrypt cost for passwords (4-31)"),
        ("DIANDAN_SEED_DEMO", "true", "seed the demo county on an empty database (development and testing only; never elsewhere)"),
        ("DIANDAN_COOKIE_SECURE", "false in development and testing, true elsewhere", "mark the session cookie Secure (HTTPS only)"),
        ("DIANDAN_LOGIN_FREE_ATTEMPTS", "5", "failed logins before the account is locked"),
        ("DIANDAN_LOGIN_LOCK_SECONDS", "30", "first lock; doubles on each further failure, at most 15 minutes"),
        ("DIANDAN_TOKEN_DAYS", "30", "lifetime of API bearer tokens in days"),
        ("DIANDAN_URBAN_RESPONSE_MINUTES", "10", "minutes an urban site has to respond to an order before it escalates"),
        ("DIANDAN_RURAL_MIN_HOURS", "2", "rural sites respond by the end of the day, but never in less than this"),
        ("DIANDAN_COMPLETION_DAYS", "3", "days to complete an order"),
        ("DIANDAN_STAR_HOURS", "100,300,600,1000,1500", "service hours for one to five stars"),
        ("DIANDAN_POINTS_PER_HOUR", "10", "points credited per service hour"),
        ("DIANDAN_FIVE_STAR_BONUS", "0.2", "extra share of points when the resident rates 5 stars"),
        ("DIANDAN_SCAN_SECONDS", "30", "how often `serve` looks for missed deadlines (0 turns the scanner off)"),
        ("DIANDAN_OUTBOX_SECONDS", "2", "how often `serve` delivers notices from the outbox to inboxes (0 turns delivery off)"),
        ("DIANDAN_EXPORT_SECONDS", "1", "how often `serve` looks for queued order-list exports (0 turns it off)"),
        ("DIANDAN_DELIVERY_SECONDS", "2", "how often `serve` sends webhook calls and text messages (0 turns sending off)"),
        ("DIANDAN_SMS_URL", "(none: no text messages)", "SMS gateway address; {phone} and {text} are filled in (here or in the body), e.g. https://sms.example.cn/send?to={phone}&msg={text}"),
        ("DIANDAN_SMS_METHOD", "GET, or POST with a body", "HTTP method of the SMS gateway call"),
        ("DIANDAN_SMS_BODY", "(none)", "body template of the SMS gateway call, e.g. {\"mobile\":\"{phone}\",\"content\":\"{text}\"}"),
        ("DIANDAN_SMS_CONTENT_TYPE", "application/json", "content type of the body; JSON bodies get JSON escaping, others URL encoding"),
        ("DIANDAN_SMS_HEADER", "(none)", "one extra header for the gateway, e.g. Authorization: Bearer …"),
        ("DIANDAN_SMS_TOPICS", "order.dispatched,order.deadline_near,order.escalated,order.accepted,order.completed,activity.tomorrow", "the notices also sent as text messages"),
        ("DIANDAN_ANONYMISE_DAYS", "180", "days after an order ended (closed, cancelled, rejected) before the resident's name, phone and address are removed from it"),
        ("DIANDAN_DELETION_GRACE_DAYS", "7", "days between a volunteer's request to be deleted and the deletion (they may cancel it until then)"),
        ("DIANDAN_GROUP_COMMIT", "on", "on: write transactions arriving together on SQLite share one commit (one sync for many), and orders placed together are written as one batch (both stores); each caller is answered only after its commit. off: one commit each"),
        ("DIANDAN_RATE_LIMITS", "on", "off turns off the limits on sign-in, registration, orders, urging and Open311 (429 with Retry-After)"),
        ("DIANDAN_TRUSTED_PROXIES", "127.0.0.1,::1", "addresses of reverse proxies whose X-Forwarded-For names the caller (for the limits, the sign-in lockout, `/metrics` and logs); a proxy must set X-Forwarded-For"),
        ("DIANDAN_WEBHOOK_ALLOW_PRIVATE", "false", "true lets webhooks call loopback, private and link-local addresses (checked again after DNS at each call); leave false unless the receiving systems are on your own network"),
        ("DIANDAN_SQLITE_SYNCHRONOUS", "full", "full: every commit synced to disk before it is answered; normal: faster, but a power cut may lose the last commits"),
        ("DIANDAN_SQLITE_CACHE_MB", "64", "SQLite's page cache per connection, in MB"),
        ("DIANDAN_SQLITE_CONNECTIONS", "4", "SQLite connections per event loop (one event loop per core); readers run side by side, writers take turns"),
        ("DIANDAN_METRICS_TOKEN", "(none)", "bearer token for `/metrics`; without one only the machine itself may read them"),
        ("DIANDAN_MIN_AGE", "14", "volunteers younger than this cannot sign up for activities"),
        ("DIANDAN_ADULT_AGE", "18", "volunteers younger than this need a guardian's consent to sign up"),
        ("DIANDAN_ACTIVITY_REVIEW", "true", "activities made by team leaders wait for a site admin's review before they are public"),
        ("DIANDAN_QR_ROTATE_SECONDS", "180", "check-in QR codes rotate this often; a code is accepted in its own period and the next"),
        ("DIANDAN_PUBLIC_URL", "(from the request in development)", "the address people reach the server at, used for every absolute link (QR codes, feeds, Open Graph, calendars, certificates), e.g. https://zyfw.example.gov.cn; required in every environment but development and testing"),
        ("DIANDAN_WISH_HOURS", "1", "service hours credited to the volunteer who fulfils a micro-wish (0 for none)"),
        ("DIANDAN_WISH_POINTS", "10", "points credited for a fulfilled micro-wish (0 for none)"),
        ("DIANDAN_MENU_REVIEW_BELOW", "3.0", "menu items whose mean rating over 90 days falls below this (with 3 ratings or more) are flagged"),
        ("DIANDAN_ADMIN_PASSWORD", "(prompt)", "password for `diandan admin create`, read instead of prompting"),
        ("LOG_LEVEL", "info", "trace, debug, info, notice, warning, error, critical"),
    ]

    public static func load(_ env: Environment, _ get: (String) -> String? = Environment.get) throws -> Settings {
        func value(_ name: String) -> String? {
            guard let v = get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        func positive(_ name: String, _ fallback: Int) throws -> Int {
            guard let raw = value(name) else { return fallback }
            guard let n = Int(raw), n > 0 else { throw ConfigurationError("\(name) must be a positive whole number.") }
            return n
        }
        // Only development and testing may run on the public development secret, take the address
        // from requests and seed demo logins: every other environment (production, staging, any
        // name) fails closed.
        let relaxed = isDevelopmentLike(env)
        let secret = value("DIANDAN_SECRET") ?? developmentSecret
        if !relaxed, secret == developmentSecret || secret.count < 32 {
            throw ConfigurationError("DIANDAN_SECRET must be set to a random value of at least 32 characters in the \(env.name) environment (e.g. `openssl rand -hex 32`); only development and testing run without one.")
        }
        let cost = Int(value("DIANDAN_BCRYPT_COST") ?? "12") ?? 12
        guard (4...31).contains(cost) else { throw ConfigurationError("DIANDAN_BCRYPT_COST must be between 4 and 31.") }
        var policy = OrderPolicy()
        policy.deadlines.urbanResponse = TimeInterval(try positive("DIANDAN_URBAN_RESPONSE_MINUTES", 10)) * 60
        policy.deadlines.ruralMinimum = TimeInterval(try positive("DIANDAN_RURAL_MIN_HOURS", 2)) * 3600
        policy.deadlines.defaultCompletionDays = try positive("DIANDAN_COMPLETION_DAYS", 3)
        if let raw = value("DIANDAN_STAR_HOURS") {
            let hours = raw.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard hours.count == 5, hours == hours.sorted(), hours.allSatisfy({ $0 > 0 }) else {
                throw ConfigurationError("DIANDAN_STAR_HOURS must be five increasing numbers of hours, e.g. 100,300,600,1000,1500.")
            }
            policy.rewards.starThresholds = hours
        }
        policy.rewards.pointsPerHour = try positive("DIANDAN_POINTS_PER_HOUR", 10)
        if let raw = value("DIANDAN_FIVE_STAR_BONUS") {
            guard let b = Double(raw), (0...10).contains(b) else { throw ConfigurationError("DIANDAN_FIVE_STAR_BONUS must be a number from 0 to 10.") }
            policy.rewards.fiveStarBonus = b
        }
        var review = MenuReview()
        if let raw = value("DIANDAN_MENU_REVIEW_BELOW") {
            guard let t = Double(raw), (1...5).contains(t) else { throw ConfigurationError("DIANDAN_MENU_REVIEW_BELOW must be a rating from 1 to 5.") }
            review.threshold = t
        }
        let scan = Int(value("DIANDAN_SCAN_SECONDS") ?? "30")
        guard let scan, scan >= 0 else { throw ConfigurationError("DIANDAN_SCAN_SECONDS must be a whole number of seconds (0 = off).") }
        let exports = Int(value("DIANDAN_EXPORT_SECONDS") ?? "1")
        guard let exports, exports >= 0 else { throw ConfigurationError("DIANDAN_EXPORT_SECONDS must be a whole number of seconds (0 = off).") }
        let outbox = Int(value("DIANDAN_OUTBOX_SECONDS") ?? "2")
        guard let outbox, outbox >= 0 else { throw ConfigurationError("DIANDAN_OUTBOX_SECONDS must be a whole number of seconds (0 = off).") }
        let minAge = try positive("DIANDAN_MIN_AGE", 14), adultAge = try positive("DIANDAN_ADULT_AGE", 18)
        guard minAge <= adultAge else { throw ConfigurationError("DIANDAN_MIN_AGE must not be above DIANDAN_ADULT_AGE.") }
        let publicURL = value("DIANDAN_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) || URL(string: publicURL)?.host == nil {
            throw ConfigurationError("DIANDAN_PUBLIC_URL must be an address starting with http:// or https://, e.g. https://zyfw.example.gov.cn.")
        }
        if !relaxed, publicURL == nil {
            throw ConfigurationError("DIANDAN_PUBLIC_URL must be set in the \(env.name) environment: links in feeds, QR codes, calendars and certificates are made from it, never from a request's Host header.")
        }
        let wishHours = Double(value("DIANDAN_WISH_HOURS") ?? "1")
        guard let wishHours, (0...24).contains(wishHours), (wishHours * 2).rounded() == wishHours * 2 else {
            throw ConfigurationError("DIANDAN_WISH_HOURS must be a number of half hours from 0 to 24.")
        }
        guard let sync = Settings.SQLiteSync(rawValue: (value("DIANDAN_SQLITE_SYNCHRONOUS") ?? "full").lowercased()) else {
            throw ConfigurationError("DIANDAN_SQLITE_SYNCHRONOUS must be full or normal.")
        }
        let deliveries = Int(value("DIANDAN_DELIVERY_SECONDS") ?? "2")
        guard let deliveries, deliveries >= 0 else { throw ConfigurationError("DIANDAN_DELIVERY_SECONDS must be a whole number of seconds (0 = off).") }
        var sms: SMSTemplate?
        if let url = value("DIANDAN_SMS_URL") {
            do {
                sms = try SMSTemplate(url: url, method: value("DIANDAN_SMS_METHOD"), body: value("DIANDAN_SMS_BODY"),
                                      contentType: value("DIANDAN_SMS_CONTENT_TYPE"), header: value("DIANDAN_SMS_HEADER"), topics: value("DIANDAN_SMS_TOPICS"))
            } catch {
                throw ConfigurationError(error.reason)
            }
        }
        let wishPoints = Int(value("DIANDAN_WISH_POINTS") ?? "10")
        guard let wishPoints, wishPoints >= 0 else { throw ConfigurationError("DIANDAN_WISH_POINTS must be a whole number, 0 or more.") }
        return Settings(
            databaseURL: value("DATABASE_URL"),
            postgresSchema: value("DIANDAN_PG_SCHEMA"),
            postgresConnections: try positive("DIANDAN_PG_CONNECTIONS", 4),
            sqlitePath: value("DIANDAN_SQLITE_PATH") ?? "./diandan.sqlite",
            secret: secret,
            resourcesDirectory: Settings.directory(value("DIANDAN_RESOURCES_DIR") ?? Settings.packageRoot),
            bcryptCost: cost,
            developmentLike: relaxed,
            seedDemo: relaxed && (value("DIANDAN_SEED_DEMO").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? true),
            sessionCookieSecure: value("DIANDAN_COOKIE_SECURE").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? !relaxed,
            loginThrottle: LoginThrottle(
                freeAttempts: Int(value("DIANDAN_LOGIN_FREE_ATTEMPTS") ?? "") ?? 5,
                baseLock: TimeInterval(Int(value("DIANDAN_LOGIN_LOCK_SECONDS") ?? "") ?? 30)
            ),
            tokenLifetimeDays: Int(value("DIANDAN_TOKEN_DAYS") ?? "") ?? 30,
            orderPolicy: policy,
            scanInterval: TimeInterval(scan),
            outboxInterval: TimeInterval(outbox),
            signupRules: SignupRules(minimumAge: minAge, adultAge: adultAge),
            activityReview: value("DIANDAN_ACTIVITY_REVIEW").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? true,
            checkin: CheckinPolicy(rotation: TimeInterval(try positive("DIANDAN_QR_ROTATE_SECONDS", 180))),
            publicURL: publicURL,
            wishHours: wishHours,
            wishPoints: wishPoints,
            menuReview: review,
            uploadsDirectory: value("DIANDAN_UPLOADS_DIR") ?? "./uploads",
            metricsToken: value("DIANDAN_METRICS_TOKEN").flatMap { $0.isEmpty ? nil : $0 },
            sqliteCacheMB: try positive("DIANDAN_SQLITE_CACHE_MB", 64),
            sqliteConnections: try positive("DIANDAN_SQLITE_CONNECTIONS", 4),
            sqliteSync: sync,
            exportInterval: TimeInterval(exports),
            deliveryInterval: TimeInterval(deliveries),
            sms: sms,
            groupCommit: ["on", "true", "1", "yes"].contains((value("DIANDAN_GROUP_COMMIT") ?? "on").lowercased()),
            privacy: PrivacyRules(anonymiseAfterDays: try positive("DIANDAN_ANONYMISE_DAYS", 180), deletionGraceDays: try positive("DIANDAN_DELETION_GRACE_DAYS", 7)),
            rateLimits: !["off", "false", "0", "no"].contains((value("DIANDAN_RATE_LIMITS") ?? "on").lowercased()),
            trustedProxies: Set((value("DIANDAN_TRUSTED_PROXIES") ?? "127.0.0.1,::1").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }),
            webhookAllowPrivate: ["1", "true", "yes", "on"].contains((value("DIANDAN_WEBHOOK_ALLOW_PRIVATE") ?? "false").lowercased())
        )
    }

    /// A folder as the rest of the code joins paths to it: with one trailing slash
    /// (`/srv/diandan` and `/srv/diandan/` are the same folder).
    static func directory(_ path: String) -> String {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p == "/" ? p : p + "/"
    }

    public static func isDevelopmentLike(_ env: Environment) -> Bool {
        env.name == Environment.development.name || env.name == Environment.testing.name
    }

    /// Where the sources were built from; Resources/ and Public/ live there unless told otherwise,
    /// so the binary finds its templates whatever directory it is started from.
    static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let cwd = FileManager.default.currentDirectoryPath
        if FileManager.default.fileExists(atPath: cwd + "/Resources/Views") { return cwd + "/" }
        return url.path + "/"
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
