import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Found by probing: `GET /api/v1/activities?page=9223372036854775807`, without signing in, aborted
/// the server on an arithmetic overflow. Every number a request carries is bounded before anything
/// counts with it; this sweep, made from the route table, sends the largest whole number, −1, 0,
/// 1e308, NaN and ten thousand digits to every numeric parameter of every route — in the path, the
/// query and the body, as JSON and as a form — as nobody and as the centre's admin, and asks
/// `/health` after each. (A trap would end the test process itself: the run fails loudly.)
@Suite("Numbers from requests are bounded")
struct SweepTests {
    static let hostile = ["9223372036854775807", "-1", "0", "1e308", "NaN", String(repeating: "9", count: 10_000)]

    /// Every name the app reads a number under: from the readers in the sources (`r.int("…"`,
    /// `queryInt("…"`, …) and from the OpenAPI document; a new numeric field is swept without a line.
    static func numericNames() throws -> [String] {
        var names: Set<String> = ["hours_1", "page", "per_page"]
        let root = URL(fileURLWithPath: Settings.packageRoot).appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(pattern: #"\b(?:int|double|ids|queryInt|queryID|querySite|pathInt)\(\s*"([a-z][a-z0-9_]*)""#)
        for case let file as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        for op in OpenAPI.operations {
            var fields = op.query
            switch op.body {
            case .json(let f)?, .jsonOrMultipart(let f)?: fields += f
            case nil: break
            }
            for f in fields {
                switch f.node {
                case .integer, .number, .array(.integer): names.insert(f.name)
                default: break
                }
            }
        }
        return names.sorted()
    }

    static func encode(_ s: String) -> String { WebClient.encode(s) }

    @Test func everyNumericParameterOfEveryRouteTakesHostileNumbersAndTheServerStaysUp() async throws {
        try await withTestApp { app in
            // setup: one of each thing, so requests get past their lookups to their parsing
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            var admin = try await APIClient.signIn(app, Fixture.centreAdmin)
            let activity = try await admin.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 5)).json()["id"] as? Int ?? 1
            let names = try Self.numericNames()
            #expect(names.count > 40, "\(names)")
            let existing: [String: String] = ["id": String(order), "site": String(w.f.s1.id!), "signup": "1", "member": "1", "grant": "1", "photo": "1"]
            var page = WebClient(app)
            try await page.login(Fixture.centreAdmin)
            let token = try await page.csrf(from: "/admin")
            let nobody = WebClient(app)

            struct Planned: Sendable {
                let method: HTTPMethod, url: String, body: [(String, String)], api: Bool, admin: Bool
            }
            var plan: [Planned] = []
            func add(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: [(String, String)], api: Bool, admin: Bool) {
                var url = path
                if !query.isEmpty { url += "?" + query.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&") }
                plan.append(Planned(method: method, url: url, body: body, api: api, admin: admin))
            }

            // Signing out (its own session, its token, an account everywhere) would end the run's own sign-in; the
            // live board and the big screen stream for minutes. Each is tested on its own.
            let skipped: Set<String> = ["POST /logout", "DELETE /api/v1/auth/token", "GET /board/events", "GET /screen/events", "POST /admin/accounts/:id/sign-out"]
            for route in app.routes.all {
                let segments = route.path.map(\.description)
                let key = "\(route.method) /" + segments.joined(separator: "/")
                if skipped.contains(key) { continue }
                let api = segments.first == "api"
                let params = segments.filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
                func path(_ values: [String: String]) -> String {
                    "/" + segments.map { $0.hasPrefix(":") ? Self.encode(values[String($0.dropFirst())] ?? "1") : $0 }.joined(separator: "/")
                }
                let words: Set<String> = ["action", "code", "kind", "number", "file"]
                let plain = path(existing.merging(["action": "accept", "code": "en", "kind": "in", "number": "X", "file": "services.json"]) { $1 })
                for admin in [false, true] {
                    for value in Self.hostile {
                        // Every numeric path parameter at once.
                        if params.contains(where: { !words.contains($0) }) {
                            var values = existing
                            for p in params where !words.contains(p) { values[p] = value }
                            add(route.method, path(values), query: [], body: [], api: api, admin: admin)
                        }
                        // Every numeric name in the query, or in the body (a body's reader reads every field
                        // before it answers, so all names at once reach every one).
                        let all = names.map { ($0, value) }
                        add(route.method, plain, query: route.method == .GET ? all : [], body: route.method == .GET ? [] : all, api: api, admin: admin)
                    }
                }
                // A query's readers stop at the first bad parameter: each name alone too, with the value
                // that overflowed. (Numbers are bounded before any query is made, so on PostgreSQL the
                // sweep is run without this long part.)
                if route.method == .GET, !TestDatabase.isPostgres {
                    for name in names { add(route.method, plain, query: [(name, "9223372036854775807")], body: [], api: api, admin: true) }
                }
            }

            // MUT: a few at a time, /health after each
            let adminToken = admin.token
            let planned = plan, signedIn = page
            let failures = try await withThrowingTaskGroup(of: [String].self) { group in
                var next = 0, out: [String] = []
                func start() {
                    guard next < planned.count else { return }
                    let p = planned[next]
                    next += 1
                    group.addTask {
                        var problems: [String] = []
                        var client = p.admin && !p.api ? signedIn : nobody
                        let r: TestingHTTPResponse
                        if p.api {
                            let json = "{" + p.body.map { "\"\($0.0)\":\($0.1 == "NaN" ? "\"NaN\"" : $0.1)" }.joined(separator: ",") + "}"
                            var headers: HTTPHeaders = ["Content-Type": "application/json"]
                            if p.admin { headers.replaceOrAdd(name: .authorization, value: "Bearer \(adminToken)") }
                            r = try await client.send(p.method, p.url, json: p.method == .GET ? nil : json, headers: headers)
                        } else {
                            r = try await client.send(p.method, p.url, form: p.method == .GET ? nil : (p.admin ? [("_csrf", token)] : []) + p.body)
                        }
                        if r.status.code >= 500 { problems.append("\(p.method) \(p.url.prefix(120)) as \(p.admin ? "admin" : "nobody"): \(r.status) \(r.text.prefix(200))") }
                        var probe = nobody
                        if try await probe.send(.GET, "/health").status != .ok { problems.append("no /health after \(p.method) \(p.url.prefix(120))") }
                        return problems
                    }
                }
                for _ in 0..<6 { start() }
                while let problems = try await group.next() {
                    out += problems
                    start()
                }
                return out
            }

            // validate
            #expect(failures.isEmpty, "\(failures.prefix(20))")
            #expect(plan.count > (TestDatabase.isPostgres ? 3000 : 5000))
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
            _ = activity
            print("numeric sweep: \(plan.count) requests over \(app.routes.all.count) routes and \(names.count) names, /health after each")
        }
    }

    /// The readers are the only way numbers come out of a query string or a path: nothing reads
    /// `req.query[Int.self, …]` or `parameters.get(…, as: Int.self)`, which quietly give nil or an
    /// unbounded number.
    @Test func noHandlerReadsTheQueryOrPathAroundTheReaders() throws {
        let root = URL(fileURLWithPath: Settings.packageRoot).appendingPathComponent("Sources/App")
        for case let file as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for forbidden in [#"query\[(Int|Double|String)\.self"#, #"parameters\.get\([^)]*as:"#] {
                #expect(text.range(of: forbidden, options: .regularExpression) == nil, "\(file.lastPathComponent) reads around the readers: \(forbidden)")
            }
        }
    }
}
