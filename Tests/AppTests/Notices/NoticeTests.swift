import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Notices: outbox, dispatcher and inbox")
struct NoticeFlowTests {
    func deliver(_ app: Application) async throws -> NoticeDispatcher.Pass {
        try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()
    }

    /// The topics in a person's inbox, oldest first, with their texts.
    func inbox(_ app: Application, _ username: String) async throws -> [(topic: String, text: String)] {
        var c = try await APIClient.signIn(app, username)
        let items = try await c.call(.GET, "/api/v1/notifications").json()["items"] as? [[String: Any]] ?? []
        return items.reversed().map { ($0["topic"] as? String ?? "", $0["text"] as? String ?? "") }
    }

    @Test func anEscalationTellsTheNewSiteAndTheRequesterOnce() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            // setup: an off-menu order waits in S1's queue; S1 is urban, so ten minutes.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            #expect(try await deliver(app) == .init(entries: 1, notices: 1))
            #expect(try await inbox(app, Fixture.user(.siteAdmin)).map(\.topic) == ["order.submitted"])

            // MUT: the deadline passes; the scanner hands the order to institute A.
            clock.advance(11 * 60)
            _ = try await DeadlineScanner(service: OrderService.make(app)).runOnce()
            _ = try await DeadlineScanner(service: OrderService.make(app)).runOnce()
            let first = try await deliver(app)
            let again = try await deliver(app)

