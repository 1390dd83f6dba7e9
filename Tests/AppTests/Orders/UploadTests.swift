import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Uploads, as found by probing: bodies of up to 40 MB were read and parsed before sign-in, the form's
/// token and the right to act on the order were checked, and files were written for an order that
/// does not exist. (That the body is not read at all before the checks is shown against the real
/// server in tests/browser/test_uploads.py: the in-process client hands over bodies whole.)
@Suite("Uploads are checked before they are read")
struct UploadTests {
    static func files(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { $0.contains(".") }
    }

    @Test func nothingIsWrittenForThoseWhoMayNotActOrForOrdersThatDoNotExist() async throws {
        try await withTestApp { app in
            // setup: an order in service by S1's team
            let w = try await LoopWorld.make(app)
            let (id, leader) = try await w.orderInService(app)
            let resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let v = w.f.volunteerS1.id!
            let fields = [("volunteer_ids[]", String(v)), ("hours_\(v)", "2")]
            let photo = [("photos[]", "a.jpg", TestImages.jpegWithGPS)]
            let uploads = app.settings.uploadsDirectory

            // MUT: nobody signed in, through the API and the page
            var nobody = WebClient(app)
            #expect(try await nobody.sendMultipart("/api/v1/orders/999999/complete", fields: fields, files: photo).status == .unauthorized)
            #expect(try await nobody.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields, files: photo).status == .unauthorized)
            let page = try await nobody.sendMultipart("/orders/999999/complete", fields: fields, files: photo)
            #expect(page.status == .seeOther && page.headers.first(name: .location)?.hasPrefix("/login") == true)
            // signed in, but not the serving team's leader: the requester, a leader of another team
            var requesterWeb = resident.web
            #expect(try await requesterWeb.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields, files: photo,
                                                         headers: ["Authorization": "Bearer \(resident.token)"]).status == .forbidden)
            var other = try await APIClient.signIn(app, w.leaderS2)
            var otherWeb = other.web
            #expect(try await otherWeb.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields, files: photo,
                                                     headers: ["Authorization": "Bearer \(other.token)"]).status == .notFound)
            _ = try await other.call(.GET, "/api/v1/me")
            // the leader, on an order that does not exist
            var leaderWeb = leader.web
            let auth: HTTPHeaders = ["Authorization": "Bearer \(leader.token)"]
            #expect(try await leaderWeb.sendMultipart("/api/v1/orders/999999/complete", fields: fields, files: photo, headers: auth).status == .notFound)
            // the leader's page form without its token
            var leaderPage = WebClient(app)
            try await leaderPage.login(w.leaderS1)
            #expect(try await leaderPage.sendMultipart("/orders/\(id)/complete", fields: fields, files: photo).status == .forbidden)
            // the leader, with hours the rules refuse: every check passes before a file is written
            let refused = try await leaderWeb.sendMultipart("/api/v1/orders/\(id)/complete", fields: [("volunteer_ids[]", String(v)), ("hours_\(v)", "30")],
                                                            files: photo, headers: auth)
            #expect(refused.status == .unprocessableEntity)
            let stranger = try await leaderWeb.sendMultipart("/api/v1/orders/\(id)/complete",
                                                             fields: [("volunteer_ids[]", String(w.f.volunteerS2.id!)), ("hours_\(w.f.volunteerS2.id!)", "2")],
                                                             files: photo, headers: auth)
            #expect((400..<500).contains(stranger.status.code))

            // validate: not a file, not a row
            #expect(Self.files(under: uploads).isEmpty, "\(Self.files(under: uploads))")
            #expect(try await OrderPhoto.query(on: app.db).count() == 0)
            #expect(try await Order.find(id, on: app.db)?.status == .inService)

            // The serving leader's completion goes through, its photo without its position.
            let ok = try await leaderWeb.sendMultipart("/api/v1/orders/\(id)/complete", fields: fields, files: photo, headers: auth)
            #expect(ok.status == .ok)
            let written = Self.files(under: uploads)
            #expect(written.count == 1)
            let bytes = try #require(FileManager.default.contents(atPath: uploads + "/" + written[0]))
            #expect(ImageKind.sniff(Array(bytes)) == .jpeg && !String(decoding: bytes, as: UTF8.self).contains("GPS"))
        }
    }

    @Test func uploadsTakeTurnsAndTheNextIsToldTheServerIsBusy() async throws {
        // setup: two at a time, a short patience
        let slots = UploadSlots(permits: 2, patience: .milliseconds(300))
        try await slots.acquire()
        try await slots.acquire()
        // MUT: the third waits its patience, then is refused with a time to come back
        do {
            try await slots.acquire()
            Issue.record("a third upload was let in beside two")
        } catch let e as AppError {
            #expect(e.status == .serviceUnavailable)
            if case .busy(let seconds) = e { #expect(seconds > 0) } else { Issue.record("not busy: \(e)") }
        }
        // validate: one leaving lets the next in, and a waiter gets in as soon as a slot frees
        await slots.release()
        try await slots.acquire()
        let waiter = Task { try await slots.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        await slots.release()
        try await waiter.value
        #expect(await slots.inUse == 2)
        // A slot held while something goes wrong is given back once, never twice.
        let one = UploadSlots(permits: 1, patience: .milliseconds(100))
        for _ in 0..<3 { _ = try? await one.holding { () async throws -> Int in throw AppError.badRequest(Message("error.null_byte")) } }
        #expect(await one.inUse == 0)
        try await one.acquire()
        await #expect(throws: AppError.self) { try await one.acquire() }
    }

    @Test func aBodyPastItsRoutesLimitIsRefusedWithAMessage() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let (id, leader) = try await w.orderInService(app)
            var web = leader.web
            let v = w.f.volunteerS1.id!
            let many = (0..<7).map { ("photos[]", "p\($0).jpg", TestImages.jpegWithGPS + Array(repeating: 0, count: ImageKind.maxBytes - 200)) }
            let r = try await web.sendMultipart("/api/v1/orders/\(id)/complete", fields: [("volunteer_ids[]", String(v)), ("hours_\(v)", "2")], files: many,
                                                headers: ["Authorization": "Bearer \(leader.token)"])
            #expect(r.status == .payloadTooLarge)
            #expect(try r.json()["message"] as? String == "提交的内容过大：照片每张不超过 5 MB，最多 6 张。")
            #expect(try await Order.find(id, on: app.db)?.status == .inService)
        }
    }
}
