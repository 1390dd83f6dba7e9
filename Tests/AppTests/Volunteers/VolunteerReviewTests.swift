import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// DIANDAN_VOLUNTEER_REVIEW: where a station reviews new volunteers, one who registers is signed in
/// but may sign up only once confirmed; the station admin sees who waits and confirms them.
@Suite("Volunteer review")
struct VolunteerReviewTests {
    static func register(_ app: Application, _ f: Fixture, sequence: Int, phone: String) async throws -> WebClient {
        var web = WebClient(app)
        let r = try await web.submit(Paths.register, [
            ("real_name", "待审\(sequence)"), ("id_number", IDNumber.compose(region: "360781", birth: "19900101", sequence: sequence)),
            ("phone", phone), ("site_id", String(f.s1.id!)), ("password", "Volunteer2026!"), ("consent", "on")])
        #expect(r.status == .created)
        return web
    }

    @Test func withReviewANewVolunteerWaitsUntilTheStationConfirms() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 3, hour: 9))!)
        try await withTestApp(clock: clock, settings: ["DIANDAN_VOLUNTEER_REVIEW": "true"]) { app in
            let w = try await LoopWorld.make(app)
            let activity = try await ActivityFlowTests.published(app, w, slots: 5)
            var volunteer = try await Self.register(app, w.f, sequence: 501, phone: "13900005011")
            #expect(try await volunteer.send(.GET, Paths.home).text.contains("id=\"work-awaiting\""))
            let token = try await volunteer.csrf(from: Paths.activity(activity))
            let early = try await volunteer.send(.POST, Paths.activity(activity) + "/signup", form: [("_csrf", token)])
            #expect(early.text.contains("等待站点审核"))
            #expect(try await Signup.query(on: app.db).count() == 0)
            // Until confirmed they hold no volunteer's role (nothing a volunteer may do, such as claiming wishes).
            let pending = try #require(try await Account.query(on: app.db).filter(\.$username == "13900005011").with(\.$grants).first())
            #expect(pending.grants.map(\.role) == [.resident])

            // The station admin sees who waits, from the landing page.
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            let home = try await admin.send(.GET, Paths.home).text
            #expect(home.contains("id=\"work-review\"") && home.contains("href=\"\(Paths.adminVolunteerReview)\""))
            let list = try await admin.send(.GET, Paths.adminVolunteerReview).text
            #expect(list.contains("待审501"))
            let v = try #require(try await Volunteer.query(on: app.db).filter(\.$realName == "待审501").first())
            let csrf = try await admin.csrf(from: Paths.adminVolunteerReview)
            let confirmed = try await admin.send(.POST, Paths.adminVolunteerConfirm(v.id!), form: [("_csrf", csrf)])
            #expect(confirmed.headers.first(name: .location) == Paths.adminVolunteerReview)
            #expect(try await admin.send(.GET, Paths.adminVolunteerReview).text.contains("已确认 待审501"))
            #expect(try await Volunteer.find(v.id!, on: app.db)?.awaitingReview == false)
            let confirmedRoles = try await RoleGrant.query(on: app.db).filter(\.$account.$id == pending.id!).all().map(\.role)
            #expect(Set(confirmedRoles) == [.resident, .volunteer])

            let token2 = try await volunteer.csrf(from: Paths.activity(activity))
            _ = try await volunteer.send(.POST, Paths.activity(activity) + "/signup", form: [("_csrf", token2)])
            #expect(try await Signup.query(on: app.db).count() == 1)
        }
    }

    @Test func withoutReviewAVolunteerSignsUpAtOnce() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            _ = try await Self.register(app, f, sequence: 502, phone: "13900005022")
            #expect(try await Volunteer.query(on: app.db).filter(\.$realName == "待审502").first()?.awaitingReview == false)
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            #expect(!(try await admin.send(.GET, Paths.home).text.contains("id=\"work-review\"")))
        }
    }
}
