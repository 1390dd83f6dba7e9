import Vapor
import Fluent
import DiandanCore

struct AdminHomePage: Encodable {
    struct Card: Encodable { var label: String; var count: Int; var link: String }
    var chrome: Chrome
    var heading: String
    var scope: [String]
    var cards: [Card]
}

enum AdminHomePages {
    static func index(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        var cards: [AdminHomePage.Card] = []
        func add<S: AdminSection>(_ s: S.Type) async throws {
            let scopes = Policy.scopes(p.grants, S.resource, .read)
            guard !scopes.isEmpty else { return }
            let count = try await S.listQuery(req, scopes: scopes, pattern: nil).count()
            cards.append(.init(label: req.t(S.headingKey), count: count, link: Paths.adminList(S.section)))
        }
        try await add(SiteSection.self)
        try await add(TeamSection.self)
        try await add(VolunteerSection.self)
        try await add(MenuSection.self)
        try await add(CategorySection.self)
        try await add(AccountSection.self)
        try await add(IntegrationSection.self)
        try await add(PerkSection.self)
        try await add(ProjectSection.self)
        try await add(TrainingSection.self)
        let surveyScopes = Policy.scopes(p.grants, .surveys, .read)
        if !surveyScopes.isEmpty {
            let count = try await SurveysAdminPages.listQuery(req, scopes: surveyScopes).count()
            cards.append(.init(label: req.t("admin.surveys"), count: count, link: Paths.adminSurveys))
        }
        let siteIDs = Set(p.grants.map(\.siteID))
        let names = try await Site.query(on: req.db).filter(\.$id ~~ Array(siteIDs)).all()
        let scope = p.grants.compactMap { g in names.first { $0.id == g.siteID }.map { "\(req.t("role.\(g.role.rawValue)")) · \($0.name)" } }
        let page = AdminHomePage(chrome: .make(req, title: req.t("admin.title")), heading: req.t("admin.title"), scope: scope, cards: cards)
        return try await Pages.render(req, "admin/index", page)
    }
}
