import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("iCalendar feeds of activities and sign-ups")
struct CalendarFeedTests {
    @Test func theSiteFeedAndThePrivateFeed() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let open = try await ActivityFlowTests.published(app, w, slots: 1)
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let pending = try await leader.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 3)).json()["id"] as! Int
            var anonymous = WebClient(app)
            let feed = try await anonymous.send(.GET, "/activities.ics?site=\(w.f.instituteA.id!)")
            #expect(feed.headers.first(name: .contentType) == "text/calendar; charset=utf-8")
            #expect(feed.text.contains("UID:activity-\(open)@diandan"))
            #expect(!feed.text.contains("UID:activity-\(pending)@diandan"))
            #expect(!(try await anonymous.send(.GET, "/activities.ics?site=\(w.f.instituteB.id!)").text.contains("BEGIN:VEVENT")))

            // Two volunteers: one gets the slot, one waits.
            var crowd = try await volunteerClients(app, count: 2, site: w.f.s1)
            try await crowd[0].call(.POST, "/api/v1/activities/\(open)/signup")
            try await crowd[1].call(.POST, "/api/v1/activities/\(open)/signup")
            let url0 = try await crowd[0].call(.GET, "/api/v1/me/calendar").json()["url"] as! String
            let url1 = try await crowd[1].call(.GET, "/api/v1/me/calendar").json()["url"] as! String
            let path0 = String(url0[url0.range(of: "/calendar/")!.lowerBound...]), path1 = String(url1[url1.range(of: "/calendar/")!.lowerBound...])
            #expect(try await anonymous.send(.GET, path0).text.contains("STATUS:CONFIRMED"))
            #expect(try await anonymous.send(.GET, path1).text.contains("STATUS:TENTATIVE"))
            // A guessed signature, or another volunteer's number with one's own signature, finds nothing.
            let forged = path0.replacingOccurrences(of: "-", with: "-x")
            #expect(try await anonymous.send(.GET, forged).status == .notFound)
            let id1 = path1.dropFirst("/calendar/".count).prefix { $0 != "-" }
            let mixed = "/calendar/\(id1)" + path0[path0.firstIndex(of: "-")!...]
            #expect(try await anonymous.send(.GET, mixed).status == .notFound)
        }
    }

    @Test func resettingTheAddressRevokesTheOldOne() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var web = WebClient(app)
            try await web.login(w.leaderS1)
            let page = try await web.send(.GET, "/me/service").text
            let range = try #require(page.range(of: #"/calendar/[0-9]+-[A-Za-z0-9_\-]+\.ics"#, options: .regularExpression))
            let old = String(page[range])
            #expect(try await web.send(.GET, old).status == .ok)
            let token = try await web.csrf(from: "/me/service")
            try await web.send(.POST, "/me/calendar/reset", form: [("_csrf", token)])
            #expect(try await web.send(.GET, old).status == .notFound)
            let fresh = try await web.send(.GET, "/me/service").text
            let newRange = try #require(fresh.range(of: #"/calendar/[0-9]+-[A-Za-z0-9_\-]+\.ics"#, options: .regularExpression))
            #expect(try await web.send(.GET, String(fresh[newRange])).status == .ok)
        }
    }
}

@Suite("Volunteers' records through the API")
struct RecordAPITests {
    @Test func ownRecordAndAdminsInScopeOnly() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            try await Ledger(db: app.db, now: Date()).record(volunteerID: w.f.volunteerS1.id!, hours: 120, date: Date(), content: "长期结对帮扶",
                                                             orderID: nil, activityID: nil, teamID: nil, recordedBy: nil, points: 1200, reason: "points.service")
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let mine = try await leader.call(.GET, "/api/v1/me/record").json()
            #expect(mine["hours_total"] as? Double == 120)
            #expect(mine["stars"] as? Int == 1)
            #expect(mine["hours_to_next_star"] as? Double == 180)
            #expect(mine["points_balance"] as? Int == 1200)
            #expect((mine["records"] as? [[String: Any]])?.first?["content"] as? String == "长期结对帮扶")
            #expect(mine["id_number_masked"] as? String == w.f.volunteerS1.idMasked)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await admin.call(.GET, "/api/v1/volunteers/\(w.f.volunteerS1.id!)/record").status == .ok)
            #expect(try await admin.call(.GET, "/api/v1/volunteers/\(w.f.volunteerS2.id!)/record").status == .forbidden)
            #expect(try await leader.call(.GET, "/api/v1/volunteers/\(w.f.volunteerS1.id!)/record").status == .forbidden)
        }
    }
}
