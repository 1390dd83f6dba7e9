import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// A local receiver for webhooks and the SMS gateway, on a port of its own: `/hook` fails the first
/// `failFirst` calls of each delivery, `/down` always fails, `/sms` takes text messages.
final class Receiver: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String: Int] = [:]
    private var accepted: [(headers: HTTPHeaders, body: String)] = []
    private var texts: [(to: String, text: String)] = []
    let failFirst: Int

    init(failFirst: Int) { self.failFirst = failFirst }

    var attempts: [String: Int] { lock.withLock { calls } }
    var received: [(headers: HTTPHeaders, body: String)] { lock.withLock { accepted } }
    var messages: [(to: String, text: String)] { lock.withLock { texts } }

    func hook(_ req: Request) -> HTTPStatus {
        let id = req.headers.first(name: WebhookRules.deliveryHeader) ?? ""
        return lock.withLock {
            calls[id, default: 0] += 1
            guard calls[id]! > failFirst else { return .internalServerError }
            accepted.append((req.headers, req.body.string ?? ""))
            return .ok
        }
    }

    func sms(_ req: Request) -> HTTPStatus {
        let to = req.query[String.self, at: "to"] ?? "", text = req.query[String.self, at: "msg"] ?? ""
        lock.withLock { texts.append((to, text)) }
        return .ok
    }

    static func run(failFirst: Int, _ body: (Int, Receiver) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let receiver = Receiver(failFirst: failFirst)
        app.post("hook") { req in receiver.hook(req) }
        app.post("down") { _ in HTTPStatus.serviceUnavailable }
        app.get("sms") { req in receiver.sms(req) }
        var failure: Error?
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await body(port, receiver)
        } catch {
            failure = error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
        if let failure { throw failure }
    }
}

