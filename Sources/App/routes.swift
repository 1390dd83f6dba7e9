import Vapor

/// The route table. Every route names its access rule; `AccessGate` refuses any that does not.
func routes(_ app: Application) throws {
    let gate = AccessGate()
    let bare = app.grouped(gate)
    let web = app.grouped(app.sessions.middleware, SessionPrincipalLoader(), CSRFGuard(), gate)
    let api = app.grouped("api", "v1").grouped(BearerPrincipalLoader(), gate)

    PublicController.register(web: web, api: api, bare: bare)
    AuthController.register(web: web, api: api)
    OrderAPIController.register(api)
    OrderPages.register(web)
    InboxController.register(web: web, api: api)
    ActivityController.register(web: web, api: api)
    PerkController.register(web: web, api: api)
    WishController.register(web: web, api: api)
    ProjectController.register(web: web, api: api)
    CertificateController.register(web: web, api: api)
    RankingController.register(web: web, api: api)
    CalendarController.register(web: web, api: api)
    RecordController.register(api: api)
    AssessmentController.register(web: web, api: api)
    ScreenController.register(web: web, api: api)

    let admin = web.grouped("admin")
    admin.get(use: AdminHome.index).rule(.resource(.sites, .read))
    AdminRoutes<SiteSection>.register(admin)
    AdminRoutes<TeamSection>.register(admin)
    TeamSection.registerExtras(admin)
    AdminRoutes<VolunteerSection>.register(admin)
    AdminRoutes<CategorySection>.register(admin)
    AdminRoutes<MenuSection>.register(admin)
    AdminRoutes<AccountSection>.register(admin)
    AdminRoutes<PerkSection>.register(admin)
    AdminRoutes<ProjectSection>.register(admin)
    ProjectSection.registerExtras(admin)
    AccountSection.registerExtras(admin)
}
