import Vapor
import DiandanCore

extension Application {
    private struct RateLimiterKey: StorageKey { typealias Value = RateLimiter }

    /// Made once by `configure` (never lazily by two requests at once).
    var rateLimiter: RateLimiter {
        if let l = storage[RateLimiterKey.self] { return l }
        let l = RateLimiter()
        storage[RateLimiterKey.self] = l
        return l
    }
}

extension Request {
    /// The caller's address: the connection's, or — when it comes from a trusted proxy (by default the
    /// machine itself, where nginx runs) — the nearest address in X-Forwarded-For that is not itself a
    /// trusted proxy (a client may put anything at the start of that header; only what our proxies
    /// appended counts).
    var clientAddress: String {
        let direct = remoteAddress?.ipAddress ?? "unknown"
        let trusted = application.settings.trustedProxies
        guard trusted.contains(direct) else { return direct }
        let chain = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for address in chain.reversed() where !address.isEmpty {
            if !trusted.contains(address) { return address }
        }
        if let first = chain.first(where: { !$0.isEmpty }) { return first }
        // A proxy that names the caller another way (nginx's X-Real-IP, RFC 7239's Forwarded).
        if let real = headers.first(name: "X-Real-IP")?.trimmingCharacters(in: .whitespaces), !real.isEmpty { return real }
        if let forwarded = headers.first(name: .forwarded)?.split(separator: ",").last?
            .split(separator: ";").first(where: { $0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("for=") }) {
            let value = forwarded.trimmingCharacters(in: .whitespaces).dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "\"[]"))
            if !value.isEmpty { return value }
        }
        return direct
    }
}

/// Counts a call against its bucket by address and by account (or Open311 key) and refuses it with
/// 429 and Retry-After past the limit. Off with DIANDAN_RATE_LIMITS=off.
struct RateLimit: AsyncMiddleware {
    let bucket: RateBucket
    /// Only for the last path component given (urging is one of the order actions).
    var onlyAction: String? = nil

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if req.application.settings.rateLimits, onlyAction == nil || req.url.path.split(separator: "/").last.map(String.init) == onlyAction {
            let (perAddress, perAccount) = bucket.rules
            let limiter = req.application.rateLimiter
            var wait = limiter.take("\(bucket.rawValue)|ip|\(req.clientAddress)", perAddress, now: req.now)
            if wait == nil, let perAccount, let caller = try await caller(req) {
                wait = limiter.take("\(bucket.rawValue)|\(caller)", perAccount, now: req.now)
            }
            if let wait {
                throw AppError.tooManyRequests(Message("error.rate_limited", ["seconds": String(wait)]), retryAfter: wait)
            }
        }
        return try await next.respond(to: req)
    }

    /// The account, or the digest of an Open311 key.
    private func caller(_ req: Request) async throws -> String? {
        if let p = req.principal { return "account|\(p.accountID)" }
        if bucket == .open311, req.method == .POST {
            let key = try await req.formFields()["api_key"]?.last ?? req.queryFields["api_key"]?.last
            return key.map { "key|" + TokenDigest.sha256($0) }
        }
        return nil
    }
}
