import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// The showcase (志愿风采): a finished order published by its team's leader (rated afterwards), with its photo stripped
/// of where it was taken; stories naming the resident refused; the public page with Open Graph tags,
/// the site's page and feed; withdrawn, it is gone everywhere.
@Suite("Showcase")
struct ShowcaseAppTests {
    static let photo = TestImages.jpegWithGPS

    @Test func aLeaderPublishesAFinishedServiceWithoutTheResidentsData() async throws {
        try await withTestApp { app in
            // setup: an order served by S1's team with one photo, rated five stars.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leaderAPI = try await APIClient.signIn(app, w.leaderS1)
            let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leaderAPI.call(.POST, "/api/v1/orders/\(id)/accept")
            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            // Not finished: nothing to publish yet.
            #expect(try await leader.send(.GET, "/orders/\(id)/showcase").status == .conflict)
            try await leaderAPI.call(.POST, "/api/v1/orders/\(id)/start")
            let v = w.f.volunteerS1.id!
            var web = leaderAPI.web
            let done = try await web.sendMultipart("/api/v1/orders/\(id)/complete", fields: [("volunteer_ids[]", String(v)), ("hours_\(v)", "2")],
                                                   files: [("photos[]", "a.jpg", Self.photo)], headers: ["Authorization": "Bearer \(leaderAPI.token)"])
            #expect(done.status == .ok)
            let photoID = try #require(try await OrderPhoto.query(on: app.db).first()?.id)

            // Only the team's leader and the admins over it publish; the order page offers it to them.
            #expect(try await leader.send(.GET, "/orders/\(id)").text.contains("/orders/\(id)/showcase"))
            var stranger = WebClient(app)
            try await stranger.login(w.leaderS2)
            #expect(try await stranger.send(.GET, "/orders/\(id)/showcase").status == .forbidden)
            var residentWeb = WebClient(app)
            try await residentWeb.login(Fixture.user(.resident))
            #expect(try await residentWeb.send(.GET, "/orders/\(id)/showcase").status == .forbidden)

            let form = try await leader.send(.GET, "/orders/\(id)/showcase")
            #expect(form.status == .ok && form.text.contains("/orders/\(id)/photos/\(photoID)"))
            let token = try await leader.csrf(from: "/orders/\(id)/showcase")
            func post(_ story: String, checked: Bool, photo: Bool = true) async throws -> TestingHTTPResponse {
                var fields = [("_csrf", token), ("title", "上门义诊暖人心"), ("story", story)]
                if photo { fields.append(("photo_ids[]", String(photoID))) }
                if checked { fields.append(("photos_checked", "on")) }
                return try await leader.send(.POST, "/orders/\(id)/showcase", form: fields)
            }
            // The resident's name, a phone number, photos not checked for minors' faces: refused, nothing kept.
            let named = try await post("队员们来到张大爷家里，为老人量血压、讲解用药。", checked: true)
            #expect(named.status == .unprocessableEntity && named.text.contains("不能出现群众的姓名"))
            #expect(try await post("需要上门服务请拨打13912345678，队员随叫随到。", checked: true).text.contains("不能出现电话号码"))
            let unchecked = try await post("队员们上门为老人量血压、讲解用药，老人很满意。", checked: false)
            #expect(unchecked.status == .unprocessableEntity && unchecked.text.contains(#"id="err-photos""#))
            #expect(try await ShowcasePost.query(on: app.db).count() == 0)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: app.settings.uploadsDirectory + "/showcase")) ?? []).isEmpty)

            // MUT
            let published = try await post("队员们上门为老人量血压、讲解用药，老人很满意。\n临走时还帮忙打扫了院子。", checked: true)
            #expect(published.status == .seeOther)
            let postPath = try #require(published.headers.first(name: .location))
            let stored = try #require(try await ShowcasePost.query(on: app.db).first())
            #expect(stored.$team.id == w.f.teamS1.id && stored.$site.id == w.f.s1.id)
            // The resident rates after the post went up: the post shows the rating as it is now.
            var early = WebClient(app)
            #expect(!(try await early.send(.GET, postPath).text.contains("★★★★★")))
            try await resident.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":5}"#)

            // validate: the public page, for anyone, with its preview tags and the photo without its position.
            var anyone = WebClient(app)
            let page = try await anyone.send(.GET, postPath)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"<meta property="og:title" content="上门义诊暖人心">"#))
            #expect(html.contains(#"<meta property="og:type" content="article">"#))
            #expect(html.contains(#"property="og:url" content="http"#) && html.contains(postPath))
            let photoPath = try #require(try await ShowcasePhoto.query(on: app.db).first()).id.map(Paths.showcasePhoto)!
            #expect(html.contains(#"property="og:image" content="http"#) && html.contains(photoPath))
            #expect(html.contains("★★★★★") && !html.contains("张大爷") && !html.contains(w.f.s1.name + "旁"))
            let image = try await anyone.send(.GET, photoPath)
            #expect(image.status == .ok && image.headers.contentType?.description.hasPrefix("image/jpeg") == true)
            let bytes = Array(image.body.readableBytesView)
            #expect(ImageKind.sniff(bytes) == .jpeg && !String(decoding: bytes, as: UTF8.self).contains("GPS"))
            // The site's page and feed hold it; the sibling station's do not.
            #expect(try await anyone.send(.GET, "/showcase/\(w.f.s1.id!)").text.contains("上门义诊暖人心"))
            #expect(try await anyone.send(.GET, "/showcase/\(w.f.centre.id!)").text.contains("上门义诊暖人心"))
            #expect(!(try await anyone.send(.GET, "/showcase/\(w.f.s2.id!)").text.contains("上门义诊暖人心")))
            let feed = try await anyone.send(.GET, "/showcase/\(w.f.s1.id!)/feed.atom")
            #expect(feed.headers.first(name: .contentType)?.hasPrefix("application/atom+xml") == true)
            #expect(XMLParser(data: Data(feed.body.readableBytesView)).parse())
            #expect(feed.text.contains("<title>上门义诊暖人心</title>") && feed.text.contains(photoPath))
            let api = try JSONSerialization.jsonObject(with: Data(try await anyone.send(.GET, "/api/v1/showcase?site=\(w.f.s1.id!)").body.readableBytesView)) as? [[String: Any]] ?? []
            #expect(api.count == 1 && api.first?["rating"] as? Int == 5 && (api.first?["photos"] as? [String])?.first?.hasSuffix(photoPath) == true)
            #expect(try await anyone.send(.GET, "/api/v1/showcase?site=\(w.f.s2.id!)").text == "[]")

            // Withdrawn by the station's admin: gone from the page, the feed and the photo address.
            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            #expect(try await admin.send(.GET, postPath).text.contains("withdraw-post"))
            #expect(!(try await stranger.send(.GET, postPath).text.contains("withdraw-post")))
            let withdrawn = try await admin.send(.POST, postPath + "/withdraw", form: [("_csrf", try await admin.csrf(from: postPath))])
            #expect(withdrawn.status == .seeOther)
            #expect(try await anyone.send(.GET, postPath).status == .notFound)
            #expect(try await anyone.send(.GET, photoPath).status == .notFound)
            #expect(!(try await anyone.send(.GET, "/showcase/\(w.f.s1.id!)/feed.atom").text.contains("上门义诊暖人心")))
        }
    }

