import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("Server basics")
struct BasicsTests {
    @Test func theSuiteRunsOnTheDatabaseItWasAskedFor() async throws {
        try await withTestApp { app in
            let sql = try #require(app.db as? SQLDatabase)
            #expect(sql.dialect.name == (TestDatabase.isPostgres ? "postgresql" : "sqlite"))
        }
    }

    @Test func healthAndReadinessAnswerJSON() async throws {
        try await withTestApp { app in
            var web = WebClient(app)
            let health = try await web.send(.GET, "/health")
            #expect(health.status == .ok)
            #expect(try health.json()["status"] as? String == "ok")
            let ready = try await web.send(.GET, "/ready")
            #expect(ready.status == .ok)
            #expect(try ready.json()["database"] as? String == "ok")
            #expect(ready.headers.contentType == .json)
        }
    }

    @Test func unknownPathsGetA404PageOrJSON() async throws {
        try await withTestApp { app in
            var web = WebClient(app)
            let page = try await web.send(.GET, "/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType?.subType == "html")
            #expect(page.text.contains("找不到该页面或记录"))
            // A page without a form token still offers 长辈版, as a link (this device only).
            #expect(page.text.contains(#"id="size-switch" href="/display/large?next="#) && !page.text.contains(#"class="size-form""#))
            let api = try await web.send(.GET, "/api/v1/no/such/thing")
            #expect(api.status == .notFound)
            #expect(try api.json()["message"] as? String == "找不到该页面或记录。")
            var english = WebClient(app, language: "en-GB,en;q=0.8")
            #expect(try await english.send(.GET, "/api/v1/nothing").json()["message"] as? String == "The page or record was not found.")
        }
    }

    @Test func everyResponseCarriesSecurityHeaders() async throws {
        try await withTestApp { app in
            var web = WebClient(app)
            let r = try await web.send(.GET, "/")
            #expect(r.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(r.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(r.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(r.headers.first(name: "Content-Security-Policy")?.contains("unsafe-inline") == false)
            #expect(r.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(r.headers.first(name: "Referrer-Policy") == "same-origin")
            // Errors and the API carry them too.
            let missing = try await web.send(.GET, "/api/v1/nothing")
            #expect(missing.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    /// The policy allows no inline script, so the templates must hold none: no <script> without a
    /// source, no on… attribute, no javascript: link.
    @Test func noTemplateHoldsInlineScript() throws {
        let views = URL(fileURLWithPath: Settings.packageRoot + "Resources/Views")
        let files = FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "leaf" }
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in [#"<script(?![^>]*\bsrc=)"#, #"\son[a-z]+\s*="#, #"javascript:"#] {
                #expect(text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) == nil, "\(file.lastPathComponent) matches \(pattern)")
            }
        }
    }

    @Test func theLanguageSwitchIsRemembered() async throws {
        try await withTestApp { app in
            var web = WebClient(app)
            #expect(try await web.send(.GET, "/").text.contains("<html lang=\"zh-CN\">"))
            let r = try await web.send(.GET, "/lang/en?next=/register")
            #expect(r.status == .seeOther)
            #expect(r.headers.first(name: .location) == "/register")
            let page = try await web.send(.GET, "/register").text
            #expect(page.contains("<html lang=\"en\">"))
            #expect(page.contains("Register as a volunteer"))
            // Another request later: still English, because the choice is in a cookie.
            #expect(try await web.send(.GET, "/").text.contains("Residents order, volunteers serve"))
            // Never redirects off the site.
            let evil = try await web.send(.GET, "/lang/zh-CN?next=//evil.example/")
            #expect(evil.headers.first(name: .location) == "/")
            #expect(try await web.send(.GET, "/lang/fr").status == .notFound)
        }
    }

    @Test func theDemoCountyHasWhatTheIssueAsksFor() async throws {
        try await withTestApp { app in
            let logins = try await DemoSeeder(app: app, progress: { _ in }).run()
            let sites = try await Site.query(on: app.db).all()
            #expect(sites.filter { $0.kind == .centre }.count == 1)
            #expect(sites.filter { $0.kind == .institute }.count >= 3)
            let stations = sites.filter { $0.kind == .station }
            #expect(stations.count >= 12)
            #expect(Set(stations.map(\.zone)) == [.urban, .rural])
            #expect(try await Team.query(on: app.db).count() >= 15)
            #expect(try await Volunteer.query(on: app.db).count() >= 100)
            let categories = try await Category.query(on: app.db).all()
            let withMenu = Set(try await MenuItem.query(on: app.db).all().map(\.$category.id))
            #expect(categories.allSatisfy { withMenu.contains($0.id!) })
            #expect(logins.count == DemoSeeder.logins.count)
            // Every path is consistent with the parent links.
            for s in sites {
                if let parent = sites.first(where: { $0.id == s.$parent.id }) {
                    #expect(s.path == parent.sitePath.child(s.id!).rawValue)
                }
            }
            // The demo logins work.
            var web = WebClient(app)
            let r = try await web.login("admin", DemoSeeder.password)
            #expect(r.status == .seeOther)
            #expect(try await web.send(.GET, "/admin").status == .ok)
        }
    }

    @Test func everyMigrationRevertsAndAppliesAgain() async throws {
        try await withTestApp { app in
            _ = try await LoopWorld.make(app)
            try await app.autoRevert()
            let sql = app.db as! SQLDatabase
            let table = TestDatabase.isPostgres
                ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'sites'"
                : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sites'"
            #expect(try await sql.raw(SQLQueryString(table)).first()?.decode(column: "n", as: Int.self) == 0)
            try await app.autoMigrate()
            #expect(try await Category.query(on: app.db).count() == SeedCategories.standard.count)
            #expect(try await Order.query(on: app.db).count() == 0)
        }
    }

    @Test func serveSeedsTheDemoCountyOnlyIntoAnEmptyDatabase() async throws {
        guard !TestDatabase.isPostgres else { return }
        let path = NSTemporaryDirectory() + "diandan-serve-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var counts: [Int] = []
        for _ in 0..<2 {
            let app = try await Application.make(.testing)
            do {
                let settings = try Settings.load(.development) { ["DIANDAN_SQLITE_PATH": path, "DIANDAN_BCRYPT_COST": "4", "DIANDAN_SCAN_SECONDS": "0"][$0] }
                try await configure(app, options: .init(isServe: true), settings: settings)
                counts.append(try await Site.query(on: app.db).count())
            } catch {
                try await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
        // Seeded on the first start; the second finds sites and leaves them as they are.
        #expect(counts.first ?? 0 >= 13)
        #expect(counts.count == 2 && counts[0] == counts[1])
    }

    @Test func theTenStandardCategoriesAreSeededByMigration() async throws {
        try await withTestApp { app in
            let names = try await Category.query(on: app.db).sort(\.$sortOrder).all().map(\.name)
            #expect(names == SeedCategories.standard.map(\.0))
        }
    }

    @Test func productionRefusesDefaultSecretsAndNeverSeeds() throws {
        let secret = String(repeating: "ab", count: 20)
        let url = "https://zyfw.example.gov.cn"
        // Every environment but development and testing fails closed: staging too, and any name.
        for env in [Environment.production, Environment(name: "staging"), Environment(name: "prod-eu")] {
            #expect(throws: ConfigurationError.self, "\(env.name)") { try Settings.load(env) { $0 == "DIANDAN_PUBLIC_URL" ? url : nil } }
            #expect(throws: ConfigurationError.self, "\(env.name)") { try Settings.load(env) { ["DIANDAN_SECRET": "short", "DIANDAN_PUBLIC_URL": url][$0] } }
            #expect(throws: ConfigurationError.self, "\(env.name)") {
                try Settings.load(env) { ["DIANDAN_SECRET": Settings.developmentSecret, "DIANDAN_PUBLIC_URL": url][$0] }
            }
            // The public address is required: links are never made from a request's Host header there.
            #expect(throws: ConfigurationError.self, "\(env.name)") { try Settings.load(env) { $0 == "DIANDAN_SECRET" ? secret : nil } }
            let s = try Settings.load(env) { ["DIANDAN_SECRET": secret, "DIANDAN_SEED_DEMO": "true", "DIANDAN_PUBLIC_URL": url][$0] }
            #expect(s.seedDemo == false, "\(env.name) would seed demo logins")
            #expect(s.sessionCookieSecure == true)
            #expect(s.developmentLike == false)
        }
        let prod = try Settings.load(.production) { ["DIANDAN_SECRET": secret, "DIANDAN_SEED_DEMO": "true", "DIANDAN_PUBLIC_URL": url][$0] }
        #expect(prod.publicURL == url)
        let dev = try Settings.load(.development) { _ in nil }
        #expect(dev.seedDemo == true)
        #expect(dev.sqlitePath == "./diandan.sqlite")
        #expect(throws: ConfigurationError.self) { try Settings.load(.development) { $0 == "DIANDAN_BCRYPT_COST" ? "99" : nil } }
    }

    /// One reader for every flag and number: a value it cannot take stops the start, naming the
    /// variable and what it takes. (An unknown flag once meant off in one place and on in another,
    /// and a bad number fell back to the default without a word.)
    /// A status, a kind or a mode is read back as its enum: a value the code does not know fails the
    /// read loudly (it once became "submitted", "open", "pending", "cancelled", "point" or "onsite"
    /// without a word), and every known value reads back as itself.
    @Test func aStoredValueTheCodeDoesNotKnowFailsLoudly() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try #require(try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as? Int)
            let sql = app.db as! SQLDatabase
            for status in OrderStatus.allCases {
                try await sql.raw("UPDATE orders SET status = \(bind: status.rawValue) WHERE id = \(bind: id)").run()
                #expect(try await Order.find(id, on: app.db)?.status == status)
            }
            try await sql.raw("UPDATE orders SET status = 'lost' WHERE id = \(bind: id)").run()
            await #expect(throws: (any Error).self) { _ = try await Order.find(id, on: app.db) }
            try await sql.raw("UPDATE sites SET kind = 'village' WHERE id = \(bind: w.f.s2.id!)").run()
            await #expect(throws: (any Error).self) { _ = try await Site.query(on: app.db).all() }
            var centre = try await APIClient.signIn(app, Fixture.centreAdmin)
            let activity = try #require(try await centre.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 5)).json()["id"] as? Int)
            let wish = try #require(try await resident.call(.POST, "/api/v1/wishes", #"{"title":"想要一本字典","site_id":\#(w.f.s1.id!)}"#).json()["id"] as? Int)
            #expect(try await Activity.find(activity, on: app.db)?.status == .published)
            #expect(try await Wish.find(wish, on: app.db)?.status == .open)
            try await sql.raw("UPDATE activities SET status = 'lost'").run()
            try await sql.raw("UPDATE wishes SET status = 'lost'").run()
            try await sql.raw("UPDATE grants SET role = 'chief'").run()
            await #expect(throws: (any Error).self) { _ = try await RoleGrant.query(on: app.db).all() }
            let residentID = try #require(try await Account.query(on: app.db).filter(\.$username == Fixture.user(.resident)).first()?.id)
            await #expect(throws: (any Error).self) { _ = try await Principal.load(accountID: residentID, on: app.db) }
            await #expect(throws: (any Error).self) { _ = try await Activity.query(on: app.db).all() }
            await #expect(throws: (any Error).self) { _ = try await Wish.query(on: app.db).all() }
        }
    }

