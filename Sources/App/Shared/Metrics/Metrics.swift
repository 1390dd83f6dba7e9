import Vapor
import Metrics
import Prometheus
import SQLKit
import DiandanCore

/// Request metrics: Vapor records every request's duration and count through swift-metrics
/// (`http_request_duration_seconds`, `http_requests_total`, `http_request_errors_total`, labelled by
/// method, route pattern and status — never the raw path); swift-prometheus keeps them and writes
/// them out for `/metrics`. swift-metrics has one factory a process, so the registry is the process's
/// too (a test process's applications share it). Requests in flight are a gauge of the same registry.
enum RequestMetrics {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped: Void = MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    static let inFlight = registry.makeGauge(descriptor: .init(namespace: "diandan", subsystem: "http", metricName: "requests_in_flight", unitName: "", helpText: "Requests being served now."))

    /// Points swift-metrics at the registry (once a process; later calls do nothing).
    static func bootstrap() { _ = bootstrapped }
}

/// `Server-Timing: app;dur=1.23` (how long the server spent on a request, for benchmarks and for the
/// browser's developer tools), and the requests in flight.
struct ServerTiming: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        RequestMetrics.inFlight.increment()
        defer { RequestMetrics.inFlight.decrement() }
        let response = try await next.respond(to: req)
        response.headers.replaceOrAdd(name: "Server-Timing", value: String(format: "app;dur=%.3f", Self.seconds(since: start) * 1000))
        return response
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// `/metrics` in Prometheus' text format: request durations and counts, requests in flight, orders by
/// status (from the rollups), how far the deadline scanner is behind, the notice backlog, queued
/// exports, the database pool and the process's memory. Open to a scraper with the bearer token in
/// DIANDAN_METRICS_TOKEN, or without one from the machine itself (a caller behind a trusted proxy is
/// judged by the address the proxy forwards).
enum MetricsController {
    static func register(bare: RoutesBuilder) {
        bare.get("metrics", use: metrics).rule(.open)
    }

