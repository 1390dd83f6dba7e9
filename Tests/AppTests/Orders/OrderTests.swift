import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// A JSON client holding one person's bearer token.
struct APIClient {
    var web: WebClient
    let token: String

    static func signIn(_ app: Application, _ username: String) async throws -> APIClient {
        var web = WebClient(app)
        let r = try await web.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(username)","password":"\#(Fixture.password)"}"#)
        return APIClient(web: web, token: try r.json()["token"] as? String ?? "")
    }

    @discardableResult
    mutating func call(_ method: HTTPMethod, _ path: String, _ json: String? = nil, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var h = headers
        h.replaceOrAdd(name: .authorization, value: "Bearer \(token)")
        return try await web.send(method, path, json: json ?? (method == .POST ? "{}" : nil), headers: h)
    }
}

/// Sends one request from each client at the same moment; the statuses, in no particular order.
func race(_ clients: [APIClient], _ method: HTTPMethod, _ path: String, _ json: String? = nil, headers: HTTPHeaders = [:]) async throws -> [HTTPStatus] {
    try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
        for client in clients {
            group.addTask {
                var c = client
                return try await c.call(method, path, json, headers: headers).status
            }
        }
        return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
    }
}

/// The loop's people on top of the fixture: a leader for each station team, a second leader of S1's
/// team, and a centre team that also offers S1's menu item.
struct LoopWorld {
    var f: Fixture
    var centreTeam: Team
    var leaderS1 = "leader-s1"
    var secondLeaderS1 = "leader2-s1"
    var leaderS2 = "leader-s2"
    var leaderCentre = "leader-centre"
    var extraVolunteer: Volunteer

    static func make(_ app: Application) async throws -> LoopWorld {
        let f = try await Fixture.make(app)
        let db = app.db
        let hash = try Bcrypt.hash(Fixture.password, cost: 4)
        let centreTeam = Team()
        centreTeam.name = "中心服务队"
        centreTeam.$site.id = f.centre.id!
        centreTeam.professional = true
        centreTeam.maxConcurrentOrders = 5
        centreTeam.active = true
        try await centreTeam.create(on: db)
        for team in [f.teamS1, f.teamS2, centreTeam] {
            let link = TeamCategory()
            link.$team.id = team.id!
            link.$category.id = f.category.id!
            try await link.create(on: db)
        }
        let offer = MenuItemTeam()
        offer.$item.id = f.menuS1.id!
        offer.$team.id = centreTeam.id!
        try await offer.create(on: db)
        let registrar = VolunteerService(db: db, protector: app.protector, now: Date())
        func volunteer(_ seq: Int, _ site: Site) async throws -> Volunteer {
            try await registrar.register(VolunteerRegistration(
                realName: "队员\(seq)", idNumber: try IDNumber.parse(IDNumber.compose(region: "360781", birth: "19850101", sequence: seq), today: Date()).get(),
                phone: PhoneNumber.parse("13500000000")!, skills: [], siteID: site.id!))
        }
        let extra = try await volunteer(41, f.s1)
        func lead(_ username: String, _ team: Team, _ v: Volunteer, _ site: Site) async throws {
            let account = try await Account.insert(username: username, passwordHash: hash, site: site, role: .teamLeader, on: db)
            v.$account.id = account.id
            try await v.save(on: db)
            let m = TeamMembership()
            m.$team.id = team.id!
            m.$volunteer.id = v.id!
            m.role = MemberRole.leader.rawValue
            try await m.create(on: db)
        }
        try await lead("leader-s1", f.teamS1, f.volunteerS1, f.s1)
        try await lead("leader2-s1", f.teamS1, try await volunteer(43, f.s1), f.s1)
        try await lead("leader-s2", f.teamS2, f.volunteerS2, f.s2)
        try await lead("leader-centre", centreTeam, try await volunteer(45, f.centre), f.centre)
        let member = TeamMembership()
        member.$team.id = f.teamS1.id!
        member.$volunteer.id = extra.id!
        member.role = MemberRole.member.rawValue
        try await member.create(on: db)
        return LoopWorld(f: f, centreTeam: centreTeam, extraVolunteer: extra)
    }

