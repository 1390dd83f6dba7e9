import Vapor
import Fluent
import SQLKit
import Crypto
import NIOCore
import DiandanCore
#if canImport(Glibc)
import Glibc
#endif

/// Sends what the notice dispatcher queued for the outside world: webhook calls (signed with the
/// integration's secret) and text messages through the SMS gateway. A delivery is leased before it
/// is sent, so two instances never send it at once; one that fails waits longer each time
/// (`WebhookRules.retryDelay`) and after `WebhookRules.maxAttempts` is set aside as dead, its last
/// error kept for the integration's page. Receivers see the same `X-Diandan-Delivery` on a retry.
struct DeliverySender {
    let db: Database
    let now: Date
    let client: Client
    let protector: DataProtector
    let sms: SMSTemplate?
    let logger: Logger
    /// Whether webhooks may reach internal addresses (DIANDAN_WEBHOOK_ALLOW_PRIVATE).
    var allowPrivate = false
    var threadPool: NIOThreadPool? = nil
    /// Where webhook calls are made from: a client of their own per call, pinned to the address that
    /// was checked.
    var eventLoopGroup: EventLoopGroup? = nil
    /// Every address a name has (getaddrinfo on the thread pool unless a test gives its own).
    var resolve: (@Sendable (String) async throws -> [String])? = nil
    /// How long a sender holds a delivery; a sender that dies lets it go after this.
    static let lease: TimeInterval = 60
    static let timeout: Int64 = 10

    static func make(_ app: Application) -> DeliverySender {
        DeliverySender(db: app.db, now: app.clock.now(), client: app.client, protector: app.protector, sms: app.settings.sms, logger: app.logger,
                       allowPrivate: app.settings.webhookAllowPrivate, threadPool: app.threadPool, eventLoopGroup: app.eventLoopGroup)
    }

    struct Pass: Sendable, Equatable {
        var delivered = 0
        var retried = 0
        var dead = 0
    }

    enum Outcome: Sendable { case delivered, failed(String) }

    func runOnce(limit: Int = 200) async throws -> Pass {
        guard let sql = db as? SQLDatabase else { return Pass() }
        struct Due: Decodable { let id: Int }
        let due = try await sql.raw("""
            SELECT id FROM deliveries WHERE status = \(bind: Delivery.Status.pending.rawValue) AND next_attempt_at <= \(bind: now)
              AND (lease_until IS NULL OR lease_until < \(bind: now))
            ORDER BY id LIMIT \(unsafeRaw: String(limit))
            """).all(decoding: Due.self)
        var pass = Pass()
        for chunk in stride(from: 0, to: due.count, by: 8).map({ Array(due[$0..<min($0 + 8, due.count)]) }) {
            let results = try await withThrowingTaskGroup(of: (Delivery, Outcome)?.self) { group in
                for d in chunk { group.addTask { try await self.attempt(d.id, on: sql) } }
                var out: [(Delivery, Outcome)] = []
                for try await r in group { if let r { out.append(r) } }
                return out
            }
            for (d, outcome) in results {
                switch try await record(d, outcome) {
                case .delivered: pass.delivered += 1
                case .pending: pass.retried += 1
                case .dead: pass.dead += 1
                }
            }
        }
        return pass
    }

    /// Leases the delivery (nil when another sender holds it or it is done) and sends it once.
    private func attempt(_ id: Int, on sql: SQLDatabase) async throws -> (Delivery, Outcome)? {
        struct Claimed: Decodable { let id: Int }
        let claimed = try await sql.update(Delivery.schema).set(SQLColumn("lease_until"), to: SQLBind(now.addingTimeInterval(Self.lease)))
            .where(SQLColumn("id"), .equal, SQLBind(id)).where(SQLColumn("status"), .equal, SQLBind(Delivery.Status.pending.rawValue))
            .where { $0.where(SQLColumn("lease_until"), .is, SQLLiteral.null).orWhere(SQLColumn("lease_until"), .lessThan, SQLBind(now)) }
            .returning("id").all(decoding: Claimed.self)
        guard !claimed.isEmpty, let d = try await Delivery.find(id, on: db) else { return nil }
        do {
            let status: UInt
            switch Delivery.Channel(rawValue: d.channel) {
            case .webhook: status = try await sendPinned(try await webhookRequest(d))
            case .sms: status = try await client.send(try smsRequest(d)).status.code
            case nil: return (d, .failed("unknown channel \(d.channel)"))
            }
            guard (200..<300).contains(status) else { return (d, .failed("HTTP \(status)")) }
            return (d, .delivered)
        } catch {
            return (d, .failed(String(String(describing: error).prefix(300))))
        }
    }

