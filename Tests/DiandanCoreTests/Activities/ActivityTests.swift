import Foundation
import Testing
@testable import DiandanCore

@Suite("Activities: who may sign up, and hours from attendance")
struct ActivityRuleTests {
    /// The card's badge: full only while sign-ups are taken; under way and over whatever the count.
    @Test func aCardSaysWhereTheActivityStands() {
        let start = Date(timeIntervalSince1970: 2_000_000_000), end = start.addingTimeInterval(7200)
        func state(_ now: TimeInterval, _ taken: Int, _ status: ActivityStatus = .published) -> String {
            ActivityWindow.cardState(status, startsAt: start, endsAt: end, signedUp: taken, slots: 2, now: start.addingTimeInterval(now))
        }
        #expect(state(-60, 1) == "open" && state(-60, 2) == "full" && state(60, 2) == "underway" && state(7200, 2) == "ended")
        #expect(state(-60, 0, .pending) == "pending" && state(-60, 2, .cancelled) == "cancelled")
    }

    let start = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 12, day: 5, hour: 9))!

    @Test func ageCountsOnTheDayTheActivityStarts() {
        #expect(SignupRules.age(birthDate: "2008-12-05", on: start) == 18)
        #expect(SignupRules.age(birthDate: "2008-12-06", on: start) == 17)
        #expect(SignupRules.age(birthDate: "2012-12-05", on: start) == 14)
        #expect(SignupRules.age(birthDate: "garbage", on: start) == nil)
    }

    @Test func theMinorsRule() {
        let rules = SignupRules()
        func check(_ birth: String, consent: Bool = false, minAge: Int? = nil, needs: [String] = [], has: [String] = []) -> SignupRules.Refusal? {
            rules.check(birthDate: birth, skills: has, activityStart: start, activityMinAge: minAge, requiredSkills: needs, guardianConsent: consent)
        }
        // Under 14: never, consent or not.
        #expect(check("2012-12-06", consent: true) == .tooYoung(minimum: 14))
        // 14 to 17: only with a guardian's consent.
        #expect(check("2012-12-05") == .needsGuardianConsent(adultAge: 18))
        #expect(check("2012-12-05", consent: true) == nil)
        #expect(check("2008-12-06") == .needsGuardianConsent(adultAge: 18))
        // 18 and over: no consent needed.
        #expect(check("2008-12-05") == nil)
        // The activity's own minimum and skills.
        #expect(check("2008-12-05", minAge: 20) == .belowActivityAge(minimum: 20))
        #expect(check("1990-01-01", needs: ["急救", "驾驶"], has: ["急救"]) == .missingSkills(["驾驶"]))
        #expect(check("1990-01-01", needs: ["急救"], has: ["急救", "宣讲"]) == nil)
        // Both ages are settings.
        let strict = SignupRules(minimumAge: 16, adultAge: 20)
        #expect(strict.check(birthDate: "2011-01-01", skills: [], activityStart: start, activityMinAge: nil, requiredSkills: [], guardianConsent: true) == .tooYoung(minimum: 16))
        #expect(strict.check(birthDate: "2007-01-01", skills: [], activityStart: start, activityMinAge: nil, requiredSkills: [], guardianConsent: false) == .needsGuardianConsent(adultAge: 20))
    }

    @Test func hoursAreCappedAtTheEndAndRoundedDownToHalfHours() {
        let end = start.addingTimeInterval(3 * 3600)
        func h(_ inMinutes: Double, _ outMinutes: Double) -> Double {
            AttendanceHours.hours(checkIn: start.addingTimeInterval(inMinutes * 60), checkOut: start.addingTimeInterval(outMinutes * 60), activityEnd: end)
        }
        #expect(h(0, 89) == 1.0)
        #expect(h(0, 90) == 1.5)
        #expect(h(10, 119) == 1.5)
        #expect(h(-30, 180) == 3.5)        // early arrival counts; the end caps
        #expect(h(0, 300) == 3.0)          // staying after the end does not
        #expect(h(0, 29) == 0)
        #expect(h(60, 30) == 0)            // never negative
        #expect(AttendanceHours.isHalfHour(2.5) && !AttendanceHours.isHalfHour(2.25))
    }

    @Test func anActivityNeedsAPlaceATimeAndSlots() throws {
        let now = start.addingTimeInterval(-86_400)
        var r = FieldReader(["title": .string("敬老院义剪"), "category_id": .number(1), "site_id": .number(3), "address": .string("敬老院"),
                             "latitude": .number(25.9), "longitude": .number(116.0), "starts_at": .string("2026-12-05T09:00"),
                             "ends_at": .string("2026-12-05T08:00"), "slots": .number(0), "skills": .string("理发，按摩")])
        #expect(ActivityInput.read(&r, now: now) == nil)
        #expect(Set(r.errors.map(\.field)) == ["ends_at", "slots"])
        var ok = FieldReader(["title": .string("敬老院义剪"), "category_id": .number(1), "site_id": .number(3), "address": .string("敬老院"),
                              "latitude": .number(25.9), "longitude": .number(116.0), "starts_at": .string("2026-12-05T09:00"),
                              "ends_at": .string("2026-12-05T11:30"), "slots": .number(20), "skills": .string("理发，按摩")])
        let input = try #require(ActivityInput.read(&ok, now: now))
        #expect(input.startsAt == start)
        #expect(input.skills == ["理发", "按摩"])
        #expect(input.radius == 200)
    }
}

