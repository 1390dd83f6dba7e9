import Fluent
import Vapor
import SQLKit
import Foundation
import DiandanCore

/// The rules of the loop that need the database: creating orders, dispatching them, and every
/// transition, each in one transaction with its event.
struct OrderService {
    let db: Database
    let now: Date
    let protector: DataProtector
    let policy: OrderPolicy
    /// The batching writer of new orders, when the app runs one (DIANDAN_GROUP_COMMIT).
    var intake: OrderIntake? = nil
    /// Where completion photos are written.
    var uploads: UploadStore? = nil

    // MARK: Creating

    /// Places an order. With an idempotency key, a retry returns the first order instead of a second.
    ///
    /// Everything that needs reading — the station, the menu item, the ranking of teams — is done
    /// first, on a reading connection; only the writing waits for the writer (`OrderWriter`), alone
    /// or in a batch with other orders (`OrderIntake`), where the chosen team's room is checked again.
    func create(_ input: OrderInput, by p: Principal, key: String?) async throws -> (order: Order, created: Bool) {
        var placing: PlacedOrder
        let digest = key == nil ? nil : TokenDigest.sha256(input.canonical)
        switch try await place(input, by: p, key: key, digest: digest) {
        case .earlier(let id):
            guard let order = try await Order.find(id, on: db) else { throw AppError.notFound }
            return (order, false)
        case .placed(let order):
            placing = order
        }
        placing.digest = digest
        let written: OrderWriter.Written
        let placed = placing
        do {
            if let intake, !WriteTransaction.active, !db.inTransaction {
                written = try await intake.submit(placed)
            } else {
                written = try await db.writeTransaction { db in try await OrderWriter.write([placed], on: db)[0] }
            }
        } catch where key != nil && error.isUniqueViolation {
            // Two retries raced on two writers (two instances on PostgreSQL): the first one's order is the answer.
            let existing = try await IdempotencyRecord.query(on: db).filter(\.$accountID == p.accountID).filter(\.$key == key!).first()
            guard let existing, let order = try await Order.find(existing.$order.id, on: db) else { throw error }
            try Self.requireSameRequest(existing.requestDigest, digest)
            return (order, false)
        }
        guard written.sameRequest else { throw Self.keyReused }
        return (written.order, written.created)
    }

    static let keyReused = ValidationFailure(field: "Idempotency-Key", "error.idempotency_key_reused")

    /// A key sent again must ask for the same order it was first used for.
    static func requireSameRequest(_ stored: String?, _ mine: String?) throws {
        if let stored, let mine, stored != mine { throw keyReused }
    }

    enum Placing: Sendable {
        /// A retry: the key was used for this order.
        case earlier(Int)
        case placed(PlacedOrder)
    }

    /// The order as it will be written, with the teams that could take it at once (best first); the
    /// earlier order of a retry; or the refusal a person understands. Reads only.
    func place(_ input: OrderInput, by p: Principal, key: String?, digest: String? = nil) async throws -> Placing {
        let (station, offered, earlier) = try await stationAndItem(input.stationID, menuItemID: input.menuItemID, retry: key.map { (p.accountID, $0) }, on: db)
        if let earlier {
            try Self.requireSameRequest(earlier.digest, digest)
            return .earlier(earlier.order)
        }
        guard station.active else { throw ValidationFailure(field: "station_id", "error.site.inactive") }
        guard let onBehalf = OrderPolicy.mayOrder(p.grants, at: station.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }

        let categoryID: Int, orderTitle: String
        if input.menuItemID != nil {
            guard let offered else { throw ValidationFailure(field: "menu_item_id", "error.order.menu_unavailable") }
            categoryID = offered.categoryID
            orderTitle = offered.title
        } else {
            guard let id = input.categoryID, let category = try await Category.find(id, on: db), category.active else {
                throw ValidationFailure(field: "category_id", "error.not_found_choice")
            }
            categoryID = id
            orderTitle = category.name + "：" + String(input.details.prefix(30))
        }
        let o = Order()
        // The id and number are given by the writer; every other column is set here, so every order's
        // row has the same columns and a batch is one statement per table.
        o.id = 0
        o.number = ""
        o.createdAt = now
        o.updatedAt = now
        o.status = OrderStatus.submitted
        o.version = 0
        o.$menuItem.id = offered?.id
        o.$category.id = categoryID
        o.title = orderTitle
        o.details = input.details
        o.$station.id = try station.requireID()
        o.$ownerSite.id = try station.requireID()
        o.$team.id = nil
        // 代点单 for someone whose phone has a resident's account: the order is theirs too (they see
        // it, hear of its steps and rate it themselves).
        o.$requester.id = onBehalf ? try await residentAccount(phone: input.contactPhone) : p.accountID
        o.$placedBy.id = p.accountID
        o.onBehalf = onBehalf
        o.contactName = input.contactName
        o.contactPhoneSealed = try protector.seal(input.contactPhone?.value ?? "")
        o.contactPhoneMasked = input.contactPhone?.masked ?? ""
        o.address = input.address
        o.mediaURL = input.mediaURL
        if input.channel == .open311 { o.open311Token = TokenDigest.random(bytes: 12) }
        o.latitude = input.latitude
        o.longitude = input.longitude
        o.windowStart = input.windowStart
        o.windowEnd = input.windowEnd
        o.people = input.people
        o.channel = input.channel.rawValue
        o.notes = input.notes
        o.responseDeadline = policy.deadlines.responseDeadline(zone: station.zone, from: now, overrideMinutes: station.responseMinutes)
        o.completionDeadline = policy.deadlines.completionDeadline(from: now, days: nil)
        o.overdue = false
        o.openForClaim = false
        o.ratedByProxy = false
        // 系统自动接单: the teams that could take it at once, best first; the writer gives it to the
        // first that still has room when the order is written.
        let choices = offered?.autoAccept == true ? try await suggestions(for: o, station: station, includeDeclines: false, on: db) : []
        return .placed(PlacedOrder(order: o, row: try ModelRow(o), key: key, accountID: p.accountID, path: station.sitePath,
                                   choices: choices.map { PlacedOrder.Choice(team: $0.0.id, detail: Self.json($0.1)) }))
    }