    @Test func aSettingThatCannotBeReadStopsTheStartAndSaysWhy() throws {
        func refused(_ name: String, _ value: String, _ words: String) {
            do {
                _ = try Settings.load(.development) { $0 == name ? value : nil }
                Issue.record("\(name)=\(value) was taken")
            } catch {
                let text = String(describing: error)
                #expect(text.contains(name) && text.contains(words) && text.contains(value), "\(text)")
            }
        }
        for flag in ["DIANDAN_RATE_LIMITS", "DIANDAN_GROUP_COMMIT", "DIANDAN_SEED_DEMO", "DIANDAN_COOKIE_SECURE",
                     "DIANDAN_ACTIVITY_REVIEW", "DIANDAN_WEBHOOK_ALLOW_PRIVATE"] {
            refused(flag, "disabled", "true or false")
        }
        for number in ["DIANDAN_LOGIN_FREE_ATTEMPTS", "DIANDAN_LOGIN_LOCK_SECONDS", "DIANDAN_TOKEN_DAYS", "DIANDAN_PG_CONNECTIONS",
                       "DIANDAN_SQLITE_CONNECTIONS", "DIANDAN_WISH_POINTS", "DIANDAN_QR_ROTATE_SECONDS", "DIANDAN_MIN_AGE"] {
            for bad in ["ten", "-1", "1e308", "99999999999999999999"] { refused(number, bad, "whole number") }
        }
        for seconds in ["DIANDAN_SCAN_SECONDS", "DIANDAN_EXPORT_SECONDS", "DIANDAN_OUTBOX_SECONDS", "DIANDAN_DELIVERY_SECONDS"] {
            refused(seconds, "2s", "seconds")
        }
        refused("DIANDAN_FIVE_STAR_BONUS", "NaN", "number from 0 to 10")
        refused("DIANDAN_WISH_HOURS", "1e308", "number from 0 to 24")
        refused("DIANDAN_STAR_HOURS", "100,300,,600,1000,1500", "five increasing numbers")
        refused("DIANDAN_SQLITE_SYNCHRONOUS", "off", "full, normal")
        // The words people write for yes and no are all taken, in any case.
        for (raw, expected) in [("OFF", false), ("no", false), ("0", false), ("Yes", true), ("on", true), ("1", true)] {
            #expect(try Settings.load(.development) { $0 == "DIANDAN_RATE_LIMITS" ? raw : nil }.rateLimits == expected)
            #expect(try Settings.load(.development) { $0 == "DIANDAN_GROUP_COMMIT" ? raw : nil }.groupCommit == expected)
        }
        #expect(try Settings.load(.development) { $0 == "DIANDAN_LOGIN_FREE_ATTEMPTS" ? " 7 " : nil }.loginThrottle.freeAttempts == 7)
        // The log settings, read before the rest, by the same reader.
        #expect(throws: ConfigurationError.self) { try Settings.logging { $0 == "LOG_LEVEL" ? "verbose" : nil } }
        #expect(throws: ConfigurationError.self) { try Settings.logging { $0 == "LOG_FORMAT" ? "xml" : nil } }
        let logging = try Settings.logging { ["LOG_LEVEL": "WARNING", "LOG_FORMAT": "json"][$0] }
        #expect(logging.level == .warning && logging.format == .json)
        // The names other tools use for the same things are taken too.
        let aliases = try Settings.logging { ["LOG_LEVEL": "warn", "LOG_FORMAT": "plain"][$0] }
        #expect(aliases.level == .warning && aliases.format == .console)
    }

