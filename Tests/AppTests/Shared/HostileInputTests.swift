import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// Every API route (the OpenAPI table, which another test holds equal to the route table, so a new
/// route is covered here without a line added) gets hostile input: wrong types, missing fields, huge
/// strings, control characters, numbers out of range, SQL and path metacharacters in its path, query
/// and body. Invalid input must get a 4xx with a message and change nothing; text that is merely
/// nasty (right-to-left marks, emoji, combining marks, SQL) must never get a 5xx, and leaves the
/// records consistent.
@Suite("Hostile input table")
struct HostileInputTests {
    typealias Node = SchemaReflector.Node

    /// A JSON value, written out by hand so wrong types can be sent.
    static func json(_ v: Any) -> String {
        switch v {
        case let s as String: var out = ""; GeoDoc.quote(s, into: &out); return out
        case let n as Int: return String(n)
        case let d as Double: return d.isFinite ? String(d) : "1e999"
        case let b as Bool: return b ? "true" : "false"
        case let a as [Any]: return "[" + a.map(json).joined(separator: ",") + "]"
        case let o as [(String, Any)]: return "{" + o.map { json($0.0) + ":" + json($0.1) }.joined(separator: ",") + "}"
        default: return "null"
        }
    }

    static func limit(_ f: OpenAPI.Field, _ name: String) -> Double? {
        f.limits.first { $0.0 == name }.flatMap { pair -> Double? in
            switch pair.1 {
            case .integer(let n): Double(n)
            case .number(let d): d
            default: nil
            }
        }
    }

    /// A value the field accepts.
    static func plausible(_ f: OpenAPI.Field) -> Any {
        switch f.node {
        case .string(let format): format == "date-time" ? "2030-01-01T09:00:00+08:00" : "测试"
        case .integer: Int(max(1, limit(f, "minimum") ?? 1))
        case .number: ((limit(f, "minimum") ?? 0) + (limit(f, "maximum") ?? 0)) / 2
        case .boolean: false
        case .enumeration(let cases): cases.first ?? ""
        case .array: [Any]()
        default: "测试"
        }
    }

    /// Values the field must refuse.
    static func invalid(_ f: OpenAPI.Field) -> [Any] {
        let object: [(String, Any)] = [("$ne", 1)]
        switch f.node {
        case .string(let format):
            var v: [Any] = [object, [1, 2], "a\u{0}b", "bell\u{7}", String(repeating: "长", count: Int(limit(f, "maxLength") ?? 100_000) + 1)]
            if format == "date-time" { v += ["yesterday", "2026-13-45T99:99"] }
            return v
        case .integer:
            let low = Int(limit(f, "minimum") ?? 1), high = Int(limit(f, "maximum") ?? Double(Int32.max))
            return ["abc", "1; DROP TABLE orders", "../../etc/passwd", 1.5, low - 1, Double(high) + 1, 1e300, object, [1]]
        case .number:
            return ["abc", "NaN", (limit(f, "minimum") ?? -1e9) - 1, (limit(f, "maximum") ?? 1e9) + 1, object, [1]]
        case .boolean: return ["maybe", object]
        case .enumeration: return ["nope", "' OR '1'='1", object]
        case .array: return [object]
        default: return [object]
        }
    }

    /// Text that is strange but valid: it may be stored, never crash anything or come back changed.
    static let nasty = ["'; DROP TABLE orders; --", "\u{202E}olleh", "👨‍👩‍👧‍👦🇨🇳", "e\u{301}\u{302}\u{303}\u{304}", "../../../etc/passwd", "%00%2e%2e%2f", "<script>alert(1)</script>"]

