import Vapor
import Leaf
import DiandanCore

/// What every page's layout needs: language, the person, navigation, the CSRF token.
struct Chrome: Encodable {
    struct Link: Encodable { var href: String; var label: String; var current: Bool }

    var lang: String
    var title: String
    var username: String?
    var csrf: String
    var nav: [Link]
    var otherLanguage: Link
    var logoutPath: String
    var inboxPath: String
    var unread: Int
    /// Open Graph and description tags, so a shared link previews well in chat apps.
    struct Meta: Encodable { var property: String; var content: String }
    var meta: [Meta] = []
    /// The page's Atom feed, announced to feed readers.
    var feed: String? = nil
}

extension Chrome {
    static func make(_ req: Request, title: String) -> Chrome {
        let p = req.principal
        var nav = [Link(href: Paths.home, label: req.t("nav.home"), current: req.url.path == "/")]
        nav.append(Link(href: Paths.menu, label: req.t("nav.menu"), current: req.url.path == Paths.menu))
        nav.append(Link(href: Paths.activities, label: req.t("nav.activities"), current: req.url.path.hasPrefix(Paths.activities)))
        nav.append(Link(href: Paths.wishes, label: req.t("nav.wishes"), current: req.url.path.hasPrefix(Paths.wishes)))
        nav.append(Link(href: Paths.projects, label: req.t("nav.projects"), current: req.url.path.hasPrefix(Paths.projects)))
        nav.append(Link(href: Paths.showcase, label: req.t("nav.showcase"), current: req.url.path.hasPrefix(Paths.showcase)))
        nav.append(Link(href: Paths.rankings, label: req.t("nav.rankings"), current: req.url.path.hasPrefix(Paths.rankings)))
        if p == nil {
            nav.append(Link(href: Paths.register, label: req.t("nav.register"), current: req.url.path == Paths.register))
        } else {
            nav.append(Link(href: Paths.myOrders, label: req.t("nav.my_orders"), current: req.url.path == Paths.myOrders))
        }
        if let p, !Policy.grants(p.grants, allowing: .orders, .write).isEmpty {
            nav.append(Link(href: Paths.queue, label: req.t("nav.queue"), current: req.url.path == Paths.queue))
            nav.append(Link(href: Paths.board, label: req.t("nav.board"), current: req.url.path == Paths.board))
        }
        if let p, Policy.leadsTeams(p.grants) {
            nav.append(Link(href: Paths.teamInbox, label: req.t("nav.team_orders"), current: req.url.path == Paths.teamInbox))
        }
        if let p, Policy.volunteers(p.grants) {
            nav.append(Link(href: Paths.myService, label: req.t("nav.my_service"), current: req.url.path == Paths.myService))
        }
        if let p, Policy.worksWithSurveys(p.grants) {
            nav.append(Link(href: Paths.surveys, label: req.t("nav.surveys"), current: req.url.path.hasPrefix(Paths.surveys)))
        }
        if let p, !Policy.grants(p.grants, allowing: .orders, .read).isEmpty {
            nav.append(Link(href: Paths.assessment, label: req.t("nav.assessment"), current: req.url.path.hasPrefix(Paths.assessment)))
        }
        if let p, !Policy.grants(p.grants, allowing: .sites, .read).isEmpty {
            nav.append(Link(href: Paths.admin, label: req.t("nav.admin"), current: req.url.path.hasPrefix("/admin")))
        }
        let other: AppLocale = req.locale == .zhCN ? .en : .zhCN
        return Chrome(
            lang: req.locale.rawValue,
            title: title,
            // A phone number as the username (residents and volunteers who signed up) is shown masked.
            username: p.map { u in PhoneNumber.parse(u.username).map { $0.isMobile && $0.value == u.username ? $0.masked : u.username } ?? u.username },
            // Pages outside the session routes (a 404 for an unknown path) have no session to hold a token.
            csrf: req.isWebRoute ? req.csrfToken() : "",
            nav: nav,
            otherLanguage: Link(href: Paths.language(other.rawValue, next: languageReturn(req)), label: req.t("lang.switch_to"), current: false),
            logoutPath: Paths.logout,
            inboxPath: Paths.inbox,
            unread: p?.unread ?? 0
        )
    }
}

/// Where switching the language comes back to: this page, or — for a page a form's POST answered,
/// which no link can open again — the page the form was on.
func languageReturn(_ req: Request) -> String {
    if req.method == .GET || req.method == .HEAD { return req.url.string }
    let referer = req.headers.first(name: .referer).flatMap { URLComponents(string: $0) }
    let path = referer.map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?" + $0 } ?? "") }
    return path.flatMap { Paths.isLocal($0) ? $0 : nil } ?? Paths.home
}

struct ErrorPage: Encodable {
    var chrome: Chrome
    var status: Int
    var message: String
}

enum Pages {
    static func render<C: Encodable>(_ req: Request, _ template: String, _ context: C, status: HTTPResponseStatus = .ok) async throws -> Response {
        let view = try await req.view.render(template, context)
        let response = try await view.encodeResponse(for: req)
        response.status = status
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func error(_ req: Request, status: HTTPResponseStatus, message: String) async -> Response {
        let page = ErrorPage(chrome: .make(req, title: req.t("error.title")), status: Int(status.code), message: message)
        if let response = try? await render(req, "error", page, status: status) { return response }
        // Rendering itself failed: plain text, still in the person's language.
        return Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: message))
    }
}

/// `#t("key")` in templates: the text of a catalogue key in the request's language (escaped).
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else { throw "#t needs a key" }
        guard let req = ctx.request else { return .string(key) }
        return .string(req.t(key))
    }
}
