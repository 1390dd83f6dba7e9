import Vapor
import NIOConcurrencyHelpers
import SQLKit
import DiandanCore

/// Request latency histograms, kept in memory by route pattern (never the raw path, so the number of
/// series stays small), for `/metrics`.
final class RequestMetrics: @unchecked Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Key: Hashable { var method: String; var route: String; var status: String }
    struct Series { var counts = Array(repeating: 0, count: RequestMetrics.buckets.count); var sum = 0.0; var count = 0 }

    private let lock = NIOLock()
    private var series: [Key: Series] = [:]
    private var inFlight = 0

    func started() { lock.withLock { inFlight += 1 } }

    func finished(_ key: Key, seconds: Double) {
        lock.withLock {
            inFlight -= 1
            var s = series[key] ?? Series()
            for (i, le) in Self.buckets.enumerated() where seconds <= le { s.counts[i] += 1 }
            s.sum += seconds
            s.count += 1
            series[key] = s
        }
    }

    var snapshot: (series: [Key: Series], inFlight: Int) { lock.withLock { (series, inFlight) } }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = RequestMetrics }

    var requestMetrics: RequestMetrics {
        if let m = storage[MetricsKey.self] { return m }
        let m = RequestMetrics()
        storage[MetricsKey.self] = m
        return m
    }
}

/// `Server-Timing: app;dur=1.23` (how long the server spent on a request, for benchmarks and for the
/// browser's developer tools), and the same duration into the latency histograms.
struct ServerTiming: AsyncMiddleware {
    let metrics: RequestMetrics

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        metrics.started()
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            metrics.finished(.init(method: req.method.rawValue, route: Self.route(req), status: "5xx"), seconds: Self.seconds(since: start))
            throw error
        }
        let seconds = Self.seconds(since: start)
        metrics.finished(.init(method: req.method.rawValue, route: Self.route(req), status: "\(response.status.code / 100)xx"), seconds: seconds)
        response.headers.replaceOrAdd(name: "Server-Timing", value: String(format: "app;dur=%.3f", seconds * 1000))
        return response
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The route's pattern (`/api/v1/orders/:id`); static files and unknown paths are grouped.
    static func route(_ req: Request) -> String {
        if let route = req.route { return "/" + route.path.map(\.description).joined(separator: "/") }
        let path = req.url.path
        return path.hasPrefix("/css/") || path.hasPrefix("/js/") ? "static" : "unmatched"
    }
}

/// `/metrics` in Prometheus' text format: request latency histograms, requests in flight, orders by
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
        var out = ""
        func help(_ name: String, _ type: String, _ text: String) { out += "# HELP \(name) \(text)\n# TYPE \(name) \(type)\n" }
        func label(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") }
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

        let (series, inFlight) = req.application.requestMetrics.snapshot
        help("diandan_http_request_duration_seconds", "histogram", "Time the server spent on requests, by route pattern and status class.")
        for (key, s) in series.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            let labels = "method=\"\(key.method)\",route=\"\(label(key.route))\",status=\"\(key.status)\""
            for (i, le) in RequestMetrics.buckets.enumerated() {
                out += "diandan_http_request_duration_seconds_bucket{\(labels),le=\"\(number(le))\"} \(s.counts[i])\n"
            }
            out += "diandan_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(s.count)\n"
            out += "diandan_http_request_duration_seconds_sum{\(labels)} \(s.sum)\n"
            out += "diandan_http_request_duration_seconds_count{\(labels)} \(s.count)\n"
        }
        help("diandan_http_requests_in_flight", "gauge", "Requests being served now.")
        out += "diandan_http_requests_in_flight \(inFlight)\n"

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
