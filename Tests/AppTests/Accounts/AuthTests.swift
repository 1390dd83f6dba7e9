import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("Login, logout, tokens and lockout")
struct AuthTests {
    @Test func loginStartsAFreshSessionAndLogoutEndsIt() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            #expect(try await web.send(.GET, "/admin").headers.first(name: .location)?.hasPrefix("/login") == true)
            _ = try await web.csrf(from: "/login")
            // A session id planted before sign-in is worth nothing.
            web.cookies["diandan_session"] = "planted-by-someone-else"
            let before = web.cookies["diandan_session"]
            let r = try await web.login(Fixture.user(.siteAdmin))
            #expect(r.status == .seeOther)
            #expect(r.headers.first(name: .location) == "/")
            #expect(web.cookies["diandan_session"] != nil)
            #expect(web.cookies["diandan_session"] != before)
            let admin = try await web.send(.GET, "/admin")
            #expect(admin.status == .ok)
            #expect(admin.text.contains(Fixture.user(.siteAdmin)))
            let out = try await web.submit("/logout", [], tokenFrom: "/admin")
            #expect(out.status == .seeOther)
            #expect(try await web.send(.GET, "/admin").status == .seeOther)
        }
    }

    @Test func loginGoesBackToTheRequestedPageButNeverOffSite() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            let token = try await web.csrf(from: "/login?next=/admin/teams")
            let r = try await web.send(.POST, "/login", form: [("_csrf", token), ("username", Fixture.user(.siteAdmin)), ("password", Fixture.password), ("next", "/admin/teams")])
            #expect(r.headers.first(name: .location) == "/admin/teams")
            var other = WebClient(app)
            let t2 = try await other.csrf()
            let r2 = try await other.send(.POST, "/login", form: [("_csrf", t2), ("username", Fixture.user(.siteAdmin)), ("password", Fixture.password), ("next", "https://evil.example/")])
            #expect(r2.headers.first(name: .location) == "/")
        }
    }

    @Test func aWrongPasswordGetsAClearMessageInTheReadersLanguage() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            let r = try await web.login(Fixture.user(.siteAdmin), "wrong-password1")
            #expect(r.status == .unauthorized)
            #expect(r.text.contains("用户名或密码错误"))
            var en = WebClient(app, language: "en")
            let e = try await en.login("nobody", "wrong-password1")
            #expect(e.status == .unauthorized)
            #expect(e.text.contains("Wrong username or password."))
            let empty = try await en.login("", "")
            #expect(empty.status == .unprocessableEntity)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            _ = try await web.csrf()
            let r = try await web.send(.POST, "/login", form: [("username", Fixture.user(.siteAdmin)), ("password", Fixture.password)])
            #expect(r.status == .forbidden)
            let forged = try await web.send(.POST, "/login", form: [("_csrf", "forged"), ("username", Fixture.user(.siteAdmin)), ("password", Fixture.password)])
            #expect(forged.status == .forbidden)
            // The sign-in form's token lives in a signed cookie; no session exists before sign-in.
            #expect(web.cookies["diandan_csrf"] != nil)
            #expect(web.cookies["diandan_session"] == nil)
            #expect(try await web.send(.GET, "/admin").status == .seeOther)
        }
    }

    @Test func repeatedFailuresLockTheAccountForAGrowingTime() async throws {
        let clock = TestClock()
        try await withTestApp(clock: clock) { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            let user = Fixture.user(.siteAdmin)
            for _ in 1...4 { #expect(try await web.login(user, "wrong-password1").status == .unauthorized) }
            let fifth = try await web.login(user, "wrong-password1")
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.headers.first(name: .retryAfter) == "30")
            // Locked: even the right password is refused, with the wait in the message.
            let locked = try await web.login(user)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("1分钟后再试"))
            clock.advance(31)
            // One more failure doubles the lock.
            let sixth = try await web.login(user, "wrong-password1")
            #expect(sixth.headers.first(name: .retryAfter) == "60")
            clock.advance(61)
            #expect(try await web.login(user).status == .seeOther)
            let account = try await Account.query(on: app.db).filter(\.$username == user).first()!
            #expect(account.failedLogins == 0)
            #expect(account.lockedUntil == nil)
        }
    }

    @Test func disabledAccountsCannotLogIn() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let a = try await Account.query(on: app.db).filter(\.$username == Fixture.user(.auditor)).first()!
            a.disabled = true
            try await a.save(on: app.db)
            var web = WebClient(app)
            let r = try await web.login(Fixture.user(.auditor))
            #expect(r.status == .forbidden)
            #expect(r.text.contains("该账号已停用"))
        }
    }

    @Test func apiTokensAreIssuedUsedAndRevoked() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var api = WebClient(app)
            let issued = try await api.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(Fixture.user(.siteAdmin))","password":"\#(Fixture.password)"}"#)
            #expect(issued.status == .created)
            let token = try #require(try issued.json()["token"] as? String)
            #expect(try issued.json()["token_type"] as? String == "Bearer")
            // Only the hash is stored.
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            let me = try await api.send(.GET, "/api/v1/me", headers: auth)
            #expect(me.status == .ok)
            #expect(try me.json()["username"] as? String == Fixture.user(.siteAdmin))
            let grants = try me.json()["grants"] as? [[String: Any]]
            #expect(grants?.first?["site_id"] as? Int == f.s1.id)
            #expect(try await api.send(.DELETE, "/api/v1/auth/token", headers: auth).status == .noContent)
            let after = try await api.send(.GET, "/api/v1/me", headers: auth)
            #expect(after.status == .unauthorized)
            #expect(try after.json()["message"] as? String == "请先登录。")
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await api.send(.GET, "/api/v1/me", headers: ["Authorization": "Bearer nonsense"]).status == .unauthorized)
        }
    }

    @Test func tokenRequestsWithBadCredentialsOrBodiesAreRefused() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var api = WebClient(app)
            let wrong = try await api.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(Fixture.user(.siteAdmin))","password":"nope"}"#)
            #expect(wrong.status == .unauthorized)
            let missing = try await api.send(.POST, "/api/v1/auth/token", json: #"{"username":5}"#)
            #expect(missing.status == .unprocessableEntity)
            let fields = try missing.json()["fields"] as? [String: String]
            #expect(fields?["password"] == "此项必填。")
            #expect(fields?["username"] == "此项必填。" || fields?["username"] == "此项应为文字。" || fields == nil || fields?["username"] == nil)
            #expect(try await api.send(.POST, "/api/v1/auth/token", json: "{not json").status == .badRequest)
            #expect(try await APIToken.query(on: app.db).count() == 0)
        }
    }

    /// Found by probing: failures were counted per account only, so anyone could lock anyone out
    /// (the admin included), and an unknown username was never locked, telling which ones exist.
    @Test func failuresLockTheAddressThatFailsNeverTheAccountAndUnknownNamesLookTheSame() async throws {
        // Time stands still here, so the answers' waits can be compared to the second.
        try await withTestApp(clock: TestClock(), settings: ["DIANDAN_TRUSTED_PROXIES": "unknown"]) { app in
            // setup
            _ = try await Fixture.make(app)
            let admin = Fixture.centreAdmin
            func client(_ address: String) -> WebClient { var c = WebClient(app); c.forwardedFor = address; return c }
            func answers(_ username: String, from address: String, times: Int) async throws -> [String] {
                var c = client(address)
                var out: [String] = []
                for _ in 0..<times {
                    let r = try await c.login(username, "Wrong-guess-42")
                    let message = r.text.range(of: #"id="login-error">[^<]*"#, options: .regularExpression).map { String(r.text[$0]) } ?? ""
                    out.append("\(r.status.code) \(r.headers.first(name: .retryAfter) ?? "-") \(message)")
                }
                return out
            }

            // MUT: someone guesses the admin's password from one address
            let guessed = try await answers(admin, from: "203.0.113.5", times: 6)
            #expect(guessed.prefix(4).allSatisfy { $0.hasPrefix("401") }, "\(guessed)")
            #expect(guessed[4].hasPrefix("429 30"), "\(guessed)")
            var guesser = client("203.0.113.5")
            #expect(try await guesser.login(admin).status == .tooManyRequests, "the guessing address stays locked, right password or not")
            // validate: the admin, from their own address, signs in at once
            var owner = client("198.51.100.7")
            #expect(try await owner.login(admin).status == .seeOther)

            // An unknown username is answered exactly as a known one, step by step.
            let unknown = try await answers("nobody-here", from: "203.0.113.9", times: 7)
            let known = try await answers(Fixture.user(.auditor), from: "203.0.113.10", times: 7)
            #expect(unknown == known, "\(unknown) vs \(known)")

            // An address that fails on many usernames is locked for all of them.
            var sprayer = client("203.0.113.20")
            for i in 0..<49 { #expect(try await sprayer.login("user\(i)", "Wrong-guess-42").status == .unauthorized) }
            #expect(try await sprayer.login("user49", "Wrong-guess-42").status == .tooManyRequests)
            #expect(try await sprayer.login(Fixture.user(.practitioner)).status == .tooManyRequests)
            var neighbour = client("203.0.113.21")
            #expect(try await neighbour.login(Fixture.user(.practitioner)).status == .seeOther)

            // Guesses on one account from many addresses only slow it; its owner still gets in.
            for i in 0..<11 {
                var c = client("192.0.2.\(i + 1)")
                #expect(try await c.login(Fixture.user(.volunteer), "Wrong-guess-42").status == .unauthorized)
            }
            var volunteer = client("198.51.100.8")
            #expect(try await volunteer.login(Fixture.user(.volunteer)).status == .seeOther)
            // The failure counts are kept as digests: no username or address in the clear.
            struct Key: Decodable { let key: String }
            let keys = try await (app.db as! SQLDatabase).raw("SELECT key FROM sign_in_failures").all(decoding: Key.self).map(\.key)
            #expect(!keys.isEmpty && keys.allSatisfy { $0.count == 64 && !$0.contains("admin") && !$0.contains("203.0") })
        }
    }
}
