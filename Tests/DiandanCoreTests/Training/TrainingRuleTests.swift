import Foundation
import Testing
@testable import DiandanCore

@Suite("Training check-in rules")
struct TrainingRuleTests {
    let policy = CheckinPolicy()
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    let place = (25.88, 116.02)

    func check(at offset: TimeInterval, mode: TrainingMode, _ lat: Double?, _ lon: Double?) -> CheckinPolicy.Refusal? {
        let now = start.addingTimeInterval(offset)
        return TrainingCheckin.check(policy, window: policy.window(at: now), now: now, start: start, hours: 2, mode: mode,
                                     latitude: lat, longitude: lon, place: place, radius: 200)
    }

    @Test func onSiteNeedsThePhoneNearThePlaceOnlineNeedsNoPosition() {
        #expect(check(at: 0, mode: .onsite, 25.8801, 116.0201) == nil)
        #expect(check(at: 0, mode: .onsite, 25.90, 116.02) == .tooFar(metres: 2224, radius: 200))
        #expect(check(at: 0, mode: .onsite, nil, nil) != nil)
        #expect(check(at: 0, mode: .online, nil, nil) == nil)
        #expect(check(at: 0, mode: .online, 40.0, 120.0) == nil)
    }

    @Test func theCodeWorksFromHalfAnHourBeforeToTheEnd() {
        #expect(check(at: -31 * 60, mode: .online, nil, nil) == .tooEarly)
        #expect(check(at: -29 * 60, mode: .online, nil, nil) == nil)
        #expect(check(at: 2 * 3600 - 60, mode: .online, nil, nil) == nil)
        #expect(check(at: 2 * 3600 + 60, mode: .online, nil, nil) == .tooLate)
        // A training's code and an activity's never sign the same words.
        #expect(TrainingCheckin.message(trainingID: 7, window: 9) != CheckinPolicy.message(activityID: 7, kind: .checkIn, window: 9))
    }

    @Test func theFormNamesEveryProblem() {
        var r = FieldReader(["title": .string("急救培训"), "trainer": .string("李医生"), "site_id": .number(3), "starts_at": .string("2026-12-01T09:00"),
                             "hours": .number(1.2), "mode": .string("onsite")])
        #expect(TrainingInput.read(&r) == nil)
        #expect(Set(r.errors.map(\.field)) == ["hours", "address", "latitude", "longitude"])
        var online = FieldReader(["title": .string("礼仪课"), "trainer": .string("王老师"), "site_id": .number(3), "starts_at": .string("2026-12-01T09:00"),
                                  "hours": .number(1.5), "mode": .string("online")])
        let input = TrainingInput.read(&online)
        #expect(input?.mode == .online && input?.hours == 1.5 && input?.latitude == nil)
    }
}
