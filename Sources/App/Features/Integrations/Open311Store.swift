import Vapor
import Fluent
import SQLKit
import DiandanCore

/// The queries behind the Open311 endpoints.
struct Open311Store {
    let db: Database
    let now: Date

    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now)
    }

    init(db: Database, now: Date) {
        self.db = db
        self.now = now
    }

    /// When the shape of our services last changed (the discovery document's `changeset`).
    static let changeset = Date(timeIntervalSince1970: 1_795_392_000) // 2026-11-23T00:00:00Z
    /// Tokens are kept as idempotency keys of the integration's account, under this prefix.
    static let tokenPrefix = "open311:"

    private var sql: SQLDatabase {
        get throws {
            guard let sql = db as? SQLDatabase else { throw AppError.notFound }
            return sql
        }
    }

    // MARK: Keys

    /// The integration holding this key, unless revoked, and the principal its orders are placed by.
    func integration(key: String) async throws -> (Integration, Principal)? {
        guard key.count <= 200,
              let integration = try await Integration.query(on: db).filter(\.$keyHash == TokenDigest.sha256(key))
                .filter(\.$revokedAt == nil).with(\.$site).first(),
              let principal = try await Principal.load(accountID: integration.accountID, on: db)
        else { return nil }
        return (integration, principal)
    }

    /// When the key was last used, to the minute: a key posting many requests a second writes it once
    /// a minute, and as a write transaction (with group commit, in a shared commit; never as a bare
    /// write waiting on SQLite's lock while holding a reader's connection).
    func touch(_ integration: Integration) async throws {
        if let last = integration.lastUsedAt, now.timeIntervalSince(last) < 60, last <= now { return }
        let id = try integration.requireID()
        let now = self.now
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return }
            try await sql.update(Integration.schema).set(SQLColumn("last_used_at"), to: SQLBind(now)).where(SQLColumn("id"), .equal, SQLBind(id)).run()
        }
    }

    // MARK: Services

    struct Service: Sendable {
        let code: Open311.ServiceCode
        let name: String
        let description: String
        let realtime: Bool
        let keywords: String
        let group: String
    }

    /// The menu items that can be ordered somewhere in the jurisdiction (they cover a site above,
    /// at or below it), then every active category as a need off the menu.
    func services(at site: Site, locale: AppLocale, t: (Message) -> String) async throws -> [Service] {
        struct Item: Decodable { let id: Int, title: String, description: String, auto_accept: Bool, category: String, category_en: String }
        struct Cat: Decodable { let id: Int, name: String, name_en: String }
        let sql = try sql
        let items = try await sql.raw("""
            SELECT m.id, m.title, m.description, m.auto_accept, c.name AS category, c.name_en AS category_en
            FROM menu_items m JOIN categories c ON c.id = m.category_id
            WHERE m.active = \(bind: true) AND c.active = \(bind: true)
              AND EXISTS (SELECT 1 FROM menu_item_sites x JOIN sites cs ON cs.id = x.site_id WHERE x.menu_item_id = m.id
                          AND (\(bind: site.path) LIKE cs.path || '%' OR cs.path LIKE \(bind: site.path + "%")))
            ORDER BY c.sort_order, m.id
            """).all(decoding: Item.self)
        let cats = try await sql.raw("SELECT id, name, name_en FROM categories WHERE active = \(bind: true) ORDER BY sort_order, id")
            .all(decoding: Cat.self)
        let en = locale == .en
        return items.map { m in
            Service(code: .menuItem(m.id), name: m.title, description: m.description, realtime: m.auto_accept, keywords: "",
                    group: en ? m.category_en : m.category)
        } + cats.map { c in
            let name = en ? c.name_en : c.name
            return Service(code: .category(c.id), name: t(Message("open311.off_menu", ["category": name])),
                           description: t(Message("open311.off_menu_description", ["category": name])), realtime: false, keywords: "", group: name)
        }
    }

    func serviceExists(_ code: Open311.ServiceCode) async throws -> Bool {
        switch code {
        case .menuItem(let id): try await MenuItem.query(on: db).filter(\.$id == id).filter(\.$active == true).count() > 0
        case .category(let id): try await Category.query(on: db).filter(\.$id == id).filter(\.$active == true).count() > 0
        }
    }

    // MARK: Placing

    /// The station an order placed in a jurisdiction goes to: the jurisdiction itself when it is a
    /// station (or point), else the nearest active station within it and the key's reach.
    /// The station an order placed in a jurisdiction goes to: the jurisdiction itself when it is a
    /// station (or point), else the nearest active station within it and the key's reach that offers
    /// the service (so whatever `services.json` lists there can be ordered there) — nearest to the
    /// position given, or without one to the jurisdiction's own.
    func station(in site: Site, within scope: SitePath, lat: Double?, lon: Double?, offering code: Open311.ServiceCode? = nil) async throws -> Int {
        let kind = site.kind
        if kind == .station || kind == .point {
            guard scope.covers(site.sitePath) else { throw AppError.forbidden(Message("open311.error.scope")) }
            return try site.requireID()
        }
        let lat = lat ?? site.latitude, lon = lon ?? site.longitude
        let within = scope.covers(site.sitePath) ? site.sitePath : scope
        var stations = try await Site.query(on: db).filter(\.$path =~ within.rawValue).filter(\.$kind == SiteKind.station)
            .filter(\.$active == true).all()
        if case .menuItem(let item)? = code {
            struct Covered: Decodable { let path: String }
            let covered = try await sql.raw("""
                SELECT cs.path FROM menu_item_sites x JOIN sites cs ON cs.id = x.site_id WHERE x.menu_item_id = \(bind: item)
                """).all(decoding: Covered.self).map { SitePath(rawValue: $0.path) }
            stations = stations.filter { s in covered.contains { $0.covers(s.sitePath) } }
        }
        guard let nearest = stations.min(by: { Geo.distanceKm(lat, lon, $0.latitude, $0.longitude) < Geo.distanceKm(lat, lon, $1.latitude, $1.longitude) })
        else { throw ValidationFailure(field: "station_id", "open311.error.no_station") }
        return try nearest.requireID()
    }

    // MARK: Reading

    struct RequestRow: Decodable, Sendable {
        let id: Int, number: String, status: OrderStatus, title: String, details: String
        let menu_item_id: Int?, category_id: Int
        let address: String?, latitude: Double?, longitude: Double?
        let created_at: Date, updated_at: Date, response_deadline: Date, completion_deadline: Date
        let station_name: String, station_path: String, station_latitude: Double, station_longitude: Double
        let team_name: String?, owner_name: String
        let last_action: String, last_reason: String?
        let media_url: String?
    }

    func requests(_ s: Open311.Search, in path: SitePath?) async throws -> [RequestRow] {
        var conditions: [SQLQueryString] = []
        if !s.ids.isEmpty {
            conditions.append("o.number IN (\(binds: s.ids))")
        } else {
            conditions.append("o.created_at >= \(bind: s.start) AND o.created_at <= \(bind: s.end)")
            if !s.statuses.isEmpty { conditions.append("o.status IN (\(binds: s.statuses.map(\.rawValue)))") }
            let items = s.codes.compactMap { if case .menuItem(let n) = $0 { n } else { nil } }
            let cats = s.codes.compactMap { if case .category(let n) = $0 { n } else { nil } }
            if !s.codes.isEmpty {
                var any: [SQLQueryString] = []
                if !items.isEmpty { any.append("o.menu_item_id IN (\(binds: items))") }
                if !cats.isEmpty { any.append("(o.menu_item_id IS NULL AND o.category_id IN (\(binds: cats)))") }
                conditions.append("(" + any.joined(separator: " OR ") + ")")
            }
        }
        if let path { conditions.append("s.path LIKE \(bind: path.rawValue + "%")") }
        let offset = (s.page - 1) * s.pageSize
        return try await sql.raw("""
            SELECT o.id, o.number, o.status, o.title, o.details, o.menu_item_id, o.category_id, o.address, o.latitude, o.longitude, o.media_url,
                   o.created_at, o.updated_at, o.response_deadline, o.completion_deadline,
                   s.name AS station_name, s.path AS station_path, s.latitude AS station_latitude, s.longitude AS station_longitude,
                   t.name AS team_name, w.name AS owner_name,
                   (SELECT e.action FROM order_events e WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1) AS last_action,
                   (SELECT e.reason FROM order_events e WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1) AS last_reason
            FROM orders o JOIN sites s ON s.id = o.station_id JOIN sites w ON w.id = o.owner_site_id LEFT JOIN teams t ON t.id = o.team_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY o.id DESC LIMIT \(unsafeRaw: String(s.pageSize)) OFFSET \(unsafeRaw: String(offset))
            """).all(decoding: RequestRow.self)
    }

    /// The request a token was given for (within the jurisdiction, when one is named). Tokens are
    /// made here, one per request; a client's own keys are never tokens.
    func number(forToken token: String, in path: SitePath? = nil) async throws -> String? {
        guard token.count <= 80, !token.isEmpty else { return nil }
        var q = Order.query(on: db).filter(\.$open311Token == token)
        if let path { q = q.join(Site.self, on: \Order.$station.$id == \Site.$id).filter(Site.self, \.$path =~ path.rawValue) }
        return try await q.first()?.number
    }

    /// The token of an order placed through Open311; one is made for an order that has none yet.
    func token(of order: Order) async throws -> String {
        if let t = order.open311Token { return t }
        let fresh = TokenDigest.random(bytes: 12)
        let id = try order.requireID()
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return }
            try await sql.raw("UPDATE orders SET open311_token = \(bind: fresh) WHERE id = \(bind: id) AND open311_token IS NULL").run()
        }
        return try await Order.find(id, on: db)?.open311Token ?? fresh
    }
}

extension Open311Store: MadeFromContext {}
