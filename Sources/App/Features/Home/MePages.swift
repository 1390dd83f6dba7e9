import Vapor
import Fluent
import DiandanCore

/// 我的 (更多 before signing in): the tab bar's last place. The person's account, the display and
/// language settings, and every page they may open — on a phone, the navigation lives here.
struct MePage: Encodable {
    var chrome: Chrome
    var signedIn: Bool
    var name: String?
    var site: String?
    var places: [Chrome.Link]
}

enum MePages {
    static func register(web: RoutesBuilder) {
        web.get("me", use: page).rule(.open)
    }

    static func page(req: Request) async throws -> Response {
        let p = req.principal
        let chrome = Chrome.make(req, title: req.t(p == nil ? "tab.more" : "tab.me"))
        var site: String?
        if let p { site = try await Site.find(p.siteID, on: req.db)?.name }
        let page = MePage(chrome: chrome, signedIn: p != nil, name: chrome.username, site: site,
                          places: chrome.nav.filter { $0.href != Paths.home })
        return try await Pages.render(req, "me", page)
    }
}