    private func webhookRequest(_ d: Delivery) async throws -> ClientRequest {
        guard let id = d.integrationID, let integration = try await Integration.find(id, on: db) else { throw Gone.integration }
        guard integration.revokedAt == nil, let url = integration.webhookURL else { throw Gone.integration }
        let secret = try integration.webhookSecretSealed.map { try protector.open($0) } ?? ""
        let timestamp = Int(now.timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        headers.replaceOrAdd(name: .userAgent, value: "Diandan-Webhook/1")
        headers.replaceOrAdd(name: WebhookRules.eventHeader, value: d.topic)
        headers.replaceOrAdd(name: WebhookRules.deliveryHeader, value: d.eventKey)
        headers.replaceOrAdd(name: WebhookRules.timestampHeader, value: String(timestamp))
        headers.replaceOrAdd(name: WebhookRules.signatureHeader, value: "sha256=" + Self.sign(WebhookRules.signedText(timestamp: timestamp, body: d.payload), secret: secret))
        return ClientRequest(method: .POST, url: URI(string: url), headers: headers, body: ByteBuffer(string: d.payload), timeout: .seconds(Self.timeout))
    }

    private func smsRequest(_ d: Delivery) throws -> ClientRequest {
        guard let sms else { throw Gone.gateway }
        // Notices carry their text as it is; codes and follow links carry it sealed (`text_sealed`).
        struct Payload: Decodable { let phone_sealed: String, text: String?, text_sealed: String? }
        let p = try JSONDecoder().decode(Payload.self, from: Data(d.payload.utf8))
        let text = try p.text_sealed.map { try protector.open($0) } ?? p.text ?? ""
        let (url, body) = sms.render(phone: try protector.open(p.phone_sealed), text: text)
        var headers = HTTPHeaders()
        if body != nil { headers.replaceOrAdd(name: .contentType, value: sms.contentType) }
        if let h = sms.header { headers.replaceOrAdd(name: h.name, value: h.value) }
        return ClientRequest(method: sms.method == .GET ? .GET : .POST, url: URI(string: url), headers: headers,
                             body: body.map { ByteBuffer(string: $0) }, timeout: .seconds(Self.timeout))
    }

    /// A webhook goes only to the public internet: its name is resolved now, at the call, every
    /// address it has must be public (a name may have been pointed at 127.0.0.1 since it was saved),
    /// and the call is made to the address that was checked — the client is told that address for
    /// the name, so a second lookup (a name that answers differently each time) cannot send it
    /// inward; TLS still checks the certificate for the name. No redirects are followed either.
    func checkTarget(_ url: String) async throws -> (host: String, address: String) {
        if !allowPrivate, !WebhookRules.hostIsAllowed(url, allowPrivate: false) { throw Refused.internalAddress(url) }
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { throw Refused.internalAddress(url) }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses: [String]
        if let resolve {
            addresses = try await resolve(bare)
        } else if let threadPool {
            addresses = try await threadPool.runIfActive { NetworkResolver.addresses(of: bare) }
        } else {
            addresses = NetworkResolver.addresses(of: bare)
        }
        guard let first = addresses.first else { throw Refused.unresolved(host) }
        if !allowPrivate, let inside = addresses.first(where: NetworkAddress.isInternal) { throw Refused.internalAddress("\(host) → \(inside)") }
        return (host, first)
    }

    /// Sends a webhook call to the address `checkTarget` approved, through a client of its own.
    func sendPinned(_ request: ClientRequest) async throws -> UInt {
        let url = request.url.string
        let (host, address) = try await checkTarget(url)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(Self.timeout), read: .seconds(Self.timeout)))
        if address != host { configuration.dnsOverride = [host: address] }
        let pinned = HTTPClient(eventLoopGroup: eventLoopGroup ?? HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            var outgoing = try HTTPClient.Request(url: url, method: .POST, headers: request.headers)
            if let body = request.body { outgoing.body = .byteBuffer(body) }
            let response = try await pinned.execute(request: outgoing, deadline: NIODeadline.now() + TimeAmount.seconds(Self.timeout)).get()
            try await pinned.shutdown()
            return response.status.code
        } catch {
            try? await pinned.shutdown()
            throw error
        }
    }

    enum Refused: Error, CustomStringConvertible {
        case internalAddress(String), unresolved(String)
        var description: String {
            switch self {
            case .internalAddress(let what): "refused: \(what) is not a public address (DIANDAN_WEBHOOK_ALLOW_PRIVATE)"
            case .unresolved(let host): "refused: \(host) has no address"
            }
        }
    }

    enum Gone: Error, CustomStringConvertible {
        case integration, gateway
        var description: String { self == .integration ? "integration revoked or without a webhook" : "no SMS gateway configured" }
    }

    static func sign(_ text: String, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the outcome and lets the lease go.
    private func record(_ d: Delivery, _ outcome: Outcome) async throws -> Delivery.Status {
        d.leaseUntil = nil
        d.attempts += 1
        switch outcome {
        case .delivered:
            d.status = Delivery.Status.delivered.rawValue
            d.deliveredAt = now
            d.lastError = nil
        case .failed(let why):
            d.lastError = why
            if d.attempts >= WebhookRules.maxAttempts {
                d.status = Delivery.Status.dead.rawValue
                logger.warning("Delivery \(d.eventKey) (\(d.channel)) set aside after \(d.attempts) attempts: \(why)")
            } else {
                d.nextAttemptAt = now.addingTimeInterval(WebhookRules.retryDelay(afterAttempt: d.attempts))
            }
        }
        try await d.save(on: db)
        return Delivery.Status(rawValue: d.status) ?? .pending
    }
}

extension PeriodicService {
    /// Webhook calls and text messages every DIANDAN_DELIVERY_SECONDS.
    static func deliverySender(_ app: Application) -> PeriodicService {
        PeriodicService("Deliveries", every: app.settings.deliveryInterval) { app in
            let pass = try await DeliverySender.make(app).runOnce()
            return pass == .init() ? nil : "\(pass.delivered) sent, \(pass.retried) to retry, \(pass.dead) set aside"
        }
    }
}

/// Every address a name resolves to (getaddrinfo, as the HTTP client would); blocking, so it runs on
/// the thread pool.
enum NetworkResolver {
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func addresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let ai = p {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            if ai.pointee.ai_family == AF_INET, let sa = ai.pointee.ai_addr {
                var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                if inet_ntop(AF_INET, &a, &buffer, socklen_t(buffer.count)) != nil { out.append(text(buffer)) }
            } else if ai.pointee.ai_family == AF_INET6, let sa = ai.pointee.ai_addr {
                var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                if inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count)) != nil { out.append(text(buffer)) }
            }
            p = ai.pointee.ai_next
        }
        return out
    }
}
