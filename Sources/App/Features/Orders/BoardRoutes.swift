import Vapor
import Fluent
import SQLKit
import DiandanCore

/// One happening on the board: an order placed, handed up, dispatched, taken or dropped.
struct BoardEvent: Content, Equatable {
    var id: Int
    var at: Date
    var action: String
    var status: String
    var order_id: Int
    var number: String
    var title: String
    var site: String
    /// In the reader's language.
    var text: String?
    /// When, as the board shows it (China time, `MM-dd HH:mm`), whatever the browser's time zone.
    var time: String?

    static func clock(_ at: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = Calendar.chinaStandard.timeZone
        f.dateFormat = "MM-dd HH:mm"
        return f.string(from: at)
    }

    /// The stream's JSON: moments in ISO 8601, as every reader of them expects.
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return e
    }()
}

struct BoardPage: Encodable {
    var chrome: Chrome
    var events: [Row]
    var source: String
    struct Row: Encodable { var id: Int; var at: String; var text: String; var link: String; var action: String }
}

/// 派单大厅: the live dispatch board of a site admin. New, escalated, dispatched and accepted orders
/// in the person's reach appear as they happen, pushed by server-sent events; a browser that lost
/// the connection reconnects with the last event it saw (`Last-Event-ID`) and is sent what it missed.
enum BoardRoutes {
    static let actions: [OrderAction] = [.submit, .escalate, .dispatch, .claim, .accept, .decline, .cancel, .reject]

    static func register(web: RoutesBuilder) {
        web.get("board", use: page).rule(.resource(.orders, .read))
        web.get("board", "events", use: stream).rule(.resource(.orders, .read))
    }

    /// Events after `after` at sites in the scopes, oldest first.
    static func events(_ db: Database, scopes: [SitePath], after: Int, limit: Int) async throws -> [BoardEvent] {
        guard let sql = db as? SQLDatabase, !scopes.isEmpty else { return [] }
        var reach: SQLQueryString = ""
        for (i, scope) in scopes.enumerated() { reach = reach + (i == 0 ? "" : " OR ") + "s.path LIKE \(bind: scope.rawValue + "%")" }
        var query: SQLQueryString = """
            SELECT e.id, e.at, e.action, e.to_status AS status, o.id AS order_id, o.number, o.title, s.name AS site
            FROM order_events e JOIN orders o ON o.id = e.order_id JOIN sites s ON s.id = e.site_id
            WHERE e.id > \(bind: after) AND e.action IN (\(binds: actions.map(\.rawValue))) AND (
            """
        query = query + reach + ") ORDER BY e.id DESC LIMIT \(unsafeRaw: String(limit))"
        let rows = try await sql.raw(query).all(decoding: BoardEvent.self)
        return rows.reversed()
    }

    static func describe(_ e: BoardEvent, _ req: Request) -> BoardEvent {
        var e = e
        e.text = req.t("board.event", ["action": req.t("order.action.\(e.action)"), "number": e.number, "title": e.title, "site": e.site])
        return e
    }

    static func page(req: Request) async throws -> Response {
        let scopes = try req.scopes(.orders, .read)
        let recent = try await events(req.db, scopes: scopes, after: 0, limit: 50).map { describe($0, req) }
        let last = try await maxEventID(req.db)
        let page = BoardPage(chrome: .make(req, title: req.t("board.title")),
                             events: recent.reversed().map { .init(id: $0.id, at: BoardEvent.clock($0.at), text: $0.text ?? "", link: Paths.order($0.order_id), action: $0.action) },
                             source: Paths.boardEvents(after: last))
        return try await Pages.render(req, "board", page)
    }

    static func maxEventID(_ db: Database) async throws -> Int {
        try await OrderEvent.query(on: db).max(\.$id) ?? 0
    }

    /// `text/event-stream`: one event per happening, its id the event's, a comment now and then to
    /// keep proxies from closing the line; after `seconds` (at most five minutes) the stream ends and
    /// the browser comes back with its last id.
    static func stream(req: Request) async throws -> Response {
        let scopes = try req.scopes(.orders, .read)
        let lastSeen = req.headers.first(name: "Last-Event-ID").flatMap { Int($0) }.flatMap { QueryBounds.id.contains($0) ? $0 : nil }
        let resume = try lastSeen ?? req.queryInt("after", in: 0...Int(Int32.max))
        let seconds = try req.queryInt("seconds", in: 0...300) ?? 300
        var start = resume ?? 0
        if resume == nil { start = try await maxEventID(req.db) }
        let db = req.db, localizer = req.application.localizer, locale = req.locale
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        let first = start
        response.body = .init(managedAsyncStream: { writer in
            var after = first
            let deadline = Date().addingTimeInterval(TimeInterval(seconds))
            var quiet = 0
            try await writer.writeBuffer(ByteBuffer(string: "retry: 2000\n\n"))
            repeat {
                let batch = try await events(db, scopes: scopes, after: after, limit: 500)
                for var e in batch {
                    e.text = localizer.text("board.event", locale, ["action": localizer.text("order.action.\(e.action)", locale, [:]),
                                                                   "number": e.number, "title": e.title, "site": e.site])
                    e.time = BoardEvent.clock(e.at)
                    let data = try BoardEvent.encoder.encode(e)
                    try await writer.writeBuffer(ByteBuffer(string: "id: \(e.id)\nevent: order\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                    after = e.id
                }
                if batch.isEmpty {
                    quiet += 1
                    if quiet % 15 == 0 { try await writer.writeBuffer(ByteBuffer(string: ": still here\n\n")) }
                } else {
                    quiet = 0
                }
                if Date() >= deadline { break }
                try await Task.sleep(nanoseconds: 1_000_000_000)
            } while Date() < deadline
        })
        return response
    }
}