    /// The resident account a phone number belongs to, if any (by the keyed hash of the number).
    func residentAccount(phone: PhoneNumber?) async throws -> Int? {
        guard let phone, phone.isMobile else { return nil }
        let hash = protector.lookupHash(PhoneSignIn.hashInput(phone.value))
        guard let account = try await Account.query(on: db).filter(\.$phoneHash == hash).filter(\.$disabled == false).first(),
              let id = account.id else { return nil }
        let resident = try await RoleGrant.query(on: db).filter(\.$account.$id == id).filter(\.$role == .resident).count() > 0
        return resident ? id : nil
    }

    /// 评单 from the signed follow link a resident was texted (an order taken by phone or at the
    /// door): the same step as the requester's, without an account.
    func rateFromFollowLink(orderID: Int, _ input: RatingInput) async throws -> Order {
        try await db.writeTransaction { db in
            guard let o = try await Order.find(orderID, on: db) else { throw AppError.notFound }
            try await transition(o, .rate, actors: [.requester], account: o.$requester.id, reason: nil, on: db) { o in
                try await rate(o, input, byProxy: false, on: db)
            }
            return o
        }
    }

    private func rate(_ o: Order, _ input: RatingInput, byProxy: Bool, on db: Database) async throws -> (Int?, String?) {
        if let done = o.completedAt, !RatingWindow.isOpen(completedAt: done, now: now) {
            throw AppError.conflict(field: nil, Message("error.order.rating_closed"))
        }
        o.rating = input.score
        o.ratingComment = input.comment
        o.ratedByProxy = byProxy
        if input.score == 5 { try await creditBonus(o, on: db) }
        return (o.$team.id, nil)
    }

    /// A menu item that may be ordered at a station.
    struct OfferedItem: Sendable {
        let id: Int
        let title: String
        let autoAccept: Bool
        let categoryID: Int
    }

