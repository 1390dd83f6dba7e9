import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// Script in every text field that pages display — every text column of every table but those that
/// hold codes, states, keys and machine data — then every page, as each kind of person: the script
/// must come back as text, never as markup. A new page must be added here (the test fails
/// otherwise), and a new text column is covered without a line.
@Suite("Output escaping")
struct XSSTests {
    static let payload = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'"
    /// Columns that are not free text: codes, states, keys, JSON, files, dates as text.
    static let machineColumns: Set<String> = [
        "code", "kind", "mode", "path", "zone", "role", "locale", "status", "channel", "number", "username", "password_hash", "token_hash", "key",
        "key_hash", "key_hint", "gender", "birth_date", "registered_on", "calendar_nonce", "action", "from_status", "to_status", "actor",
        "detail", "notice_topic", "service_date", "file", "content_type", "topic", "params", "link", "photo_file", "photo_type", "format",
        "filename", "error", "event_key", "payload", "webhook_url", "id_hash", "last_error", "name_en",
        // JSON whose texts (a survey's prompts and options, a household's written answers) are given the payload below instead.
        "questions", "answers", "client_id",
    ]
    static let machineTables: Set<String> = ["_fluent_migrations", "_fluent_sessions", "api_tokens", "idempotency_keys", "order_facts", "export_jobs",
                                             "deliveries", "audit_log", "outbox", "certificates", "grants", "team_memberships"]

    /// Every page (HTML) of the route table, by pattern; the data routes beside them are named too.
    static let notPages: Set<String> = [
        "/activities.ics", "/activities/:id/qr/:kind", "/assessment/export.csv", "/assessment/export.xlsx", "/board/events", "/calendar/:file",
        "/certificates/:number/pdf", "/exports/:id/download", "/exports/:id/status", "/health", "/lang/:code", "/metrics", "/open311/v2/:file",
        "/open311/v2/requests/:file", "/open311/v2/services/:file", "/open311/v2/tokens/:file", "/orders/:id/photos/:photo", "/ready",
        "/screen/data", "/screen/events", "/display/:mode", "/favicon.ico", "/wishes/:id/photo", "/trainings/:id/qr", "/showcase/photos/:id", "/showcase/:site/feed.atom", "/showcase/feed.atom", "/activities/:id/check", "/exports/:id", "/me/data.json",
    ]

    @Test func scriptInEveryTextFieldComesBackAsText() async throws {
        try await withTestApp { app in
            // setup: the loop's world with one of each thing.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            _ = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder())
            var leader = try await APIClient.signIn(app, w.leaderS1)
            try await leader.call(.POST, "/api/v1/orders/\(order)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(order)/message", #"{"text":"明天上午到"}"#)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let activity = try await admin.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 5)).json()["id"] as! Int
            let wish = try await resident.call(.POST, "/api/v1/wishes", #"{"title":"想要一台收音机","site_id":\#(w.f.s1.id!)}"#).json()["id"] as! Int
            let integration = try await IssuedKey.issue(app, site: w.f.centre).id
            let p0 = Self.payload.replacingOccurrences(of: "\"", with: "\\\"")
            let survey = try await admin.call(.POST, "/api/v1/surveys", #"{"site_id":\#(w.f.s1.id!),"title":"问需","questions":[{"kind":"single","prompt":"\#(p0)","options":["\#(p0)","乙"]},{"kind":"text","prompt":"还想要什么","required":false}]}"#).json()["id"] as! Int
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))
            let answered = try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses",
                #"{"client_id":"xss-0001","station_id":\#(w.f.s1.id!),"collected_at":"\#(app.clock.now().ISO8601Format())","answers":{"1":0,"2":"\#(p0)"}}"#)
            #expect(answered.status == .created, "\(answered.text)")
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            #expect(try await web.submit("/admin/trainings", [("title", "急救培训"), ("trainer", "李医生"), ("site_id", String(w.f.s1.id!)), ("starts_at", "2026-12-01T09:00"),
                                                               ("hours", "2"), ("mode", "online")], tokenFrom: "/admin/trainings/new").status == .seeOther)
            let training = try #require(try await Training.query(on: app.db).first()).id!
            let post = ShowcasePost()
            post.createdAt = Date()
            post.updatedAt = Date()
            post.publishedAt = Date()
            post.$site.id = w.f.s1.id!
            post.$team.id = w.f.teamS1.id!
            post.activityID = activity
            post.title = "敬老院义剪"
            post.story = "队员们为老人理发。"
            post.servedOn = Date()
            post.status = ShowcasePost.Status.published.rawValue
            try await post.create(on: app.db)