    @Test func everySettingIsDocumentedInTheReadmeAndEnvExample() throws {
        let root = URL(fileURLWithPath: Settings.packageRoot)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: root.appendingPathComponent(".env.example"), encoding: .utf8)
        for setting in Settings.documented {
            #expect(readme.contains("`\(setting.name)`"), "README lacks \(setting.name)")
            #expect(example.contains("\(setting.name)="), ".env.example lacks \(setting.name)")
        }
    }

    /// Durable by default (every connection syncs at each commit); `normal` only when configured.
    @Test(arguments: [(nil, 2), ("normal", 1), ("FULL", 2)] as [(String?, Int)])
    func theSQLiteFileIsWALAndDurable(_ configured: String?, _ expected: Int) async throws {
        guard !TestDatabase.isPostgres else { return }
        let path = NSTemporaryDirectory() + "diandan-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = try await Application.make(.testing)
        do {
            let values = ["DIANDAN_SQLITE_PATH": path, "DIANDAN_BCRYPT_COST": "4", "DIANDAN_SQLITE_SYNCHRONOUS": configured]
            let settings = try Settings.load(.testing) { values[$0] ?? nil }
            try await configure(app, options: .init(isServe: false), settings: settings)
            let sql = app.db as! SQLDatabase
            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            #expect(mode == "wal")
            // Every pooled connection: its commit durability, and it waits for a lock by sleeping, not by spinning.
            for loop in app.eventLoopGroup.makeIterator() {
                let conn = app.databases.database(.sqlite, logger: app.logger, on: loop) as! SQLDatabase
                let sync = try await conn.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
                #expect(sync == expected) // 2 FULL, 1 NORMAL
                let timeout = try await conn.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
                #expect(timeout == 10_000)
            }
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        #expect(throws: ConfigurationError.self) { try Settings.load(.testing) { ["DIANDAN_SQLITE_SYNCHRONOUS": "off"][$0] } }
    }

    @Test func everyRouteDeclaresAnAccessRule() async throws {
        try await withTestApp { app in
            let missing = app.routes.all.filter { $0.rule == nil }.map { "\($0.method) /\($0.path.map(\.description).joined(separator: "/"))" }
            #expect(missing == [])
            #expect(app.routes.all.count > 30)
        }
    }

    @Test func aRouteWithoutARuleIsRefused() async throws {
        try await withTestApp { app in
            app.grouped(AccessGate()).get("forgotten") { _ in "secret" }
            var web = WebClient(app)
            let r = try await web.send(.GET, "/forgotten")
            #expect(r.status == .forbidden)
            #expect(!r.text.contains("secret"))
        }
    }
}