    /// The station, and the menu item if it is active, in an active category, and covers the station
    /// (a covered site is the station or above it): one query, on the path of every order.
    /// With `retry` (account and idempotency key), also the order that key was used for, if any.
    private func stationAndItem(_ stationID: Int, menuItemID: Int?, retry: (Int, String)?, on db: Database) async throws -> (Site, OfferedItem?, (order: Int, digest: String?)?) {
        guard let sql = db as? SQLDatabase else { throw AppError.notFound }
        struct Row: Decodable {
            let id: Int, code: String, name: String, kind: SiteKind, path: String, latitude: Double, longitude: Double, zone: Zone
            let active: Bool, response_minutes: Int?, parent_id: Int?
            let m_id: Int?, m_title: String?, m_auto: Bool?, m_category: Int?
            let earlier: Int?, earlier_digest: String?
        }
        let earlier: SQLQueryString = retry.map { "(SELECT order_id FROM idempotency_keys WHERE account_id = \(bind: $0.0) AND key = \(bind: $0.1))" }
            ?? "NULL"
        let earlierDigest: SQLQueryString = retry.map { "(SELECT request_digest FROM idempotency_keys WHERE account_id = \(bind: $0.0) AND key = \(bind: $0.1))" }
            ?? "NULL"
        let row = try await sql.raw("""
            SELECT s.id, s.code, s.name, s.kind, s.path, s.latitude, s.longitude, s.zone, s.active, s.response_minutes, s.parent_id,
                   m.id AS m_id, m.title AS m_title, m.auto_accept AS m_auto, m.category_id AS m_category, \(earlier) AS earlier, \(earlierDigest) AS earlier_digest
            FROM sites s
            LEFT JOIN menu_items m ON m.id = \(bind: menuItemID ?? -1) AND m.active = \(bind: true)
                 AND EXISTS (SELECT 1 FROM categories c WHERE c.id = m.category_id AND c.active = \(bind: true))
                 AND EXISTS (SELECT 1 FROM menu_item_sites x JOIN sites covered ON covered.id = x.site_id
                             WHERE x.menu_item_id = m.id AND s.path LIKE covered.path || '%')
            WHERE s.id = \(bind: stationID)
            """).first(decoding: Row.self)
        guard let row else {
            // An unknown station: a retry still finds its order (the station may have gone since).
            if let (account, key) = retry, let r = try await IdempotencyRecord.query(on: db).filter(\.$accountID == account).filter(\.$key == key).first() {
                return (Site(), nil, (r.$order.id, r.requestDigest))
            }
            throw ValidationFailure(field: "station_id", "error.not_found_choice")
        }
        let site = Site()
        site.id = row.id
        site.code = row.code
        site.name = row.name
        site.kind = row.kind
        site.path = row.path
        site.latitude = row.latitude
        site.longitude = row.longitude
        site.zone = row.zone
        site.active = row.active
        site.responseMinutes = row.response_minutes
        site.$parent.id = row.parent_id
        let item = row.m_id.map { OfferedItem(id: $0, title: row.m_title ?? "", autoAccept: row.m_auto ?? false, categoryID: row.m_category ?? 0) }
        return (site, item, row.earlier.map { ($0, row.earlier_digest) })
    }

    // MARK: Dispatching

    /// Teams that offer the order's menu item (or its category, for needs off the menu), ranked.
    /// A team that could take an order, as the ranking and the pages need it.
    struct TeamOption: Sendable {
        let id: Int
        let name: String
        let siteID: Int
    }

    func suggestions(for o: Order, station given: Site? = nil, includeDeclines: Bool = true, on db: Database) async throws -> [(TeamOption, DispatchScore)] {
        var station = given
        if station == nil { station = try await Site.find(o.$station.id, on: db) }
        guard let station, let sql = db as? SQLDatabase else { return [] }
        struct Row: Decodable {
            let id: Int, name: String, site_id: Int, max_concurrent_orders: Int, path: String, latitude: Double, longitude: Double
            let active_orders: Int, mean: Double?
        }
        // Active teams of this county (the root of the station's tree) that offer the menu item, or the
        // category for needs off the menu, with the orders they hold and their mean rating: one query.
        let occupying = OrderStatus.allCases.filter(\.occupiesTeam).map(\.rawValue)
        let offer: SQLQueryString = o.$menuItem.id.map { "JOIN menu_item_teams x ON x.team_id = t.id AND x.menu_item_id = \(bind: $0)" }
            ?? "JOIN team_categories x ON x.team_id = t.id AND x.category_id = \(bind: o.$category.id)"
        let root = SitePath.root(station.sitePath.ids.first ?? 0).rawValue + "%"
        let rows = try await sql.raw("""
            SELECT t.id, t.name, t.site_id, t.max_concurrent_orders, s.path, s.latitude, s.longitude,
                   (SELECT COUNT(*) FROM orders o WHERE o.team_id = t.id AND o.status IN (\(binds: occupying))) AS active_orders,
                   (SELECT AVG(CAST(o.rating AS DOUBLE PRECISION)) FROM orders o WHERE o.team_id = t.id AND o.rating IS NOT NULL) AS mean
            FROM teams t JOIN sites s ON s.id = t.site_id \(offer)
            WHERE t.active = \(bind: true) AND s.path LIKE \(bind: root)
            """).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        var declined: Set<Int> = []
        if includeDeclines, let orderID = o.id {
            declined = Set(try await OrderEvent.query(on: db).filter(\.$order.$id == orderID)
                .filter(\.$action == OrderAction.decline.rawValue).all().compactMap(\.teamID))
        }
        let candidates = rows.map { r in
            TeamCandidate(teamID: r.id, name: r.name, sitePath: SitePath(rawValue: r.path), latitude: r.latitude, longitude: r.longitude,
                          activeOrders: r.active_orders, maxConcurrentOrders: r.max_concurrent_orders, meanRating: r.mean,
                          declinedThisOrder: declined.contains(r.id))
        }
        var tiers: [SitePath] = []
        var path = SitePath(rawValue: "/")
        for id in station.sitePath.ids { path = path.child(id); tiers.insert(path, at: 0) }
        let ranked = policy.ranker.rank(candidates, latitude: o.latitude ?? station.latitude, longitude: o.longitude ?? station.longitude, tiers: tiers)
        return ranked.compactMap { score in rows.first { $0.id == score.teamID }.map { (TeamOption(id: $0.id, name: $0.name, siteID: $0.site_id), score) } }
    }

