import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Micro-wishes: post, claim, fulfil, confirm")
struct WishTests {
    static func wishJSON(_ f: Fixture, contact: Bool = false) -> String {
        #"{"title":"想要一副老花镜","description":"看报纸用，200 度左右","value":50,"site_id":\#(f.s1.id!)\#(contact ? #","contact_name":"钟奶奶""# : "")}"#
    }

    @Test func theWholeWishCreditsTheVolunteerOnce() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let created = try await resident.call(.POST, "/api/v1/wishes", Self.wishJSON(w.f))
            #expect(created.status == .created)
            let id = try created.json()["id"] as! Int

            // Two volunteers claim at once: exactly one gets it.
            let crowd = try await volunteerClients(app, count: 2, site: w.f.s1)
            let statuses = try await race(crowd, .POST, "/api/v1/wishes/\(id)/claim")
            #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict])
            // Which of the two won: the claimer's account holds one of the tokens.
            let claimed = try #require(try await Wish.find(id, on: app.db)?.$volunteer.id)
            let account = try #require(try await Volunteer.find(claimed, on: app.db)?.$account.id)
            let winnerToken = try #require(try await APIToken.query(on: app.db).filter(\.$account.$id == account).first()?.tokenHash)
            var c = crowd.first { TokenDigest.sha256($0.token) == winnerToken }!
            var l = crowd.first { TokenDigest.sha256($0.token) != winnerToken }!

            // Only the claimer fulfils; only the requester confirms.
            #expect(try await l.call(.POST, "/api/v1/wishes/\(id)/fulfil", #"{"note":"买好了"}"#).status == .forbidden)
            #expect(try await c.call(.POST, "/api/v1/wishes/\(id)/fulfil", "{}").status == .unprocessableEntity)
            #expect(try await c.call(.POST, "/api/v1/wishes/\(id)/fulfil", #"{"note":"配好了 200 度的老花镜，送到家"}"#).status == .ok)
            #expect(try await c.call(.POST, "/api/v1/wishes/\(id)/confirm").status == .forbidden)
            // The one who wished heard both steps, and each notice leads to the wish.
            _ = try await NoticeDispatcher(db: app.db, now: Date()).runOnce()
            let inbox = try await resident.call(.GET, "/api/v1/notifications").json()["items"] as? [[String: Any]] ?? []
            #expect(inbox.compactMap { $0["topic"] as? String }.sorted() == ["wish.claimed", "wish.fulfilled"])
            #expect(inbox.contains { ($0["text"] as? String) == "你的微心愿「想要一副老花镜」已完成，请确认" })
            let notice = try #require(try await InboxItem.query(on: app.db).filter(\.$topic == "wish.fulfilled").first())
            var residentWeb = WebClient(app)
            try await residentWeb.login(Fixture.user(.resident))
            let token = try await residentWeb.csrf(from: "/inbox")
            #expect(try await residentWeb.send(.POST, "/inbox/\(notice.id!)/open", form: [("_csrf", token)]).headers.first(name: .location) == "/wishes/\(id)")
            #expect(try await resident.call(.POST, "/api/v1/wishes/\(id)/confirm").status == .ok)
            #expect(try await resident.call(.POST, "/api/v1/wishes/\(id)/confirm").status == .conflict)

            // One hour and ten points by default, as a service record.
            let claimer = try #require(try await Wish.find(id, on: app.db)?.$volunteer.id)
            let v = try #require(try await Volunteer.find(claimer, on: app.db))
            #expect(v.hoursTotal == 1)
            #expect(v.pointsBalance == 10)
            let records = try await ServiceRecord.query(on: app.db).filter(\.$wishID == id).all()
            #expect(records.map(\.content) == ["微心愿：想要一副老花镜"])

            // The wall shows it without anyone's name; the parties see the note.
            var anonymous = WebClient(app)
            let wall = try await anonymous.send(.GET, "/wishes?site=\(w.f.instituteA.id!)").text
            #expect(wall.contains("想要一副老花镜"))
            #expect(wall.contains("已圆梦"))
            let outsider = try await anonymous.send(.GET, "/api/v1/wishes/\(id)").json()
            #expect(outsider["fulfil_note"] == nil)
            #expect(try await resident.call(.GET, "/api/v1/wishes/\(id)").json()["fulfil_note"] as? String == "配好了 200 度的老花镜，送到家")
        }
    }

    @Test func whoMayPostAndWithdraw() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            // A practitioner posts for a resident, with the resident's name.
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))
            #expect(try await practitioner.call(.POST, "/api/v1/wishes", Self.wishJSON(f)).status == .unprocessableEntity)
            let posted = try await practitioner.call(.POST, "/api/v1/wishes", Self.wishJSON(f, contact: true))
            #expect(posted.status == .created)
            // Another station's resident cannot post at S1, nor withdraw S1's wish.
            var other = try await APIClient.signIn(app, "resident-s2")
            #expect(try await other.call(.POST, "/api/v1/wishes", Self.wishJSON(f)).status == .forbidden)
            let id = try posted.json()["id"] as! Int
            #expect(try await other.call(.POST, "/api/v1/wishes/\(id)/cancel").status == .forbidden)
            #expect(try await practitioner.call(.POST, "/api/v1/wishes/\(id)/cancel").status == .ok)
            // Withdrawn wishes leave the wall.
            let listed = try JSONSerialization.jsonObject(with: Data(buffer: try await other.call(.GET, "/api/v1/wishes").body)) as! [[String: Any]]
            #expect(listed.isEmpty)
            #expect(try await Wish.query(on: app.db).count() == 1)
        }
    }

    @Test func fulfilledWithAPhotoOnThePage() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/wishes", Self.wishJSON(w.f)).json()["id"] as! Int
            var leader = WebClient(app)   // leader-s1 is volunteer S1
            try await leader.login(w.leaderS1)
            let token = try await leader.csrf(from: "/wishes/\(id)")
            #expect(try await leader.send(.POST, "/wishes/\(id)/claim", form: [("_csrf", token)]).status == .seeOther)
            let png = TestImages.pngWithText
            let notImage = try await leader.sendMultipart("/wishes/\(id)/fulfil", fields: [("_csrf", token), ("note", "送到了")], files: [("photo", "x.png", Array("not an image".utf8))])
            #expect(notImage.status == .unprocessableEntity)
            let done = try await leader.sendMultipart("/wishes/\(id)/fulfil", fields: [("_csrf", token), ("note", "送到了")], files: [("photo", "glasses.png", png)])
            #expect(done.status == .seeOther)
            let page = try await leader.send(.GET, "/wishes/\(id)").text
            #expect(page.contains("送到了"))
            #expect(page.contains("/wishes/\(id)/photo"))
            #expect(try await leader.send(.GET, "/wishes/\(id)/photo").headers.contentType?.description.hasPrefix("image/png") == true)
            // Someone not involved sees neither note nor photo.
            var stranger = WebClient(app)
            try await stranger.login(w.leaderS2)
            #expect(!(try await stranger.send(.GET, "/wishes/\(id)").text.contains("送到了")))
            #expect(try await stranger.send(.GET, "/wishes/\(id)/photo").status == .notFound)
        }
    }
}
