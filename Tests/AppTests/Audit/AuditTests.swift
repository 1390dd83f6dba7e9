import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

@Suite("Audit trail")
struct AuditTests {
    @Test func adminActionsAndClearTextViewsAreRecordedAndChained() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            // Admin actions: a site made, an account made (its password by name only).
            var centre = WebClient(app)
            try await centre.login(Fixture.centreAdmin)
            let made = try await centre.submit("/admin/sites", [("code", "P77"), ("name", "审计测试点"), ("kind", "point"), ("parent_id", String(w.f.s1.id!)),
                                                                ("latitude", "25.9"), ("longitude", "116.1"), ("zone", "rural"), ("active", "on")], tokenFrom: "/admin/sites/new")
            #expect(made.status == .seeOther)
            try await centre.submit("/admin/accounts", [("username", "audited1"), ("password", "Secret2026x"), ("locale", "zh-CN"), ("site_id", String(w.f.s1.id!))],
                                    tokenFrom: "/admin/accounts/new")
            // A refused write is not an action taken.
            try await centre.submit("/admin/sites", [("code", "x y")], tokenFrom: "/admin/sites/new")

            // The resident's phone in the clear: with a reason, for the site's admin; never for others.
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let order = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as! Int
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await admin.call(.POST, "/api/v1/orders/\(order)/contact", "{}").status == .unprocessableEntity)
            let seen = try await admin.call(.POST, "/api/v1/orders/\(order)/contact", #"{"reason":"约上门时间"}"#)
            #expect(seen.status == .ok)
            #expect(try seen.json()["contact_phone"] as? String == "13800005678")
            #expect(try await resident.call(.POST, "/api/v1/orders/\(order)/contact", #"{"reason":"看看"}"#).status == .forbidden)
            var leader = try await APIClient.signIn(app, w.leaderS2)
            #expect(try await leader.call(.POST, "/api/v1/orders/\(order)/contact", #"{"reason":"看看"}"#).status == .notFound)

            let entries = try await AuditRecord.query(on: app.db).sort(\.$seq).all()
            #expect(entries.map(\.action) == ["POST /admin/sites", "POST /admin/accounts", "personal.order_contact"])
            #expect(entries[0].username == Fixture.centreAdmin && entries[0].detail.contains("code=P77"))
            #expect(entries[1].detail.contains("password=…") && !entries[1].detail.contains("Secret2026x"))
            #expect(entries[2].reason == "约上门时间" && entries[2].username == Fixture.user(.siteAdmin))
            #expect(entries.map(\.seq) == [1, 2, 3])
            #expect(try await AuditLog(db: app.db, signer: app.protector).verify() == (3, nil))

            // Shown to the centre's admins, filtered; not to a station's.
            let page = try await centre.send(.GET, "/admin/audit?q=personal").text
            #expect(page.contains("约上门时间") && !page.contains("审计测试点"))
            var station = WebClient(app)
            try await station.login(Fixture.user(.siteAdmin))
            #expect(try await station.send(.GET, "/admin/audit").status == .forbidden)
        }
    }

    @Test func theTrailIsAppendOnlyAndTamperingBreaksTheChain() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let log = AuditLog(db: app.db, signer: app.protector)
            // Many writers at once still make one line.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await log.append(AuditEntry(seq: 0, at: Date(), accountID: nil, username: "u\(i)", siteID: nil, action: "test", target: "t/\(i)",
                                                        detail: "", reason: nil, address: "127.0.0.1"))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await log.verify() == (20, nil))
            let sql = app.db as! SQLDatabase
            // The database refuses to change or remove an entry.
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_log SET detail = 'x' WHERE seq = 5").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_log WHERE seq = 5").run() }
            // Someone with the database's own keys goes around that: the chain shows where.
            if TestDatabase.isPostgres {
                try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            }
            try await sql.raw("UPDATE audit_log SET detail = 'x' WHERE seq = 7").run()
            #expect(try await log.verify() == (6, .altered(seq: 7)))
            try await sql.raw("UPDATE audit_log SET detail = '' WHERE seq = 7").run()
            #expect(try await log.verify() == (20, nil))
            try await sql.raw("DELETE FROM audit_log WHERE seq = 12").run()
            #expect(try await log.verify() == (11, .gap(after: 11, found: 13)))
        }
    }

    /// Found by probing: deleting the newest entries left a chain that verified. The head, kept
    /// apart and signed, says how long the trail is.
    @Test func removingTheNewestEntriesIsNoticed() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let log = AuditLog(db: app.db, signer: app.protector)
            for i in 0..<10 {
                try await log.append(AuditEntry(seq: 0, at: Date(), accountID: nil, username: "u\(i)", siteID: nil, action: "test", target: "t/\(i)",
                                                detail: "", reason: nil, address: "127.0.0.1"))
            }
            #expect(try await log.verify() == (10, nil))
            let sql = app.db as! SQLDatabase
            // The head cannot be moved back or removed either.
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_head SET count = 8").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_head").run() }
            // Someone with the database's own keys removes the last two entries: the chain alone still holds…
            if TestDatabase.isPostgres {
                try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            }
            try await sql.raw("DELETE FROM audit_log WHERE seq > 8").run()
            // …but not against its head.
            #expect(try await log.verify() == (8, .truncated(expected: 10, found: 8)))
            // Rewriting the head to match needs the server's secret.
            if TestDatabase.isPostgres {
                try await sql.raw("ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_head_forward").run()
            }
            let eighth = try #require(try await AuditRecord.query(on: app.db).filter(\.$seq == 8).first())
            try await sql.raw("UPDATE audit_head SET count = 8, last_hash = \(bind: eighth.hash)").run()
            #expect(try await log.verify() == (8, .headAltered))
            // The command says so and fails.
            try await sql.raw("UPDATE audit_head SET count = 10").run()
            await #expect(throws: ConfigurationError.self) { try await AuditCommand.verify(app) }
            // The next entry does not cover it up: a head that does not match the end stays as it is.
            try await sql.raw("UPDATE audit_head SET count = 10, last_hash = \(bind: (try await AuditRecord.query(on: app.db).filter(\.$seq == 8).first())!.hash)").run()
            try await log.append(AuditEntry(seq: 0, at: Date(), accountID: nil, username: "after", siteID: nil, action: "test", target: "t/after",
                                            detail: "", reason: nil, address: "127.0.0.1"))
            #expect(try await log.verify().problem != nil)
            await #expect(throws: ConfigurationError.self) { try await AuditCommand.verify(app) }
        }
    }

    /// An admin change and its audit entry are one transaction: if the entry cannot be written, the
    /// change is not kept either.
    @Test func anAdminChangeAndItsEntryCommitTogether() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var admin = WebClient(app)
            try await admin.login(Fixture.centreAdmin)
            func rename(_ name: String) async throws -> TestingHTTPResponse {
                try await admin.submit("/admin/sites/\(f.s1.id!)", [("code", "S1"), ("name", name), ("kind", "station"), ("parent_id", String(f.instituteA.id!)),
                                                                      ("latitude", "25.88"), ("longitude", "116.02"), ("zone", "urban"), ("active", "on")],
                                       tokenFrom: "/admin/sites/\(f.s1.id!)")
            }
            #expect(try await rename("一号站（改）").status == .seeOther)
            let entries = try await AuditRecord.query(on: app.db).filter(\.$action == "POST /admin/sites/:id").all()
            #expect(entries.count == 1 && entries.first?.detail.contains("一号站（改）") == true)
            // The trail cannot be written (its table renamed away): the rename is refused and not kept.
            let sql = app.db as! SQLDatabase
            try await sql.raw("ALTER TABLE audit_log RENAME TO audit_log_away").run()
            let refused = try await rename("一号站（无记录）")
            #expect(refused.status == .internalServerError)
            try await sql.raw("ALTER TABLE audit_log_away RENAME TO audit_log").run()
            #expect(try await Site.find(f.s1.id!, on: app.db)?.name == "一号站（改）")
            #expect(try await AuditRecord.query(on: app.db).filter(\.$action == "POST /admin/sites/:id").count() == 1)
            #expect(try await AuditLog(db: app.db, signer: app.protector).verify().problem == nil)
        }
    }
}
