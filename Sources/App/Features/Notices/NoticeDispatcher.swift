import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Delivers the outbox to people's in-app inboxes. Each entry is claimed and delivered in one
/// transaction, so two dispatchers (or a retry after a crash) never deliver it twice; an entry that
/// fails waits and is tried again, and is set aside after `NoticeRules.maxAttempts`.
struct NoticeDispatcher {
    let db: Database
    let now: Date
    /// Text messages through the configured gateway; nil when none is configured.
    var sms: SMSNotices? = nil

    struct SMSNotices: Sendable {
        let topics: Set<NoticeTopic>
        let localizer: Localizer
    }

    static func make(_ app: Application) -> NoticeDispatcher {
        NoticeDispatcher(db: app.db, now: app.clock.now(),
                         sms: app.settings.sms.map { SMSNotices(topics: $0.topics, localizer: app.localizer) })
    }

    /// An integration told of orders in its reach by webhook.
    struct Hook: Decodable, Sendable {
        let id: Int
        let path: String
    }

    struct Pass: Sendable, Equatable {
        /// Outbox entries handled, and inbox notices written for them.
        var entries = 0
        var notices = 0
        var retried = 0
        var failed = 0
    }

    /// What a notice needs, whether it comes from an order event or from the outbox table.
    struct Source: Sendable {
        enum Origin: Sendable, Equatable { case event(Int), outbox(Int) }
        var origin: Origin
        var topic: String
        var orderID: Int?
        var teamID: Int?
        var siteID: Int?
        var actorAccountID: Int?
        var text: String?
        var recipient: Int? = nil
        var subject: String? = nil
        var link: String? = nil
    }

    /// Delivers what is due in batches of `batch`, each batch in one transaction (one commit for many
    /// notices keeps the single SQLite writer free for orders). A batch that fails is delivered again
    /// source by source, so one bad entry is retried on its own and never holds up the rest.
    func runOnce(limit: Int = 5000, batch: Int = 50) async throws -> Pass {
        var pass = Pass()
        let hooks = try await (db as? SQLDatabase)?.raw("""
            SELECT i.id, s.path FROM integrations i JOIN sites s ON s.id = i.site_id
            WHERE i.webhook_url IS NOT NULL AND i.revoked_at IS NULL
            """).all(decoding: Hook.self) ?? []
        // A shutdown stops between batches: what is left waits for the next start.
        while pass.entries + pass.retried + pass.failed < limit && !Task.isCancelled {
            let events = try await OrderEvent.query(on: db).filter(\.$noticeTopic != nil).filter(\.$noticedAt == nil)
                .sort(\.$id).limit(batch).all()
            let outbox = try await OutboxEntry.query(on: db).filter(\.$processedAt == nil).filter(\.$nextAttemptAt <= now)
                .sort(\.$id).limit(batch).all()
            let due = try events.map { e in
                Source(origin: .event(try e.requireID()), topic: e.noticeTopic ?? "", orderID: e.$order.id, teamID: e.teamID, siteID: e.siteID,
                       actorAccountID: e.$actorAccount.id, text: e.reason)
            } + (try outbox.map { e in
                Source(origin: .outbox(try e.requireID()), topic: e.topic, orderID: e.orderID, teamID: e.teamID, siteID: e.siteID,
                       actorAccountID: e.actorAccountID, text: e.text, recipient: e.recipientAccountID, subject: e.subject, link: e.link)
            })
            guard !due.isEmpty else { break }
            do {
                let (entries, notices) = try await deliver(due, hooks: hooks)
                pass.entries += entries
                pass.notices += notices
            } catch {
                for source in due {
                    do {
                        let (entries, notices) = try await deliver([source], hooks: hooks)
                        pass.entries += entries
                        pass.notices += notices
                    } catch {
                        if try await setBack(source, error: error, events: events, outbox: outbox) { pass.failed += 1 } else { pass.retried += 1 }
                    }
                }
            }
            if events.count < batch && outbox.count < batch { break }
        }
        return pass
    }