    /// An activity is published by its organisers once it has ended; the same activity published again
    /// is the same post, its text and photos replaced.
    @Test func anEndedActivityIsPublishedOnce() async throws {
        // The test activity runs on 2030-12-05.
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 1, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let activity = try await admin.call(.POST, "/api/v1/activities", ActivityFlowTests.activityJSON(w, slots: 5)).json()["id"] as! Int
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            #expect(try await web.send(.GET, "/activities/\(activity)/showcase").status == .conflict)
            clock.advance(5 * 86_400)
            // Five days on, the sign-in has lapsed (sessions end after twelve idle hours).
            #expect(try await web.send(.GET, "/activities/\(activity)/showcase").status == .seeOther)
            try await web.login(Fixture.user(.siteAdmin))
            #expect(try await web.send(.GET, "/activities/\(activity)").text.contains("/activities/\(activity)/showcase"))
            let token = try await web.csrf(from: "/activities/\(activity)/showcase")
            for story in ["志愿者们在广场上教大家识别电信诈骗。", "志愿者们在广场上教大家识别电信诈骗，来了很多人。"] {
                let r = try await web.sendMultipart("/activities/\(activity)/showcase", fields: [("_csrf", token), ("title", "防诈骗宣传"), ("story", story), ("photos_checked", "on")],
                                                    files: [("photos[]", "p.jpg", Self.photo)])
                #expect(r.status == .seeOther, "\(r.text.prefix(300))")
            }
            let posts = try await ShowcasePost.query(on: app.db).all()
            #expect(posts.count == 1 && posts.first?.story.hasSuffix("来了很多人。") == true && posts.first?.orderID == nil)
            #expect(try await ShowcasePhoto.query(on: app.db).count() == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: app.settings.uploadsDirectory + "/showcase").count == 1)
        }
    }

    /// After an escalation the order's owner is the institute: the station's admin and the
    /// institute's admin both see the showcase button and both may publish (the page and the service
    /// once disagreed: the button for the owner's admins, the right for the station's).
    @Test func afterAnEscalationTheButtonAndTheRightAgree() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            _ = try await Account.insert(username: "admin-ia", passwordHash: try Bcrypt.hash(Fixture.password, cost: 4), site: w.f.instituteA, role: .siteAdmin, on: app.db)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            var station = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await station.call(.POST, "/api/v1/orders/\(id)/escalate").status == .ok)
            #expect(try await Order.find(id, on: app.db)?.$ownerSite.id == w.f.instituteA.id)
            var institute = try await APIClient.signIn(app, "admin-ia")
            #expect(try await institute.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.f.teamS1.id!)}"#).status == .ok)
            var leader = try await APIClient.signIn(app, w.leaderS1)
            try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(id)/start")
            #expect(try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1}"#).status == .ok)
            for who in [Fixture.user(.siteAdmin), "admin-ia", w.leaderS1] {
                var web = WebClient(app)
                try await web.login(who)
                #expect(try await web.send(.GET, "/orders/\(id)").text.contains("/orders/\(id)/showcase"), "\(who) sees no button")
                #expect(try await web.send(.GET, "/orders/\(id)/showcase").status == .ok, "\(who) may not publish")
            }
            // Someone with no part in it sees neither.
            var other = WebClient(app)
            try await other.login(w.leaderS2)
            #expect(try await other.send(.GET, "/orders/\(id)/showcase").status != .ok)
        }
    }
}
