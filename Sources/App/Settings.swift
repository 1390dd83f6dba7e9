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
    /// New volunteers wait for a station admin's confirmation before they may sign up (DIANDAN_VOLUNTEER_REVIEW).
    public var volunteerReview: Bool
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

    public enum SQLiteSync: String, Sendable, CaseIterable { case full, normal }
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
    /// Tiles drawn under the maps (DIANDAN_MAP_TILES); without them the maps show the outline of the area's sites.
    public var basemap: Basemap?

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
        ("DIANDAN_VOLUNTEER_REVIEW", "false", "volunteers who register wait for their station admin's confirmation before they may sign up for activities"),
        ("DIANDAN_QR_ROTATE_SECONDS", "180", "check-in QR codes rotate this often; a code is accepted in its own period and the next"),
        ("DIANDAN_PUBLIC_URL", "(from the request in development)", "the address people reach the server at, used for every absolute link (QR codes, feeds, Open Graph, calendars, certificates), e.g. https://zyfw.example.gov.cn; required in every environment but development and testing"),
        ("DIANDAN_WISH_HOURS", "1", "service hours credited to the volunteer who fulfils a micro-wish (0 for none)"),
        ("DIANDAN_WISH_POINTS", "10", "points credited for a fulfilled micro-wish (0 for none)"),
        ("DIANDAN_MENU_REVIEW_BELOW", "3.0", "menu items whose mean rating over 90 days falls below this (with 3 ratings or more) are flagged"),
        ("DIANDAN_MAP_TILES", "(none: the outline of the sites)", "tile addresses for a basemap under the assessment's and the big screen's maps, with {z}, {x} and {y}, separated by spaces and drawn in order, e.g. 天地图 https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY https://t0.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk=KEY; browsers load them from there (the pages allow those hosts)"),
        ("DIANDAN_MAP_ATTRIBUTION", "(the tile hosts)", "the credit shown under a map with a basemap, e.g. 天地图 · 审图号 GS(2024)0568号"),
        ("DIANDAN_ADMIN_PASSWORD", "(prompt)", "password for `diandan admin create`, read instead of prompting"),
        ("LOG_LEVEL", "info", "trace, debug, info, notice, warning (or warn), error, critical"),
        ("LOG_FORMAT", "console", "console (also text or plain): Vapor's lines; json: one JSON object per line for log collectors"),
    ]

    public static func load(_ env: Environment, _ get: @escaping (String) -> String? = Environment.get) throws -> Settings {
        let read = SettingsReader(get)
        func value(_ name: String) -> String? { read.string(name) }
        // Only development and testing may run on the public development secret, take the address
        // from requests and seed demo logins: every other environment (production, staging, any
        // name) fails closed.
        let relaxed = isDevelopmentLike(env)
        let secret = value("DIANDAN_SECRET") ?? developmentSecret
        if !relaxed, secret == developmentSecret || secret.count < 32 {
            throw ConfigurationError("DIANDAN_SECRET must be set to a random value of at least 32 characters in the \(env.name) environment (e.g. `openssl rand -hex 32`); only development and testing run without one.")
        }
        let cost = try read.int("DIANDAN_BCRYPT_COST", 12, in: 4...31)
        var policy = OrderPolicy()
        policy.deadlines.urbanResponse = TimeInterval(try read.positive("DIANDAN_URBAN_RESPONSE_MINUTES", 10)) * 60
        policy.deadlines.ruralMinimum = TimeInterval(try read.positive("DIANDAN_RURAL_MIN_HOURS", 2)) * 3600
        policy.deadlines.defaultCompletionDays = try read.positive("DIANDAN_COMPLETION_DAYS", 3)
        if let raw = value("DIANDAN_STAR_HOURS") {
            let parts = raw.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            let hours = parts.compactMap { $0 }
            guard hours.count == 5, parts.count == 5, hours == hours.sorted(), hours.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw ConfigurationError("DIANDAN_STAR_HOURS must be five increasing numbers of hours, e.g. 100,300,600,1000,1500; it is \"\(raw)\".")
            }
            policy.rewards.starThresholds = hours
        }
        policy.rewards.pointsPerHour = try read.positive("DIANDAN_POINTS_PER_HOUR", 10)
        policy.rewards.fiveStarBonus = try read.number("DIANDAN_FIVE_STAR_BONUS", policy.rewards.fiveStarBonus, in: 0...10)
        var review = MenuReview()
        review.threshold = try read.number("DIANDAN_MENU_REVIEW_BELOW", review.threshold, in: 1...5)
        let scan = try read.seconds("DIANDAN_SCAN_SECONDS", 30)
        let exports = try read.seconds("DIANDAN_EXPORT_SECONDS", 1)
        let outbox = try read.seconds("DIANDAN_OUTBOX_SECONDS", 2)
        let deliveries = try read.seconds("DIANDAN_DELIVERY_SECONDS", 2)
        let minAge = try read.int("DIANDAN_MIN_AGE", 14, in: 1...100), adultAge = try read.int("DIANDAN_ADULT_AGE", 18, in: 1...100)
        guard minAge <= adultAge else { throw ConfigurationError("DIANDAN_MIN_AGE must not be above DIANDAN_ADULT_AGE.") }
        let publicURL = value("DIANDAN_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) || URL(string: publicURL)?.host == nil {
            throw ConfigurationError("DIANDAN_PUBLIC_URL must be an address starting with http:// or https://, e.g. https://zyfw.example.gov.cn.")
        }
        if !relaxed, publicURL == nil {
            throw ConfigurationError("DIANDAN_PUBLIC_URL must be set in the \(env.name) environment: links in feeds, QR codes, calendars and certificates are made from it, never from a request's Host header.")
        }
        let wishHours = try read.number("DIANDAN_WISH_HOURS", 1, in: 0...24)
        guard (wishHours * 2).rounded() == wishHours * 2 else {
            throw ConfigurationError("DIANDAN_WISH_HOURS must be a number of half hours from 0 to 24; it is \"\(value("DIANDAN_WISH_HOURS") ?? "")\".")
        }
        let sync = try read.choice("DIANDAN_SQLITE_SYNCHRONOUS", Settings.SQLiteSync.full)
        var sms: SMSTemplate?
        if let url = value("DIANDAN_SMS_URL") {
            do {
                sms = try SMSTemplate(url: url, method: value("DIANDAN_SMS_METHOD"), body: value("DIANDAN_SMS_BODY"),
                                      contentType: value("DIANDAN_SMS_CONTENT_TYPE"), header: value("DIANDAN_SMS_HEADER"), topics: value("DIANDAN_SMS_TOPICS"))
            } catch {
                throw ConfigurationError(error.reason)
            }
        }
        let wishPoints = try read.int("DIANDAN_WISH_POINTS", 10, in: 0...10_000)
        let seedDemo = try read.flag("DIANDAN_SEED_DEMO", true)
        let cookieSecure = try read.flag("DIANDAN_COOKIE_SECURE", !relaxed)
        let throttle = LoginThrottle(
            freeAttempts: try read.int("DIANDAN_LOGIN_FREE_ATTEMPTS", 5, in: 1...1_000),
            baseLock: TimeInterval(try read.int("DIANDAN_LOGIN_LOCK_SECONDS", 30, in: 1...86_400)))
        let tokenDays = try read.int("DIANDAN_TOKEN_DAYS", 30, in: 1...3_650)
        let pgConnections = try read.int("DIANDAN_PG_CONNECTIONS", 4, in: 1...1_000)
        let activityReview = try read.flag("DIANDAN_ACTIVITY_REVIEW", true)
        let volunteerReview = try read.flag("DIANDAN_VOLUNTEER_REVIEW", false)
        let rotation = TimeInterval(try read.int("DIANDAN_QR_ROTATE_SECONDS", 180, in: 10...86_400))
        let cacheMB = try read.int("DIANDAN_SQLITE_CACHE_MB", 64, in: 1...65_536)
        let sqliteConnections = try read.int("DIANDAN_SQLITE_CONNECTIONS", 4, in: 1...64)
        let groupCommit = try read.flag("DIANDAN_GROUP_COMMIT", true)
        let privacy = PrivacyRules(anonymiseAfterDays: try read.positive("DIANDAN_ANONYMISE_DAYS", 180),
                                   deletionGraceDays: try read.positive("DIANDAN_DELETION_GRACE_DAYS", 7))
        let rateLimits = try read.flag("DIANDAN_RATE_LIMITS", true)
        let webhookAllowPrivate = try read.flag("DIANDAN_WEBHOOK_ALLOW_PRIVATE", false)
        var basemap: Basemap?
        if let tiles = value("DIANDAN_MAP_TILES") {
            do { basemap = try Basemap.parse(tiles, attribution: value("DIANDAN_MAP_ATTRIBUTION")) } catch { throw ConfigurationError(error.reason) }
        }
        let proxies = Set((value("DIANDAN_TRUSTED_PROXIES") ?? "127.0.0.1,::1").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return Settings(
            databaseURL: value("DATABASE_URL"),
            postgresSchema: value("DIANDAN_PG_SCHEMA"),
            postgresConnections: pgConnections,
            sqlitePath: value("DIANDAN_SQLITE_PATH") ?? "./diandan.sqlite",
            secret: secret,
            resourcesDirectory: Settings.directory(value("DIANDAN_RESOURCES_DIR") ?? Settings.packageRoot),
            bcryptCost: cost,
            developmentLike: relaxed,
            seedDemo: relaxed && seedDemo,
            sessionCookieSecure: cookieSecure,
            loginThrottle: throttle,
            tokenLifetimeDays: tokenDays,
            orderPolicy: policy,
            scanInterval: TimeInterval(scan),
            outboxInterval: TimeInterval(outbox),
            signupRules: SignupRules(minimumAge: minAge, adultAge: adultAge),
            activityReview: activityReview,
            volunteerReview: volunteerReview,
            checkin: CheckinPolicy(rotation: rotation),
            publicURL: publicURL,
            wishHours: wishHours,
            wishPoints: wishPoints,
            menuReview: review,
            uploadsDirectory: value("DIANDAN_UPLOADS_DIR") ?? "./uploads",
            metricsToken: value("DIANDAN_METRICS_TOKEN"),
            sqliteCacheMB: cacheMB,
            sqliteConnections: sqliteConnections,
            sqliteSync: sync,
            exportInterval: TimeInterval(exports),
            deliveryInterval: TimeInterval(deliveries),
            sms: sms,
            groupCommit: groupCommit,
            privacy: privacy,
            rateLimits: rateLimits,
            trustedProxies: proxies,
            webhookAllowPrivate: webhookAllowPrivate,
            basemap: basemap
        )
    }

    public enum LogFormat: String, Sendable, CaseIterable { case console, json }

    /// `LOG_LEVEL` and `LOG_FORMAT`, read before anything else starts (by the same reader: a level
    /// or format it does not know stops the start).
    public static func logging(_ get: @escaping (String) -> String? = Environment.get) throws -> (level: Logger.Level, format: LogFormat) {
        // The names other tools use for the same things are taken too (warn, text, plain).
        let aliases = ["warn": "warning", "text": "console", "plain": "console"]
        let read = SettingsReader { name in get(name).map { aliases[$0.trimmingCharacters(in: .whitespaces).lowercased()] ?? $0 } }
        return (try read.choice("LOG_LEVEL", Logger.Level.info), try read.choice("LOG_FORMAT", LogFormat.console))
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

/// The one reader of environment variables: every flag and number is parsed here, and a value it
/// cannot take stops the start with the variable's name, what it takes and what it was given
/// (never a silent fallback, never "unknown means off" in one place and "on" in another).
struct SettingsReader {
    let get: (String) -> String?

    init(_ get: @escaping (String) -> String?) { self.get = get }

    /// The value without surrounding spaces; unset and empty are the same.
    func string(_ name: String) -> String? {
        guard let v = get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    static let yes: Set<String> = ["true", "on", "yes", "1"], no: Set<String> = ["false", "off", "no", "0"]

    func flag(_ name: String, _ fallback: Bool) throws -> Bool {
        guard let raw = string(name) else { return fallback }
        if Self.yes.contains(raw.lowercased()) { return true }
        if Self.no.contains(raw.lowercased()) { return false }
        throw ConfigurationError("\(name) must be true or false (on/off, yes/no and 1/0 are taken too); it is \"\(raw)\".")
    }

    func int(_ name: String, _ fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = string(name) else { return fallback }
        guard let n = Int(raw), range.contains(n) else {
            throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); it is \"\(raw)\".")
        }
        return n
    }

    func positive(_ name: String, _ fallback: Int) throws -> Int { try int(name, fallback, in: 1...1_000_000) }

    /// A polling interval: whole seconds, 0 turning the job off.
    func seconds(_ name: String, _ fallback: Int) throws -> Int {
        guard let raw = string(name) else { return fallback }
        guard let n = Int(raw), (0...86_400).contains(n) else {
            throw ConfigurationError("\(name) must be a whole number of seconds from 0 (off) to 86400; it is \"\(raw)\".")
        }
        return n
    }

    func number(_ name: String, _ fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let raw = string(name) else { return fallback }
        guard let n = Double(raw), n.isFinite, range.contains(n) else {
            throw ConfigurationError("\(name) must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()); it is \"\(raw)\".")
        }
        return n
    }

    func choice<C: RawRepresentable & CaseIterable>(_ name: String, _ fallback: C) throws -> C where C.RawValue == String {
        guard let raw = string(name) else { return fallback }
        guard let c = C(rawValue: raw.lowercased()) else {
            throw ConfigurationError("\(name) must be one of \(C.allCases.map(\.rawValue).joined(separator: ", ")); it is \"\(raw)\".")
        }
        return c
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
