import Vapor
import Leaf
import DiandanCore

/// What every page's layout needs: language, the person, navigation, the CSRF token.
struct Chrome: Encodable {
    struct Link: Encodable {
        var href: String
        var label: String
        var current: Bool
        /// The symbol in the icon sprite (`Resources/Views/_icons.leaf`), without its `i-` prefix.
        var icon: String = ""
        var id: String = ""
        /// A count shown on the link (unread messages).
        var count: Int = 0
    }

    var lang: String
    var title: String
    var username: String?
    var csrf: String
    var nav: [Link]
    /// The phone's bottom tab bar: five places for this person's role.
    var tabs: [Link]
    var otherLanguage: Link
    /// 长辈版: large text, and the switch to turn it on or off.
    var large: Bool
    var sizeSwitch: Link
    /// Staff pages on a desktop put the navigation at the side.
    var side: Bool
    var mePath: String
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
        let path = req.url.path
        func link(_ href: String, _ key: String, _ icon: String, prefix: Bool = false, id: String = "") -> Link {
            Link(href: href, label: req.t(key), current: prefix ? path.hasPrefix(href) : path == href, icon: "#i-" + icon, id: id)
        }
        var nav = [link(Paths.home, "nav.home", "home")]
        nav.append(link(Paths.menu, "nav.menu", "order"))
        nav.append(link(Paths.activities, "nav.activities", "flag", prefix: true))
        nav.append(link(Paths.wishes, "nav.wishes", "heart", prefix: true))
        nav.append(link(Paths.projects, "nav.projects", "folder", prefix: true))
        nav.append(link(Paths.showcase, "nav.showcase", "photo", prefix: true))
        nav.append(link(Paths.rankings, "nav.rankings", "award", prefix: true))
        let dispatches = p.map { !Policy.grants($0.grants, allowing: .orders, .write).isEmpty } ?? false
        let reads = p.map { !Policy.grants($0.grants, allowing: .orders, .read).isEmpty } ?? false
        let leads = p.map { Policy.leadsTeams($0.grants) } ?? false
        let serves = p.map { Policy.volunteers($0.grants) } ?? false
        if p == nil {
            nav.append(link(Paths.register, "nav.register", "user-plus"))
        } else {
            nav.append(link(Paths.myOrders, "nav.my_orders", "list"))
        }
        if dispatches {
            nav.append(link(Paths.queue, "nav.queue", "send"))
            nav.append(link(Paths.board, "nav.board", "grid"))
        }
        if leads { nav.append(link(Paths.teamInbox, "nav.team_orders", "inbox-in")) }
        if serves { nav.append(link(Paths.myService, "nav.my_service", "clock")) }
        if let p, Policy.worksWithSurveys(p.grants) { nav.append(link(Paths.surveys, "nav.surveys", "clipboard", prefix: true)) }
        if reads { nav.append(link(Paths.assessment, "nav.assessment", "chart", prefix: true)) }
        if let p, !Policy.grants(p.grants, allowing: .sites, .read).isEmpty {
            nav.append(Link(href: Paths.admin, label: req.t("nav.admin"), current: path.hasPrefix("/admin"), icon: "#i-settings"))
        }

        // The tab bar: the four places this person goes most, and 我的 (更多 before signing in) for the rest.
        var tabs = [link(Paths.home, "tab.home", "home", id: "tab-home")]
        if p == nil {
            tabs += [link(Paths.menu, "tab.menu", "order", id: "tab-menu"), link(Paths.activities, "tab.activities", "flag", prefix: true, id: "tab-activities"),
                     link(Paths.wishes, "tab.wishes", "heart", prefix: true, id: "tab-wishes")]
        } else if dispatches {
            tabs += [link(Paths.queue, "tab.queue", "send", id: "tab-queue"), link(Paths.board, "tab.board", "grid", id: "tab-board")]
        } else if reads {
            tabs += [link(Paths.assessment, "tab.assessment", "chart", prefix: true, id: "tab-assessment"),
                     link(Paths.activities, "tab.activities", "flag", prefix: true, id: "tab-activities")]
        } else if leads {
            tabs += [link(Paths.teamInbox, "tab.team_orders", "inbox-in", id: "tab-team"), link(Paths.activities, "tab.activities", "flag", prefix: true, id: "tab-activities")]
        } else if serves {
            tabs += [link(Paths.activities, "tab.activities", "flag", prefix: true, id: "tab-activities"), link(Paths.myService, "tab.service", "clock", id: "tab-service")]
        } else {
            tabs += [link(Paths.menu, "tab.menu", "order", id: "tab-menu"), link(Paths.myOrders, "tab.orders", "list", id: "tab-orders")]
        }
        if let p {
            var inbox = link(Paths.inbox, "tab.inbox", "bell", id: "tab-inbox")
            inbox.count = p.unread
            tabs += [inbox, link(Paths.me, "tab.me", "user", id: "tab-me")]
        } else {
            tabs.append(link(Paths.me, "tab.more", "more", id: "tab-me"))
        }

        let other: AppLocale = req.locale == .zhCN ? .en : .zhCN
        let large = req.largeText
        let back = languageReturn(req)
        return Chrome(
            lang: req.locale.rawValue,
            title: title,
            // A phone number as the username (residents and volunteers who signed up) is shown masked.
            username: p.map { u in PhoneNumber.parse(u.username).map { $0.isMobile && $0.value == u.username ? $0.masked : u.username } ?? u.username },
            // Pages outside the session routes (a 404 for an unknown path) have no session to hold a token.
            csrf: req.isWebRoute ? req.csrfToken() : "",
            nav: nav,
            tabs: tabs,
            otherLanguage: Link(href: Paths.language(other.rawValue, next: back), label: req.t("lang.switch_to"), current: false),
            large: large,
            sizeSwitch: Link(href: Paths.display(large ? "normal" : "large", next: back), label: req.t(large ? "display.normal" : "display.large"), current: large),
            side: dispatches || reads || p.map { !Policy.grants($0.grants, allowing: .sites, .read).isEmpty } == true,
            mePath: Paths.me,
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
