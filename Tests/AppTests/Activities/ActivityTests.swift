import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Volunteers with accounts and API tokens, made straight in the database (fast, for crowds).
func volunteerClients(_ app: Application, count: Int, site: Site, birth: String = "19900101", from seq: Int = 100) async throws -> [APIClient] {
    let registrar = VolunteerService(db: app.db, protector: app.protector, now: Date())
    var clients: [APIClient] = []
    for i in 0..<count {
        let v = try await registrar.register(VolunteerRegistration(
            realName: "报名者\(i)", idNumber: try IDNumber.parse(IDNumber.compose(region: "360781", birth: birth, sequence: seq + i), today: Date()).get(),
            phone: PhoneNumber.parse("13600000000")!, skills: [], siteID: site.id!))
        let account = try await Account.insert(username: "v\(seq + i)", passwordHash: "-", site: site, role: .volunteer, on: app.db)
        v.$account.id = account.id
        try await v.save(on: app.db)
        let token = "token-\(seq + i)-" + UUID().uuidString
        let t = APIToken()
        t.tokenHash = TokenDigest.sha256(token)
        t.expiresAt = Date(timeIntervalSince1970: 4_102_444_800)  // 2100: tests move the clock to 2030
        t.$account.id = try account.requireID()
        try await t.create(on: app.db)
        clients.append(APIClient(web: WebClient(app), token: token))
    }
    return clients
}

@Suite("Activities: publishing, sign-up and the waiting list")
struct ActivityFlowTests {
    static func activityJSON(_ w: LoopWorld, slots: Int, team: Bool = true, extra: String = "") -> String {
        #"{"title":"敬老院义剪","category_id":\#(w.f.category.id!),"site_id":\#(w.f.s1.id!),\#(team ? #""team_id":\#(w.f.teamS1.id!),"# : "")"address":"一号站敬老院","latitude":25.88,"longitude":116.02,"starts_at":"2030-12-05T09:00:00+08:00","ends_at":"2030-12-05T11:30:00+08:00","slots":\#(slots)\#(extra)}"#
    }

    /// An activity at S1, published by S1's admin.
    static func published(_ app: Application, _ w: LoopWorld, slots: Int, extra: String = "") async throws -> Int {
        var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
        let r = try await admin.call(.POST, "/api/v1/activities", activityJSON(w, slots: slots, extra: extra))
        #expect(r.status == .created, "\(r.text)")
        return try r.json()["id"] as! Int
    }

