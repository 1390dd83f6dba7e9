import Foundation
import DiandanCore

/// Every link the pages make comes from here, so a renamed route cannot leave a dead link.
enum Paths {
    static let home = "/"
    static let logout = "/logout"
    static let register = "/register"
    static let admin = "/admin"
    static let inbox = "/inbox"
    static let menu = "/menu"
    static let myOrders = "/orders/mine"
    static let queue = "/orders/queue"
    static let board = "/board"
    static let assessment = "/assessment"
    static let myService = "/me/service"
    static let myPrivacy = "/me/service#privacy"
    static let adminAudit = "/admin/audit"
    static func perkRedeem(_ id: Int) -> String { "/perks/\(id)/redeem" }
    static let inboxReadAll = "/inbox/read-all"

    static func order(_ id: Int) -> String { "/orders/\(id)" }
    static let teamInbox = "/orders/team"
    static let orderNewForm = "/orders/new"
    static func orderNew(station: Int, menuItem: Int? = nil) -> String {
        menuItem.map { "/orders/new?menu_item_id=\($0)&station=\(station)" } ?? "/orders/new?station=\(station)"
    }
    static func orderPhoto(_ order: Int, _ photo: Int) -> String { "/orders/\(order)/photos/\(photo)" }
    static func orderShowcase(_ order: Int) -> String { "/orders/\(order)/showcase" }
    static func boardEvents(after: Int) -> String { "/board/events?after=\(after)" }
    static func screenData(site: Int) -> String { "/screen/data?site=\(site)" }
    static func screenEvents(site: Int, every: Int) -> String { "/screen/events?site=\(site)&every=\(every)" }
    static func export(_ id: Int) -> String { "/exports/\(id)" }
    static func exportStatus(_ id: Int) -> String { "/exports/\(id)/status" }
    /// A table of the assessment as CSV or XLSX, for the period and site the page shows (`query`).
    static func assessmentExport(table: String, xlsx: Bool, query: String) -> String {
        "/assessment/export.\(xlsx ? "xlsx" : "csv")?table=\(table)&" + query
    }
    static func adminProjectAwards(_ project: Int) -> String { "/admin/projects/\(project)/awards" }
    static func adminTeamMembers(_ team: Int) -> String { "/admin/teams/\(team)/members" }
    static func adminTeamMemberDelete(_ team: Int, _ member: Int) -> String { "/admin/teams/\(team)/members/\(member)/delete" }
    static func adminIntegrationRevoke(_ id: Int) -> String { "/admin/integrations/\(id)/revoke" }
    static func adminAccountGrants(_ account: Int) -> String { "/admin/accounts/\(account)/grants" }
    static func adminAccountGrantDelete(_ account: Int, _ grant: Int) -> String { "/admin/accounts/\(account)/grants/\(grant)/delete" }
    static func inboxOpen(_ id: Int) -> String { "/inbox/\(id)/open" }
    static let activities = "/activities"
    static let wishes = "/wishes"
    static let projects = "/projects"
    static let rankings = "/rankings"
    static let myCertificates = "/me/certificates"
    static func certificate(_ number: String) -> String { "/certificates/\(number)" }
    static func apiCertificatePDF(_ number: String) -> String { "/api/v1/me/certificates/\(number)/pdf" }
    static func certificateVerify(_ number: String) -> String {
        "/certificates/verify?number=" + (number.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")
    }
    static func project(_ id: Int) -> String { "/projects/\(id)" }
    static func wish(_ id: Int) -> String { "/wishes/\(id)" }
    static let showcase = "/showcase"
    static func showcase(site: Int?) -> String { site.map { "/showcase/\($0)" } ?? "/showcase" }
    static func showcaseFeed(site: Int?) -> String { showcase(site: site) + "/feed.atom" }
    static func showcasePost(_ id: Int) -> String { "/showcase/posts/\(id)" }
    static func showcasePhoto(_ id: Int) -> String { "/showcase/photos/\(id)" }
    static let surveys = "/surveys"
    static func surveyCollect(_ id: Int) -> String { "/surveys/\(id)/collect" }
    static func surveyResponses(_ id: Int) -> String { "/surveys/\(id)/responses" }
    static let adminSurveys = "/admin/surveys"
    static func trainingCode(_ id: Int) -> String { "/trainings/\(id)/code" }
    static func trainingQR(_ id: Int) -> String { "/trainings/\(id)/qr" }
    static func trainingCheckAction(_ id: Int) -> String { "/trainings/\(id)/check" }
    static func trainingCheck(_ id: Int, window: Int, signature: String) -> String { "/trainings/\(id)/check?t=\(window)&s=\(signature)" }
    static func adminSurvey(_ id: Int) -> String { "/admin/surveys/\(id)" }
    static func activity(_ id: Int) -> String { "/activities/\(id)" }
    static func activityShowcase(_ id: Int) -> String { "/activities/\(id)/showcase" }
    /// The new-activity form, for an order or a project the activity serves.
    static func newActivity(order: Int? = nil, project: Int? = nil) -> String {
        "/activities/new" + (order.map { "?order_id=\($0)" } ?? project.map { "?project_id=\($0)" } ?? "")
    }
    static let newAdminSurvey = "/admin/surveys/new"
    /// A volunteer's own calendar feed, signed so the address alone lets a calendar app read it.
    static func calendarFeed(volunteer id: Int, signature: String) -> String { "/calendar/\(id)-\(signature).ics" }
    static func activityCheck(_ id: Int, kind: String, window: Int, signature: String) -> String {
        "/activities/\(id)/check?k=\(kind)&t=\(window)&s=\(signature)"
    }
    static func activityQR(_ id: Int, kind: String, png: Bool = false) -> String { "/activities/\(id)/qr/\(kind)" + (png ? "?format=png" : "") }

    /// The sign-in page, saying the person was signed out everywhere (their password changed).
    static let loginAfterSignOut = "/login?signed_out=1"
    /// 用手机号登录: ask for a code, type it, and (the first time) choose a station.
    static let loginPhone = "/login/phone"
    static let loginCode = "/login/code"
    static let loginWelcome = "/login/welcome"
    /// 代点单: an order taken by phone or at the door, and the link the resident follows it by.
    static let orderByPhone = "/orders/by-phone"
    static let orders = "/orders"
    static func follow(_ token: String) -> String { "/follow/" + token }
    static func followRate(_ token: String) -> String { "/follow/" + token + "/rate" }
    /// 待审核志愿者 and confirming one.
    static let adminVolunteerReview = "/admin/volunteers/review"
    static func adminVolunteerConfirm(_ id: Int) -> String { "/admin/volunteers/\(id)/confirm" }
    static func adminAccountSignOut(_ id: Int) -> String { "/admin/accounts/\(id)/sign-out" }

    static func login(next: String? = nil) -> String {
        guard let next, isLocal(next) else { return "/login" }
        return "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/")
    }

    static func language(_ code: String, next: String) -> String {
        "/lang/\(code)?next=" + (next.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/")
    }

    /// 长辈版 on (`large`) or off (`normal`), back to `next`.
    static func display(_ mode: String, next: String) -> String {
        "/display/\(mode)?next=" + (next.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/")
    }
    /// 我的: the person's own page — their account, the settings, everything they may open.
    static let me = "/me"

    static func adminList(_ section: String) -> String { "/admin/\(section)" }
    static func adminNew(_ section: String) -> String { "/admin/\(section)/new" }
    static func adminItem(_ section: String, _ id: Int) -> String { "/admin/\(section)/\(id)" }
    static func adminEdit(_ section: String, _ id: Int) -> String { "/admin/\(section)/\(id)/edit" }

    /// Only same-site paths are followed after login or a language switch (`LocalPath`).
    static func isLocal(_ s: String) -> Bool { LocalPath.isSafe(s) }
}

extension CharacterSet {
    static let urlQueryValueAllowed: CharacterSet = {
        var s = CharacterSet.urlQueryAllowed
        s.remove(charactersIn: "&=+?#")
        return s
    }()
}