            // validate: institute A has no admin of its own, so the nearest above (the centre) hears;
            // the resident hears too; each once, however often the scanner and dispatcher run.
            #expect(first == .init(entries: 1, notices: 2))
            #expect(again == .init())
            let centre = try await inbox(app, Fixture.centreAdmin)
            #expect(centre.map(\.topic) == ["order.escalated"])
            let number = try #require(try await Order.find(id, on: app.db)?.number)
            #expect(centre.first?.text == "订单 \(number)「\(try #require(try await Order.find(id, on: app.db)?.title))」超时未响应，已上报至甲镇实践所")
            #expect(try await inbox(app, Fixture.user(.resident)).map(\.topic) == ["order.escalated"])
            // S1's admin was told of the new order, not of its leaving.
            #expect(try await inbox(app, Fixture.user(.siteAdmin)).map(\.topic) == ["order.submitted"])
        }
    }

    @Test func eachStepOfTheLoopTellsTheOtherSide() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            // Auto-dispatched at once: both leaders of S1's team hear, nobody else.
            let id = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(id)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(id)/message", #"{"text":"周六上午九点到"}"#)
            // A refused step writes no event and so no notice.
            let before = try await OrderEvent.query(on: app.db).filter(\.$noticeTopic != nil).count()
            #expect(before == 3)
            #expect(try await resident.call(.POST, "/api/v1/orders/\(id)/accept").status == .conflict)
            #expect(try await leader.call(.POST, "/api/v1/orders/\(id)/rate", #"{"score":5}"#).status != .ok)
            #expect(try await OrderEvent.query(on: app.db).filter(\.$noticeTopic != nil).count() == before)
            _ = try await deliver(app)

            #expect(try await inbox(app, w.leaderS1).map(\.topic) == ["order.dispatched"])
            #expect(try await inbox(app, w.secondLeaderS1).map(\.topic) == ["order.dispatched", "order.message"])
            let mine = try await inbox(app, Fixture.user(.resident))
            // The resident hears which team has it (in their words), that it was accepted, and the message.
            #expect(mine.map(\.topic) == ["order.team_assigned", "order.accepted", "order.message"])
            #expect(mine.last?.text.hasSuffix("周六上午九点到") == true)
            #expect(try await inbox(app, Fixture.user(.siteAdmin)).map(\.topic) == ["order.message"])
            #expect(try await inbox(app, w.leaderS2).isEmpty)
        }
    }

    @Test func theInboxShowsTheUnreadCountAndOpensTheOrder() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let a = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            let b = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            _ = try await deliver(app)

            var web = WebClient(app)
            try await web.login(w.leaderS1)
            let home = try await web.send(.GET, "/").text
            #expect(home.contains(#"<span class="count" id="unread-count">2</span>"#))
            let page = try await web.send(.GET, "/inbox").text
            let number = try #require(try await Order.find(a, on: app.db)?.number)
            #expect(page.contains("订单 \(number)「一号站义诊」已派给一号站服务队，请及时接单"))

            // Opening a notice marks it read and goes to its order.
            let mine = try await InboxItem.query(on: app.db).filter(\.$orderID == a).all()
            let leaderAccount = try #require(try await Account.query(on: app.db).filter(\.$username == w.leaderS1).first())
            let notice = try #require(mine.first { $0.$account.id == leaderAccount.id })
            let token = try await web.csrf(from: "/inbox")
            let opened = try await web.send(.POST, "/inbox/\(notice.id!)/open", form: [("_csrf", token)])
            #expect(opened.status == .seeOther)
            #expect(opened.headers.first(name: .location) == "/orders/\(a)")
            #expect(try await web.send(.GET, "/").text.contains(#"id="unread-count">1</span>"#))

            // Someone else's notice is not found, and stays unread.
            let other = try #require(mine.first { $0.$account.id != leaderAccount.id })
            #expect(try await web.send(.POST, "/inbox/\(other.id!)/open", form: [("_csrf", token)]).status == .notFound)
            #expect(try await InboxItem.find(other.id, on: app.db)?.readAt == nil)

            // Mark all read: no count left; the API agrees.
            try await web.send(.POST, "/inbox/read-all", form: [("_csrf", token)])
            #expect(!(try await web.send(.GET, "/").text.contains("unread-count")))
            var api = try await APIClient.signIn(app, w.leaderS1)
            let listed = try await api.call(.GET, "/api/v1/notifications").json()
            #expect(listed["unread"] as? Int == 0)
            #expect((listed["items"] as? [[String: Any]])?.count == 2)
            _ = b
        }
    }

    @Test func outboxEntriesAreRetriedWithBackoffAndSetAsideAfterTheLastTry() async throws {
        let clock = TestClock()
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let order = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            _ = try await deliver(app)
            func entry() async throws -> OutboxEntry {
                let e = OutboxEntry()
                e.createdAt = clock.now
                e.topic = NoticeTopic.message.rawValue
                e.orderID = order
                e.siteID = w.f.s1.id
                e.text = "请带上血压计"
                e.attempts = 0
                e.nextAttemptAt = clock.now
                e.failed = false
                try await e.create(on: app.db)
                return e
            }
            // A good entry is delivered to the requester and S1's admin.
            let good = try await entry()
            #expect(try await deliver(app) == .init(entries: 1, notices: 2))
            #expect(try await OutboxEntry.find(good.id, on: app.db)?.processedAt != nil)

            // A poisoned one: a notice for it already sits in the resident's inbox, so writing it fails.
            let bad = try await entry()
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == Fixture.user(.resident)).first())
            let blocker = InboxItem()
            blocker.createdAt = clock.now
            blocker.$account.id = try account.requireID()
            blocker.outboxID = bad.id
            blocker.topic = bad.topic
            blocker.params = "{}"
            try await blocker.create(on: app.db)
            // Another good one behind it is not held up.
            let behind = try await entry()
            #expect(try await deliver(app) == .init(entries: 1, notices: 2, retried: 1))
            #expect(try await OutboxEntry.find(behind.id, on: app.db)?.processedAt != nil)
            // Retried only after the back-off: 30 s, then 60 s, …
            #expect(try await deliver(app) == .init())
            var waits: [Double] = []
            for attempt in 1..<NoticeRules.maxAttempts {
                let e = try #require(try await OutboxEntry.find(bad.id, on: app.db))
                #expect(e.attempts == attempt)
                waits.append(e.nextAttemptAt.timeIntervalSince(clock.now))
                clock.advance(e.nextAttemptAt.timeIntervalSince(clock.now) + 1)
                _ = try await deliver(app)
            }
            #expect(waits.prefix(3).map { $0.rounded() } == [30, 60, 120])
            let dead = try #require(try await OutboxEntry.find(bad.id, on: app.db))
            #expect(dead.failed && dead.processedAt != nil && dead.lastError != nil)
            #expect(dead.attempts == NoticeRules.maxAttempts)
        }
    }
}
