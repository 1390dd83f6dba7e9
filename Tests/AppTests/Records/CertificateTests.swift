import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

@Suite("Record certificates")
struct CertificateFlowTests {
    static func pdfText(_ bytes: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID().uuidString).pdf")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try runTool("pdftotext", ["-layout", file.path, "-"]).output
    }

    @Test func theCertificateListsExactlyTheVolunteersRecords() async throws {
        let clock = TestClock(CheckinFlowTests.start.addingTimeInterval(-86_400))
        try await withTestApp(clock: clock) { app in
            // setup: volunteer S1 (leader-s1) serves an order, an activity and a wish; volunteer S2 serves an order.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var leader = try await APIClient.signIn(app, w.leaderS1)
            let order = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/orders/\(order)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(order)/start")
            try await leader.call(.POST, "/api/v1/orders/\(order)/complete", #"{"volunteer_ids":[\#(w.f.volunteerS1.id!)],"hours_\#(w.f.volunteerS1.id!)":1.5}"#)
            // Volunteer S2's own record, which must not appear.
            try await Ledger(db: app.db, now: clock.now).record(volunteerID: w.f.volunteerS2.id!, hours: 3, date: clock.now, content: "二号站宣讲",
                                                               orderID: nil, activityID: nil, teamID: nil, recordedBy: nil, points: 30, reason: "points.service")
            let activity = try await ActivityFlowTests.published(app, w, slots: 3)
            try await leader.call(.POST, "/api/v1/activities/\(activity)/signup")
            let wish = try await resident.call(.POST, "/api/v1/wishes", WishTests.wishJSON(w.f)).json()["id"] as! Int
            try await leader.call(.POST, "/api/v1/wishes/\(wish)/claim")
            try await leader.call(.POST, "/api/v1/wishes/\(wish)/fulfil", #"{"note":"送到了"}"#)
            try await resident.call(.POST, "/api/v1/wishes/\(wish)/confirm")
            clock.advance(86_400 + 3 * 3600)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let s = try await Signup.query(on: app.db).filter(\.$activity.$id == activity).first()!
            try await admin.call(.POST, "/api/v1/activities/\(activity)/signups/\(s.id!)/confirm", #"{"hours":2,"reason":"核实"}"#)

            // MUT: the volunteer issues a certificate.
            let issued = try await leader.call(.POST, "/api/v1/me/certificates")
            #expect(issued.status == .created)
            let number = try #require(try issued.json()["number"] as? String)
            #expect(try issued.json()["total_hours"] as? Double == 4.5)
            #expect(try issued.json()["records"] as? Int == 3)

            // validate: the content, the organisation of each record, and nothing of anyone else's.
            let cert = try #require(try await Certificate.query(on: app.db).filter(\.$number == number).first()?.decoded)
            // Oldest first: the order and the wish the day before, the activity on its day.
            #expect(cert.records.map(\.organisation) == ["一号站服务队", "一号实践站", "一号站服务队"])
            #expect(cert.records.map(\.hours) == [1.5, 1, 2])
            #expect(cert.idMasked == w.f.volunteerS1.idMasked)
            let web = try await { () async throws -> WebClient in var c = WebClient(app); try await c.login(w.leaderS1); return c }()
            var holder = web
            let pdf = try await holder.send(.GET, "/certificates/\(number)/pdf")
            #expect(pdf.headers.contentType?.description == "application/pdf")
            let text = try Self.pdfText(Array(pdf.body.readableBytesView))
            #expect(text.contains("志愿服务记录证明"))
            #expect(text.contains(w.f.volunteerS1.idMasked))
            #expect(text.contains("一号站义诊"))
            #expect(text.contains("敬老院义剪"))
            #expect(text.contains("微心愿：想要一副老花镜"))
            #expect(text.contains("合计 3 条记录，共 4.5 小时。"))
            #expect(!text.contains("二号站"))
            let print = try await holder.send(.GET, "/certificates/\(number)").text
            #expect(print.contains("合计 3 条记录，共 4.5 小时。"))

            // Others cannot open it; S1's admin can; anyone can verify it by number, with the name masked.
            var stranger = WebClient(app)
            try await stranger.login(w.leaderS2)
            #expect(try await stranger.send(.GET, "/certificates/\(number)/pdf").status == .notFound)
            var adminWeb = WebClient(app)
            try await adminWeb.login(Fixture.user(.siteAdmin))
            #expect(try await adminWeb.send(.GET, "/certificates/\(number)").status == .ok)
            var anonymous = WebClient(app)
            let verified = try await anonymous.send(.GET, "/certificates/verify?number=\(number)").text
            #expect(verified.contains("该证明真实有效。"))
            #expect(verified.contains(Masking.name(w.f.volunteerS1.realName)))
            #expect(!verified.contains(w.f.volunteerS1.realName))
            #expect(try await anonymous.send(.GET, "/certificates/verify?number=ZM2026-NOPE").status == .notFound)
            #expect(try await anonymous.send(.GET, "/api/v1/certificates/\(number)").json()["total_hours"] as? Double == 4.5)
        }
    }
}
