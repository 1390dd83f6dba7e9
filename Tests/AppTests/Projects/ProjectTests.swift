import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Project library: totals and awards")
struct ProjectTests {
    @Test func aProjectTotalsItsActivitiesHoursPeopleAndRatings() async throws {
        let clock = TestClock(CheckinFlowTests.start.addingTimeInterval(-86_400))
        try await withTestApp(clock: clock) { app in
            // setup: two activities of project S1 (one answering a rated order), one of project S2.
            let w = try await LoopWorld.make(app)
            let p1 = w.f.projectS1.id!, p2 = w.f.projectS2.id!
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(order)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(order)/start")
            try await leader.call(.POST, "/api/v1/orders/\(order)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1}"#)
            try await resident.call(.POST, "/api/v1/orders/\(order)/rate", #"{"score":4}"#)
            let a1 = try await ActivityFlowTests.published(app, w, slots: 5, extra: #","project_id":\#(p1),"order_id":\#(order)"#)
            let a2 = try await ActivityFlowTests.published(app, w, slots: 5, extra: #","project_id":\#(p1)"#)
            let a3 = try await ActivityFlowTests.published(app, w, slots: 5, extra: #","project_id":\#(p2)"#)
            var people = try await volunteerClients(app, count: 2, site: w.f.s1)
            for a in [a1, a2, a3] { for i in 0..<2 { try await people[i].call(.POST, "/api/v1/activities/\(a)/signup") } }
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            clock.advance(86_400 + 3 * 3600)
            let hours: [(Int, Double)] = [(a1, 2), (a1, 1.5), (a2, 0.5), (a3, 3)]
            for (a, h) in hours {
                let s = try await Signup.query(on: app.db).filter(\.$activity.$id == a).filter(\.$confirmedAt == nil).first()!
                let r = try await admin.call(.POST, "/api/v1/activities/\(a)/signups/\(s.id!)/confirm", #"{"hours":\#(h),"reason":"现场核实"}"#)
                #expect(r.status == .ok)
            }
            #expect(try await admin.call(.POST, "/api/v1/activities/\(a1)/people-served", #"{"people_served":30}"#).status == .ok)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(a2)/people-served", #"{"people_served":12}"#).status == .ok)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(a3)/people-served", #"{"people_served":99}"#).status == .ok)
            #expect(try await people[0].call(.POST, "/api/v1/activities/\(a2)/people-served", #"{"people_served":1}"#).status == .forbidden)

            // MUT / validate: the hand-counted answers.
            #expect(try await ProjectTotals.of(p1, on: app.db) == ProjectTotals(activities: 2, hours: 4, people_served: 42, mean_rating: 4))
            #expect(try await ProjectTotals.of(p2, on: app.db) == ProjectTotals(activities: 1, hours: 3, people_served: 99, mean_rating: nil))

            // An award through the admin page; the public page and the API show it all.
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let token = try await web.csrf(from: "/admin/projects/\(p1)")
            #expect(try await web.send(.POST, "/admin/projects/\(p1)/awards", form: [("_csrf", token), ("year", "2030"), ("amount", "8000.5"), ("approved_by", "瑞金市文明办")]).status == .seeOther)
            let bad = try await web.send(.POST, "/admin/projects/\(p1)/awards", form: [("_csrf", token), ("year", "1999"), ("amount", "-1"), ("approved_by", "")])
            #expect(bad.status == .unprocessableEntity)
            var anonymous = WebClient(app)
            let page = try await anonymous.send(.GET, "/projects/\(p1)").text
            #expect(page.contains("8000.50"))
            #expect(page.contains("瑞金市文明办"))
            #expect(page.contains("<span class=\"num\">42</span>"))
            let json = try await anonymous.send(.GET, "/api/v1/projects/\(p1)").json()
            #expect((json["totals"] as? [String: Any])?["hours"] as? Double == 4)
            #expect((json["awards"] as? [[String: Any]])?.first?["amount"] as? Double == 8000.5)
        }
    }
}

@Suite("Activities from an order or a project")
struct ActivityOriginTests {
    @Test func theFormComesFilledFromTheOrderAndTheProject() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leaderAPI = try await APIClient.signIn(app, w.leaderS1)
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leaderAPI.call(.POST, "/api/v1/orders/\(order)/accept")
            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            let orderPage = try await leader.send(.GET, "/orders/\(order)").text
            #expect(orderPage.contains("/activities/new?order_id=\(order)"))
            let form = try await leader.send(.GET, "/activities/new?order_id=\(order)").text
            #expect(form.contains(#"name="order_id" value="\#(order)""#))
            #expect(form.contains(#"value="一号站义诊""#))
            let projectPage = try await leader.send(.GET, "/projects/\(w.f.projectS1.id!)").text
            #expect(projectPage.contains("/activities/new?project_id=\(w.f.projectS1.id!)"))
            let projectForm = try await leader.send(.GET, "/activities/new?project_id=\(w.f.projectS1.id!)").text
            #expect(projectForm.contains(#"<option value="\#(w.f.projectS1.id!)" selected>"#))
            // The other station's leader is offered neither.
            var other = WebClient(app)
            try await other.login(w.leaderS2)
            #expect(!(try await other.send(.GET, "/projects/\(w.f.projectS1.id!)").text.contains("project-new-activity")))
        }
    }
}
