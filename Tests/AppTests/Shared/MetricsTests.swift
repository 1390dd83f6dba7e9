import Foundation
import Testing
import VaporTesting
import Fluent
import Logging
@testable import App
@testable import DiandanCore

/// `/metrics` in Prometheus' format, read back by the Prometheus client library's own parser.
@Suite("Metrics")
struct MetricsTests {
    @Test func aScraperWithTheTokenReadsLatenciesOrdersAndBacklogs() async throws {
        try await withTestApp { app in
            // setup: three orders dispatched at once, one waiting.
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var web = WebClient(app)
            app.settings.metricsToken = "scrape-secret"
            // Vapor's request metrics are the process's (tests running beside this one add to them):
            // what counts is how much they grow.
            let count = #"http_request_duration_seconds_count{method="POST",path="/api/v1/orders",status="201"}"#
            let bucket = #"http_request_duration_seconds_bucket{method="POST",path="/api/v1/orders",status="201",le="+Inf"}"#
            func sample(_ text: String, _ series: String) -> Int {
                text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }.map { Int($0) } ?? 0
            }
            let before = try await web.send(.GET, "/metrics", headers: ["Authorization": "Bearer scrape-secret"]).text
            for _ in 0..<3 { #expect(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).status == .created) }
            #expect(try await resident.call(.POST, "/api/v1/orders", w.offMenuOrder()).status == .created)
            // Not for anyone: without a token only the machine itself (and a test client is not it).
            app.settings.metricsToken = nil
            #expect(try await web.send(.GET, "/metrics").status == .forbidden)
            app.settings.metricsToken = "scrape-secret"
            #expect(try await web.send(.GET, "/metrics", headers: ["Authorization": "Bearer wrong"]).status == .forbidden)

            // MUT
            let r = try await web.send(.GET, "/metrics", headers: ["Authorization": "Bearer scrape-secret"])

            // validate
            #expect(r.status == .ok)
            #expect(r.headers.first(name: .contentType) == "text/plain; version=0.0.4; charset=utf-8")
            let text = r.text
            #expect(text.contains(#"diandan_orders{status="dispatched"} 3"#))
            #expect(text.contains(#"diandan_orders{status="submitted"} 1"#))
            #expect(sample(text, count) - sample(before, count) >= 4)
            #expect(sample(text, bucket) - sample(before, bucket) >= 4)
            #expect(text.contains(#"http_requests_total{method="GET",path="/metrics",status="403"}"#))
            #expect(text.contains("# TYPE diandan_http_requests_in_flight gauge"))
            // Each order's last step tells someone (the team, or the admins of the queue); nobody has delivered them yet.
            #expect(text.contains(#"diandan_notice_backlog{source="order_events"} 4"#))
            #expect(text.contains("diandan_deadline_scanner_lag_seconds 0"))
            let file = NSTemporaryDirectory() + "metrics-\(UUID().uuidString).txt"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, parsed) = try runTool("python3", ["-c", """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                families = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
                h = families["http_request_duration_seconds"]
                print(families["diandan_orders"].type, h.type, len([s for s in h.samples if s.name.endswith("_count")]) > 0)
                """, file])
            #expect(status == 0)
            #expect(parsed.trimmingCharacters(in: .whitespacesAndNewlines) == "gauge histogram True")
        }
    }
}

/// `LOG_FORMAT=json`: a log collector reads one JSON object per line, request id included.
@Suite("Structured logs")
struct JSONLogTests {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var items: [Data] = []
        func add(_ d: Data) { lock.withLock { items.append(d) } }
    }

    @Test func eachEntryIsOneJSONObjectWithItsMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "codes.diandan.test") { JSONLogHandler(label: $0, level: .info, output: lines.add) }
        logger[metadataKey: "request-id"] = "R-42"
        logger.debug("below the level")
        logger.warning("订单 \"DD1\" 已上报", metadata: ["order_id": "7"])
        #expect(lines.items.count == 1)
        let text = String(decoding: lines.items[0], as: UTF8.self)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: lines.items[0]) as? [String: String])
        #expect(object["message"] == "订单 \"DD1\" 已上报")
        #expect(object["level"] == "warning" && object["request-id"] == "R-42" && object["order_id"] == "7")
        #expect(object["logger"] == "codes.diandan.test" && object["time"]?.contains("T") == true)
    }
}
