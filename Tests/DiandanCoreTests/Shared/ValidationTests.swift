import Foundation
import Testing
@testable import DiandanCore

@Suite("Field validation and inputs")
struct ValidationTests {
    let today = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22))!

    func messages(_ r: FieldReader) -> [String: String] {
        Dictionary(r.errors.map { ($0.field, $0.message.key) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func wrongTypesMissingAndOverlongFieldsEachGetAMessage() {
        var r = FieldReader([
            "name": .number(5), "count": .string("abc"), "big": .number(1e9), "flag": .list([]),
            "long": .string(String(repeating: "长", count: 41)), "ctl": .string("a\u{0}b"), "blank": .string("   "),
        ])
        _ = r.text("missing", max: 10)
        _ = r.text("long", max: 40)
        _ = r.text("ctl", max: 40)
        _ = r.text("blank", max: 40)
        _ = r.int("count", in: 0...10)
        _ = r.int("big", in: 0...10)
        _ = r.bool("flag")
        _ = r.ids("name")
        let m = messages(r)
        #expect(m["missing"] == "error.required")
        #expect(m["long"] == "error.too_long")
        #expect(m["ctl"] == "error.control_characters")
        #expect(m["blank"] == "error.required")
        #expect(m["count"] == "error.not_integer")
        #expect(m["big"] == "error.out_of_range")
        #expect(m["flag"] == "error.not_boolean")
        #expect(r.errors.first { $0.field == "long" }?.message.args["max"] == "40")
        #expect(throws: ValidationFailure.self) { try r.check() }
    }

    /// Found by schemathesis: a textarea's line breaks (CRLF, as browsers send them) were refused as
    /// control characters. And every number is bounded, ids included, before anything counts with it.
    @Test func lineBreaksOfEverySystemAreTextAndNumbersAreBounded() {
        var r = FieldReader(["notes": .string("第一行\r\n第二行\r第三行\n\t缩进"), "title": .string("a\r\nb"),
                             "huge": .string("9223372036854775807"), "digits": .string(String(repeating: "9", count: 10_000)),
                             "nan": .string("NaN"), "inf": .string("1e308"), "ids": .list([.string("9223372036854775807")])])
        #expect(r.text("notes", max: 100, multiline: true) == "第一行\r\n第二行\r第三行\n\t缩进")
        #expect(r.text("title", max: 100) == nil)
        #expect(r.int("huge", in: 1...10_000) == nil)
        #expect(r.int("digits", in: 1...10_000) == nil)
        #expect(r.double("nan", in: 0...24) == nil)
        #expect(r.double("inf", in: 0...24) == nil)
        #expect(r.ids("ids") == [])
        let m = messages(r)
        #expect(m["title"] == "error.control_characters" && m["huge"] == "error.out_of_range" && m["digits"] == "error.not_integer")
        #expect(m["nan"] == "error.not_number" && m["inf"] == "error.out_of_range" && m["ids"] == "error.invalid_choice")
    }

    @Test func formsAndJSONReadAlike() {
        var form = FieldReader(form: ["team_ids[]": ["3", "4", "3"], "active": ["on"], "count": ["7"]])
        #expect(form.ids("team_ids") == [3, 4])
        #expect(form.bool("active") == true)
        #expect(form.int("count", in: 0...10) == 7)
        var json = FieldReader(["team_ids": .list([.number(3), .number(4)]), "active": .bool(true), "count": .number(7)])
        #expect(json.ids("team_ids") == [3, 4])
        #expect(json.bool("active") == true)
        #expect(json.int("count", in: 0...10) == 7)
        var bad = FieldReader(["team_ids": .list([.string("x")]), "skills": .list([.number(1)])])
        #expect(bad.ids("team_ids") == [])
        #expect(bad.tags("skills", maxCount: 3, maxLength: 5) == [])
        #expect(messages(bad) == ["team_ids": "error.invalid_choice", "skills": "error.not_text"])
    }

    func registration(_ overrides: [String: InputValue]) -> (VolunteerRegistration?, [String: String]) {
        var values: [String: InputValue] = [
            "real_name": .string("王建华"), "id_number": .string("11010519491231002X"), "phone": .string("13800138000"),
            "skills": .string("宣讲，摄影, 急救"), "site_id": .number(3), "consent": .bool(true),
        ]
        for (k, v) in overrides { values[k] = v }
        var r = FieldReader(values)
        let input = VolunteerRegistration.read(&r, today: today)
        return (input, messages(r))
    }

    @Test func aVolunteerRegistersWithDerivedBirthAndGender() throws {
        let (input, errors) = registration([:])
        #expect(errors.isEmpty)
        let v = try #require(input)
        #expect(v.birthDate == "1949-12-31")
        #expect(v.gender == .female)
        #expect(v.skills == ["宣讲", "摄影", "急救"])
    }

    @Test func registrationRefusesBadNumbersMinorsAndMissingConsent() {
        let young = IDNumber.compose(region: "360781", birth: "20150101", sequence: 11)
        let (input, errors) = registration(["id_number": .string(young), "phone": .string("12345"), "consent": .bool(false)])
        #expect(input == nil)
        #expect(errors["id_number"] == "error.id_number.too_young")
        #expect(errors["phone"] == "error.phone")
        #expect(errors["consent"] == "error.consent")
        #expect(registration(["id_number": .string("110105194912310021")]).1["id_number"] == "error.id_number.checkDigit")
    }

    @Test func siteInputCatchesSwappedCoordinatesAndMissingParent() {
        var r = FieldReader(["code": .string("3607"), "name": .string("站"), "kind": .string("station"),
                             "latitude": .number(116.0), "longitude": .number(25.8), "zone": .string("urban")])
        #expect(SiteInput.read(&r) == nil)
        let m = messages(r)
        #expect(m["latitude"] == "error.out_of_range")
        #expect(m["longitude"] == "error.out_of_range")
        #expect(m["parent_id"] == "error.site.parent_required")
        var bad = FieldReader(["code": .string("36 07;--"), "name": .string("x"), "kind": .string("village"),
                               "latitude": .number(25), "longitude": .number(116), "zone": .string("urban"), "parent_id": .number(1)])
        _ = SiteInput.read(&bad)
        #expect(messages(bad)["code"] == "error.code_format")
        #expect(messages(bad)["kind"] == "error.invalid_choice")
    }

    @Test func passwordsNeedLengthLettersAndDigits() {
        #expect(PasswordPolicy.problem("short1", username: nil) == "error.password.short")
        #expect(PasswordPolicy.problem("onlyletters", username: nil) == "error.password.simple")
        #expect(PasswordPolicy.problem("12345678", username: nil) == "error.password.simple")
        #expect(PasswordPolicy.problem("admin2026x", username: "admin") == "error.password.username")
        #expect(PasswordPolicy.problem("Diandan2026", username: "admin") == nil)
    }

    @Test func menuItemsWithAutoDispatchNeedATeam() {
        var r = FieldReader(["category_id": .number(1), "site_id": .number(1), "title": .string("义诊"),
                             "auto_accept": .bool(true), "site_ids": .list([.number(2)])])
        #expect(MenuItemInput.read(&r) == nil)
        #expect(messages(r) == ["team_ids": "error.menu.auto_accept_needs_team"])
    }
}