    /// What a write would change: the number of rows of every table, and the versions of orders.
    static func fingerprint(_ app: Application) async throws -> [String: Int] {
        let sql = app.db as! SQLDatabase
        struct Name: Decodable { let name: String }
        let tables = TestDatabase.isPostgres
            ? try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()").all(decoding: Name.self)
            : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all(decoding: Name.self)
        struct N: Decodable { let n: Int }
        var out: [String: Int] = [:]
        for t in tables.map(\.name) where !["_fluent_sessions", "_fluent_migrations"].contains(t) {
            out[t] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: t)").first(decoding: N.self)?.n ?? 0
        }
        out["orders.version"] = try await sql.raw("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM orders").first(decoding: N.self)?.n ?? 0
        out["volunteers.points"] = try await sql.raw("SELECT CAST(COALESCE(SUM(points_balance), 0) AS BIGINT) AS n FROM volunteers").first(decoding: N.self)?.n ?? 0
        return out
    }

    @Test func everyRouteRefusesHostileInputAndWritesNothing() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            // Things that exist, so requests reach their validation: an order, an activity, a wish.
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            var client = try await APIClient.signIn(app, Fixture.centreAdmin)
            let existing: [String: String] = ["id": String(order), "number": "ZM2026-ABCDEFGHJK", "action": "claim", "signup": "1"]
            var checked = 0, refused = 0

            // Signing out would end the run's own session: that route is tested on its own.
            for op in OpenAPI.operations where !(op.method == .DELETE && op.path == "/auth/token") {
                let before = try await Self.fingerprint(app)
                func path(_ values: [String: String]) -> String {
                    "/api/v1" + op.path.split(separator: "/").map { seg in
                        seg.hasPrefix("{") ? (values[String(seg.dropFirst().dropLast())] ?? "1") : String(seg)
                    }.joined(separator: "/").replacingOccurrences(of: "//", with: "/").prefixed
                }
                func send(_ p: String, body: String?) async throws -> TestingHTTPResponse {
                    checked += 1
                    return try await client.call(op.method, p, body, headers: [:])
                }
                func expectRefused(_ r: TestingHTTPResponse, _ what: String) throws {
                    refused += 1
                    #expect((400..<500).contains(Int(r.status.code)), "\(op.method) \(op.path) \(what): \(r.status)")
                    let message = try? r.json()["message"] as? String
                    #expect(message?.isEmpty == false, "\(op.method) \(op.path) \(what): no message")
                }

                // Hostile path parameters.
                if op.path.contains("{") {
                    for bad in ["-1", "0", "99999999999999999999", "abc", "%2E%2E%2F%2E%2E%2Fetc", "1%00", "1;DROP%20TABLE%20orders"] {
                        var values = existing
                        for key in ["id", "number", "action", "signup"] { values[key] = bad }
                        try expectRefused(try await send(path(values), body: op.method == .GET ? nil : "{}"), "path \(bad)")
                    }
                }
                // Hostile bodies: each field invalid in turn, each required field missing.
                let fields: [OpenAPI.Field]
                switch op.body {
                case .json(let f)?, .jsonOrMultipart(let f)?: fields = f
                case nil: fields = []
                }
                let base = fields.map { ($0.name, Self.plausible($0)) }
                for (i, f) in fields.enumerated() {
                    for bad in Self.invalid(f) {
                        var body = base
                        body[i] = (f.name, bad)
                        let text = Self.json(body)
                        try expectRefused(try await send(path(existing), body: text), "\(f.name) = \(text.prefix(60))")
                    }
                    if f.required {
                        var body = base
                        body.remove(at: i)
                        try expectRefused(try await send(path(existing), body: Self.json(body)), "without \(f.name)")
                    }
                }
                if op.body != nil {
                    for bad in ["", "not json", "[1,2,3]", "{\"a\":", String(repeating: "{", count: 5000)] {
                        try expectRefused(try await send(path(existing), body: bad), "body \(bad.prefix(20))")
                    }
                }
                // Hostile query parameters: never a 5xx (a list may ignore a filter it cannot use).
                for q in op.query {
                    for bad in Self.invalid(q).compactMap({ $0 as? String }) + ["-1", "99999999999999999999", "' OR 1=1 --"] {
                        let encoded = bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                        let r = try await send(path(existing) + "?\(q.name)=\(encoded)", body: op.method == .GET ? nil : "{}")
                        #expect(r.status.code < 500, "\(op.method) \(op.path) ?\(q.name)=\(bad.prefix(40)): \(r.status)")
                    }
                }
                let after = try await Self.fingerprint(app)
                let changed = after.keys.filter { after[$0] != before[$0] }.sorted()
                #expect(changed.isEmpty, "\(op.method) \(op.path) wrote to \(changed) on hostile input")

                // Strange but valid text in every text field: no 5xx.
                for (i, f) in fields.enumerated() {
                    guard case .string(nil) = f.node else { continue }
                    for text in Self.nasty {
                        var body = base
                        body[i] = (f.name, text)
                        let r = try await send(path(existing), body: Self.json(body))
                        #expect(r.status.code < 500, "\(op.method) \(op.path) \(f.name) = \(text): \(r.status)")
                    }
                }
            }
            #expect(OpenAPI.operations.count > 50)
            #expect(refused > 700, "only \(refused) refusals checked")
            // And whatever the nasty text did, the records agree with each other.
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
            print("hostile input: \(checked) requests, \(refused) of them required to be refused")
        }
    }
}

extension HostileInputTests {
    /// PostgreSQL cannot hold a NUL byte in text: found by the table above (a 500 there, and on the
    /// sign-in form). Refused at the door, on both databases.
    @Test func aNulByteAnywhereIsABadRequest() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            let login = try await web.submit("/login", [("username", "admin\u{0}"), ("password", "x")], tokenFrom: "/login")
            #expect(login.status == .badRequest)
            for path in ["/api/v1/activities?q=a%00b", "/api/v1/certificates/1%00", "/open311/v2/requests/DD1%00.json"] {
                let r = try await web.send(.GET, path)
                #expect(r.status == .badRequest, "\(path): \(r.status)")
            }
        }
    }
}

private extension String {
    var prefixed: String { hasPrefix("/") ? self : "/" + self }
}