            // The payload in every free-text column, and in the values notices are written from.
            let sql = app.db as! SQLDatabase
            struct Name: Decodable { let name: String }
            struct Column: Decodable { let name: String, type: String }
            let tables = TestDatabase.isPostgres
                ? try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()").all(decoding: Name.self)
                : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all(decoding: Name.self)
            var filled: [String] = []
            for t in tables.map(\.name) where !Self.machineTables.contains(t) {
                let columns = TestDatabase.isPostgres
                    ? try await sql.raw("SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: t)").all(decoding: Column.self)
                    : try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: t))").all(decoding: Column.self)
                for c in columns where ["TEXT", "text", "character varying"].contains(c.type) && !Self.machineColumns.contains(c.name) && !c.name.hasSuffix("_sealed") {
                    // The row's id after it, for columns that must be unique.
                    try await sql.raw("UPDATE \(ident: t) SET \(ident: c.name) = \(bind: Self.payload) || CAST(id AS TEXT) WHERE \(ident: c.name) IS NOT NULL").run()
                    filled.append("\(t).\(c.name)")
                }
            }
            #expect(filled.contains("orders.details") && filled.contains("sites.name") && filled.contains("volunteers.real_name") && filled.contains("order_events.reason"))
            _ = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()
            let p = Self.payload
            try await sql.raw("UPDATE notifications SET params = \(bind: OrderService.json(["number": p, "title": p, "team": p, "site": p, "text": p]) ?? "{}")").run()
            // Snapshots are taken now, with the payload in them: a certificate, and an admin write (the audit trail).
            var leaderAgain = try await APIClient.signIn(app, w.leaderS1)
            let certificate = try await leaderAgain.call(.POST, "/api/v1/me/certificates").json()["number"] as? String ?? ""
            var centre = WebClient(app)
            try await centre.login(Fixture.centreAdmin)
            try await centre.submit("/admin/categories", [("name", "<script>alert(1)</script>"), ("name_en", "x"), ("sort_order", "1"), ("active", "on")],
                                    tokenFrom: "/admin/categories/new")

            // MUT: every page as the people who see it.
            let ids: [String: String] = [
                "/orders/:id": String(order), "/activities/:id": String(activity), "/wishes/:id": String(wish), "/projects/:id": String(w.f.projectS1.id!),
                "/certificates/:number": certificate, "/admin/accounts/:id": String(w.f.accountS1.id!), "/admin/accounts/:id/sign-out": String(w.f.accountS1.id!),
                "/admin/categories/:id": String(w.f.category.id!),
                "/admin/integrations/:id": String(integration), "/admin/menu/:id": String(w.f.menuS1.id!), "/admin/perks/:id": String(w.f.perkS1.id!),
                "/admin/projects/:id": String(w.f.projectS1.id!), "/admin/sites/:id": String(w.f.s1.id!), "/admin/teams/:id": String(w.f.teamS1.id!),
                "/admin/volunteers/:id": String(w.f.volunteerS1.id!), "/admin/surveys/:id": String(survey), "/surveys/:id/collect": String(survey),
                "/admin/trainings/:id": String(training), "/trainings/:id/code": String(training),
                "/trainings/:id/check": String(training),
                "/showcase/posts/:id": String(post.id!), "/showcase/:site": String(w.f.s1.id!), "/orders/:id/showcase": String(order),
                "/activities/:id/showcase": String(activity),
                "/follow/:token": FollowService.make(app).token(orderID: order),
            ]
            let pages = Set(app.routes.all.filter { $0.method == .GET }.map { "/" + $0.path.map(\.description).joined(separator: "/") })
                .filter { !$0.hasPrefix("/api/") && !Self.notPages.contains($0) }
            var people: [String: WebClient] = ["anonymous": WebClient(app)]
            for who in [Fixture.centreAdmin, Fixture.user(.resident), w.leaderS1] {
                var web = WebClient(app)
                try await web.login(who)
                people[who] = web
            }
            var shown = 0, fetched = 0
            for pattern in pages.sorted() {
                let path = pattern.contains(":") ? ids[pattern] .map { id in pattern.replacingOccurrences(of: ":id", with: id).replacingOccurrences(of: ":number", with: id).replacingOccurrences(of: ":site", with: id).replacingOccurrences(of: ":token", with: id) } : pattern
                guard let path else {
                    Issue.record("page \(pattern) has no target here: add it to the table")
                    continue
                }
                for who in people.keys.sorted() {
                    var web = people[who]!
                    let r = try await web.send(.GET, path)
                    people[who] = web
                    fetched += 1
                    let body = r.text
                    // validate: never markup; the text itself is on the page where it belongs.
                    #expect(!body.contains("<script>alert(1)"), "\(path) as \(who): script came back as markup")
                    #expect(!body.contains("<img src=x onerror"), "\(path) as \(who): markup came back")
                    #expect(r.status.code < 500, "\(path) as \(who): \(r.status)")
                    if body.contains("&lt;script&gt;alert(1)") { shown += 1 }
                }
            }
            // The payload was shown — escaped — on many pages (an empty page would prove nothing).
            #expect(shown > 25, "the payload was displayed on only \(shown) of \(fetched) pages")
        }
    }
}
