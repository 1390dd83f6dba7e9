import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// 用手机号登录: a phone number, a code by text message, signed in; the first time, a resident's
/// account at the station they choose, remembering their name and address.
@Suite("Phone sign-in")
struct PhoneSignInTests {
    static func code(in page: String) -> String? {
        guard let r = page.range(of: #"id="dev-code-value">\d{6}<"#, options: .regularExpression) else { return nil }
        return String(page[r].dropFirst(#"id="dev-code-value">"#.count).dropLast())
    }

    /// Asks for a code for `phone` from the sign-in page, as the page's form would.
    static func ask(_ web: inout WebClient, _ phone: String, next: String = "") async throws -> TestingHTTPResponse {
        let token = try await web.csrf(from: "/login")
        return try await web.send(.POST, Paths.loginPhone, form: [("_csrf", token), ("phone", phone), ("next", next)])
    }

    static func type(_ web: inout WebClient, _ phone: String, _ code: String, next: String = "") async throws -> TestingHTTPResponse {
        let token = try await web.csrf(from: "/login")
        return try await web.send(.POST, Paths.loginCode, form: [("_csrf", token), ("phone", phone), ("code", code), ("next", next)])
    }

    static func hidden(_ name: String, in page: String) -> String? {
        guard let r = page.range(of: "name=\"\(name)\" value=\"[^\"]*\"", options: .regularExpression) else { return nil }
        return String(page[r].dropFirst("name=\"\(name)\" value=\"".count).dropLast())
    }

    @Test func aNewResidentSignsInByCodeChoosesAStationAndIsRememberedNextTime() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            // The sign-in page is for everyone, the phone first.
            let login = try await web.send(.GET, "/login").text
            #expect(login.contains("<h1>登录</h1>"))
            let phoneAt = try #require(login.range(of: "id=\"phone-form\"")), passwordAt = try #require(login.range(of: "id=\"password-form\""))
            #expect(phoneAt.lowerBound < passwordAt.lowerBound, "用手机号登录 comes first")

            // A number that is not a mobile one is refused next to the field, what was typed kept.
            let bad = try await Self.ask(&web, "12345")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"err-phone\"") && bad.text.contains("value=\"12345\""))

            let sent = try await Self.ask(&web, "139 0000 1234")
            #expect(sent.status == .ok)
            // Development without a gateway: the code is in a marked banner (and the log), nothing is queued.
            #expect(sent.text.contains("id=\"dev-code\"") && sent.text.contains("开发环境"))
            #expect(sent.text.contains("139****1234"))
            let code = try #require(Self.code(in: sent.text))
            #expect(try await Delivery.query(on: app.db).count() == 0)
            // Only the digest is kept.
            let stored = try await SignInCode.query(on: app.db).all()
            #expect(stored.count == 1 && stored[0].digest != code && !stored[0].digest.contains(code))

            // A wrong code: how many tries are left, next to the field.
            let wrongCode = code == "000000" ? "111111" : "000000"
            let wrong = try await Self.type(&web, "13900001234", wrongCode)
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("还可以再试4次") && wrong.text.contains("id=\"err-code\""))

            // The right one (typed with full-width digits, as a Chinese keyboard may): a new person chooses a station.
            let fullWidth = String(code.map { Character(UnicodeScalar(0xFF10 + Int(String($0))!)!) })
            let welcome = try await Self.type(&web, "13900001234", fullWidth)
            #expect(welcome.status == .ok && welcome.text.contains("id=\"welcome-form\""))
            #expect(welcome.text.contains(f.s1.name) && welcome.text.contains("id=\"nearest\""))
            let ticket = try #require(Self.hidden("ticket", in: welcome.text))
            let expires = try #require(Self.hidden("expires", in: welcome.text))
            let token = try await web.csrf(from: "/login")
            func finish(_ fields: [(String, String)]) async throws -> TestingHTTPResponse {
                try await web.send(.POST, Paths.loginWelcome, form: [("_csrf", token), ("phone", "13900001234"), ("expires", expires), ("ticket", ticket), ("next", "")] + fields)
            }
            // The code is spent: it does not sign in twice.
            let again = try await Self.type(&web, "13900001234", code)
            #expect(again.text.contains("已经用过"))