@Suite("Check-in: rotating windows, the activity's hours, the radius")
struct CheckinRuleTests {
    let policy = CheckinPolicy(rotation: 180)
    let start = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 12, day: 5, hour: 9))!
    var end: Date { start.addingTimeInterval(3 * 3600) }

    func check(_ kind: CheckinPolicy.Kind = .checkIn, drawnAt: Date, scannedAt: Date, lat: Double = 25.88, lon: Double = 116.02) -> CheckinPolicy.Refusal? {
        policy.check(kind: kind, window: policy.window(at: drawnAt), now: scannedAt, start: start, end: end,
                     latitude: lat, longitude: lon, placeLatitude: 25.88, placeLongitude: 116.02, radius: 200)
    }

    @Test func aCodeIsGoodInItsWindowAndTheNextOnly() {
        let drawn = start.addingTimeInterval(10)
        #expect(check(drawnAt: drawn, scannedAt: drawn.addingTimeInterval(60)) == nil)
        #expect(check(drawnAt: drawn, scannedAt: drawn.addingTimeInterval(300)) == nil)
        #expect(check(drawnAt: drawn, scannedAt: drawn.addingTimeInterval(400)) == .expired)
        #expect(check(drawnAt: drawn.addingTimeInterval(600), scannedAt: drawn) == .expired)   // from the future
        #expect(policy.expiry(of: policy.window(at: drawn)) > drawn.addingTimeInterval(180))
    }

    @Test func checkInOpensHalfAnHourEarlyAndCheckOutStaysOpenTwoHoursLate() {
        let early = start.addingTimeInterval(-40 * 60), justEarly = start.addingTimeInterval(-20 * 60)
        #expect(check(drawnAt: early, scannedAt: early) == .tooEarly)
        #expect(check(drawnAt: justEarly, scannedAt: justEarly) == nil)
        #expect(check(.checkOut, drawnAt: justEarly, scannedAt: justEarly) == .tooEarly)
        let after = end.addingTimeInterval(3600)
        #expect(check(drawnAt: after, scannedAt: after) == .tooLate)
        #expect(check(.checkOut, drawnAt: after, scannedAt: after) == nil)
        let wayAfter = end.addingTimeInterval(3 * 3600)
        #expect(check(.checkOut, drawnAt: wayAfter, scannedAt: wayAfter) == .tooLate)
    }

    @Test func onlyWithinTheRadius() {
        // 0.001° of latitude is about 111 m; 0.003° about 334 m.
        #expect(check(drawnAt: start, scannedAt: start, lat: 25.881) == nil)
        #expect(check(drawnAt: start, scannedAt: start, lat: 25.883) == .tooFar(metres: 334, radius: 200))
    }
}

@Suite("Micro-wishes: who may move a wish where")
struct WishRuleTests {
    @Test func theWishLoop() {
        #expect(WishRules.apply(.claim, to: .open, by: [.volunteer]) == .success(.claimed))
        #expect(WishRules.apply(.claim, to: .claimed, by: [.volunteer]) == .failure(.illegal))
        #expect(WishRules.apply(.fulfil, to: .claimed, by: [.volunteer]) == .failure(.notAllowed))
        #expect(WishRules.apply(.fulfil, to: .claimed, by: [.claimer, .volunteer]) == .success(.fulfilled))
        #expect(WishRules.apply(.confirm, to: .fulfilled, by: [.claimer]) == .failure(.notAllowed))
        #expect(WishRules.apply(.confirm, to: .fulfilled, by: [.requester]) == .success(.confirmed))
        #expect(WishRules.apply(.cancel, to: .claimed, by: [.requester]) == .failure(.illegal))
        #expect(WishRules.apply(.release, to: .claimed, by: [.siteAdmin]) == .success(.open))
        // Every status but the ends has a way forward.
        for s in WishStatus.allCases where s != .confirmed && s != .cancelled {
            #expect(WishRules.rules.contains { $0.from == s })
        }
    }
}

@Suite("iCalendar feeds")
struct ICalendarTests {
    @Test func linesAreFoldedAtSeventyFiveOctetsAndTextEscaped() {
        let start = Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 5, hour: 9))!
        let cal = ICalendar(name: "叶坪村活动", events: [ICalendar.Event(
            uid: "activity-1@diandan", start: start, end: start.addingTimeInterval(9000), summary: "敬老院义剪; 理发, 修指甲",
            location: String(repeating: "叶坪村", count: 20), latitude: 25.9, longitude: 116.08, description: "第一行\n第二行")])
        let text = cal.render(stamp: start)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("DTSTART:20301205T010000Z"))
        #expect(text.contains("DTEND:20301205T033000Z"))
        #expect(text.contains("SUMMARY:敬老院义剪\\; 理发\\, 修指甲"))
        #expect(text.contains("DESCRIPTION:第一行\\n第二行"))
        #expect(text.contains("GEO:25.900000;116.080000"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
        // Unfolding gives the location back whole.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("LOCATION:" + String(repeating: "叶坪村", count: 20)))
    }
}
