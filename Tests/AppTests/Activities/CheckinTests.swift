import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Reads a PNG with zbarimg (Debian's zbar-tools).
func decodeQR(png: [UInt8]) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png")
    try Data(png).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try runTool("zbarimg", ["-q", "--raw", file.path]).output.trimmingCharacters(in: .newlines)
}

@Suite("Check-in by QR code and GPS, and hours from attendance")
struct CheckinFlowTests {
    /// 2030-12-05 09:00 China time, when the test activities start.
    static let start = Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 5, hour: 9))!

    static func params(_ url: String) -> (t: Int, s: String) {
        let q = URLComponents(string: url)!.queryItems!
        return (Int(q.first { $0.name == "t" }!.value!)!, q.first { $0.name == "s" }!.value!)
    }

    static func body(_ url: String, lat: Double = 25.8805, lon: Double = 116.0201, signature: String? = nil) -> String {
        let (t, s) = params(url)
        return #"{"t":\#(t),"s":"\#(signature ?? s)","latitude":\#(lat),"longitude":\#(lon)}"#
    }

    @Test func scanCheckInAndOutThenTheLeaderConfirmsTheHours() async throws {
        let clock = TestClock(Self.start.addingTimeInterval(-3 * 86_400))
        try await withTestApp(clock: clock) { app in
            // setup: an activity at S1 09:00–11:30 with one slot; one volunteer in, one waiting.
            let w = try await LoopWorld.make(app)
            let id = try await ActivityFlowTests.published(app, w, slots: 1)
            var (v1, v2) = try await { () async throws -> (APIClient, APIClient) in
                let c = try await volunteerClients(app, count: 2, site: w.f.s1)
                return (c[0], c[1])
            }()
            try await v1.call(.POST, "/api/v1/activities/\(id)/signup")
            try await v2.call(.POST, "/api/v1/activities/\(id)/signup")
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))

            // Ten minutes before the start the organiser signs in and shows the code; it decodes to the signed URL.
            clock.advance(3 * 86_400 - 600)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let url = try await admin.call(.GET, "/api/v1/activities/\(id)/qr?kind=in").json()["url"] as! String
            #expect(url.contains("/activities/\(id)/check?k=in&t="))
            let png = try await web.send(.GET, "/activities/\(id)/qr/in?format=png")
            #expect(png.headers.contentType == .png)
            #expect(try decodeQR(png: Array(png.body.readableBytesView)) == url)
            #expect(try await web.send(.GET, "/activities/\(id)/qr/in").text.hasPrefix("<svg"))
            // Nobody but organisers gets the code.
            #expect(try await v1.call(.GET, "/api/v1/activities/\(id)/qr?kind=in").status == .forbidden)

            // Refused: a forged signature, a place too far, the waiting list; then the real thing.
            let forged = try await v1.call(.POST, "/api/v1/activities/\(id)/check-in", Self.body(url, signature: "AAAAAAAAAAAAAAAAAAAAAA"))
            #expect(forged.status == .forbidden)
            #expect(try forged.json()["message"] as? String == "二维码无效，请扫描活动现场的二维码。")
            let far = try await v1.call(.POST, "/api/v1/activities/\(id)/check-in", Self.body(url, lat: 25.8900))
            #expect(far.status == .forbidden)
            #expect((try far.json()["message"] as? String)?.contains("超出 200 米") == true)
            #expect(try await v2.call(.POST, "/api/v1/activities/\(id)/check-in", Self.body(url)).status == .forbidden)
            // A check-in code does not check out.
            #expect(try await v1.call(.POST, "/api/v1/activities/\(id)/check-out", Self.body(url)).status == .forbidden)
            #expect(try await v1.call(.POST, "/api/v1/activities/\(id)/check-in", Self.body(url)).status == .ok)
            #expect(try await v1.call(.POST, "/api/v1/activities/\(id)/check-in", Self.body(url)).status == .conflict)

            // Seven minutes on, the same code has expired.
            clock.advance(7 * 60)
            let stale = try await v1.call(.POST, "/api/v1/activities/\(id)/check-out", Self.body(url.replacingOccurrences(of: "k=in", with: "k=out")))
            #expect(stale.status == .forbidden)

            // Check-out at 11:05 with a fresh code: 09:50 − 08:50 … 2 h 15 min → 2.0 hours.
            clock.advance(2 * 3600 + 8 * 60)
            let out = try await admin.call(.GET, "/api/v1/activities/\(id)/qr?kind=out").json()["url"] as! String
            #expect(try await v1.call(.POST, "/api/v1/activities/\(id)/check-out", Self.body(out)).status == .ok)
            let signup = try #require(try await Signup.query(on: app.db).filter(\.$activity.$id == id).filter(\.$status == .signedUp).first())
            let a = try #require(try await Activity.find(id, on: app.db))
            #expect(ActivityService.attendedHours(signup, a) == 2.0)

            // The organiser confirms: a service record, points, hours on the volunteer; once only.
            #expect(try await v1.call(.POST, "/api/v1/activities/\(id)/signups/\(signup.id!)/confirm").status == .forbidden)
            let confirmed = try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(signup.id!)/confirm")
            #expect(confirmed.status == .ok)
            #expect(try confirmed.json()["confirmed_hours"] as? Double == 2.0)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(signup.id!)/confirm").status == .conflict)
            let record = try #require(try await ServiceRecord.query(on: app.db).filter(\.$activityID == id).first())
            #expect(record.hours == 2.0)
            #expect(record.serviceDate == "2030-12-05")
            let v = try #require(try await Volunteer.find(signup.$volunteer.id, on: app.db))
            #expect(v.hoursTotal == 2.0)
            #expect(v.pointsBalance == 20)
        }
    }

    @Test func aMissingCheckOutIsResolvedByTheLeaderWithAReason() async throws {
        let clock = TestClock(Self.start.addingTimeInterval(-86_400))
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            let id = try await ActivityFlowTests.published(app, w, slots: 3)
            var v = try await volunteerClients(app, count: 1, site: w.f.s1)[0]
            try await v.call(.POST, "/api/v1/activities/\(id)/signup")
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            // Before the start there is nothing to confirm.
            let s = try #require(try await Signup.query(on: app.db).filter(\.$activity.$id == id).first())
            #expect(try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(s.id!)/confirm", #"{"hours":2}"#).status == .conflict)
            clock.advance(86_400 + 30)
            let url = try await admin.call(.GET, "/api/v1/activities/\(id)/qr?kind=in").json()["url"] as! String
            try await v.call(.POST, "/api/v1/activities/\(id)/check-in", Self.body(url))
            clock.advance(5 * 3600)
            // No check-out: hours must be given, with a reason, in half hours.
            let none = try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(s.id!)/confirm")
            #expect(none.status == .unprocessableEntity)
            #expect((try none.json()["fields"] as? [String: String])?["hours"] != nil)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(s.id!)/confirm", #"{"hours":2.5}"#).status == .unprocessableEntity)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(s.id!)/confirm", #"{"hours":2.25,"reason":"忘记签退"}"#).status == .unprocessableEntity)
            #expect(try await ServiceRecord.query(on: app.db).count() == 0)
            let ok = try await admin.call(.POST, "/api/v1/activities/\(id)/signups/\(s.id!)/confirm", #"{"hours":2.5,"reason":"忘记签退，队长核实"}"#)
            #expect(ok.status == .ok)
            #expect(try await Signup.find(s.id, on: app.db)?.correctionReason == "忘记签退，队长核实")
            #expect(try await ServiceRecord.query(on: app.db).first()?.hours == 2.5)
        }
    }

    @Test func theScannedLinkAsksToSignInThenShowsTheForm() async throws {
        let clock = TestClock(Self.start.addingTimeInterval(-600))
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            let id = try await ActivityFlowTests.published(app, w, slots: 3)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let url = try await admin.call(.GET, "/api/v1/activities/\(id)/qr?kind=in").json()["url"] as! String
            let path = String(url[url.range(of: "/activities/")!.lowerBound...])
            var phone = WebClient(app)
            let first = try await phone.send(.GET, path)
            #expect(first.status == .seeOther)
            let next = URLComponents(string: first.headers.first(name: .location) ?? "")?.queryItems?.first { $0.name == "next" }?.value
            #expect(next == path)
            try await phone.login(w.leaderS2)
            let page = try await phone.send(.GET, path).text
            #expect(page.contains(#"name="s" value="\#(Self.params(url).s)""#))
            #expect(page.contains("/js/checkin.js"))
            // Submitting without a location says so, in the page.
            let token = try await phone.csrf(from: path)
            let (t, s) = Self.params(url)
            let noLocation = try await phone.send(.POST, "/activities/\(id)/check", form: [("_csrf", token), ("k", "in"), ("t", String(t)), ("s", s)])
            #expect(noLocation.status == .badRequest)
            #expect(noLocation.text.contains("没有收到位置信息"))
        }
    }
}
