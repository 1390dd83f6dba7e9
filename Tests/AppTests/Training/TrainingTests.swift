import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Training records (培训): a site admin holds a training, volunteers check in by scanning its code
/// (on site near the place, online from anywhere), once each; the record, the certificate and the
/// assessment list training apart from service hours.
@Suite("Training records")
struct TrainingTests {
    static func form(_ w: LoopWorld, title: String, mode: TrainingMode, start: Date, hours: String = "2") -> [(String, String)] {
        let c = Calendar.chinaStandard.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        var f: [(String, String)] = [("title", title), ("trainer", "李医生"), ("site_id", String(w.f.s1.id!)), ("team_id", String(w.f.teamS1.id!)),
                                     ("starts_at", String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)),
                                     ("hours", hours), ("mode", mode.rawValue)]
        if mode == .onsite {
            f += [("address", "一号实践站二楼"), ("latitude", String(w.f.s1.latitude)), ("longitude", String(w.f.s1.longitude)), ("radius", "200")]
        }
        return f
    }

    /// The page a scanned code opens, then its form sent from the phone.
    static func checkIn(_ web: inout WebClient, _ app: Application, _ training: Training, latitude: Double?, longitude: Double?) async throws -> TestingHTTPResponse {
        let token = TrainingService(db: app.db, now: app.clock.now(), checkin: app.settings.checkin, protector: app.protector).token(trainingID: training.id!)
        let page = Paths.trainingCheck(training.id!, window: token.window, signature: token.signature)
        let csrf = try await web.csrf(from: page)
        var fields = [("_csrf", csrf), ("t", String(token.window)), ("s", token.signature)]
        if let latitude, let longitude { fields += [("latitude", String(latitude)), ("longitude", String(longitude))] }
        return try await web.send(.POST, Paths.trainingCheckAction(training.id!), form: fields)
    }

    @Test func volunteersCheckInOnceAndTrainingStaysApartFromServiceHours() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            // setup: S1's admin holds an on-site first-aid training starting in ten minutes and an online one.
            let w = try await LoopWorld.make(app)
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            // Bad input: an on-site training with no place, hours not in halves — every problem named, nothing written.
            var bad = Self.form(w, title: "急救培训", mode: .online, start: clock.now, hours: "1.2")
            bad[6] = ("mode", "onsite")
            let refused = try await admin.submit("/admin/trainings", bad, tokenFrom: "/admin/trainings/new")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains(#"id="err-hours""#) && refused.text.contains(#"id="err-address""#) && refused.text.contains(#"id="err-latitude""#))
            #expect(try await Training.query(on: app.db).count() == 0)
            #expect(try await admin.submit("/admin/trainings", Self.form(w, title: "急救培训", mode: .onsite, start: clock.now.addingTimeInterval(600)),
                                           tokenFrom: "/admin/trainings/new").status == .seeOther)
            #expect(try await admin.submit("/admin/trainings", Self.form(w, title: "线上志愿服务礼仪课", mode: .online, start: clock.now, hours: "1.5"),
                                           tokenFrom: "/admin/trainings/new").status == .seeOther)
            let onsite = try #require(try await Training.query(on: app.db).filter(\.$title == "急救培训").first())
            let online = try #require(try await Training.query(on: app.db).filter(\.$title == "线上志愿服务礼仪课").first())
            #expect(onsite.$team.id == w.f.teamS1.id && onsite.hours == 2 && online.latitude == nil)
            // The trainer's code page shows the code.
            let code = try await admin.send(.GET, Paths.trainingCode(onsite.id!))
            #expect(code.status == .ok && code.text.contains(Paths.trainingQR(onsite.id!)))
            #expect(try await admin.send(.GET, Paths.trainingQR(onsite.id!)).headers.first(name: .contentType) == "image/svg+xml")

            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            let before = try #require(try await Volunteer.find(w.f.volunteerS1.id!, on: app.db))
            // MUT: far from the room — refused; then in the room, twice; online from anywhere, without a position.
            let far = try await Self.checkIn(&leader, app, onsite, latitude: w.f.s1.latitude + 0.05, longitude: w.f.s1.longitude)
            #expect(far.status == .forbidden && far.text.contains("米"))
            let first = try await Self.checkIn(&leader, app, onsite, latitude: w.f.s1.latitude + 0.0005, longitude: w.f.s1.longitude)
            #expect(first.status == .ok && first.text.contains("签到成功"), "\(first.text.prefix(300))")
            let again = try await Self.checkIn(&leader, app, onsite, latitude: w.f.s1.latitude, longitude: w.f.s1.longitude)
            #expect(again.status == .ok && again.text.contains("无需重复签到"))
            #expect(try await Self.checkIn(&leader, app, online, latitude: nil, longitude: nil).status == .ok)
            #expect(try await Self.checkIn(&leader, app, onsite, latitude: nil, longitude: nil).status == .ok, "already in: no position needed to hear so")
            // A code signed for something else (an activity's) is no training code.
            let forged = try await leader.send(.POST, Paths.trainingCheckAction(onsite.id!), form: [("_csrf", try await leader.csrf(from: "/me/service")),
                ("t", String(app.settings.checkin.window(at: clock.now))), ("s", app.protector.sign(CheckinPolicy.message(activityID: onsite.id!, kind: .checkIn, window: app.settings.checkin.window(at: clock.now))))])
            #expect(forged.status == .forbidden)
            #expect(try await TrainingAttendance.query(on: app.db).count() == 2)

            // validate: the record lists both trainings, 3.5 hours, and the service hours and points are untouched.
            let after = try #require(try await Volunteer.find(w.f.volunteerS1.id!, on: app.db))
            #expect(after.hoursTotal == before.hoursTotal && after.pointsBalance == before.pointsBalance)
            var api = try await APIClient.signIn(app, w.leaderS1)
            let record = try await api.call(.GET, "/api/v1/me/record").json()
            #expect(record["training_hours"] as? Double == 3.5)
            #expect((record["trainings"] as? [[String: Any]])?.compactMap { $0["title"] as? String }.sorted() == ["急救培训", "线上志愿服务礼仪课"])
            #expect(record["hours_total"] as? Double == before.hoursTotal)
            let mine = try await leader.send(.GET, "/me/service").text
            #expect(mine.contains("共参加培训 2 次、3.5 小时") && mine.contains("急救培训"))
            // The certificate: its own training table, not in the service total.
            let cert = try await api.call(.POST, "/api/v1/me/certificates").json()
            #expect(cert["training_hours"] as? Double == 3.5 && cert["total_hours"] as? Double == before.hoursTotal)
            let stored = try #require(try await Certificate.query(on: app.db).first()?.decoded)
            #expect(stored.trainings?.map(\.title) == ["线上志愿服务礼仪课", "急救培训"] && stored.trainings?.first?.organisation == "李医生（\(w.f.s1.name)）")
            // The assessment: S1 held two trainings, two attendances, 3.5 hours; S1's team's member trained them.
            var station = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let report = try await station.call(.GET, "/api/v1/assessment?site=\(w.f.s1.id!)").json()
            let total = report["training"] as? [String: Any]
            #expect(total?["sessions"] as? Int == 2 && total?["attendances"] as? Int == 2 && total?["hours"] as? Double == 3.5)
            let teams = report["training_teams"] as? [[String: Any]] ?? []
            #expect(teams.map { $0["id"] as? Int } == [w.f.teamS1.id!])
            var centreAPI = try await APIClient.signIn(app, Fixture.centreAdmin)
            let county = try await centreAPI.call(.GET, "/api/v1/assessment?site=\(w.f.centre.id!)").json()
            let sites = county["training_sites"] as? [[String: Any]] ?? []
            let institute = sites.first { ($0["id"] as? Int) == w.f.instituteA.id }
            #expect((institute?["training"] as? [String: Any])?["hours"] as? Double == 3.5, "\(sites)")
            #expect((county["training"] as? [String: Any])?["sessions"] as? Int == 2)
            let page = try await admin.send(.GET, "/assessment?site=\(w.f.s1.id!)").text
            #expect(page.contains(#"id="metric-training-hours">3.5<"#) && page.contains(#"id="table-training-teams""#))
        }
    }

    /// For apps: the trainings to come, and a check-in with the scanned code's values — 201, then 200.
    @Test func theAPIListsTrainingsAndChecksInOnce() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            _ = try await admin.submit("/admin/trainings", Self.form(w, title: "急救培训", mode: .onsite, start: clock.now.addingTimeInterval(600)),
                                       tokenFrom: "/admin/trainings/new")
            let t = try #require(try await Training.query(on: app.db).first())
            var anyone = WebClient(app)
            let list = try JSONSerialization.jsonObject(with: Data(try await anyone.send(.GET, "/api/v1/trainings?site=\(w.f.s1.id!)").body.readableBytesView)) as? [[String: Any]] ?? []
            #expect(list.map { $0["title"] as? String } == ["急救培训"] && list.first?["mode"] as? String == "onsite")
            #expect(try await anyone.send(.GET, "/api/v1/trainings?site=\(w.f.s2.id!)").text == "[]")
            #expect(try await anyone.send(.GET, "/api/v1/trainings?from=yesterday").status == .unprocessableEntity)
            let token = TrainingService(db: app.db, now: clock.now, checkin: app.settings.checkin, protector: app.protector).token(trainingID: t.id!)
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let body = #"{"t":\#(token.window),"s":"\#(token.signature)","latitude":\#(w.f.s1.latitude),"longitude":\#(w.f.s1.longitude)}"#
            let first = try await leader.call(.POST, "/api/v1/trainings/\(t.id!)/check-in", body)
            let hours = try first.json()["hours"] as? Double
            #expect(first.status == .created && hours == 2, "\(first.text)")
            #expect(try await leader.call(.POST, "/api/v1/trainings/\(t.id!)/check-in", body).status == .ok)
            #expect(try await leader.call(.POST, "/api/v1/trainings/\(t.id!)/check-in", #"{"t":\#(token.window),"s":"forged"}"#).status == .forbidden)
            #expect(try await TrainingAttendance.query(on: app.db).count() == 1)
        }
    }

    /// Out of the window the code is refused: too early, or a code from long ago.
    @Test func codesWorkOnlyWhileTheTrainingRuns() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            _ = try await admin.submit("/admin/trainings", Self.form(w, title: "晚间培训", mode: .online, start: clock.now.addingTimeInterval(5 * 3600)),
                                       tokenFrom: "/admin/trainings/new")
            let t = try #require(try await Training.query(on: app.db).first())
            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            #expect(try await Self.checkIn(&leader, app, t, latitude: nil, longitude: nil).status == .conflict)
            clock.advance(8 * 3600)
            #expect(try await Self.checkIn(&leader, app, t, latitude: nil, longitude: nil).status == .conflict)
            #expect(try await TrainingAttendance.query(on: app.db).count() == 0)
        }
    }
}