            // No name: refused, the station and address kept.
            let missing = try await finish([("display_name", ""), ("station_id", String(f.s1.id!)), ("address", "幸福路8号")])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("幸福路8号") && missing.text.contains("id=\"err-display_name\""))
            // A forged ticket opens nothing.
            let forged = try await web.send(.POST, Paths.loginWelcome, form: [("_csrf", token), ("phone", "13900009999"), ("expires", expires), ("ticket", ticket),
                                                                              ("display_name", "冒名"), ("station_id", String(f.s1.id!))])
            #expect(forged.status == .unprocessableEntity)
            #expect(try await Account.query(on: app.db).filter(\.$displayName == "冒名").count() == 0)

            let done = try await finish([("display_name", "王大妈"), ("station_id", String(f.s1.id!)), ("address", "幸福路8号")])
            #expect(done.status == .seeOther || done.status == .found)
            #expect(done.headers.first(name: .location) == Paths.home)
            // The ticket opens an account once: sent again (from another browser), it signs nobody in.
            var replay = WebClient(app)
            let replayToken = try await replay.csrf(from: "/login")
            let replayed = try await replay.send(.POST, Paths.loginWelcome, form: [("_csrf", replayToken), ("phone", "13900001234"), ("expires", expires),
                                                                                  ("ticket", ticket), ("display_name", "王大妈"), ("station_id", String(f.s1.id!))])
            #expect(replayed.status == .conflict && replayed.text.contains("请重新获取验证码"))
            #expect(try await replay.send(.GET, Paths.myOrders).status != .ok)
            let account = try #require(try await Account.query(on: app.db).filter(\.$displayName == "王大妈").with(\.$grants).first())
            #expect(account.grants.map(\.role) == [.resident] && account.grants[0].$site.id == f.s1.id)
            #expect(account.phoneMasked == "139****1234" && account.phoneHash != nil && account.address == "幸福路8号")
            #expect(try app.protector.open(account.phoneSealed!) == "13900001234")
            // Landed on their work, greeted by name, told the account is open.
            let home = try await web.send(.GET, Paths.home).text
            #expect(home.contains("王大妈") && home.contains("id=\"work-notice\"") && home.contains("id=\"work-orders\""))
            // The order form knows them.
            let form = try await web.send(.GET, Paths.orderNew(station: f.s1.id!, menuItem: f.menuS1.id!)).text
            #expect(form.contains("value=\"王大妈\"") && form.contains("value=\"13900001234\"") && form.contains("幸福路8号"))

            // Next time: a code signs straight into the same account, no questions.
            try await web.send(.POST, "/logout", form: [("_csrf", try await web.csrf(from: Paths.home))])
            app.clock = AppClock(now: { Date().addingTimeInterval(120) })
            let second = try await Self.ask(&web, "13900001234")
            let code2 = try #require(Self.code(in: second.text))
            let signedIn = try await Self.type(&web, "13900001234", code2, next: Paths.myOrders)
            #expect(signedIn.headers.first(name: .location) == Paths.myOrders)
            #expect(try await Account.query(on: app.db).filter(\.$phoneHash == account.phoneHash!).count() == 1)
            #expect(try await web.send(.GET, Paths.myOrders).status == .ok)
        }
    }

    @Test func codesExpireAfterFiveMinutesAndFiveWrongTriesSpendThem() async throws {
        let clock = TestClock(Date())
        try await withTestApp(clock: clock) { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            let code = try #require(Self.code(in: try await Self.ask(&web, "13900002222").text))
            clock.advance(SignInCodeRules.lifetime + 1)
            #expect(try await Self.type(&web, "13900002222", code).text.contains("已过期"))

            clock.advance(60)
            let fresh = try #require(Self.code(in: try await Self.ask(&web, "13900002222").text))
            let wrong = fresh == "000000" ? "111111" : "000000"
            for left in stride(from: 4, through: 1, by: -1) {
                #expect(try await Self.type(&web, "13900002222", wrong).text.contains("还可以再试\(left)次"))
            }
            #expect(try await Self.type(&web, "13900002222", wrong).text.contains("输错次数太多"))
            // The right code after five wrong tries opens nothing.
            let late = try await Self.type(&web, "13900002222", fresh)
            #expect(late.status == .unprocessableEntity && late.text.contains("输错次数太多"))
            #expect(try await SignInCode.query(on: app.db).filter(\.$usedAt != nil).count() == 0)
        }
    }

    @Test func codesAreLimitedPerPhoneAndPerAddress() async throws {
        let clock = TestClock(Date())
        try await withTestApp(clock: clock) { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            #expect(try await Self.ask(&web, "13900003333").status == .ok)
            let soon = try await Self.ask(&web, "13900003333")
            #expect(soon.status == .tooManyRequests && soon.text.contains("秒后再试") && soon.headers.first(name: .retryAfter) != nil)
            for _ in 0..<4 {
                clock.advance(61)
                #expect(try await Self.ask(&web, "13900003333").status == .ok)
            }
            clock.advance(61)
            #expect(try await Self.ask(&web, "13900003333").text.contains("一小时内获取验证码的次数已满"))
            // One address, many phones: twenty an hour, then no more.
            for i in 0..<15 { #expect(try await Self.ask(&web, "1390000\(4000 + i)").status == .ok) }
            let flood = try await Self.ask(&web, "13900009000")
            #expect(flood.status == .tooManyRequests && flood.text.contains("这里一小时内获取验证码的次数太多"))
            #expect(try await SignInCode.query(on: app.db).count() == 20)
        }
    }

    /// With a gateway, the code goes by text message (the number sealed, in the person's language)
    /// and never onto the page.
    @Test func withAGatewayTheCodeIsTextedNotShown() async throws {
        try await withTestApp(settings: ["DIANDAN_SMS_URL": "http://127.0.0.1:9/send?to={phone}&msg={text}"]) { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app, language: "en")
            let sent = try await Self.ask(&web, "13900005555")
            #expect(sent.status == .ok && !sent.text.contains("dev-code") && sent.text.contains("139****5555"))
            let message = try #require(try await Delivery.query(on: app.db).first())
            #expect(message.channel == "sms" && message.topic == "sms.sign_in_code" && !message.payload.contains("13900005555"))
            // The number and the text (the code) are both sealed in the queue.
            struct Payload: Decodable { let phone_sealed: String; let text_sealed: String }
            let payload = try JSONDecoder().decode(Payload.self, from: Data(message.payload.utf8))
            #expect(try app.protector.open(payload.phone_sealed) == "13900005555")
            let text = try app.protector.open(payload.text_sealed)
            #expect(text.hasPrefix("Diandan: your sign-in code is "))
            let code = String(text.dropFirst("Diandan: your sign-in code is ".count).prefix(6))
            #expect(!message.payload.contains(code))
            let welcome = try await Self.type(&web, "13900005555", code)
            #expect(welcome.text.contains("id=\"welcome-form\""))
        }
    }

    /// In production without a gateway nobody could receive a code: the phone sign-in is not offered.
    @Test func withoutAGatewayInProductionPhoneSignInIsNotOffered() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            app.settings.developmentLike = false
            var web = WebClient(app)
            let login = try await web.send(.GET, "/login").text
            #expect(!login.contains("id=\"phone-form\"") && login.contains("id=\"password-form\""))
            let token = try await web.csrf(from: "/login")
            #expect(try await web.send(.POST, Paths.loginPhone, form: [("_csrf", token), ("phone", "13900006666")]).status == .notFound)
            #expect(try await SignInCode.query(on: app.db).count() == 0)
        }
    }

    /// A number typed on the registration form is not proved: it does not open that account by code
    /// (else anyone could register with someone else's number and wait for them). A resident who
    /// signed in by code and then registers makes their own account a volunteer's.
    @Test func aNumberTypedAtRegistrationIsNotProvedButACodeSignedInResidentBecomesAVolunteer() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            let registered = try await web.submit(Paths.register, [
                ("real_name", "李志愿"), ("id_number", IDNumber.compose(region: "360781", birth: "19900101", sequence: 301)),
                ("phone", "13900007777"), ("site_id", String(f.s1.id!)), ("password", "Volunteer2026!"), ("consent", "on")])
            #expect(registered.status == .created)
            let volunteerAccount = try #require(try await Account.query(on: app.db).filter(\.$username == "13900007777").first())
            #expect(volunteerAccount.phoneHash == nil)
            // The owner of the number signs in by code: a resident account of their own, not the volunteer's.
            var owner = WebClient(app)
            let code = try #require(Self.code(in: try await Self.ask(&owner, "13900007777").text))
            let welcome = try await Self.type(&owner, "13900007777", code)
            #expect(welcome.text.contains("id=\"welcome-form\""))
            let token = try await owner.csrf(from: "/login")
            _ = try await owner.send(.POST, Paths.loginWelcome, form: [("_csrf", token), ("phone", "13900007777"),
                                                                      ("expires", Self.hidden("expires", in: welcome.text)!), ("ticket", Self.hidden("ticket", in: welcome.text)!),
                                                                      ("display_name", "真主人"), ("station_id", String(f.s1.id!))])
            let resident = try #require(try await Account.query(on: app.db).filter(\.$displayName == "真主人").first())
            #expect(resident.id != volunteerAccount.id && resident.phoneHash != nil)

            // Signed in by code, the resident registers as a volunteer: the same account, a volunteer's grant, their password untouched.
            let passwordBefore = resident.passwordHash
            let joined = try await owner.submit(Paths.register, [
                ("real_name", "真主人"), ("id_number", IDNumber.compose(region: "360781", birth: "19900101", sequence: 303)),
                ("phone", "13900007777"), ("site_id", String(f.s1.id!)), ("password", "Another2026!"), ("consent", "on")])
            #expect(joined.status == .created)
            let after = try #require(try await Account.query(on: app.db).filter(\.$id == resident.id!).with(\.$grants).first())
            #expect(Set(after.grants.map(\.role)) == [.resident, .volunteer] && after.passwordHash == passwordBefore)
            // Someone else registering with that proved number is told to sign in first.
            var other = WebClient(app)
            let taken = try await other.submit(Paths.register, [
                ("real_name", "冒名"), ("id_number", IDNumber.compose(region: "360781", birth: "19900101", sequence: 302)),
                ("phone", "13900007777"), ("site_id", String(f.s1.id!)), ("password", "Volunteer2026!"), ("consent", "on")])
            #expect(taken.status == .conflict && taken.text.contains("这个手机号已经有账号了"))
        }
    }

    /// Staff keep their passwords: a code alone does not open an admin's account, even with their
    /// number proved.
    @Test func aCodeAloneDoesNotOpenAStaffAccount() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let admin = try #require(try await Account.query(on: app.db).filter(\.$username == Fixture.user(.siteAdmin)).first())
            admin.phoneSealed = try app.protector.seal("13900006060")
            admin.phoneHash = app.protector.lookupHash(PhoneSignIn.hashInput("13900006060"))
            try await admin.save(on: app.db)
            var web = WebClient(app)
            let code = try #require(Self.code(in: try await Self.ask(&web, "13900006060").text))
            let refused = try await Self.type(&web, "13900006060", code)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("请用账号密码登录"))
            #expect(try await web.send(.GET, Paths.home).text.contains("id=\"work-dispatch\"") == false)
        }
    }

    /// Guesses sent at once are each claimed before they are judged: never more than five.
    @Test func guessesSentTogetherStillGetFiveTries() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            let code = try #require(Self.code(in: try await Self.ask(&web, "13900008080").text))
            let service = PhoneSignInService.make(app)
            let phone = PhoneNumber.parse("13900008080")!
            let guesses = (0..<40).map { String(format: "%06d", $0) }.filter { $0 != code }
            let results = await withTaskGroup(of: String.self) { group in
                for g in guesses {
                    group.addTask {
                        do { _ = try await service.check(g, phone: phone); return "accepted" }
                        catch let f as ValidationFailure { return f.errors.first?.message.key ?? "" }
                        catch { return "error" }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == "error.code.wrong" }.count == 4)
            #expect(!results.contains("accepted"))
            #expect(try await SignInCode.query(on: app.db).first()?.tries == SignInCodeRules.maxTries)
            // The right code, after the five: refused.
            await #expect(throws: ValidationFailure.self) { _ = try await service.check(code, phone: phone) }
        }
    }
}