    static func allowed(_ req: Request) -> Bool {
        if let token = req.application.settings.metricsToken {
            return req.headers.bearerAuthorization.map { SHA256.hash(data: Data($0.token.utf8)) == SHA256.hash(data: Data(token.utf8)) } ?? false
        }
        // The caller as the trusted proxies name it: behind a reverse proxy on this machine every
        // connection comes from 127.0.0.1, so the connection's address says nothing.
        let ip = req.clientAddress
        return ip == "127.0.0.1" || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    static func metrics(req: Request) async throws -> Response {
        guard allowed(req) else { throw AppError.forbidden() }
        var out = String(decoding: RequestMetrics.registry.emitToBuffer(), as: UTF8.self)
        func help(_ name: String, _ type: String, _ text: String) { out += "# HELP \(name) \(text)\n# TYPE \(name) \(type)\n" }
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

        guard let sql = req.db as? SQLDatabase else { throw AppError.notFound }
        // Orders by status: the whole's monthly rollups (months have six-digit codes).
        help("diandan_orders", "gauge", "Orders by their current status.")
        let columns = OrderStatus.allCases.map { "CAST(COALESCE(SUM(s_\($0.rawValue)), 0) AS BIGINT) AS \"\($0.rawValue)\"" }.joined(separator: ", ")
        if let counts = try await sql.raw("SELECT \(unsafeRaw: columns) FROM assessment_rollups WHERE site_id = 0 AND period >= 100000 AND period < 1000000").first() {
            for s in OrderStatus.allCases { out += "diandan_orders{status=\"\(s.rawValue)\"} \(try counts.decode(column: s.rawValue, as: Int.self))\n" }
        }

        struct Row: Decodable { let oldest: Date?, events: Int, outbox: Int, exports: Int, webhook_pending: Int, sms_pending: Int, webhook_dead: Int, sms_dead: Int }
        let row = try await sql.raw("""
            SELECT (SELECT MIN(response_deadline) FROM orders WHERE status IN ('submitted', 'dispatched') AND overdue = \(bind: false)
                      AND response_deadline < \(bind: req.now)) AS oldest,
                   (SELECT COUNT(*) FROM order_events WHERE notice_topic IS NOT NULL AND noticed_at IS NULL) AS events,
                   (SELECT COUNT(*) FROM outbox WHERE processed_at IS NULL) AS outbox,
                   (SELECT COUNT(*) FROM export_jobs WHERE status IN ('queued', 'running')) AS exports,
                   (SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND channel = 'webhook') AS webhook_pending,
                   (SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND channel = 'sms') AS sms_pending,
                   (SELECT COUNT(*) FROM deliveries WHERE status = 'dead' AND channel = 'webhook') AS webhook_dead,
                   (SELECT COUNT(*) FROM deliveries WHERE status = 'dead' AND channel = 'sms') AS sms_dead
            """).first(decoding: Row.self)
        help("diandan_deadline_scanner_lag_seconds", "gauge", "How long the oldest missed response deadline has waited to be escalated.")
        out += "diandan_deadline_scanner_lag_seconds \(number(max(0, row?.oldest.map { req.now.timeIntervalSince($0) } ?? 0)))\n"
        help("diandan_notice_backlog", "gauge", "Notices not yet delivered, by where they wait.")
        out += "diandan_notice_backlog{source=\"order_events\"} \(row?.events ?? 0)\n"
        out += "diandan_notice_backlog{source=\"outbox\"} \(row?.outbox ?? 0)\n"
        help("diandan_deliveries", "gauge", "Webhook calls and text messages waiting to be sent, and those given up on.")
        for (channel, pending, dead) in [("webhook", row?.webhook_pending, row?.webhook_dead), ("sms", row?.sms_pending, row?.sms_dead)] {
            out += "diandan_deliveries{channel=\"\(channel)\",status=\"pending\"} \(pending ?? 0)\n"
            out += "diandan_deliveries{channel=\"\(channel)\",status=\"dead\"} \(dead ?? 0)\n"
        }
        help("diandan_exports_pending", "gauge", "Order-list exports queued or being written.")
        out += "diandan_exports_pending \(row?.exports ?? 0)\n"

        let settings = req.application.settings
        let loops = System.coreCount
        help("diandan_db_pool_connections", "gauge", "Database connections the pool may open (per event loop times event loops).")
        out += "diandan_db_pool_connections{database=\"\(settings.databaseURL == nil ? "sqlite" : "postgresql")\"} \(loops * (settings.databaseURL == nil ? settings.sqliteConnections : settings.postgresConnections))\n"
        // Group commit: how many commits, and how much each carried.
        let batchers: [(String, GroupCommitter.Stats)] = [("transactions", req.application.groupCommitter?.stats), ("orders", req.application.orderIntake?.stats)]
            .compactMap { name, stats in stats.map { (name, $0) } }
        if !batchers.isEmpty {
            help("diandan_group_commit_batches_total", "counter", "Batches written by the group commit (transactions: SQLite's shared commits; orders: the order intake's batches).")
            for (name, s) in batchers { out += "diandan_group_commit_batches_total{kind=\"\(name)\"} \(s.batches)\n" }
            help("diandan_group_commit_items_total", "counter", "Transactions or orders in those batches.")
            for (name, s) in batchers { out += "diandan_group_commit_items_total{kind=\"\(name)\"} \(s.transactions)\n" }
            help("diandan_group_commit_largest_batch", "gauge", "The largest batch so far.")
            for (name, s) in batchers { out += "diandan_group_commit_largest_batch{kind=\"\(name)\"} \(s.largest)\n" }
        }
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8), let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            help("process_resident_memory_bytes", "gauge", "Resident memory of the server.")
            out += "process_resident_memory_bytes \(pages * 4096)\n"
        }
        let r = Response(status: .ok, body: .init(string: out))
        r.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return r
    }
}
