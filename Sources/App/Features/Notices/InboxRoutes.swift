import Vapor
import Fluent
import SQLKit
import DiandanCore

struct InboxPage: Encodable {
    struct Item: Encodable { var at: String; var text: String; var unread: Bool; var openPath: String }
    var chrome: Chrome
    var items: [Item]
    var unread: Int
    var readAllPath: String
}

struct NoticeDTO: Content {
    var id: Int
    var topic: String
    var text: String
    var order_id: Int?
    /// Where the notice leads when it is not an order (a wish, an activity).
    var link: String?
    var created_at: Date
    var read: Bool
}

struct InboxDTO: Content {
    var unread: Int
    var items: [NoticeDTO]
}

/// The in-app inbox (站内消息): notices delivered from the outbox, newest first, for the signed-in
/// person only; opening one marks it read and goes to its order.
enum InboxRoutes {
    static let pageSize = 100

    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("inbox", use: page).rule(.signedIn)
        web.post("inbox", "read-all", use: readAllPage).rule(.signedIn)
        web.post("inbox", ":id", "open", use: open).rule(.signedIn)
        api.get("notifications", use: list).rule(.signedIn)
        api.post("notifications", "read-all", use: readAllAPI).rule(.signedIn)
        api.post("notifications", ":id", "read", use: readOne).rule(.signedIn)
    }

    /// The catalogue text of a notice in the person's language.
    static func text(_ item: InboxItem, _ req: Request) -> String {
        let params = (try? JSONDecoder().decode([String: String].self, from: Data(item.params.utf8))) ?? [:]
        return req.t("notice.\(item.topic)", params)
    }

    static func items(_ req: Request, unreadOnly: Bool = false) async throws -> (items: [InboxItem], unread: Int) {
        let p = try req.requirePrincipal()
        var q = InboxItem.query(on: req.db).filter(\.$account.$id == p.accountID)
        if unreadOnly { q = q.filter(\.$readAt == nil) }
        let items = try await q.sort(\.$id, .descending).limit(pageSize).all()
        let unread = try await InboxItem.query(on: req.db).filter(\.$account.$id == p.accountID).filter(\.$readAt == nil).count()
        return (items, unread)
    }

    static func page(req: Request) async throws -> Response {
        let (items, unread) = try await items(req)
        let rows = items.compactMap { n in
            n.id.map { InboxPage.Item(at: DateText.minute(n.createdAt), text: text(n, req), unread: n.readAt == nil, openPath: Paths.inboxOpen($0)) }
        }
        return try await Pages.render(req, "inbox", InboxPage(chrome: .make(req, title: req.t("inbox.title")), items: rows, unread: unread, readAllPath: Paths.inboxReadAll))
    }

    /// Marks one of the person's notices read; someone else's is "not found".
    static func markRead(_ req: Request) async throws -> InboxItem {
        let p = try req.requirePrincipal()
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        return try await InboxService.make(req).markRead(id, of: p.accountID)
    }

    static func markAllRead(_ req: Request) async throws {
        try await InboxService.make(req).markAllRead(of: try req.requirePrincipal().accountID)
    }

    static func open(req: Request) async throws -> Response {
        let item = try await markRead(req)
        let target = item.link.flatMap { Paths.isLocal($0) ? $0 : nil } ?? item.orderID.map(Paths.order) ?? Paths.inbox
        return req.redirect(to: target, redirectType: .normal)
    }

    static func readAllPage(req: Request) async throws -> Response {
        try await markAllRead(req)
        return req.redirect(to: Paths.inbox, redirectType: .normal)
    }

    static func dto(_ n: InboxItem, _ req: Request) throws -> NoticeDTO {
        NoticeDTO(id: try n.requireID(), topic: n.topic, text: text(n, req), order_id: n.orderID, link: n.link, created_at: n.createdAt, read: n.readAt != nil)
    }

    static func list(req: Request) async throws -> InboxDTO {
        let unreadOnly = try req.queryFlag("unread") ?? false
        let (items, unread) = try await items(req, unreadOnly: unreadOnly)
        return InboxDTO(unread: unread, items: try items.map { try dto($0, req) })
    }

    static func readOne(req: Request) async throws -> NoticeDTO {
        try dto(try await markRead(req), req)
    }

    static func readAllAPI(req: Request) async throws -> InboxDTO {
        try await markAllRead(req)
        return try await list(req: req)
    }
}
