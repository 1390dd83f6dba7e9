import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// The same tests run on SQLite (default) and on PostgreSQL when DATABASE_URL is set; each test on
/// PostgreSQL gets a schema of its own, so tests run in parallel and leave nothing behind.
enum TestDatabase {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { return nil }
        return url
    }

    static var isPostgres: Bool { postgresURL != nil }
}

/// A mutable clock for tests that move time (lockouts; later, deadlines).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date()) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

func withTestApp(clock: TestClock? = nil, settings extra: [String: String] = [:], _ body: (Application) async throws -> Void) async throws {
    try await withTestApp(clock: clock, sqlitePath: ":memory:", schema: nil, settings: extra, body)
}

/// Two instances of the app on one database (a SQLite file, or one PostgreSQL schema), each with its
/// own connection pool, as two `serve` processes would be.
func withTwinApps(clock: TestClock? = nil, _ body: @escaping @Sendable (Application, Application) async throws -> Void) async throws {
    let file = NSTemporaryDirectory() + "diandan-twins-\(UUID().uuidString.prefix(8)).sqlite"
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
    try await withTestApp(clock: clock, sqlitePath: file, schema: schema) { first in
        try await withTestApp(clock: clock, sqlitePath: file, schema: schema, joining: true) { second in
            try await body(first, second)
        }
    }
}

func withTestApp(clock: TestClock? = nil, sqlitePath: String, schema given: String?, joining: Bool = false, settings extra: [String: String] = [:],
                 _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    let schema = given ?? "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    let values: [String: String] = [
        "DIANDAN_SQLITE_PATH": sqlitePath,
        "DIANDAN_BCRYPT_COST": "4",
        "DIANDAN_SEED_DEMO": "false",
        "DATABASE_URL": TestDatabase.postgresURL ?? "",
        "DIANDAN_PG_SCHEMA": TestDatabase.isPostgres ? schema : "",
        // Many tests run at once, each with its own pool.
        "DIANDAN_PG_CONNECTIONS": "2",
        // Export jobs run when a test says so.
        "DIANDAN_EXPORT_SECONDS": "0",
        // Tests place orders and sign in far faster than people; the limits have their own tests.
        "DIANDAN_RATE_LIMITS": "off",
        "DIANDAN_UPLOADS_DIR": NSTemporaryDirectory() + "diandan-uploads-" + schema,
    ]
    var failure: Error?
    do {
        let settings = try Settings.load(.testing) { extra[$0] ?? values[$0] }
        try await configure(app, options: .init(isServe: false), settings: settings)
        if let clock { app.clock = AppClock(now: { clock.now }) }
        if TestDatabase.isPostgres, !joining, let sql = app.db as? SQLDatabase {
            try await sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
        }
        if !joining { try await app.autoMigrate() }
        try await body(app)
    } catch {
        failure = error
    }
    if TestDatabase.isPostgres, !joining, let sql = app.db as? SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: schema) CASCADE").run()
    }
    try? FileManager.default.removeItem(atPath: values["DIANDAN_UPLOADS_DIR"]!)
    try await app.asyncShutdown()
    if let failure { throw failure }
}

/// A browser stand-in: keeps cookies, sends forms with the page's CSRF token.
struct WebClient {
    let app: Application
    var cookies: [String: String] = [:]
    var language: String?
    /// The address a trusted proxy names as the caller (tests that set DIANDAN_TRUSTED_PROXIES=unknown:
    /// in-process requests have no connection, so their own address is "unknown").
    var forwardedFor: String?

    init(_ app: Application, language: String? = nil) {
        self.app = app
        self.language = language
    }

    @discardableResult
    mutating func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil, json: String? = nil,
                       headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let language { headers.replaceOrAdd(name: .acceptLanguage, value: language) }
        if let forwardedFor { headers.replaceOrAdd(name: .xForwardedFor, value: forwardedFor) }
        var body = ByteBuffer()
        if let form {
            headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
            body = ByteBuffer(string: form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        } else if let json {
            headers.replaceOrAdd(name: .contentType, value: "application/json")
            body = ByteBuffer(string: json)
        }
        let request = TestingHTTPRequest(method: method, url: URI(string: path), headers: headers, body: body)
        let response = try await app.testing().performTest(request: request)
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            if let expires = value.expires, expires < Date() { cookies[name] = nil } else { cookies[name] = value.string }
        }
        return response
    }

    /// A multipart/form-data body: text fields, then files (name, filename, bytes).
    @discardableResult
    mutating func sendMultipart(_ path: String, fields: [(String, String)], files: [(String, String, [UInt8])], headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        let boundary = "diandan-test-boundary"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, filename, bytes) in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: image/jpeg\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = extra
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        // The pages' multipart forms carry their CSRF token in the address, so it is checked before
        // the body is read: a `_csrf` field given here goes where the page's form puts it.
        var url = path
        if let token = fields.first(where: { $0.0 == "_csrf" })?.1 {
            url += (path.contains("?") ? "&" : "?") + "_csrf=" + Self.encode(token)
        }
        return try await app.testing().performTest(request: TestingHTTPRequest(method: .POST, url: URI(string: url), headers: headers, body: body))
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// The CSRF token of the current session, read from a page as a browser would.
    mutating func csrf(from path: String = "/login") async throws -> String {
        let page = try await send(.GET, path).body.string
        guard let range = page.range(of: #"name="_csrf" value="[^"]+""#, options: .regularExpression) else {
            Issue.record("no CSRF token on \(path)")
            return ""
        }
        return String(page[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    /// Submits a form the way a page would, token included.
    @discardableResult
    mutating func submit(_ path: String, _ fields: [(String, String)], tokenFrom page: String = "/register") async throws -> TestingHTTPResponse {
        let token = try await csrf(from: page)
        return try await send(.POST, path, form: [("_csrf", token)] + fields)
    }

    @discardableResult
    mutating func login(_ username: String, _ password: String = Fixture.password) async throws -> TestingHTTPResponse {
        let token = try await csrf(from: "/login")
        return try await send(.POST, "/login", form: [("_csrf", token), ("username", username), ("password", password), ("next", "")])
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
    }
}

/// Images as phones send them, with what they say about themselves (where they were taken).
enum TestImages {
    /// A JPEG: EXIF with a GPS position, then the image.
    static let jpegWithGPS: [UInt8] = {
        let gps = Array("GPSLatitude 25.8801 N GPSLongitude 116.0201 E".utf8)
        let tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0] + gps
        let exif = Array("Exif".utf8) + [0, 0] + tiff
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((exif.count + 2) >> 8), UInt8((exif.count + 2) & 0xFF)] + exif
        return [0xFF, 0xD8] + app1 + [0xFF, 0xDB, 0, 4, 0, 1, 0xFF, 0xDA, 0, 4, 1, 2, 0x11, 0x22, 0xFF, 0xD9]
    }()

    /// A PNG with a text chunk naming the place.
    static let pngWithText: [UInt8] = {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let n = data.count
            return [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        let header: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("tEXt", Array("Location\u{0}GPS 25.8801 116.0201".utf8))
            + chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1]) + chunk("IEND", [])
    }()
}