@Suite("Webhooks and text messages")
struct DeliveryTests {
    @Test func aReceiverThatFailsTwiceGetsEachEventExactlyOnceSigned() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9))!)
        try await Receiver.run(failFirst: 2) { port, receiver in
            // The receiver listens on this machine: private targets allowed for this test.
            try await withTestApp(clock: clock, settings: ["DIANDAN_WEBHOOK_ALLOW_PRIVATE": "true"]) { app in
                // setup: a city platform with a webhook over the whole county, one whose receiver is
                // down, and one revoked; an order at S1 is auto-dispatched, then accepted.
                let w = try await LoopWorld.make(app)
                let city = try await IssuedKey.issue(app, site: w.f.centre, webhook: "http://127.0.0.1:\(port)/hook")
                let secret = try #require(city.secret)
                let down = try await IssuedKey.issue(app, name: "坏掉的系统", site: w.f.instituteA, webhook: "http://127.0.0.1:\(port)/down")
                let gone = try await IssuedKey.issue(app, name: "已停用", site: w.f.centre, webhook: "http://127.0.0.1:\(port)/hook")
                var admin = WebClient(app)
                try await admin.login(Fixture.centreAdmin)
                try await admin.submit("/admin/integrations/\(gone.id)/revoke", [("confirmed", "1")], tokenFrom: "/admin/integrations/\(gone.id)")
                var resident = try await APIClient.signIn(app, Fixture.user(.resident))
                let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()
                let id = order["id"] as! Int, number = order["number"] as! String
                var leader = try await APIClient.signIn(app, w.leaderS1)
                #expect(try await leader.call(.POST, "/api/v1/orders/\(id)/accept").status == .ok)
                _ = try await NoticeDispatcher(db: app.db, now: clock.now).runOnce()
                #expect(try await Delivery.query(on: app.db).filter(\.$integrationID == gone.id).count() == 0)

                // MUT: senders run — two instances at once each time — as time passes.
                func pass() async throws -> DeliverySender.Pass {
                    async let a = DeliverySender.make(app).runOnce()
                    async let b = DeliverySender.make(app).runOnce()
                    let (x, y) = try await (a, b)
                    return .init(delivered: x.delivered + y.delivered, retried: x.retried + y.retried, dead: x.dead + y.dead)
                }
                #expect(try await pass() == .init(delivered: 0, retried: 4, dead: 0))
                #expect(try await pass() == .init(), "not due again before its delay")
                clock.advance(11)
                #expect(try await pass() == .init(delivered: 0, retried: 4, dead: 0))
                clock.advance(41)
                #expect(try await pass() == .init(delivered: 2, retried: 2, dead: 0))

                // validate: each event arrived exactly once, after three tries, signed with the secret.
                let got = receiver.received
                #expect(got.count == 2)
                #expect(Set(receiver.attempts.values) == [3])
                let events = got.compactMap { $0.headers.first(name: WebhookRules.eventHeader) }
                // Sent side by side, so in either order; the body's created_at tells which came first.
                #expect(events.sorted() == ["order.accepted", "order.dispatched"])
                for (headers, body) in got {
                    let stamp = Int(headers.first(name: WebhookRules.timestampHeader) ?? "") ?? 0
                    #expect(headers.first(name: WebhookRules.signatureHeader) == "sha256=" + DeliverySender.sign(WebhookRules.signedText(timestamp: stamp, body: body), secret: secret))
                    #expect(headers.first(name: WebhookRules.signatureHeader) != "sha256=" + DeliverySender.sign(WebhookRules.signedText(timestamp: stamp, body: body), secret: "whsec_other"))
                    let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
                    #expect(json["id"] as? String == headers.first(name: WebhookRules.deliveryHeader))
                    #expect((json["order"] as? [String: Any])?["service_request_id"] as? String == number)
                }

                // The receiver that is down: tried until the last attempt, then set aside with its error.
                for _ in 0..<WebhookRules.maxAttempts {
                    clock.advance(3601)
                    _ = try await pass()
                }
                let dead = try await Delivery.query(on: app.db).filter(\.$integrationID == down.id).all()
                #expect(dead.count == 2)
                #expect(dead.allSatisfy { $0.status == "dead" && $0.attempts == WebhookRules.maxAttempts && $0.lastError == "HTTP 503" })
                #expect(receiver.received.count == 2)
                // /metrics counts them; the integration's page tells its admin.
                app.settings.metricsToken = "scrape"
                let metrics = try await admin.send(.GET, "/metrics", headers: ["Authorization": "Bearer scrape"]).text
                #expect(metrics.contains(#"diandan_deliveries{channel="webhook",status="dead"} 2"#))
                #expect(metrics.contains(#"diandan_deliveries{channel="webhook",status="pending"} 0"#))
                #expect(try await admin.send(.GET, "/admin/integrations/\(down.id)").text.contains("HTTP 503"))
            }
        }
    }

    @Test func textMessagesGoThroughTheConfiguredGateway() async throws {
        try await Receiver.run(failFirst: 0) { port, receiver in
            try await withTestApp { app in
                let w = try await LoopWorld.make(app)
                let leader = try #require(try await Account.query(on: app.db).filter(\.$username == w.leaderS1).first())
                leader.phoneSealed = try app.protector.seal("13700137000")
                leader.phoneMasked = "137****7000"
                try await leader.save(on: app.db)
                let gateway = try SMSTemplate(url: "http://127.0.0.1:\(port)/sms?to={phone}&msg={text}", method: nil, body: nil, contentType: nil, header: nil, topics: nil)
                var resident = try await APIClient.signIn(app, Fixture.user(.resident))
                let number = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["number"] as! String
                let dispatcher = NoticeDispatcher(db: app.db, now: app.clock.now(), sms: .init(topics: gateway.topics, localizer: app.localizer))
                _ = try await dispatcher.runOnce()
                let sender = DeliverySender(db: app.db, now: app.clock.now(), client: app.client, protector: app.protector, sms: gateway, logger: app.logger)
                #expect(try await sender.runOnce() == .init(delivered: 1, retried: 0, dead: 0))
                #expect(try await sender.runOnce() == .init())
                #expect(receiver.messages.count == 1)
                #expect(receiver.messages.first?.to == "13700137000")
                #expect(receiver.messages.first?.text.contains(number) == true)
                // Stored sealed: the number is not in the queue in the clear.
                #expect(try await Delivery.query(on: app.db).all().allSatisfy { !$0.payload.contains("13700137000") })
            }
        }
    }

    /// Found by probing: a webhook could point at 127.0.0.1 and the listener there received signed
    /// posts. Refused when saved; and a name that resolves inward is refused when the call is made.
    @Test func webhooksNeverReachThisMachineOrThePrivateNetwork() async throws {
        try await Receiver.run(failFirst: 0) { port, receiver in
            try await withTestApp { app in
                // setup
                let w = try await LoopWorld.make(app)
                var admin = WebClient(app)
                try await admin.login(Fixture.centreAdmin)
                // MUT: saving refuses internal targets, with the reason beside the field
                for target in ["http://127.0.0.1:\(port)/hook", "http://localhost:\(port)/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest",
                               "http://[::1]:\(port)/hook", "http://[::ffff:127.0.0.1]/hook", "http://192.168.1.20/hook", "http://2130706433/hook", "http://intranet/hook"] {
                    let r = try await admin.submit("/admin/integrations", [("name", "内网"), ("site_id", String(w.f.centre.id!)), ("webhook_url", target)],
                                                   tokenFrom: "/admin/integrations/new")
                    #expect(r.status == .unprocessableEntity, "\(target)")
                    #expect(r.text.contains("回调地址不能指向本机或内网地址"), "\(target)")
                }
                #expect(try await Integration.query(on: app.db).count() == 0)
                // A public address is accepted.
                let ok = try await admin.submit("/admin/integrations", [("name", "市平台"), ("site_id", String(w.f.centre.id!)), ("webhook_url", "https://city.example.cn/hook")],
                                                tokenFrom: "/admin/integrations/new")
                #expect(ok.status == .seeOther)

                // A saved name that resolves to this machine (as if its DNS changed) is refused at the call.
                let integration = try #require(try await Integration.query(on: app.db).first())
                integration.webhookURL = "http://localhost:\(port)/hook"
                try await integration.save(on: app.db)
                var resident = try await APIClient.signIn(app, Fixture.user(.resident))
                _ = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
                _ = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()
                let pass = try await DeliverySender.make(app).runOnce()
                #expect(pass.delivered == 0 && pass.retried >= 1)
                #expect(receiver.received.isEmpty && receiver.attempts.isEmpty)
                let error = try await Delivery.query(on: app.db).first()?.lastError ?? ""
                #expect(error.contains("not a public address"), "\(error)")
            }
        }
    }

    /// The call is made to the address that was checked, not to whatever a second lookup of the
    /// name says (a name can answer a public address to the check and 127.0.0.1 to the call). Here the
    /// name exists nowhere but in the sender's resolver: the receiver hears the call only if the
    /// client went where the sender looked.
    @Test func aWebhookCallGoesToTheAddressThatWasChecked() async throws {
        try await Receiver.run(failFirst: 0) { port, receiver in
            try await withTestApp(settings: ["DIANDAN_WEBHOOK_ALLOW_PRIVATE": "true"]) { app in
                let w = try await LoopWorld.make(app)
                _ = try await IssuedKey.issue(app, site: w.f.centre, webhook: "http://hooks.example.test:\(port)/hook")
                var resident = try await APIClient.signIn(app, Fixture.user(.resident))
                _ = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
                _ = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()
                var sender = DeliverySender.make(app)
                sender.resolve = { host in host == "hooks.example.test" ? ["127.0.0.1"] : [] }
                let pass = try await sender.runOnce()
                #expect(pass.delivered >= 1, "\(pass)")
                #expect(receiver.received.first?.headers.first(name: .host)?.hasPrefix("hooks.example.test") == true)
                // The same name checked as the world sees it: refused, the receiver hears nothing more.
                let heard = receiver.received.count
                _ = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
                _ = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()
                sender.allowPrivate = false
                _ = try await sender.runOnce()
                #expect(receiver.received.count == heard)
            }
        }
    }
}
