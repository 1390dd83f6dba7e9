import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("Volunteer self-registration")
struct RegistrationTests {
    static let id = IDNumber.compose(region: "360781", birth: "19900512", sequence: 231)

    func body(_ f: Fixture, id: String = RegistrationTests.id, extra: String = "") -> String {
        #"{"real_name":"刘海燕","id_number":"\#(id)","phone":"139 0000 1111","skills":["摄影","急救"],"site_id":\#(f.s1.id!),"consent":true\#(extra)}"#
    }

    @Test func aVolunteerRegistersThroughTheAPIAndSeesOnlyMaskedNumbers() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var api = WebClient(app)
            let r = try await api.send(.POST, "/api/v1/volunteers", json: body(f))
            #expect(r.status == .created)
            let json = try r.json()
            #expect(json["id_number_masked"] as? String == "360***********" + String(Self.id.suffix(4)))
            #expect(json["phone_masked"] as? String == "139****1111")
            #expect(json["birth_date"] as? String == "1990-05-12")
            #expect(json["gender"] as? String == "male")
            #expect((json["number"] as? String)?.hasPrefix("ZY") == true)
            #expect(!r.text.contains(Self.id))
            #expect(!r.text.contains("13900001111"))
        }
    }

    @Test func theIDAndPhoneNumbersAreNeverStoredInTheClear() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var api = WebClient(app)
            #expect(try await api.send(.POST, "/api/v1/volunteers", json: body(f)).status == .created)
            let sql = app.db as! SQLDatabase
            let rows = try await sql.raw("SELECT * FROM volunteers").all()
            var stored = ""
            for row in rows {
                for column in row.allColumns { stored += (try? row.decode(column: column, as: String.self)) ?? "" }
            }
            #expect(stored.contains("刘海燕"))
            #expect(!stored.contains(Self.id))
            #expect(!stored.contains("13900001111"))
            let v = try await Volunteer.query(on: app.db).filter(\.$realName == "刘海燕").first()!
            #expect(try app.protector.open(v.idSealed) == Self.id)
        }
    }

    @Test func aDuplicateIDNumberGetsAClearErrorNotASecondVolunteer() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var api = WebClient(app)
            #expect(try await api.send(.POST, "/api/v1/volunteers", json: body(f)).status == .created)
            let before = try await Volunteer.query(on: app.db).count()
            // Same number, lower-case x or spaces do not make it new.
            let again = try await api.send(.POST, "/api/v1/volunteers", json: body(f, id: " " + Self.id + " "))
            #expect(again.status == .conflict)
            #expect((try again.json()["fields"] as? [String: String])?["id_number"] == "该身份证号码已注册过志愿者。")
            #expect(try await Volunteer.query(on: app.db).count() == before)
        }
    }

    @Test func concurrentRegistrationsOfOnePersonMakeOneVolunteer() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var api = WebClient(app)
                        return try await api.send(.POST, "/api/v1/volunteers", json: body(f)).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            #expect(try await Volunteer.query(on: app.db).filter(\.$realName == "刘海燕").count() == 1)
        }
    }

    @Test func badInputGetsPerFieldMessagesAndWritesNothing() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let before = try await Volunteer.query(on: app.db).count()
            var api = WebClient(app)
            let r = try await api.send(.POST, "/api/v1/volunteers",
                                       json: #"{"real_name":"\#(String(repeating: "长", count: 41))","id_number":"110105194912310021","phone":"12345","site_id":"x","consent":false,"skills":7}"#)
            #expect(r.status == .unprocessableEntity)
            let fields = try #require(try r.json()["fields"] as? [String: String])
            #expect(fields["real_name"] == "不能超过40个字符。")
            #expect(fields["id_number"] == "身份证号码校验位不正确，请核对。")
            #expect(fields["phone"] == "请填写11位手机号码。")
            #expect(fields["site_id"] == "请填写整数。")
            #expect(fields["consent"] == "请阅读并同意隐私说明。")
            #expect(fields["skills"] == "应为列表。")
            var en = WebClient(app, language: "en-US")
            let e = try await en.send(.POST, "/api/v1/volunteers", json: #"{"id_number":"123"}"#)
            let enFields = try #require(try e.json()["fields"] as? [String: String])
            #expect(enFields["id_number"] == "The ID number must have 18 characters.")
            #expect(enFields["real_name"] == "This field is required.")
            #expect(try await api.send(.POST, "/api/v1/volunteers", json: "[1,2]").status == .badRequest)
            #expect(try await api.send(.POST, "/api/v1/volunteers", json: "{\"real_name\":").status == .badRequest)
            #expect(try await api.send(.POST, "/api/v1/volunteers", headers: ["Content-Type": "text/plain"]).status == .unsupportedMediaType)
            let unknownSite = try await api.send(.POST, "/api/v1/volunteers", json: body(f).replacingOccurrences(of: "\"site_id\":\(f.s1.id!)", with: "\"site_id\":99999"))
            // An id that names nothing is "not found" in the API, the field named.
            #expect(unknownSite.status == .notFound)
            #expect((try unknownSite.json()["fields"] as? [String: String])?["site_id"] != nil)
            #expect(try await Volunteer.query(on: app.db).count() == before)
        }
    }

    @Test func thePublicPageRegistersOnAPhone() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var web = WebClient(app)
            let page = try await web.send(.GET, "/register")
            #expect(page.status == .ok)
            #expect(page.text.contains("name=\"id_number\""))
            #expect(page.text.contains("一号实践站"))
            let bad = try await web.submit("/register", [("real_name", "刘海燕"), ("id_number", "110105194912310021"), ("phone", "13900001111"), ("site_id", String(f.s1.id!))], tokenFrom: "/register")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("身份证号码校验位不正确"))
            #expect(bad.text.contains("请阅读并同意隐私说明"))
            #expect(bad.text.contains("value=\"刘海燕\""))
            // A password too weak is refused beside its field; everything else typed stays.
            let weak = try await web.submit("/register", [("real_name", "刘海燕"), ("id_number", Self.id), ("phone", "13900001111"),
                                                          ("site_id", String(f.s1.id!)), ("skills", "摄影，急救"), ("password", "short"), ("consent", "on")], tokenFrom: "/register")
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.text.contains("id=\"err-password\""))
            #expect(weak.text.contains("value=\"13900001111\"") && weak.text.contains("value=\"摄影，急救\""))
            #expect(try await Volunteer.query(on: app.db).filter(\.$realName == "刘海燕").count() == 0)
            let ok = try await web.submit("/register", [("real_name", "刘海燕"), ("id_number", Self.id), ("phone", "13900001111"),
                                                        ("site_id", String(f.s1.id!)), ("skills", "摄影，急救"), ("password", "Shequ2026a"), ("consent", "on")], tokenFrom: "/register")
            #expect(ok.status == .created)
            // Registering opened an account (the phone as its name) and signed them in.
            #expect(ok.text.contains("id=\"registered-username\">13900001111<") && ok.text.contains("id=\"current-user\">139****1111<"))
            let home = try await web.send(.GET, Paths.home)
            #expect(home.text.contains("id=\"work-service\"") && home.text.contains("id=\"current-user\">139****1111<"))
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "13900001111").with(\.$grants).first())
            #expect(account.grants.map(\.role) == [.volunteer] && account.grants.first?.$site.id == f.s1.id)
            #expect(account.phoneMasked == "139****1111")
            var again = WebClient(app)
            #expect([HTTPStatus.seeOther, .found].contains(try await again.login("13900001111", "Shequ2026a").status))
            #expect(ok.text.contains("ZY"))
            #expect(ok.text.contains("139****1111"))
            #expect(!ok.text.contains(Self.id))
            let v = try await Volunteer.query(on: app.db).filter(\.$realName == "刘海燕").first()
            #expect(v?.skills == ["摄影", "急救"])
        }
    }
}
