import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("Privacy")
struct PrivacyTests {
    @Test func endedOrdersLoseTheResidentsContactDataAfterThePeriod() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let ended = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            let open = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            #expect(try await resident.call(.POST, "/api/v1/orders/\(ended)/cancel", #"{"reason":"已解决"}"#).status == .ok)

            clock.advance(179 * 86_400)
            #expect(try await PrivacyService.make(app).runOnce() == .init())
            clock.advance(2 * 86_400)
            #expect(try await PrivacyService.make(app).runOnce() == .init(anonymised: 1, deleted: 0))
            #expect(try await PrivacyService.make(app).runOnce() == .init(), "once")

            let gone = try #require(try await Order.find(ended, on: app.db))
            #expect(gone.contactName == PrivacyRules.anonymousName && gone.contactPhoneMasked == "" && gone.address == nil && gone.latitude == nil)
            #expect(try app.protector.open(gone.contactPhoneSealed) == "")
            #expect(gone.anonymisedAt != nil)
            let kept = try #require(try await Order.find(open, on: app.db))
            #expect(kept.contactName == "李阿姨" && kept.contactPhoneMasked != "")
            // The statistics do not change: facts and rollups agree as before.
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
        }
    }

    @Test func aVolunteerExportsTheirDataAndIsDeletedAfterTheGracePeriod() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let w = try await LoopWorld.make(app)
            // The leader has served once: hours and points on their record.
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            var leader = try await APIClient.signIn(app, w.leaderS1)
            try await leader.call(.POST, "/api/v1/orders/\(order)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(order)/start")
            let v = w.f.volunteerS1
            try await leader.call(.POST, "/api/v1/orders/\(order)/complete", #"{"volunteer_ids":[\#(v.id!)],"hours_\#(v.id!)":3}"#)

            // Registering again with the same number is refused while they are on the books.
            var stranger = WebClient(app)
            let body = #"{"real_name":"回来了","id_number":"\#(try app.protector.open(v.idSealed))","phone":"13700001111","site_id":\#(w.f.s1.id!),"consent":true}"#
            #expect(try await stranger.send(.POST, "/api/v1/volunteers", json: body).status == .conflict)

            // Their own data, all of it, in the clear — and the export is on the audit trail.
            let mine = try await leader.call(.GET, "/api/v1/me/data").json()
            let volunteer = mine["volunteer"] as? [String: Any] ?? [:]
            #expect(volunteer["id_number"] as? String == (try app.protector.open(v.idSealed)))
            #expect(volunteer["real_name"] as? String == v.realName)
            #expect((mine["service_records"] as? [Any])?.count == 1)
            #expect((mine["memberships"] as? [Any])?.isEmpty == false)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$action == "personal.self_export").count() == 1)
            var web = WebClient(app)
            try await web.login(w.leaderS1)
            #expect(try await web.send(.GET, "/me/service").text.contains("export-my-data"))
            #expect(try await web.send(.GET, "/me/data.json").headers.first(name: .contentDisposition)?.contains("attachment") == true)

            // Asked, taken back, asked again; carried out only after the grace period.
            let asked = try await leader.call(.POST, "/api/v1/me/deletion").json()
            #expect(asked["takes_effect_at"] as? String != nil)
            #expect(try await leader.call(.DELETE, "/api/v1/me/deletion").json()["deletion_requested_at"] == nil)
            try await leader.call(.POST, "/api/v1/me/deletion")
            clock.advance(6 * 86_400)
            #expect(try await PrivacyService.make(app).runOnce().deleted == 0)
            clock.advance(2 * 86_400)
            #expect(try await PrivacyService.make(app).runOnce().deleted == 1)

            // Name, numbers, account and team places gone; hours and points kept, unnamed.
            let after = try #require(try await Volunteer.find(v.id!, on: app.db))
            #expect(after.realName == PrivacyRules.deletedVolunteerName && after.idMasked == "" && after.phoneMasked == "" && !after.active)
            #expect(try app.protector.open(after.idSealed) == "")
            #expect(after.hoursTotal == 3 && after.pointsBalance > 0)
            #expect(try await ServiceRecord.query(on: app.db).filter(\.$volunteer.$id == v.id!).count() == 1)
            #expect(try await TeamMembership.query(on: app.db).filter(\.$volunteer.$id == v.id!).count() == 0)
            var again = WebClient(app)
            #expect(try await again.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(w.leaderS1)","password":"\#(Fixture.password)"}"#).status == .unauthorized)
            #expect(try await ConsistencyCheck(db: app.db).run().problems == [])
            // The ID number is free again: the person may come back.
            let id = try app.protector.open(v.idSealed)
            #expect(try await again.send(.POST, "/api/v1/volunteers", json: #"{"real_name":"回来了","id_number":"\#(id)","phone":"13700001111","site_id":\#(w.f.s1.id!),"consent":true}"#).status == .created)
        }
    }

    /// A first run on a large database: everything due is done, in short batches of its own.
    @Test func manyEndedOrdersAreAnonymisedInBatches() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            // setup: 1,203 orders written in one batch, all ended (cancelled) now.
            let w = try await LoopWorld.make(app)
            let resident = try await Principal.load(accountID: w.f.accountS1.id!, on: app.db)!
            var placed: [PlacedOrder] = []
            for _ in 0..<1_203 {
                guard case .placed(let p) = try await OrderService.make(app).place(GroupCommitTests.input(w, menu: nil, category: w.f.category.id!),
                                                                                  by: resident, key: nil) else { throw AppError.notFound }
                placed.append(p)
            }
            let batch = placed
            _ = try await app.db.writeTransaction { db in try await OrderWriter.write(batch, on: db) }
            try await (app.db as! SQLDatabase).update(Order.schema).set("status", to: OrderStatus.cancelled.rawValue).set("updated_at", to: clock.now).run()
            // MUT: half a year on.
            clock.advance(181 * 86_400)
            let pass = try await PrivacyService.make(app).runOnce()
            // validate: every one of them, and none left.
            #expect(pass.anonymised == 1_203)
            #expect(try await Order.query(on: app.db).filter(\.$anonymisedAt == nil).count() == 0)
            #expect(try await PrivacyService.make(app).runOnce() == .init())
        }
    }
}