    /// 活动提醒: within the day before it starts, each one signed up (not those waiting) hears it once.
    @Test func signedUpVolunteersAreRemindedOnceTheDayBefore() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 3, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            // setup: two slots, three sign-ups (one waits).
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 2)
            var crowd = try await volunteerClients(app, count: 3, site: w.f.s1)
            for i in crowd.indices { #expect(try await crowd[i].call(.POST, "/api/v1/activities/\(id)/signup").status == .ok) }
            let scan = { try await DeadlineScanner(service: OrderService.make(app)).runOnce() }
            // Two days before: nothing yet.
            #expect(try await scan().reminded == 0)
            // MUT: the day before.
            clock.advance(86_400 + 3_600)
            let pass = try await scan()
            // validate
            #expect(pass.reminded == 2)
            #expect(try await scan().reminded == 0)
            _ = try await NoticeDispatcher(db: app.db, now: clock.now).runOnce()
            let first = try await crowd[0].call(.GET, "/api/v1/notifications").json()
            let items = try #require(first["items"] as? [[String: Any]])
            #expect(items.contains { ($0["text"] as? String)?.contains("敬老院义剪") == true && $0["link"] as? String == "/activities/\(id)" })
            let waiting = try await crowd[2].call(.GET, "/api/v1/notifications").json()
            #expect((waiting["items"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test func twoHundredAtOnceForTwentySlotsMakeTwentySignedUpAndTheRestWaiting() async throws {
        try await withTestApp { app in
            // setup
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 20)
            let crowd = try await volunteerClients(app, count: 200, site: w.f.s1)
            // MUT: everyone at once.
            let statuses = try await race(crowd, .POST, "/api/v1/activities/\(id)/signup")
            // validate: every request answered; exactly the slots signed up, the rest in line 1…180.
            #expect(statuses.allSatisfy { $0 == .ok })
            let all = try await Signup.query(on: app.db).filter(\.$activity.$id == id).all()
            #expect(all.filter { $0.status == .signedUp }.count == 20)
            #expect(all.filter { $0.status == .waiting }.count == 180)
            #expect(try await Activity.find(id, on: app.db)?.signedUp == 20)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let roster = try JSONSerialization.jsonObject(with: Data(buffer: try await admin.call(.GET, "/api/v1/activities/\(id)/signups").body)) as! [[String: Any]]
            #expect(roster.compactMap { $0["position"] as? Int } == Array(1...180))
        }
    }

    @Test func aCancellationPromotesTheFirstInLineAndOnlyThem() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 2)
            var people = try await volunteerClients(app, count: 5, site: w.f.s1)
            for i in 0..<5 { try await people[i].call(.POST, "/api/v1/activities/\(id)/signup") }
            func status(_ i: Int) async throws -> (String, Int?) {
                let v = try await Volunteer.query(on: app.db).filter(\.$realName == "报名者\(i)").first()!
                let s = try await Signup.query(on: app.db).filter(\.$activity.$id == id).filter(\.$volunteer.$id == v.id!).first()!
                return (s.status.rawValue, try await ActivityService.make(app).position(of: s))
            }
            #expect(try await status(2) == ("waiting", 1))
            let s4 = try await status(4), s3 = try await status(3)
            #expect(s4 == ("waiting", 3), "\(s4) \(s3)")

            // A waiting person who leaves frees nothing; the next in line moves up.
            #expect(try await people[3].call(.DELETE, "/api/v1/activities/\(id)/signup").status == .ok)
            #expect(try await status(4) == ("waiting", 2))
            #expect(try await Activity.find(id, on: app.db)?.signedUp == 2)

            // A signed-up person who leaves hands the slot to the first in line.
            try await people[0].call(.DELETE, "/api/v1/activities/\(id)/signup")
            #expect(try await status(2) == ("signed_up", nil))
            #expect(try await status(4) == ("waiting", 1))
            #expect(try await Activity.find(id, on: app.db)?.signedUp == 2)

            // Coming back means the end of the line; signing up twice is refused.
            let again = try await people[0].call(.POST, "/api/v1/activities/\(id)/signup")
            #expect(try again.json()["status"] as? String == "waiting")
            #expect(try again.json()["position"] as? Int == 2)
            #expect(try await people[0].call(.POST, "/api/v1/activities/\(id)/signup").status == .conflict)

            // With nobody waiting, a cancellation frees the slot.
            try await people[4].call(.DELETE, "/api/v1/activities/\(id)/signup")
            try await people[0].call(.DELETE, "/api/v1/activities/\(id)/signup")
            try await people[1].call(.DELETE, "/api/v1/activities/\(id)/signup")
            #expect(try await Activity.find(id, on: app.db)?.signedUp == 1)
        }
    }

    @Test func concurrentCancellationsPromoteEachWaitingPersonOnce() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 10)
            let people = try await volunteerClients(app, count: 30, site: w.f.s1)
            for var p in people { try await p.call(.POST, "/api/v1/activities/\(id)/signup") }
            // The ten who hold slots all leave at once: the next ten take them, in order.
            let statuses = try await race(Array(people[0..<10]), .DELETE, "/api/v1/activities/\(id)/signup")
            #expect(statuses.allSatisfy { $0 == .ok })
            let all = try await Signup.query(on: app.db).filter(\.$activity.$id == id).sort(\.$queuedAt).sort(\.$id).all()
            #expect(all.filter { $0.status == .signedUp }.count == 10)
            #expect(all.filter { $0.status == .waiting }.count == 10)
            #expect(try await Activity.find(id, on: app.db)?.signedUp == 10)
            let promoted = Set(all.filter { $0.status == .signedUp }.map(\.$volunteer.id))
            let nextTen = Set(all.filter { $0.status != .cancelled }.prefix(10).map(\.$volunteer.id))
            #expect(promoted == nextTen)
        }
    }

    @Test func minorsNeedConsentAndChildrenAreRefused() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 5)
            // 16 on the day (the activity is in 2030).
            var teen = try await volunteerClients(app, count: 1, site: w.f.s1, birth: "20140101", from: 300)[0]
            var child = try await volunteerClients(app, count: 1, site: w.f.s1, birth: "20170101", from: 400)[0]
            let noConsent = try await teen.call(.POST, "/api/v1/activities/\(id)/signup")
            #expect(noConsent.status == .unprocessableEntity)
            #expect((try noConsent.json()["fields"] as? [String: String])?["guardian_consent"]?.contains("监护人") == true)
            #expect(try await teen.call(.POST, "/api/v1/activities/\(id)/signup", #"{"guardian_consent":true}"#).status == .ok)
            let refused = try await child.call(.POST, "/api/v1/activities/\(id)/signup", #"{"guardian_consent":true}"#)
            #expect(refused.status == .forbidden)
            #expect(try refused.json()["message"] as? String == "未满 14 周岁不能报名参加志愿活动。")
            #expect(try await Signup.query(on: app.db).count() == 1)
            #expect(try await Activity.find(id, on: app.db)?.signedUp == 1)
        }
    }

    @Test func leadersPublishForTheirTeamAfterReviewAndOthersCannot() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var leader = try await APIClient.signIn(app, w.leaderS1)
            var otherLeader = try await APIClient.signIn(app, w.leaderS2)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let created = try await leader.call(.POST, "/api/v1/activities", Self.activityJSON(w, slots: 10))
            #expect(created.status == .created)
            let id = try created.json()["id"] as! Int
            #expect(try created.json()["status"] as? String == "pending")
            // Pending: not public, not open for sign-up.
            #expect(try await resident.call(.GET, "/api/v1/activities/\(id)").status == .notFound)
            let publicList = try await resident.call(.GET, "/api/v1/activities").json()["items"] as? [Any]
            #expect(publicList?.isEmpty == true)
            #expect(try await otherLeader.call(.POST, "/api/v1/activities", Self.activityJSON(w, slots: 10)).status == .forbidden)
            #expect(try await resident.call(.POST, "/api/v1/activities", Self.activityJSON(w, slots: 10, team: false)).status == .forbidden)
            // The leader cannot approve their own; S1's admin can, once.
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await leader.call(.POST, "/api/v1/activities/\(id)/approve").status == .forbidden)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(id)/approve").status == .ok)
            #expect(try await admin.call(.POST, "/api/v1/activities/\(id)/approve").status == .conflict)
            let listed = try await resident.call(.GET, "/api/v1/activities?site=\(w.f.instituteA.id!)").json()["items"] as? [[String: Any]]
            #expect(listed?.map { $0["id"] as? Int } == [id])
            let elsewhere = try await resident.call(.GET, "/api/v1/activities?site=\(w.f.instituteB.id!)").json()["items"] as? [[String: Any]]
            #expect(elsewhere?.isEmpty == true)
            // Bad input: field messages, nothing written.
            let before = try await Activity.query(on: app.db).count()
            let bad = try await admin.call(.POST, "/api/v1/activities", #"{"title":"","slots":-1,"latitude":"north"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(try await Activity.query(on: app.db).count() == before)
        }
    }

    /// Each card says where the activity stands: taking sign-ups, full (the waiting list only), under way, over.
    @Test func activityCardsShowWhereTheActivityStands() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 3, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 1)
            var web = WebClient(app)
            func card() async throws -> String {
                let list = try await web.send(.GET, "/activities?from=2030-12-01").text
                return String(list.firstMatch(of: /<article class="card activity[^"]*">\s*<p class="card-state"><span class="badge">[^<]*</)?.output ?? "")
            }
            let open = try await card()
            #expect(open.contains("phase-open") && open.contains(">报名中<"))
            // The filters fold away until one is used (a phone shows the activities first).
            #expect(try await web.send(.GET, "/activities").text.contains(#"<details class="filter-box" id="activity-filters">"#))
            #expect(try await web.send(.GET, "/activities?from=2030-12-01").text.contains(#"<details class="filter-box" id="activity-filters" open>"#))
            var first = try await volunteerClients(app, count: 1, site: w.f.s1)[0]
            try await first.call(.POST, "/api/v1/activities/\(id)/signup")
            let full = try await card()
            #expect(full.contains("phase-full full") && full.contains(">已满，可候补<"))
            clock.advance(2 * 86_400 + 30 * 60)   // 09:30 on the day
            let underway = try await card()
            #expect(underway.contains("phase-underway") && underway.contains(">进行中<"))
            clock.advance(3 * 3600)
            let ended = try await card()
            #expect(ended.contains("phase-ended") && ended.contains(">已结束<"))
        }
    }

    @Test func theActivityPageSignsUpAndShowsThePlaceInLine() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let id = try await Self.published(app, w, slots: 1)
            var first = try await volunteerClients(app, count: 1, site: w.f.s1)[0]
            try await first.call(.POST, "/api/v1/activities/\(id)/signup")
            var web = WebClient(app)
            try await web.login(w.leaderS2)   // leader-s2 is also a volunteer (二号志愿者)
            let list = try await web.send(.GET, "/activities").text
            #expect(list.contains("敬老院义剪"))
            #expect(list.contains("已报名 1/1"))
            let token = try await web.csrf(from: "/activities/\(id)")
            let r = try await web.send(.POST, "/activities/\(id)/signup", form: [("_csrf", token)])
            #expect(r.status == .seeOther)
            let page = try await web.send(.GET, "/activities/\(id)").text
            #expect(page.contains("候补名单第 1 位"))
            #expect(page.contains("do-cancel-signup"))
        }
    }
}