    /// Works out every source's notices first (who hears it, the text's values, webhook calls and
    /// texts: reads only), then claims the sources and writes the notices of those it claimed in one
    /// write transaction — short, so the writer it shares with orders is held only for the writing.
    /// Sources another dispatcher claimed first are skipped. Returns the sources delivered here and
    /// the notices written.
    private func deliver(_ sources: [Source], hooks: [Hook]) async throws -> (Int, Int) {
        guard let sql = db as? SQLDatabase else { return (0, 0) }
        var prepared: [(origin: Source.Origin, items: [InboxItem], outward: [Delivery])] = []
        for source in sources {
            guard let topic = NoticeTopic(rawValue: source.topic) else { prepared.append((source.origin, [], [])); continue }
            var outward: [Delivery] = []
            if WebhookRules.forwards(topic), let order = source.orderID, !hooks.isEmpty {
                outward += try await webhooks(source, topic: topic, order: order, hooks: hooks, on: sql)
            }
            let audience = try await Audience.accounts(for: source, on: sql)
            let accounts = NoticeRules.recipients(topic, requester: audience.requester, teamLeaders: audience.teamLeaders,
                                                  siteAdmins: audience.siteAdmins, named: audience.named, actor: source.actorAccountID)
            var items: [InboxItem] = []
            if !accounts.isEmpty {
                let params = try await Self.params(for: source, on: sql)
                if let sms, sms.topics.contains(topic) {
                    outward += try await texts(source, topic: topic, accounts: accounts, params: params, sms: sms, on: sql)
                }
                for account in accounts {
                    items.append(item(for: account, topic: source.topic, source, params: params))
                }
            }
            // The resident hears in their own words of a step addressed to the team.
            if let own = NoticeRules.requesterTopic(for: topic) {
                var told = Set(accounts)
                // Once each (the requester and whoever placed it may be one account).
                let requesters = audience.requester.filter { $0 != source.actorAccountID && told.insert($0).inserted }
                if !requesters.isEmpty {
                    let params = try await Self.params(for: source, on: sql)
                    for account in requesters { items.append(item(for: account, topic: own, source, params: params)) }
                }
            }
            prepared.append((source.origin, items, outward))
        }
        let now = self.now, ready = prepared
        return try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return (0, 0) }
            struct Claimed: Decodable { let id: Int }
            var claimed: [Source.Origin] = []
            let eventIDs = sources.compactMap { if case .event(let id) = $0.origin { id } else { nil } }
            if !eventIDs.isEmpty {
                claimed += try await sql.update(OrderEvent.schema).set(SQLColumn("noticed_at"), to: SQLBind(now))
                    .where(SQLColumn("id"), .in, SQLBind.group(eventIDs)).where(SQLColumn("noticed_at"), .is, SQLLiteral.null)
                    .returning("id").all(decoding: Claimed.self).map { .event($0.id) }
            }
            let outboxIDs = sources.compactMap { if case .outbox(let id) = $0.origin { id } else { nil } }
            if !outboxIDs.isEmpty {
                claimed += try await sql.update(OutboxEntry.schema).set(SQLColumn("processed_at"), to: SQLBind(now))
                    .where(SQLColumn("id"), .in, SQLBind.group(outboxIDs)).where(SQLColumn("processed_at"), .is, SQLLiteral.null)
                    .returning("id").all(decoding: Claimed.self).map { .outbox($0.id) }
            }
            let mine = ready.filter { claimed.contains($0.origin) }
            let items = mine.flatMap(\.items), outward = mine.flatMap(\.outward)
            if !items.isEmpty { try await items.create(on: db) }
            if !outward.isEmpty { try await outward.create(on: db) }
            return (claimed.count, items.count)
        }
    }

    private func item(for account: Int, topic: String, _ source: Source, params: String) -> InboxItem {
        let n = InboxItem()
        n.createdAt = now
        n.$account.id = account
        switch source.origin {
        case .event(let id): n.eventID = id
        case .outbox(let id): n.outboxID = id
        }
        n.topic = topic
        n.orderID = source.orderID
        n.link = source.link
        n.params = params
        return n
    }

    private func delivery(_ channel: Delivery.Channel, _ topic: NoticeTopic, key: String, payload: String) -> Delivery {
        let d = Delivery()
        d.createdAt = now
        d.channel = channel.rawValue
        d.topic = topic.rawValue
        d.eventKey = key
        d.payload = payload
        d.status = Delivery.Status.pending.rawValue
        d.attempts = 0
        d.nextAttemptAt = now
        return d
    }

    /// One webhook call per integration whose site covers the order's station.
    private func webhooks(_ source: Source, topic: NoticeTopic, order: Int, hooks: [Hook], on sql: SQLDatabase) async throws -> [Delivery] {
        struct Row: Decodable { let number: String, status: OrderStatus, title: String, code: String, path: String, team: String? }
        guard let row = try await sql.raw("""
            SELECT o.number, o.status, o.title, s.code, s.path, t.name AS team
            FROM orders o JOIN sites s ON s.id = o.station_id LEFT JOIN teams t ON t.id = o.team_id WHERE o.id = \(bind: order)
            """).first(decoding: Row.self) else { return [] }
        let station = SitePath(rawValue: row.path)
        return hooks.filter { SitePath(rawValue: $0.path).covers(station) }.map { hook in
            let key = "evt_" + TokenDigest.random(bytes: 12)
            let body = WebhookRules.OrderEvent(delivery: key, topic: topic.rawValue, at: now, number: row.number,
                                               status: row.status, title: row.title,
                                               station: row.code, team: row.team, text: source.text).json()
            let d = delivery(.webhook, topic, key: key, payload: body)
            d.integrationID = hook.id
            d.orderID = order
            return d
        }
    }

    /// One text per recipient with a phone number, in their language; the number stays sealed.
    private func texts(_ source: Source, topic: NoticeTopic, accounts: [Int], params: String, sms: SMSNotices, on sql: SQLDatabase) async throws -> [Delivery] {
        struct Row: Decodable { let id: Int, phone_sealed: String, locale: String }
        let rows = try await sql.raw("SELECT id, phone_sealed, locale FROM accounts WHERE id IN (\(binds: accounts)) AND phone_sealed IS NOT NULL")
            .all(decoding: Row.self)
        let values = (try? JSONDecoder().decode([String: String].self, from: Data(params.utf8))) ?? [:]
        return rows.map { r in
            let text = sms.localizer.text("notice.\(topic.rawValue)", AppLocale(rawValue: r.locale) ?? .zhCN, values)
            let payload = OrderService.json(["phone_sealed": r.phone_sealed, "text": text]) ?? "{}"
            let d = delivery(.sms, topic, key: "sms_" + TokenDigest.random(bytes: 12), payload: payload)
            d.accountID = r.id
            d.orderID = source.orderID
            return d
        }
    }

    /// Records a failed attempt; true when the source is now set aside for good. An order event that
    /// cannot be delivered is set aside at once (its notice is marked done, the failure logged by the caller).
    private func setBack(_ source: Source, error: Error, events: [OrderEvent], outbox: [OutboxEntry]) async throws -> Bool {
        switch source.origin {
        case .event(let id):
            guard let e = events.first(where: { $0.id == id }) else { return true }
            e.noticedAt = now
            try await e.save(on: db)
            return true
        case .outbox(let id):
            guard let entry = outbox.first(where: { $0.id == id }) else { return true }
            entry.attempts += 1
            entry.lastError = String(String(describing: error).prefix(500))
            if entry.attempts >= NoticeRules.maxAttempts {
                entry.failed = true
                entry.processedAt = now
            } else {
                entry.nextAttemptAt = now.addingTimeInterval(NoticeRules.retryDelay(afterAttempt: entry.attempts))
            }
            try await entry.save(on: db)
            return entry.failed
        }
    }

    /// What the catalogue text needs, looked up once at delivery: order number and title, team, site.
    static func params(for entry: Source, on sql: SQLDatabase) async throws -> String {
        struct Row: Decodable { let number: String?, title: String?, team: String?, site: String? }
        let row = try await sql.raw("""
            SELECT (SELECT number FROM orders WHERE id = \(bind: entry.orderID ?? -1)) AS number,
                   (SELECT title FROM orders WHERE id = \(bind: entry.orderID ?? -1)) AS title,
                   (SELECT name FROM teams WHERE id = \(bind: entry.teamID ?? -1)) AS team,
                   (SELECT name FROM sites WHERE id = \(bind: entry.siteID ?? -1)) AS site
            """).first(decoding: Row.self)
        var params: [String: String] = [:]
        params["number"] = row?.number
        params["title"] = entry.subject ?? row?.title
        params["team"] = row?.team
        params["site"] = row?.site
        params["text"] = entry.text ?? ""
        return OrderService.json(params) ?? "{}"
    }
}

