import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// Sessions and account administration, as found by probing: a station admin could take over an
/// account that also administers the centre; a changed password left every other session alive;
/// every anonymous visit wrote a session row that never expired.
@Suite("Sessions and who may change an account")
struct SessionTests {
    static func sessionRows(_ app: Application) async throws -> Int {
        struct N: Decodable { let n: Int }
        return try await (app.db as! SQLDatabase).raw("SELECT COUNT(*) AS n FROM web_sessions").first(decoding: N.self)?.n ?? -1
    }

    /// An account living at S1 that also holds siteAdmin at the centre.
    static func dualAccount(_ app: Application, _ f: Fixture) async throws -> Account {
        let a = try await Account.insert(username: "dual-admin", passwordHash: try Bcrypt.hash(Fixture.password, cost: 4), site: f.s1, role: .volunteer, on: app.db)
        let g = RoleGrant()
        g.role = .siteAdmin
        g.$account.id = try a.requireID()
        g.$site.id = try f.centre.requireID()
        try await g.create(on: app.db)
        return a
    }

    static func accountForm(_ a: Account, password: String = "", disabled: Bool = false) -> [(String, String)] {
        [("username", a.username), ("phone", ""), ("password", password), ("locale", "zh-CN"), ("site_id", String(a.$site.id))]
            + (disabled ? [("disabled", "on")] : [])
    }