    /// 系统自动接单: the best team takes it at once, with the score breakdown on the event.
    private func autoDispatch(_ o: Order, station: Site, on db: Database) async throws {
        guard let (team, score) = try await suggestions(for: o, on: db).first else { return }
        try await transition(o, .dispatch, actors: [.system], account: nil, reason: nil, on: db) { o in
            o.$team.id = team.id
            return (team.id, Self.json(score))
        }
    }

    // MARK: Acting

    /// Who this person is to this order.
    func actors(for o: Order, _ p: Principal, on db: Database) async throws -> Set<OrderActor> {
        var actors: Set<OrderActor> = []
        if o.$requester.id == p.accountID || o.$placedBy.id == p.accountID { actors.insert(.requester) }
        let owner = try await Site.find(o.$ownerSite.id, on: db)!
        if Policy.allows(p.grants, .orders, .write, at: owner.sitePath) { actors.insert(.siteAdmin) }
        let led = try await ledTeams(p, on: db)
        if let team = o.$team.id, led.contains(team) { actors.insert(.assignedLeader) }
        if OrderPolicy.isClaimable(o.status, openForClaim: o.openForClaim), !led.isEmpty {
            let eligible = Set(try await suggestions(for: o, on: db).map(\.1.teamID))
            if !eligible.isDisjoint(with: led) { actors.insert(.eligibleLeader) }
        }
        return actors
    }

    func ledTeams(_ p: Principal, on db: Database) async throws -> Set<Int> { try await p.ledTeams(on: db) }

