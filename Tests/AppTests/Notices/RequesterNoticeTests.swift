import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("What the resident hears")
struct RequesterNoticeTests {
    /// A dispatch asks the team to accept; the resident who ordered hears, in their own words, which
    /// team has their order (they used to hear nothing until it was accepted).
    @Test func theResidentHearsWhichTeamHasTheirOrder() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await admin.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.f.teamS1.id!)}"#).status == .ok)
            _ = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()

            let inbox = try await resident.call(.GET, "/api/v1/notifications").json()
            let notices = (inbox["items"] as? [[String: Any]]) ?? []
            let assigned = try #require(notices.first { $0["topic"] as? String == "order.team_assigned" })
            #expect((assigned["text"] as? String)?.contains(w.f.teamS1.name) == true)
            #expect((assigned["text"] as? String)?.contains("请及时接单") == false)
            #expect(!notices.contains { $0["topic"] as? String == "order.dispatched" })
            let leader = try #require(try await Account.query(on: app.db).filter(\.$username == w.leaderS1).first())
            let leaderItems = try await InboxItem.query(on: app.db).filter(\.$account.$id == leader.id!).all().map(\.topic)
            #expect(leaderItems.contains("order.dispatched") && !leaderItems.contains("order.team_assigned"))
        }
    }
}
