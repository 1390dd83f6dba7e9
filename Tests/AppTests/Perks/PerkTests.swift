import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Perks: points spent atomically")
struct PerkTests {
    /// Gives a volunteer points through the ledger, as service would.
    func credit(_ app: Application, _ client: APIClient, _ points: Int) async throws -> Volunteer {
        let token = client.token
        let account = try await APIToken.query(on: app.db).filter(\.$tokenHash == TokenDigest.sha256(token)).first()!.$account.id
        let v = try await Volunteer.query(on: app.db).filter(\.$account.$id == account).first()!
        try await Ledger(db: app.db, now: Date()).add(points: points, hours: 0, to: v.id!, reason: "points.service", orderID: nil)
        return v
    }

    @Test func concurrentRedeemsNeverOverdraw() async throws {
        try await withTestApp { app in
            // setup: 100 points; a perk for 30 (S1's, unlimited).
            let f = try await Fixture.make(app)
            let client = try await volunteerClients(app, count: 1, site: f.s1)[0]
            let v = try await credit(app, client, 100)
            // MUT: ten redeems at once from the same person.
            let statuses = try await race(Array(repeating: client, count: 10), .POST, "/api/v1/perks/\(f.perkS1.id!)/redeem")
            // validate: three paid for, the rest refused; the balance and the ledger agree, never below zero.
            #expect(statuses.filter { $0 == .ok }.count == 3)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            let after = try #require(try await Volunteer.find(v.id, on: app.db))
            #expect(after.pointsBalance == 10)
            let ledger = try await PointsEntry.query(on: app.db).filter(\.$volunteer.$id == v.id!).sort(\.$id).all()
            #expect(ledger.map(\.delta).reduce(0, +) == 10)
            #expect(ledger.allSatisfy { $0.balanceAfter >= 0 })
            #expect(Set(ledger.filter { $0.delta < 0 }.map(\.balanceAfter)) == [70, 40, 10])
            #expect(try await PerkRedemption.query(on: app.db).count() == 3)
            var c = client
            let refused = try await c.call(.POST, "/api/v1/perks/\(f.perkS1.id!)/redeem")
            #expect(try refused.json()["message"] as? String == "积分不足：需要 30 积分，你有 10 积分。")
        }
    }

    @Test func stockRunsOutExactly() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let perk = try #require(try await Perk.find(f.perkS1.id, on: app.db))
            perk.stock = 3
            try await perk.save(on: app.db)
            let crowd = try await volunteerClients(app, count: 8, site: f.s1)
            for c in crowd { _ = try await credit(app, c, 100) }
            let statuses = try await race(crowd, .POST, "/api/v1/perks/\(perk.id!)/redeem")
            #expect(statuses.filter { $0 == .ok }.count == 3)
            #expect(try await Perk.find(perk.id, on: app.db)?.redeemed == 3)
            // Those refused keep their points.
            let balances = try await Volunteer.query(on: app.db).filter(\.$realName ~~ "报名者").all().map(\.pointsBalance).sorted()
            #expect(balances == [70, 70, 70, 100, 100, 100, 100, 100])
        }
    }

    @Test func onlyPerksOfOnesOwnSitesAndTheProfileShowsThem() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var client = try await volunteerClients(app, count: 1, site: f.s1)[0]
            _ = try await credit(app, client, 45)
            let listed = try JSONSerialization.jsonObject(with: Data(buffer: try await client.call(.GET, "/api/v1/perks").body)) as! [[String: Any]]
            #expect(listed.map { $0["title"] as? String } == ["一号站免费理发"])
            #expect(try await client.call(.POST, "/api/v1/perks/\(f.perkS2.id!)/redeem").status == .notFound)
            let ok = try await client.call(.POST, "/api/v1/perks/\(f.perkS1.id!)/redeem")
            let code = try #require(try ok.json()["code"] as? String)
            #expect(code.count == 8)

        }
    }

    @Test func redeemingOnTheProfilePageShowsTheCode() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            // leader-s1 is volunteer S1: 35 points.
            try await Ledger(db: app.db, now: Date()).add(points: 35, hours: 0, to: w.f.volunteerS1.id!, reason: "points.service", orderID: nil)
            var web = WebClient(app)
            try await web.login(w.leaderS1)
            let before = try await web.send(.GET, "/me/service").text
            #expect(before.contains("一号站免费理发"))
            #expect(before.contains("id=\"redeem-\(w.f.perkS1.id!)\""))
            let token = try await web.csrf(from: "/me/service")
            let r = try await web.send(.POST, "/perks/\(w.f.perkS1.id!)/redeem", form: [("_csrf", token)])
            #expect(r.status == .seeOther)
            let after = try await web.send(.GET, "/me/service").text
            let code = try #require(try await PerkRedemption.query(on: app.db).first()?.code)
            #expect(after.contains("兑换成功，凭兑换码 \(code) 享受礼遇。"))
            #expect(after.contains("<span class=\"num\" id=\"my-points\">5</span>"))
            // 5 points left: the button is gone, and a second try (by hand) is refused with a message.
            #expect(!after.contains("id=\"redeem-"))
            try await web.send(.POST, "/perks/\(w.f.perkS1.id!)/redeem", form: [("_csrf", token)])
            #expect(try await web.send(.GET, "/me/service").text.contains("积分不足"))
        }
    }
}
