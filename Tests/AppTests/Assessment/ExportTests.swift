import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// 订单明细: queued, written in the background with its progress, downloaded by its owner only.
@Suite("Order list exports")
struct ExportTests {
    @Test func anExportIsQueuedWrittenWithProgressAndOnlyItsOwnerDownloadsIt() async throws {
        try await withTestApp { app in
            // setup: seven orders dispatched at once, one waiting.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var numbers: [String] = []
            for _ in 0..<7 { numbers.append(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["number"] as! String) }
            let waiting = try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["number"] as! String
            var centre = try await APIClient.signIn(app, Fixture.centreAdmin)
            let query = "site=\(w.f.centre.id!)&period=month"

            // MUT: queue a CSV export.
            let queued = try await centre.call(.POST, "/api/v1/assessment/exports?\(query)&format=csv")
            #expect(queued.status == .accepted)
            let id = try queued.json()["id"] as! Int
            #expect(try queued.json()["status"] as? String == "queued")
            // Only its owner sees it; a resident starts none; an unknown format is refused and queues nothing.
            var s1Admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await s1Admin.call(.GET, "/api/v1/exports/\(id)").status == .notFound)
            #expect(try await s1Admin.call(.GET, "/api/v1/exports/\(id)/download").status == .notFound)
            #expect(try await resident.call(.POST, "/api/v1/assessment/exports?period=month").status == .forbidden)
            #expect(try await centre.call(.POST, "/api/v1/assessment/exports?\(query)&format=pdf").status == .unprocessableEntity)
            #expect(try await ExportJob.query(on: app.db).count() == 1)
            #expect(try await centre.call(.GET, "/api/v1/exports/\(id)/download").status == .conflict)
            #expect(try await ExportService.make(app).runOnce() == .init(ran: 1, removed: 0))

            // validate
            let status = try await centre.call(.GET, "/api/v1/exports/\(id)").json()
            #expect(status["status"] as? String == "done")
            #expect(status["total"] as? Int == 8 && status["done"] as? Int == 8 && status["percent"] as? Int == 100)
            #expect(status["download"] as? String == "/api/v1/exports/\(id)/download")
            let file = try await centre.call(.GET, "/api/v1/exports/\(id)/download")
            #expect(file.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(file.headers.first(name: .contentDisposition)?.contains("orders-C1-") == true)
            let lines = file.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 9)
            #expect(lines[0] == "\u{FEFF}订单号,下单时间,需求所在实践站,服务类别,渠道,状态,服务队,派单用时（分钟）,接单用时（分钟）,逐级上报次数,已完成服务,评价")
            #expect(lines.contains { $0.hasPrefix(numbers[0] + ",") && $0.hasSuffix(",一号实践站,\(w.f.category.name),接口,已派单,一号站服务队,0,,0,否,") })
            #expect(lines.contains { $0.hasPrefix(waiting + ",") && $0.contains(",接口,待派单,,,,0,否,") })

            // The page shows the finished bar and the link.
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)
            let page = try await web.send(.GET, "/exports/\(id)").text
            #expect(page.contains(#"<progress id="export-progress" max="100" value="100">"#))
            #expect(page.contains("/exports/\(id)/download"))

            // The same as a workbook, read back by openpyxl.
            let xlsxJob = try await centre.call(.POST, "/api/v1/assessment/exports?\(query)&format=xlsx").json()["id"] as! Int
            _ = try await ExportService.make(app).runOnce()
            let workbook = try await centre.call(.GET, "/api/v1/exports/\(xlsxJob)/download")
            let path = NSTemporaryDirectory() + "orders-\(UUID().uuidString).xlsx"
            try Data(buffer: workbook.body).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let text = try runTool("python3", ["-c", """
                import sys, openpyxl
                ws = openpyxl.load_workbook(sys.argv[1]).active
                rows = list(ws.iter_rows(values_only=True))
                print(len(rows), rows[0][0], sorted(r[0] for r in rows[1:])[0], rows[1][7])
                """, path]).output
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "9 订单号 \((numbers + [waiting]).sorted()[0]) 0")

            // A day later the files are gone.
            let old = try await ExportJob.query(on: app.db).all()
            for j in old { j.createdAt = j.createdAt.addingTimeInterval(-2 * 86_400); try await j.save(on: app.db) }
            #expect(try await ExportService.make(app).runOnce() == .init(ran: 0, removed: 2))
            #expect(try await centre.call(.GET, "/api/v1/exports/\(id)/download").status == .conflict)
        }
    }
}