    @Test func aStationAdminCannotChangeAnAccountThatHoldsAGrantAboveThem() async throws {
        try await withTestApp { app in
            // setup
            let f = try await Fixture.make(app)
            let dual = try await Self.dualAccount(app, f)
            let id = try dual.requireID()
            let hashBefore = dual.passwordHash
            var station = WebClient(app)
            try await station.login(Fixture.user(.siteAdmin))
            // MUT: password, disabling, a grant, signing it out — all refused
            let page = try await station.send(.GET, "/admin/accounts/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"form-note\""), "the page says why it cannot be changed")
            #expect(!page.text.contains("id=\"save\""))
            let password = try await station.submit("/admin/accounts/\(id)", Self.accountForm(dual, password: "Takeover2026x"), tokenFrom: "/admin")
            #expect(password.status == .forbidden)
            let disable = try await station.submit("/admin/accounts/\(id)", Self.accountForm(dual, disabled: true), tokenFrom: "/admin")
            #expect(disable.status == .forbidden)
            let grant = try await station.submit("/admin/accounts/\(id)/grants", [("role", "resident"), ("site_id", String(try f.s1.requireID()))], tokenFrom: "/admin")
            #expect(grant.status == .forbidden)
            #expect(try await station.send(.GET, "/admin/accounts/\(id)/sign-out").status == .forbidden)
            let out = try await station.submit("/admin/accounts/\(id)/sign-out", [], tokenFrom: "/admin")
            #expect(out.status == .forbidden)
            // validate: nothing changed, and the account still signs in with its own password
            let after = try #require(try await Account.find(id, on: app.db))
            #expect(after.passwordHash == hashBefore && !after.disabled)
            #expect(try await RoleGrant.query(on: app.db).filter(\.$account.$id == id).count() == 2)
            var owner = WebClient(app)
            #expect(try await owner.login("dual-admin").status == .seeOther)
            #expect(try await owner.send(.GET, "/admin").status == .ok)

            // The centre's admin reaches every grant: the change goes through.
            var centre = WebClient(app)
            try await centre.login(Fixture.centreAdmin)
            let ok = try await centre.submit("/admin/accounts/\(id)", Self.accountForm(dual, password: "Renewed2026x"), tokenFrom: "/admin")
            #expect(ok.status == .seeOther)
        }
    }

    @Test func aNewPasswordOrDisablingEndsEverySessionAndToken() async throws {
        try await withTestApp { app in
            // setup: the resident signed in on two browsers and an app
            let f = try await Fixture.make(app)
            let resident = f.accountS1
            let id = try resident.requireID()
            var phone = WebClient(app), laptop = WebClient(app)
            try await phone.login(resident.username)
            try await laptop.login(resident.username)
            var api = try await APIClient.signIn(app, resident.username)
            #expect(try await phone.send(.GET, "/orders/mine").status == .ok)
            #expect(try await api.call(.GET, "/api/v1/me").status == .ok)
            #expect(try await Self.sessionRows(app) == 2)

            // MUT: the station admin sets a new password
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            let saved = try await admin.submit("/admin/accounts/\(id)", Self.accountForm(resident, password: "Fresh2026pass"), tokenFrom: "/admin")
            #expect(saved.status == .seeOther)
            let shown = try await admin.send(.GET, "/admin/accounts/\(id)")
            #expect(shown.text.contains("已让这个账号在所有设备上退出登录"))

            // validate: both browsers and the token are out; the new password signs in
            #expect(try await phone.send(.GET, "/orders/mine").headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await laptop.send(.GET, "/orders/mine").headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api.call(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await phone.login(resident.username, "Fresh2026pass").status == .seeOther)
            var fresh = WebClient(app)
            let token = try await fresh.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(resident.username)","password":"Fresh2026pass"}"#).json()["token"] as? String ?? ""
            var api2 = APIClient(web: fresh, token: token)
            #expect(try await api2.call(.GET, "/api/v1/me").status == .ok)

            // Disabling ends them again; enabling brings none of them back.
            #expect(try await admin.submit("/admin/accounts/\(id)", Self.accountForm(resident, disabled: true), tokenFrom: "/admin").status == .seeOther)
            #expect(try await Self.sessionRows(app) == 1, "only the admin's own session is left")
            #expect(try await admin.submit("/admin/accounts/\(id)", Self.accountForm(resident), tokenFrom: "/admin").status == .seeOther)
            #expect(try await phone.send(.GET, "/orders/mine").headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api2.call(.GET, "/api/v1/me").status == .unauthorized)
            // A form that changes neither password nor the disabled flag ends nothing.
            #expect(try await phone.login(resident.username, "Fresh2026pass").status == .seeOther)
            #expect(try await admin.submit("/admin/accounts/\(id)", Self.accountForm(resident), tokenFrom: "/admin").status == .seeOther)
            #expect(try await phone.send(.GET, "/orders/mine").status == .ok)
        }
    }

    @Test func signOutEverywhereAsksFirstThenEndsEverySession() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let id = try f.accountS1.requireID()
            var phone = WebClient(app)
            try await phone.login(f.accountS1.username)
            var api = try await APIClient.signIn(app, f.accountS1.username)
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            // The account page links to a page that asks first.
            let page = try await admin.send(.GET, "/admin/accounts/\(id)")
            #expect(page.text.contains("/admin/accounts/\(id)/sign-out"))
            let ask = try await admin.send(.GET, "/admin/accounts/\(id)/sign-out")
            #expect(ask.status == .ok && ask.text.contains("id=\"confirm-yes\"") && ask.text.contains(f.accountS1.username))
            #expect(try await phone.send(.GET, "/orders/mine").status == .ok, "asking changes nothing")
            // MUT
            let done = try await admin.submit("/admin/accounts/\(id)/sign-out", [], tokenFrom: "/admin/accounts/\(id)/sign-out")
            #expect(done.status == .seeOther)
            // validate
            #expect(try await phone.send(.GET, "/orders/mine").headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api.call(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await admin.send(.GET, "/admin").status == .ok, "the admin's own session goes on")

            // Signing oneself out everywhere ends one's own session too and says so at sign-in.
            let me = try await Account.query(on: app.db).filter(\.$username == Fixture.user(.siteAdmin)).first()!
            let own = try await admin.submit("/admin/accounts/\(try me.requireID())/sign-out", [], tokenFrom: "/admin")
            #expect(own.headers.first(name: .location) == "/login?signed_out=1")
            #expect(try await admin.send(.GET, "/admin").status == .seeOther)
            #expect(try await admin.send(.GET, "/login?signed_out=1").text.contains("id=\"login-notice\""))
        }
    }

    @Test func anonymousVisitsWriteNoSessionAndExpiredOnesArePurged() async throws {
        let clock = TestClock()
        try await withTestApp(clock: clock) { app in
            // setup
            let f = try await Fixture.make(app)
            var visitor = WebClient(app)
            // MUT: a thousand anonymous page views and feed fetches would once have made a thousand rows
            for path in ["/", "/login", "/register", "/activities", "/activities.ics", "/showcase", "/login?next=/admin"] {
                let r = try await visitor.send(.GET, path)
                #expect(r.status == .ok, "\(path)")
                #expect(r.headers.setCookie?["diandan_session"] == nil, "\(path) set a session cookie")
            }
            #expect(try await Self.sessionRows(app) == 0)
            // The sign-in form still works: its token lives in a signed cookie, not a row.
            #expect(try await visitor.login(f.accountS1.username).status == .seeOther)
            #expect(try await Self.sessionRows(app) == 1)

            // A forged anonymous token is refused, even when cookie and form agree.
            var forger = WebClient(app)
            forger.cookies["diandan_csrf"] = "abc.def"
            let forged = try await forger.send(.POST, "/login", form: [("_csrf", "abc.def"), ("username", f.accountS1.username), ("password", Fixture.password)])
            #expect(forged.status == .forbidden)

            // Pages read within a few minutes do not write the session each time.
            struct Seen: Decodable { let seen_at: Date }
            let sql = app.db as! SQLDatabase
            let first = try await sql.raw("SELECT seen_at FROM web_sessions").first(decoding: Seen.self)!.seen_at
            clock.advance(60)
            _ = try await visitor.send(.GET, "/orders/mine")
            #expect(try await sql.raw("SELECT seen_at FROM web_sessions").first(decoding: Seen.self)!.seen_at == first)
            clock.advance(6 * 60)
            _ = try await visitor.send(.GET, "/orders/mine")
            #expect(try await sql.raw("SELECT seen_at FROM web_sessions").first(decoding: Seen.self)!.seen_at > first)

            // Twelve idle hours end it; the purge removes the row.
            clock.advance(13 * 3600)
            #expect(try await visitor.send(.GET, "/orders/mine").headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await WebSessionStore.purge(now: clock.now, on: app.db) == 1)
            #expect(try await Self.sessionRows(app) == 0)
        }
    }
}