    /// An order of the S1 menu item, accepted and started by S1's leader: its id and the leader.
    func orderInService(_ app: Application) async throws -> (id: Int, leader: APIClient) {
        var resident = try await APIClient.signIn(app, Fixture.user(.resident))
        var leader = try await APIClient.signIn(app, leaderS1)
        let id = try await resident.call(.POST, "/api/v1/orders", menuOrder()).json()["id"] as! Int
        try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
        try await leader.call(.POST, "/api/v1/orders/\(id)/start")
        return (id, leader)
    }

    func menuOrder(_ extra: String = "") -> String {
        #"{"menu_item_id":\#(f.menuS1.id!),"station_id":\#(f.s1.id!),"address":"一号实践站旁","contact_name":"张大爷","contact_phone":"13800001234","people":3\#(extra)}"#
    }

    func offMenuOrder(station: Site? = nil) -> String {
        #"{"category_id":\#(f.category.id!),"details":"想听一场党史宣讲","station_id":\#((station ?? f.s1).id!),"latitude":25.9,"longitude":116.05,"contact_name":"李阿姨","contact_phone":"13800005678"}"#
    }
}

@Suite("Orders: the closed loop")
struct OrderFlowTests {
    func events(_ r: TestingHTTPResponse) throws -> [String] {
        ((try r.json()["events"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
    }

    @Test func anAutoAcceptItemGoesAtOnceToTheNearestTeamWithItsReasons() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let r = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
            #expect(r.status == .created)
            let order = try r.json()
            #expect(order["status"] as? String == "dispatched")
            #expect(order["team_id"] as? Int == w.f.teamS1.id)
            #expect((order["number"] as? String)?.hasPrefix("DD") == true)
            #expect(order["contact_phone_masked"] as? String == "138****1234")
            let id = order["id"] as! Int
            let shown = try await resident.call(.GET, "/api/v1/orders/\(id)")
            #expect(try events(shown) == ["submit", "dispatch"])
            let detail = ((try shown.json()["events"] as? [[String: Any]])?.last?["detail"] as? String) ?? ""
            #expect(detail.contains("distanceKm") && detail.contains("\"tier\":0"))
            // Written by the batch writer through the state machine and the one event builder: each
            // step from and to the status it moved, by whom, and only the last one noticed.
            let stored = try await OrderEvent.query(on: app.db).filter(\.$order.$id == id).sort(\.$id).all()
            #expect(stored.map { [$0.fromStatus ?? "-", $0.toStatus, $0.actor] } == [["-", "submitted", "requester"], ["submitted", "dispatched", "system"]])
            #expect(stored.map(\.teamID) == [nil, w.f.teamS1.id] && stored.map(\.siteID) == [w.f.s1.id, w.f.s1.id])
            #expect(stored.first?.noticeTopic == nil && stored.first?.$actorAccount.id != nil)
            // The order page tells staff why this team: the level of the tree, the distance, the load, the
            // rating. The resident reads what happened in people's words, without the scoring.
            var page = WebClient(app)
            try await page.login(Fixture.user(.siteAdmin))
            #expect(try await page.send(.GET, "/orders/\(id)").text.contains("本站 · 距离 0.0 公里 · 负荷 0% · 评分 3.0"))
            var requester = WebClient(app)
            try await requester.login(Fixture.user(.resident))
            let own = try await requester.send(.GET, "/orders/\(id)").text
            #expect(own.contains("id=\"timeline\"") && !own.contains("负荷") && !own.contains("公里"))
        }
    }

    @Test func aRetryWithTheSameIdempotencyKeyReturnsTheFirstOrder() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let key: HTTPHeaders = ["Idempotency-Key": "order-1"]
            let first = try await resident.call(.POST, "/api/v1/orders", w.menuOrder(), headers: key)
            let again = try await resident.call(.POST, "/api/v1/orders", w.menuOrder(), headers: key)
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(try first.json()["id"] as? Int == again.json()["id"] as? Int)
            // Retries racing each other still make one order.
            let statuses = try await race(Array(repeating: resident, count: 6), .POST, "/api/v1/orders", w.menuOrder(), headers: ["Idempotency-Key": "order-2"])
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.allSatisfy { $0 == .created || $0 == .ok }, "\(statuses)")
            #expect(try await Order.query(on: app.db).count() == 2)