extension Audience {
    struct Accounts {
        var requester: [Int] = []
        var teamLeaders: [Int] = []
        var siteAdmins: [Int] = []
        var named: [Int] = []
    }

    /// The accounts behind each audience of an outbox entry; disabled accounts hear nothing.
    static func accounts(for entry: NoticeDispatcher.Source, on sql: SQLDatabase) async throws -> Accounts {
        struct Row: Decodable { let account_id: Int }
        var out = Accounts()
        if let named = entry.recipient { out.named = try await enabled([named], on: sql) }
        if let order = entry.orderID {
            struct Parties: Decodable { let requester_account_id: Int?, placed_by_account_id: Int? }
            if let p = try await sql.raw("SELECT requester_account_id, placed_by_account_id FROM orders WHERE id = \(bind: order)").first(decoding: Parties.self) {
                out.requester = try await enabled([p.requester_account_id, p.placed_by_account_id].compactMap { $0 }, on: sql)
            }
        }
        if let team = entry.teamID {
            out.teamLeaders = try await sql.raw("""
                SELECT DISTINCT v.account_id FROM team_memberships m JOIN volunteers v ON v.id = m.volunteer_id
                JOIN accounts a ON a.id = v.account_id
                WHERE m.team_id = \(bind: team) AND m.role = \(bind: MemberRole.leader.rawValue) AND a.disabled = \(bind: false)
                ORDER BY v.account_id
                """).all(decoding: Row.self).map(\.account_id)
        }
        if let site = entry.siteID {
            // The admins of the site, or of the nearest site above it that has any: someone always hears.
            struct Admin: Decodable { let account_id: Int, site_id: Int }
            struct PathRow: Decodable { let path: String }
            guard let path = try await sql.raw("SELECT path FROM sites WHERE id = \(bind: site)").first(decoding: PathRow.self) else { return out }
            let chain = SitePath(rawValue: path.path).ids
            let admins = try await sql.raw("""
                SELECT g.account_id, g.site_id FROM grants g JOIN accounts a ON a.id = g.account_id
                WHERE g.role = \(bind: Role.siteAdmin.rawValue) AND g.site_id IN (\(binds: chain)) AND a.disabled = \(bind: false)
                ORDER BY g.account_id
                """).all(decoding: Admin.self)
            if let nearest = chain.reversed().first(where: { id in admins.contains { $0.site_id == id } }) {
                out.siteAdmins = admins.filter { $0.site_id == nearest }.map(\.account_id)
            }
        }
        return out
    }

    private static func enabled(_ ids: [Int], on sql: SQLDatabase) async throws -> [Int] {
        guard !ids.isEmpty else { return [] }
        struct Row: Decodable { let id: Int }
        let ok = Set(try await sql.raw("SELECT id FROM accounts WHERE id IN (\(binds: ids)) AND disabled = \(bind: false)").all(decoding: Row.self).map(\.id))
        return ids.filter(ok.contains)
    }
}