    /// 接单: what the leader of these teams has to act on, a page at a time — first the open orders
    /// (清单认领) one of the teams may claim, then the teams' orders in hand, soonest deadline first.
    /// "May claim" is the rule `suggestions` applies to one order (an active team of the station's
    /// county that offers the item, or the category off the menu, has room, and has not declined it),
    /// asked of every open order at once in one query.
    func teamInbox(teams: Set<Int>, offset: Int, limit: Int, on db: Database) async throws -> (orders: [Order], total: Int) {
        guard !teams.isEmpty, let sql = db as? SQLDatabase else { return ([], 0) }
        struct TeamRow: Decodable { let id: Int; let path: String }
        let led = try await sql.raw("""
            SELECT t.id, s.path FROM teams t JOIN sites s ON s.id = t.site_id WHERE t.id IN (\(binds: Array(teams)))
            """).all(decoding: TeamRow.self)
        // A team may claim within its county: the station lies under the root of the team's site.
        let counties = Dictionary(grouping: led) { SitePath.root(SitePath(rawValue: $0.path).ids.first ?? 0).rawValue }
        let inCounty = counties.map { root, rows -> SQLQueryString in
            "(t.id IN (\(binds: rows.map(\.id))) AND st.path LIKE \(bind: root + "%"))"
        }.joined(separator: " OR ")
        // No team found (a team deleted under its leader): nothing to claim, and no empty "()" in the SQL.
        let claimable: SQLQueryString = counties.isEmpty ? "1 = 0" : inCounty
        let occupying = OrderStatus.allCases.filter(\.occupiesTeam).map(\.rawValue)
        let inHand = OrderStatus.allCases.filter(\.isWithTeam).map(\.rawValue)
        struct Row: Decodable { let id: Int; let total: Int }
        let rows = try await sql.raw("""
            SELECT o.id, COUNT(*) OVER () AS total FROM orders o JOIN sites st ON st.id = o.station_id
            WHERE (o.team_id IN (\(binds: Array(teams))) AND o.status IN (\(binds: inHand)))
               OR (o.open_for_claim = \(bind: true) AND o.status = \(bind: OrderStatus.submitted.rawValue) AND EXISTS (
                    SELECT 1 FROM teams t WHERE t.active = \(bind: true) AND (\(claimable))
                      AND (CASE WHEN o.menu_item_id IS NULL
                                THEN EXISTS (SELECT 1 FROM team_categories x WHERE x.team_id = t.id AND x.category_id = o.category_id)
                                ELSE EXISTS (SELECT 1 FROM menu_item_teams x WHERE x.team_id = t.id AND x.menu_item_id = o.menu_item_id) END)
                      AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.team_id = t.id AND e.action = \(bind: OrderAction.decline.rawValue))
                      AND (SELECT COUNT(*) FROM orders a WHERE a.team_id = t.id AND a.status IN (\(binds: occupying))) < t.max_concurrent_orders))
            ORDER BY CASE WHEN o.team_id IN (\(binds: Array(teams))) AND o.status IN (\(binds: inHand)) THEN 1 ELSE 0 END, o.response_deadline, o.id
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all(decoding: Row.self)
        let ids = rows.map(\.id)
        guard !ids.isEmpty else {
            // Past the last page: the count still tells the pager where the list ends.
            let total = offset == 0 ? 0 : try await teamInbox(teams: teams, offset: 0, limit: 1, on: db).total
            return ([], total)
        }
        let found = Dictionary(uniqueKeysWithValues: try await Order.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return (ids.compactMap { found[$0] }, rows[0].total)
    }

    /// May this person see the order at all? Requesters, staff of the station or of the owning site,
    /// and the assigned team's leader.
    func canRead(_ o: Order, _ p: Principal, on db: Database) async throws -> Bool {
        if o.$requester.id == p.accountID || o.$placedBy.id == p.accountID { return true }
        let sites = try await Site.query(on: db).filter(\.$id ~~ [o.$station.id, o.$ownerSite.id]).all()
        if sites.contains(where: { Policy.allows(p.grants, .orders, .read, at: $0.sitePath) }) { return true }
        let led = try await ledTeams(p, on: db)
        if let team = o.$team.id, led.contains(team) { return true }
        // An order opened for claiming (清单认领) shows to leaders of the teams that may claim it.
        if OrderPolicy.isClaimable(o.status, openForClaim: o.openForClaim), !led.isEmpty {
            return !Set(try await suggestions(for: o, on: db).map(\.1.teamID)).isDisjoint(with: led)
        }
        return false
    }

    /// What a person asks to do to an order, with what the action needs.
    enum OrderRequest: Sendable {
        case dispatch(teamID: Int)
        case accept, start, urge, escalate
        case decline(reason: String?), cancel(reason: String?), reject(reason: String?)
        case claim
        case openForClaim
        case complete(CompletionInput, photos: [PendingPhoto])
        case rate(RatingInput)
        case close
        case message(String)

        var step: OrderStep {
            switch self {
            case .dispatch: .dispatch
            case .accept: .accept
            case .start: .start
            case .urge: .urge
            case .escalate: .escalate
            case .decline: .decline
            case .cancel: .cancel
            case .reject: .reject
            case .claim: .claim
            case .openForClaim: .openForClaim
            case .complete: .complete
            case .rate: .rate
            case .close: .close
            case .message: .message
            }
        }

        var action: OrderAction { step.action }

        /// Reads what an action needs from a form or JSON body; the same for pages and API.
        static func parse(_ step: OrderStep, _ r: inout FieldReader) throws -> OrderRequest {
            let request: OrderRequest
            switch step {
            case .dispatch:
                let team = r.int("team_id", in: 1...Int(Int32.max))
                try r.check()
                request = .dispatch(teamID: team!)
            case .accept: request = .accept
            case .start: request = .start
            case .urge: request = .urge
            case .escalate: request = .escalate
            case .claim: request = .claim
            case .close: request = .close
            case .openForClaim: request = .openForClaim
            case .decline, .cancel, .reject:
                let reason = r.text("reason", max: 500, multiline: true)
                try r.check()
                request = step == .decline ? .decline(reason: reason) : step == .cancel ? .cancel(reason: reason) : .reject(reason: reason)
            case .message:
                let text = r.text("text", max: 1000, multiline: true)
                try r.check()
                request = .message(text!)
            case .complete:
                let input = CompletionInput.read(&r)
                try r.check()
                request = .complete(input!, photos: [])
            case .rate:
                let input = RatingInput.read(&r)
                try r.check()
                request = .rate(input!)
            }
            return request
        }

        /// Photos sent with a completion, checked (and stripped of their metadata) but not yet
        /// written: they are written inside the transaction, once every other check has passed.
        func withPhotos(_ files: [(name: String, data: ByteBuffer)]) throws -> OrderRequest {
            guard case .complete(let input, _) = self, !files.isEmpty else { return self }
            return .complete(input, photos: try UploadStore.check(files))
        }

        var reason: String? {
            switch self {
            case .decline(let r), .cancel(let r), .reject(let r): r
            case .message(let text): text
            default: nil
            }
        }
    }

    /// Before a body is read (a completion's photos): refuses at once unless this person may see
    /// the order and the action is one they may take in its present state.
    func precheck(_ action: OrderAction, orderID: Int, by p: Principal) async throws {
        guard let o = try await Order.find(orderID, on: db), try await canRead(o, p, on: db) else { throw AppError.notFound }
        let actors = try await actors(for: o, p, on: db)
        switch OrderMachine.apply(action, to: o.status, by: actors, reason: "-") {
        case .success: return
        case .failure(.illegalTransition):
            throw AppError.conflict(field: nil, Message("error.order.illegal", keys: ["action": "order.action.\(action.rawValue)", "status": "order.status.\(o.status)"]))
        case .failure(.notAllowed): throw AppError.forbidden(Message("error.order.not_allowed"))
        case .failure(.reasonRequired): return
        }
    }

    /// Does one thing to one order on behalf of a person, in one transaction. Photos of a completion
    /// are written inside it, after every other check, and removed again if it does not commit.
    @discardableResult
    func act(_ request: OrderRequest, orderID: Int, by p: Principal) async throws -> Order {
        let written = WrittenFiles()
        do {
            return try await act(request, orderID: orderID, by: p, written: written)
        } catch {
            uploads?.remove(written.all)
            throw error
        }
    }

    private func act(_ request: OrderRequest, orderID: Int, by p: Principal, written: WrittenFiles) async throws -> Order {
        try await db.writeTransaction { db in
            guard let o = try await Order.find(orderID, on: db), try await canRead(o, p, on: db) else { throw AppError.notFound }
            let actors = try await actors(for: o, p, on: db)
            if case .openForClaim = request {
                guard actors.contains(.siteAdmin) else { throw AppError.forbidden(Message("error.order.not_allowed")) }
                guard OrderPolicy.mayOpenForClaim(o.status, openForClaim: false, by: actors) else { throw AppError.conflict(field: nil, Message("error.order.illegal", keys: ["action": "order.action.open_for_claim", "status": "order.status.\(o.status)"])) }
                try await claimVersion(o, on: db)
                o.openForClaim = true
                o.updatedAt = now
                try await o.save(on: db)
                return o
            }
            try await transition(o, request.action, actors: actors, account: p.accountID, reason: request.reason, on: db) { o in
                try await effects(of: request, on: o, by: p, actors: actors, db: db, written: written)
            }
            if case .decline = request, let item = try await o.$menuItem.get(on: db), item.autoAccept {
                // Declined: back in the queue, and straight on to the next best team if the item dispatches itself.
                let station = try await Site.find(o.$station.id, on: db)!
                try await autoDispatch(o, station: station, on: db)
            }
            return o
        }
    }

    /// What an action changes beyond the status; returns the team and detail for the event.
    private func effects(of request: OrderRequest, on o: Order, by p: Principal, actors: Set<OrderActor>, db: Database, written: WrittenFiles) async throws -> (Int?, String?) {
        switch request {
        case .dispatch(let teamID):
            guard let (team, score) = try await suggestions(for: o, on: db).first(where: { $0.0.id == teamID }) else {
                throw ValidationFailure(field: "team_id", "error.order.team_unavailable")
            }
            o.$team.id = team.id
            o.openForClaim = false
            return (teamID, Self.json(score))
        case .claim:
            let led = try await ledTeams(p, on: db)
            guard let (team, score) = try await suggestions(for: o, on: db).first(where: { led.contains($0.1.teamID) }) else {
                throw AppError.forbidden(Message("error.order.not_allowed"))
            }
            o.$team.id = team.id
            o.openForClaim = false
            return (team.id, Self.json(score))
        case .decline:
            let team = o.$team.id
            o.$team.id = nil
            return (team, nil)
        case .escalate:
            return try await escalate(o, on: db)
        case .urge:
            if let last = o.lastUrgedAt, now.timeIntervalSince(last) < policy.urgeInterval {
                let wait = policy.urgeInterval - now.timeIntervalSince(last)
                throw AppError.tooManyRequests(Message("error.order.urge_wait", ["minutes": String(Int((wait / 60).rounded(.up)))]),
                                               retryAfter: Int(wait.rounded(.up)))
            }
            o.lastUrgedAt = now
            return (o.$team.id, nil)
        case .complete(let input, let photos):
            try await credit(input, for: o, by: p, on: db)
            guard photos.isEmpty || uploads != nil else { throw Abort(.internalServerError) }
            let stored = try uploads?.write(photos, under: "orders/\(try o.requireID())") ?? []
            written.add(stored)
            for photo in stored {
                let row = OrderPhoto()
                row.createdAt = now
                row.file = photo.file
                row.contentType = photo.kind.contentType
                row.bytes = photo.bytes
                row.$order.id = try o.requireID()
                row.$uploadedBy.id = p.accountID
                try await row.create(on: db)
            }
            o.completedAt = now
            return (o.$team.id, Self.json(input.served.map { ["volunteer_id": Double($0.volunteerID), "hours": $0.hours] }))
        case .rate(let input):
            return try await rate(o, input, byProxy: o.onBehalf && o.$placedBy.id == p.accountID, on: db)
        case .cancel, .reject:
            // The team that held it (if any) hears that it is off.
            let team = o.$team.id
            o.$team.id = nil
            return (team, nil)
        case .accept, .start, .close, .message, .openForClaim:
            return (o.$team.id, nil)
        }
    }

    /// Hands the order to the parent site's queue with a fresh deadline; at the top it is marked overdue.
    private func escalate(_ o: Order, on db: Database) async throws -> (Int?, String?) {
        let owner = try await Site.find(o.$ownerSite.id, on: db)!
        guard let parentID = owner.$parent.id, let parent = try await Site.find(parentID, on: db) else {
            o.overdue = true
            return (nil, #"{"overdue":true}"#)
        }
        o.$ownerSite.id = parentID
        o.$team.id = nil
        o.openForClaim = false
        o.responseDeadline = policy.deadlines.responseDeadline(zone: parent.zone, from: now, overrideMinutes: parent.responseMinutes)
        o.deadlineWarnedAt = nil
        return (nil, "{\"from_site\":\(owner.id!),\"to_site\":\(parentID)}")
    }

    /// 奖单: hours to each volunteer who served, with points; only members of the team.
    private func credit(_ input: CompletionInput, for o: Order, by p: Principal, on db: Database) async throws {
        guard let teamID = o.$team.id else { throw AppError.conflict(field: nil, Message("error.order.no_team")) }
        let members = Set(try await TeamMembership.query(on: db).filter(\.$team.$id == teamID).all().map(\.$volunteer.id))
        for served in input.served where !members.contains(served.volunteerID) {
            throw ValidationFailure(field: "volunteer_ids", "error.order.not_member")
        }
        let ledger = Ledger(db: db, now: now)
        for served in input.served {
            try await ledger.record(volunteerID: served.volunteerID, hours: served.hours, date: now,
                                    content: o.title + (input.notes.isEmpty ? "" : "：" + input.notes), orderID: try o.requireID(), activityID: nil, teamID: teamID,
                                    recordedBy: p.accountID, points: policy.rewards.points(forHours: served.hours), reason: "points.service")
        }
    }

    /// A five-star rating adds the bonus share to each volunteer's points for this order.
    private func creditBonus(_ o: Order, on db: Database) async throws {
        let records = try await ServiceRecord.query(on: db).filter(\.$order.$id == o.requireID()).all()
        for r in records {
            let bonus = policy.rewards.points(forHours: r.hours, rating: 5) - policy.rewards.points(forHours: r.hours)
            if bonus > 0 { try await addPoints(bonus, hours: 0, to: r.$volunteer.id, reason: "points.five_star", order: o, on: db) }
        }
    }

    private func addPoints(_ delta: Int, hours: Double, to volunteerID: Int, reason: String, order: Order?, on db: Database) async throws {
        try await Ledger(db: db, now: now).add(points: delta, hours: hours, to: volunteerID, reason: reason, orderID: order?.id)
    }

    /// The platform acting on its own (escalation, closing unrated orders).
    func systemTransition(_ o: Order, _ action: OrderAction, on db: Database) async throws {
        try await transition(o, action, actors: [.system], account: nil, reason: nil, on: db) { o in
            action == .escalate ? try await escalate(o, on: db) : (o.$team.id, nil)
        }
    }

    /// Applies the state machine, claims the order's version, saves and records the event.
    private func transition(_ o: Order, _ action: OrderAction, actors: Set<OrderActor>, account: Int?, reason: String?,
                            on db: Database, _ change: (Order) async throws -> (Int?, String?)) async throws {
        let from = o.status
        let to: OrderStatus
        switch OrderMachine.apply(action, to: from, by: actors, reason: reason) {
        case .success(let s): to = s
        case .failure(.illegalTransition):
            throw AppError.conflict(field: nil, Message("error.order.illegal", keys: ["action": "order.action.\(action.rawValue)", "status": "order.status.\(from.rawValue)"]))
        case .failure(.notAllowed):
            throw AppError.forbidden(Message("error.order.not_allowed"))
        case .failure(.reasonRequired):
            throw ValidationFailure(field: "reason", "error.order.reason_required")
        }
        try await claimVersion(o, on: db)
        let (team, detail) = try await change(o)
        o.status = to
        o.updatedAt = now
        try await o.save(on: db)
        let actor: OrderActor = actors.contains(.system) ? .system : Self.primaryActor(for: action, actors)
        try await record(o, action, from: from, actor: actor, account: account, reason: reason, detail: detail, team: team, on: db)
        try await AssessmentRollups(db: db).stepped(o, action, at: now)
    }

    static func primaryActor(for action: OrderAction, _ actors: Set<OrderActor>) -> OrderActor {
        let allowed = OrderMachine.rules.filter { $0.action == action }.reduce(into: Set<OrderActor>()) { $0.formUnion($1.actors) }
        return actors.intersection(allowed).sorted { $0.rawValue < $1.rawValue }.first ?? actors.first ?? .system
    }

    /// `UPDATE … SET version = version + 1 WHERE id = ? AND version = ?`: of two people acting on the
    /// same version, the second finds nothing to update and is told the order changed.
    private func claimVersion(_ o: Order, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        let rows = try await sql.update(Order.schema)
            .set(SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, try o.requireID())
            .where("version", .equal, o.version)
            .returning("id")
            .all()
        guard rows.count == 1 else { throw AppError.conflict(field: nil, Message("error.order.changed")) }
        o.version += 1
    }

    private func record(_ o: Order, _ action: OrderAction, from: OrderStatus?, actor: OrderActor, account: Int?, reason: String? = nil,
                        detail: String? = nil, team: Int? = nil, on db: Database) async throws {
        let e = try event(o, action, from: from, actor: actor, account: account, reason: reason, detail: detail, team: team)
        e.noticeTopic = noticeTopic(o, action)
        try await e.create(on: db)
    }

    /// The notice this step sends, if any, judged on the order as the step left it.
    private func noticeTopic(_ o: Order, _ action: OrderAction) -> String? { Self.noticeTopic(o, action) }

    static func noticeTopic(_ o: Order, _ action: OrderAction) -> String? {
        NoticeRules.topic(for: action, queued: o.status == .submitted && o.$team.id == nil, overdue: o.overdue)?.rawValue
    }

    /// An event of the order as it stands now (its status is the "to").
    private func event(_ o: Order, _ action: OrderAction, from: OrderStatus?, actor: OrderActor, account: Int?, reason: String? = nil,
                       detail: String? = nil, team: Int? = nil) throws -> OrderEvent {
        try Self.event(o, action, from: from, to: o.status, at: now, actor: actor, account: account, reason: reason, detail: detail, team: team)
    }

    /// The one way an order's event is made: by the steps people take here, and by the batch
    /// writer for the submissions (and auto-dispatches) it writes many at a time.
    static func event(_ o: Order, _ action: OrderAction, from: OrderStatus?, to: OrderStatus, at: Date, actor: OrderActor, account: Int?,
                      reason: String? = nil, detail: String? = nil, team: Int? = nil) throws -> OrderEvent {
        let e = OrderEvent()
        e.at = at
        e.action = action.rawValue
        e.fromStatus = from?.rawValue
        e.toStatus = to.rawValue
        e.actor = actor.rawValue
        e.$actorAccount.id = account
        e.reason = reason.map { String($0.prefix(1000)) }
        e.detail = detail
        e.teamID = team
        e.siteID = o.$ownerSite.id
        e.$order.id = try o.requireID()
        return e
    }

    static func json<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }
}

extension OrderService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now, protector: c.protector, policy: c.settings.orderPolicy, intake: c.intake, uploads: c.uploads)
    }
}