            // Found by probing: the same key with a different order silently answered the first one.
            let other = try await resident.call(.POST, "/api/v1/orders", w.menuOrder(#","notes":"另一笔""#), headers: key)
            #expect(other.status == .unprocessableEntity)
            #expect((try other.json()["fields"] as? [String: String])?["Idempotency-Key"]?.contains("已用于另一笔不同的订单") == true)
            // The same, racing in one batch: one order, the others told they differ or given the first.
            let client = resident
            let mixed = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        var c = client
                        return try await c.call(.POST, "/api/v1/orders", w.menuOrder(i % 2 == 0 ? "" : #","notes":"第\#(i)笔""#), headers: ["Idempotency-Key": "order-3"]).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(mixed.filter { $0 == .created }.count == 1, "\(mixed)")
            #expect(mixed.allSatisfy { [.created, .ok, .unprocessableEntity].contains($0) }, "\(mixed)")
            #expect(mixed.contains(.unprocessableEntity), "\(mixed)")
            #expect(try await Order.query(on: app.db).count() == 3)
        }
    }

    @Test func badOrdersGetFieldMessagesAndWriteNothing() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let r = try await resident.call(.POST, "/api/v1/orders", #"{"station_id":\#(w.f.s1.id!),"latitude":25.9,"contact_phone":"123","people":0,"window_start":"2026-13-45"}"#)
            #expect(r.status == .unprocessableEntity)
            let fields = try #require(try r.json()["fields"] as? [String: String])
            #expect(fields["category_id"] == "请选择服务项目，或选择类别并描述需求。")
            #expect(fields["longitude"] == "经纬度须同时填写。")
            #expect(fields["contact_phone"] == "请填写11位手机号码。")
            #expect(fields["contact_name"] == "此项必填。")
            #expect(fields["people"] == "应在1到10000之间。")
            #expect(fields["window_start"] == "日期时间格式不正确。")
            // A resident of S1 cannot order at S2, and S2's menu is not offered at S1.
            #expect(try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder(station: w.f.s2)).status == .forbidden)
            let other = w.menuOrder().replacingOccurrences(of: "\"menu_item_id\":\(w.f.menuS1.id!)", with: "\"menu_item_id\":\(w.f.menuS2.id!)")
            #expect(try await resident.call(.POST, "/api/v1/orders", other).status == .unprocessableEntity)
            #expect(try await Order.query(on: app.db).count() == 0)
            #expect(try await OrderEvent.query(on: app.db).count() == 0)
        }
    }

    @Test func theWholeLoopCreditsHoursStarsAndPoints() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let created = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder())
            #expect(try created.json()["status"] as? String == "submitted")
            let id = try created.json()["id"] as! Int
            // The admin sees it in the queue with ranked suggestions: the station's team first.
            let queue = try await admin.call(.GET, "/api/v1/orders?status=submitted")
            #expect((try queue.json()["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])
            let suggestions = try JSONSerialization.jsonObject(with: Data(buffer: try await admin.call(.GET, "/api/v1/orders/\(id)/suggestions").body)) as! [[String: Any]]
            #expect(suggestions.first?["team_id"] as? Int == w.f.teamS1.id)
            #expect(suggestions.map { $0["team_id"] as? Int }.contains(w.f.teamS2.id))
            #expect(try await admin.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.f.teamS1.id!)}"#).status == .ok)
            #expect(try await leader.call(.POST, "/api/v1/orders/\(id)/accept").status == .ok)
            #expect(try await leader.call(.POST, "/api/v1/orders/\(id)/start").status == .ok)
            let done = try await leader.call(.POST, "/api/v1/orders/\(id)/complete",
                                             #"{"volunteer_ids":[\#(w.f.volunteerS1.id!),\#(w.extraVolunteer.id!)],"hours_\#(w.f.volunteerS1.id!)":2.5,"hours_\#(w.extraVolunteer.id!)":1,"notes":"讲了两小时"}"#)
            #expect(done.status == .ok)
            #expect(try done.json()["status"] as? String == "completed")
            let rated = try await resident.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":5,"comment":"讲得好"}"#)
            #expect(try rated.json()["status"] as? String == "rated")
            let closed = try await admin.call(.POST, "/api/v1/orders/\(id)/close")
            #expect(try closed.json()["status"] as? String == "closed")
            #expect(try events(closed) == ["submit", "dispatch", "accept", "start", "complete", "rate", "close"])

            let v = try await Volunteer.find(w.f.volunteerS1.id!, on: app.db)!
            #expect(v.hoursTotal == 2.5)
            // 10 points an hour, and a fifth more for the five-star rating.
            #expect(v.pointsBalance == 25 + 5)
            let ledger = try await PointsEntry.query(on: app.db).filter(\.$volunteer.$id == v.id!).sort(\.$id).all()
            #expect(ledger.map(\.delta) == [25, 5])
            #expect(ledger.map(\.balanceAfter) == [25, 30])
            let records = try await ServiceRecord.query(on: app.db).filter(\.$order.$id == id).all()
            #expect(records.map(\.hours).sorted() == [1, 2.5])
            #expect(records.allSatisfy { $0.content.contains("讲了两小时") })
            #expect(app.settings.orderPolicy.rewards.stars(forHours: v.hoursTotal) == 0)
        }
    }

    @Test func illegalMovesAreRefusedWithTheRightStatus() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            // Not yet dispatched: nobody can accept it (409), and a resident never could (403).
            let early = try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            #expect(early.status == .notFound || early.status == .conflict)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.f.teamS1.id!)}"#).status == .forbidden)
            try await admin.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.f.teamS1.id!)}"#)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/accept").status == .forbidden)
            let start = try await leader.call(.POST, "/api/v1/orders/\(id)/start")
            #expect(start.status == .conflict)
            #expect(try start.json()["message"] as? String == "订单当前为“已派单”，不能开始服务。")
            let noReason = try await leader.call(.POST, "/api/v1/orders/\(id)/decline", #"{"reason":"  "}"#)
            #expect(noReason.status == .unprocessableEntity)
            try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(id)/start")
            // Only members get hours, and never more than 24 or nothing.
            let outsider = try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS2.id!)],"hours_\#(w.f.volunteerS2.id!)":2}"#)
            #expect(outsider.status == .unprocessableEntity)
            let tooLong = try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":25}"#)
            #expect(tooLong.status == .unprocessableEntity)
            let zero = try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":0}"#)
            #expect(zero.status == .unprocessableEntity)
            #expect(try await ServiceRecord.query(on: app.db).count() == 0)
            // Cancelling once service has started is too late.
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/cancel", #"{"reason":"不需要了"}"#).status == .conflict)
            // The leader of another station's team cannot act on it at all.
            var other = try await APIClient.signIn(app, w.leaderS2)
            #expect(try await other.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS2.id!)],"hours_\#(w.f.volunteerS2.id!)":1}"#).status == .notFound)
        }
    }

    @Test func twoLeadersAcceptingAtOnceMakeExactlyOneAcceptance() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            // Room for all five orders, so each goes to the team both leaders lead.
            w.f.teamS1.maxConcurrentOrders = 10
            try await w.f.teamS1.save(on: app.db)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let a = try await APIClient.signIn(app, w.leaderS1)
            let b = try await APIClient.signIn(app, w.secondLeaderS1)
            for _ in 0..<5 {
                let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
                let statuses = try await race([a, b], .POST, "/api/v1/orders/\(id)/accept")
                #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict])
                #expect(try await OrderEvent.query(on: app.db).filter(\.$order.$id == id).filter(\.$action == "accept").count() == 1)
            }
        }
    }

    @Test func aDeclineSendsTheOrderToTheNextTeamAndNeverBack() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leaderS1 = try await APIClient.signIn(app, w.leaderS1)
            var leaderCentre = try await APIClient.signIn(app, w.leaderCentre)
            let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            let declined = try await leaderS1.call(.POST, "/api/v1/orders/\(id)/decline", #"{"reason":"本周人手不足"}"#)
            #expect(declined.status == .ok)
            #expect(try declined.json()["team_id"] as? Int == w.centreTeam.id)
            let o = try await Order.find(id, on: app.db)!
            #expect(o.status == .dispatched)
            #expect(o.$team.id == w.centreTeam.id)
            try await leaderCentre.call(.POST, "/api/v1/orders/\(id)/decline", #"{"reason":"专业不对口"}"#)
            let after = try await Order.find(id, on: app.db)!
            #expect(after.status == .submitted)
            #expect(after.$team.id == nil)
            let actions = try await OrderEvent.query(on: app.db).filter(\.$order.$id == id).sort(\.$id).all().map(\.action)
            #expect(actions == ["submit", "dispatch", "decline", "dispatch", "decline"])
        }
    }

    @Test func aFullTeamIsPassedOver() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            w.f.teamS1.maxConcurrentOrders = 1
            try await w.f.teamS1.save(on: app.db)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let first = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()
            let second = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()
            #expect(first["team_id"] as? Int == w.f.teamS1.id)
            #expect(second["team_id"] as? Int == w.centreTeam.id)
        }
    }

    @Test func missedDeadlinesEscalateUpTheTreeOnceEach() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            let scan = { try await DeadlineScanner(service: OrderService.make(app)).runOnce() }
            // S1 is urban: ten minutes; three before the end, its admins hear the deadline is near (once).
            clock.advance(6 * 60)
            #expect(try await scan() == .init())
            clock.advance(3 * 60)
            #expect(try await scan() == .init(warned: 1))
            #expect(try await scan() == .init())
            let warning = try await OutboxEntry.query(on: app.db).filter(\.$topic == NoticeTopic.deadlineNear.rawValue).all()
            #expect(warning.map(\.orderID) == [id])
            clock.advance(2 * 60)
            #expect(try await scan() == .init(escalated: 1))
            #expect(try await scan() == .init())
            var o = try await Order.find(id, on: app.db)!
            #expect(o.$ownerSite.id == w.f.instituteA.id)
            // Institute A is rural: the end of the day.
            #expect(o.responseDeadline == Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 23))!)
            clock.advance(15 * 3600)
            #expect(try await scan() == .init(escalated: 1))
            o = try await Order.find(id, on: app.db)!
            #expect(o.$ownerSite.id == w.f.centre.id)
            // At the centre there is nowhere left: overdue, once.
            clock.advance(11 * 60)
            #expect(try await scan() == .init(overdue: 1))
            #expect(try await scan() == .init())
            o = try await Order.find(id, on: app.db)!
            #expect(o.overdue)
            #expect(o.status == .submitted)
            let escalations = try await OrderEvent.query(on: app.db).filter(\.$order.$id == id).filter(\.$action == "escalate").all()
            #expect(escalations.count == 3)
            #expect(escalations.allSatisfy { $0.actor == "system" })
            // The centre's admin now sees it; S2's admin never did.
            var centre = try await APIClient.signIn(app, Fixture.centreAdmin)
            #expect(try await centre.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.centreTeam.id!)}"#).status == .ok)
        }
    }

    @Test func completedOrdersNobodyRatesCloseAfterTheWindow() async throws {
        let clock = TestClock()
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(id)/start")
            try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1.5}"#)
            clock.advance(13 * 86_400)
            #expect(try await DeadlineScanner(service: OrderService.make(app)).runOnce().closed == 0)
            clock.advance(2 * 86_400)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":4}"#).status == .conflict)
            #expect(try await DeadlineScanner(service: OrderService.make(app)).runOnce().closed == 1)
            #expect(try await Order.find(id, on: app.db)?.status == .closed)
        }
    }

    /// At exactly fourteen days the window has closed, for rating and for the scanner alike (rating
    /// used to be allowed at that second while the scanner closed the order).
    @Test func atExactlyFourteenDaysTheRatingWindowHasClosed() async throws {
        // A whole second, so the moment stored is the moment meant.
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            let (id, leader) = try await w.orderInService(app)
            var serving = leader
            let done = try await serving.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1}"#)
            #expect(done.status == .ok, "\(done.text)")
            clock.advance(14 * 86_400)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":4}"#).status == .conflict)
            #expect(try await DeadlineScanner(service: OrderService.make(app)).runOnce().closed == 1)
        }
    }

    @Test func aStationAdminCannotTouchAnotherStationsOrder() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            // An admin of S2.
            let hash = try Bcrypt.hash(Fixture.password, cost: 4)
            _ = try await Account.insert(username: "admin-s2", passwordHash: hash, site: w.f.s2, role: .siteAdmin, on: app.db)
            var other = try await APIClient.signIn(app, "admin-s2")
            #expect(try await other.call(.GET, "/api/v1/orders/\(id)").status == .notFound)
            #expect(try await other.call(.POST, "/api/v1/orders/\(id)/dispatch", #"{"team_id":\#(w.f.teamS2.id!)}"#).status == .notFound)
            #expect(try await other.call(.GET, "/api/v1/orders").json()["total"] as? Int == 0)
            var mine = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await mine.call(.GET, "/api/v1/orders").json()["total"] as? Int == 1)
            #expect(try await Order.find(id, on: app.db)?.status == .submitted)
        }
    }

    @Test func urgingIsLimitedAndCancellingNeedsAReason() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/urge").status == .ok)
            let again = try await resident.call(.POST, "/api/v1/orders/\(id)/urge")
            #expect(again.status == .tooManyRequests)
            #expect(again.headers.first(name: .retryAfter) == "1800")
            clock.advance(31 * 60)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/urge").status == .ok)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/cancel").status == .unprocessableEntity)
            let cancelled = try await resident.call(.POST, "/api/v1/orders/\(id)/cancel", #"{"reason":"已经解决了"}"#)
            #expect(try cancelled.json()["status"] as? String == "cancelled")
        }
    }

    /// The leader's claim list once held the 100 open orders with the soonest deadlines anywhere and
    /// dropped those its teams could not claim: with more than 100 open elsewhere, the leader's own
    /// never showed. Now it is every order the teams may claim, a page at a time.
    @Test func theClaimListShowsEveryOrderTheTeamMayClaimPaged() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            // Another county, with its own admin, and 105 open orders whose deadlines come first.
            let county = try await Site.insert(code: "C2", name: "另一县中心", kind: .centre, parent: nil, latitude: 25.0, longitude: 115.0, zone: .urban, on: app.db)
            let far = try await Site.insert(code: "S9", name: "外县实践站", kind: .station, parent: county, latitude: 25.0, longitude: 115.0, zone: .urban, on: app.db)
            let hash = try Bcrypt.hash(Fixture.password, cost: 4)
            _ = try await Account.insert(username: "admin-c2", passwordHash: hash, site: far, role: .siteAdmin, on: app.db)
            var elsewhere = try await APIClient.signIn(app, "admin-c2")
            var outside: [Int] = []
            for _ in 0..<105 {
                outside.append(try await elsewhere.call(.POST, "/api/v1/orders", w.offMenuOrder(station: far)).json()["id"] as! Int)
            }
            // 27 open orders at S1, which S1's team offers: more than a page.
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var inside: [Int] = []
            for _ in 0..<27 {
                inside.append(try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int)
            }
            let soon = Date().addingTimeInterval(3_600), later = Date().addingTimeInterval(86_400)
            try await Order.query(on: app.db).filter(\.$id ~~ outside).set(\.$openForClaim, to: true).set(\.$responseDeadline, to: soon).update()
            try await Order.query(on: app.db).filter(\.$id ~~ inside).set(\.$openForClaim, to: true).set(\.$responseDeadline, to: later).update()

            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            func listed(_ html: String) -> [Int] {
                html.matches(of: /href="\/orders\/(\d+)"/).compactMap { Int($0.output.1) }
            }
            let first = try await leader.send(.GET, "/orders/team").text
            let second = try await leader.send(.GET, "/orders/team?page=2").text
            #expect(listed(first).count == 25)
            #expect(first.contains(#"rel="next""#))
            #expect(Set(listed(first) + listed(second)) == Set(inside))
            #expect(listed(first + second).allSatisfy { !outside.contains($0) })
            // A team that declined an order no longer sees it to claim; nor does a team at capacity.
            let declined = OrderEvent()
            declined.at = Date()
            declined.action = OrderAction.decline.rawValue
            declined.toStatus = OrderStatus.submitted.rawValue
            declined.actor = OrderActor.assignedLeader.rawValue
            declined.teamID = w.f.teamS1.id!
            declined.$order.id = inside[0]
            try await declined.create(on: app.db)
            #expect(!listed(try await leader.send(.GET, "/orders/team?page=2").text + (try await leader.send(.GET, "/orders/team").text)).contains(inside[0]))
            w.f.teamS1.maxConcurrentOrders = 0
            try await w.f.teamS1.save(on: app.db)
            #expect(listed(try await leader.send(.GET, "/orders/team").text).isEmpty)
        }
    }

    @Test func anOrderOpenedForClaimingGoesToTheFirstTeamThatClaimsIt() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            // Not open yet: nobody may claim.
            var early = try await APIClient.signIn(app, w.leaderS2)
            #expect(try await early.call(.POST, "/api/v1/orders/\(id)/claim").status == .notFound)
            #expect(try await admin.call(.POST, "/api/v1/orders/\(id)/open-for-claim").status == .ok)
            // It shows in the inbox of a leader whose team may claim it, and not in another county's.
            var leaderPage = WebClient(app)
            try await leaderPage.login(w.leaderCentre)
            #expect(try await leaderPage.send(.GET, "/orders/team").text.contains("/orders/\(id)"))
            // Leaders of two teams that offer the category race; the first claim wins, once.
            let a = try await APIClient.signIn(app, w.leaderS1)
            let b = try await APIClient.signIn(app, w.leaderCentre)
            let statuses = try await race([a, b], .POST, "/api/v1/orders/\(id)/claim")
            #expect(statuses.filter { $0 == .ok }.count == 1)
            let o = try await Order.find(id, on: app.db)!
            #expect(o.status == .accepted)
            #expect([w.f.teamS1.id, w.centreTeam.id].contains(o.$team.id))
            #expect(!o.openForClaim)
            #expect(try await OrderEvent.query(on: app.db).filter(\.$order.$id == id).filter(\.$action == "claim").count() == 1)
        }
    }

    @Test func messagesGoBothWaysOnTheTimeline() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(id)/message", #"{"text":"周六上午九点方便吗？"}"#)
            let reply = try await resident.call(.POST, "/api/v1/orders/\(id)/message", #"{"text":"可以，谢谢"}"#)
            let events = (try reply.json()["events"] as? [[String: Any]]) ?? []
            let messages = events.filter { $0["action"] as? String == "message" }
            #expect(messages.map { $0["reason"] as? String } == ["周六上午九点方便吗？", "可以，谢谢"])
            #expect(messages.map { $0["actor"] as? String } == ["assignedLeader", "requester"])
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/message", #"{"text":""}"#).status == .unprocessableEntity)
            // Someone with no part in the order cannot write on it.
            var stranger = try await APIClient.signIn(app, w.leaderS2)
            #expect(try await stranger.call(.POST, "/api/v1/orders/\(id)/message", #"{"text":"hi"}"#).status == .notFound)
        }
    }

    @Test func aPractitionerOrdersAndRatesForAResidentMarkedSo() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let created = try await practitioner.call(.POST, "/api/v1/orders", w.menuOrder())
            #expect(try created.json()["on_behalf"] as? Bool == true)
            let id = try created.json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(id)/start")
            try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1}"#)
            #expect(try await practitioner.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":4,"comment":"老人说很满意"}"#).status == .ok)
            let o = try await Order.find(id, on: app.db)!
            #expect(o.ratedByProxy)
            #expect(o.rating == 4)
        }
    }

    @Test func aSiteMaySetItsOwnResponseTime() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let s1 = w.f.s1
            let saved = try await web.submit("/admin/sites/\(s1.id!)", [("code", s1.code), ("name", s1.name), ("kind", "station"), ("parent_id", String(w.f.instituteA.id!)),
                                                                        ("latitude", "25.88"), ("longitude", "116.02"), ("zone", "urban"), ("active", "on"), ("response_minutes", "30")])
            #expect(saved.status == .seeOther)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            #expect(try await Order.find(id, on: app.db)?.responseDeadline == clock.now.addingTimeInterval(1800))
            clock.advance(11 * 60)
            #expect(try await DeadlineScanner(service: OrderService.make(app)).runOnce() == .init())
        }
    }

    @Test func menuItemsResidentsRateBadlyAreFlagged() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            w.f.teamS1.maxConcurrentOrders = 10
            try await w.f.teamS1.save(on: app.db)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            for score in [2, 3, 2] {
                let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
                try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
                try await leader.call(.POST, "/api/v1/orders/\(id)/start")
                try await leader.call(.POST, "/api/v1/orders/\(id)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1}"#)
                try await resident.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":\#(score)}"#)
            }
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let page = try await web.send(.GET, "/admin/menu").text
            #expect(page.contains("2.3（3条） · 群众不满意，需改进"))
            #expect(MenuReview().needsReview(mean: 2.9, count: 3))
            #expect(!MenuReview().needsReview(mean: 2.0, count: 2))
            #expect(!MenuReview().needsReview(mean: 3.0, count: 10))
        }
    }

    @Test func completionPhotosAreCheckedByContentAndShownOnlyToThoseWhoMaySeeTheOrder() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(id)/start")
            let v = w.f.volunteerS1.id!
            let auth: HTTPHeaders = ["Authorization": "Bearer \(leader.token)"]
            let fields = [("volunteer_ids[]", String(v)), ("hours_\(v)", "2"), ("notes", "照片两张")]
            let png = TestImages.pngWithText
            let jpeg = TestImages.jpegWithGPS
            // A page disguised as a photo, and a photo that is too big: refused, nothing written.
            var web = leader.web
            let fake = try await web.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields,
                                                   files: [("photos[]", "a.png", png), ("photos[]", "b.jpg", Array("<html>".utf8))], headers: auth)
            #expect(fake.status == .unprocessableEntity)
            #expect((try fake.json()["fields"] as? [String: String])?["photos"] == "“b.jpg”不是 JPEG、PNG 或 WebP 图片。")
            let big = try await web.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields,
                                                  files: [("photos[]", "big.jpg", jpeg + Array(repeating: 0, count: ImageKind.maxBytes))], headers: auth)
            #expect(big.status == .unprocessableEntity)
            #expect(try await ServiceRecord.query(on: app.db).count() == 0)
            #expect(try await OrderPhoto.query(on: app.db).count() == 0)
            let uploads = app.settings.uploadsDirectory + "/orders/\(id)"
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).isEmpty)
            // Two real photos.
            let ok = try await web.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields,
                                                 files: [("photos[]", "a.png", png), ("photos[]", "b.jpg", jpeg)], headers: auth)
            #expect(ok.status == .ok)
            #expect(try ok.json()["status"] as? String == "completed")
            let photos = try await OrderPhoto.query(on: app.db).filter(\.$order.$id == id).sort(\.$id).all()
            #expect(photos.map(\.contentType) == ["image/png", "image/jpeg"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads).count == 2)
            // The requester sees them on the order page; someone with no part in the order does not.
            var page = WebClient(app)
            try await page.login(Fixture.user(.resident))
            let shown = try await page.send(.GET, "/orders/\(id)/photos/\(photos[0].id!)")
            #expect(shown.status == .ok)
            #expect(shown.headers.contentType?.description.hasPrefix("image/png") == true)
            // Kept without what the photos said about where they were taken.
            let kept = Array(shown.body.readableBytesView)
            #expect(ImageKind.sniff(kept) == .png && !String(decoding: kept, as: UTF8.self).contains("GPS"))
            let second = try await page.send(.GET, "/orders/\(id)/photos/\(photos[1].id!)")
            #expect(ImageKind.sniff(Array(second.body.readableBytesView)) == .jpeg && !second.body.string.contains("GPS"))
            #expect(try await page.send(.GET, "/orders/\(id)").text.contains("/orders/\(id)/photos/\(photos[1].id!)"))
            var stranger = WebClient(app)
            try await stranger.login(w.leaderS2)
            #expect(try await stranger.send(.GET, "/orders/\(id)/photos/\(photos[0].id!)").status == .notFound)
        }
    }
}
