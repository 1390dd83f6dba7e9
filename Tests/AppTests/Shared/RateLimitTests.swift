import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Rate limits")
struct RateLimitTests {
    @Test func windowsCountAndReopen() {
        let limiter = RateLimiter(maxKeys: 10)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let rule = RateRule(3, per: 60)
        #expect((0..<3).map { _ in limiter.take("a", rule, now: t0) } == [nil, nil, nil])
        #expect(limiter.take("a", rule, now: t0 + 20) == 40)
        #expect(limiter.take("b", rule, now: t0 + 20) == nil, "each key counts alone")
        #expect(limiter.take("a", rule, now: t0 + 60) == nil, "a new window")
        // A flood of keys does not grow the table without end.
        for i in 0..<100 { _ = limiter.take("k\(i)", rule, now: t0 + 200) }
        #expect(limiter.take("a", rule, now: t0 + 200) == nil)
    }

    @Test func signInAndOrdersAreLimitedWith429AndNothingWritten() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            app.settings.rateLimits = true

            // Orders: twenty a minute per account, then 429 with the wait, and the order is not made.
            for _ in 0..<20 { #expect(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).status == .created) }
            let refused = try await resident.call(.POST, "/api/v1/orders", w.menuOrder())
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: .retryAfter) == "60")
            #expect(try refused.json()["message"] as? String == "操作太频繁，请 60 秒后再试")
            #expect(try await Order.query(on: app.db).count() == 20)
            clock.advance(61)
            #expect(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).status == .created)

            // Signing in: thirty tries a minute per address, whoever they are for.
            var web = WebClient(app)
            for i in 0..<30 {
                let r = try await web.send(.POST, "/api/v1/auth/token", json: #"{"username":"nobody\#(i)","password":"wrong-password-1"}"#)
                #expect(r.status == .unauthorized)
            }
            let blocked = try await web.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(Fixture.user(.resident))","password":"\#(Fixture.password)"}"#)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: .retryAfter) != nil)

            // Urging: ten a minute per account, whatever the orders (each order also allows one per half hour).
            app.rateLimiter.reset()
            var urged: [HTTPStatus] = []
            for _ in 0..<11 {
                let id = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
                urged.append(try await resident.call(.POST, "/api/v1/orders/\(id)/urge").status)
            }
            #expect(!urged.prefix(10).contains(.tooManyRequests))
            #expect(urged.last == .tooManyRequests)

            // Registration: sixty an hour per address.
            app.rateLimiter.reset()
            var registrations: [HTTPStatus] = []
            for seq in 0..<61 {
                let id = IDNumber.compose(region: "360781", birth: "19900101", sequence: 100 + seq)
                let body = #"{"real_name":"报名\#(seq)","id_number":"\#(id)","phone":"13900000000","site_id":\#(w.f.s1.id!),"consent":true}"#
                registrations.append(try await web.send(.POST, "/api/v1/volunteers", json: body).status)
            }
            #expect(registrations.prefix(60).allSatisfy { $0 != .tooManyRequests })
            #expect(registrations.last == .tooManyRequests)
            #expect(try await Volunteer.query(on: app.db).filter(\.$realName == "报名60").count() == 0)

            // Open311 answers in its own error format, with the wait.
            app.rateLimiter.reset()
            var c = Open311Client(app)
            for _ in 0..<300 { _ = try await c.get("discovery.json") }
            let slow = try await c.get("discovery.json")
            #expect(slow.status == .tooManyRequests)
            #expect(try Open311Client.list(slow).first?["code"] as? Int == 429)
            #expect(slow.headers.first(name: .retryAfter) != nil)
        }
    }
}
