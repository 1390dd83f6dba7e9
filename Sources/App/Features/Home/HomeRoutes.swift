import Vapor
import SQLKit
import Fluent
import DiandanCore

struct HomePage: Encodable {
    var chrome: Chrome
    var sites: Int
    var teams: Int
    var volunteers: Int
    var menuItems: Int
}

struct RegisterPage: Encodable {
    var chrome: Chrome
    var fields: [FormField]
    var summary: String?
    var action: String
}

struct RegisteredPage: Encodable {
    var chrome: Chrome
    var name: String
    var number: String
    var idMasked: String
    var phoneMasked: String
    var site: String
    /// The account opened with the registration (signed in already): its username.
    var username: String
    /// Registered where the station reviews new volunteers: they wait for it.
    var awaitingReview = false
}

/// The JSON a new volunteer gets back: masked numbers only.
struct VolunteerDTO: Content {
    var id: Int
    var number: String
    var real_name: String
    var id_number_masked: String
    var phone_masked: String
    var gender: String
    var birth_date: String
    var skills: [String]
    var site_id: Int
    var registered_on: String

    init(_ v: Volunteer) throws {
        id = try v.requireID()
        number = v.number
        real_name = v.realName
        id_number_masked = v.idMasked
        phone_masked = v.phoneMasked
        gender = v.gender
        birth_date = v.birthDate
        skills = v.skills
        site_id = v.$site.id
        registered_on = v.registeredOn
    }
}

struct SiteSummaryDTO: Content {
    var id: Int
    var code: String
    var name: String
    var kind: String
    var parent_id: Int?
    var zone: String
}

enum HomeRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder, bare: RoutesBuilder) {
        web.get(use: home).rule(.open)
        web.get("lang", ":code", use: switchLanguage).rule(.open)
        web.get("display", ":mode", use: switchDisplayHere).rule(.open)
        web.post("display", ":mode", use: switchDisplay).rule(.open)
        web.get("register", use: registerPage).rule(.open)
        web.grouped(RateLimit(bucket: .registration)).post("register", use: registerSubmit).rule(.open)
        api.grouped(RateLimit(bucket: .registration)).post("volunteers", use: registerAPI).rule(.open)
        api.get("sites", use: sitesAPI).rule(.open)
        bare.get("health", use: health).rule(.open)
        // Browsers ask for /favicon.ico on pages that are not ours to style (a feed, a file): the icon is an SVG.
        bare.get("favicon.ico") { req in req.redirect(to: "/favicon.svg", redirectType: .permanent) }.rule(.open)
        bare.get("ready", use: ready).rule(.open)
    }

    static func home(req: Request) async throws -> Response {
        // Someone signed in lands on their own work.
        if let p = req.principal { return try await WorkbenchPages.render(req, p) }
        let page = HomePage(
            chrome: .make(req, title: req.t("home.title")),
            sites: try await Site.query(on: req.db).filter(\.$active == true).count(),
            teams: try await Team.query(on: req.db).filter(\.$active == true).count(),
            volunteers: try await Volunteer.query(on: req.db).filter(\.$active == true).count(),
            menuItems: try await MenuItem.query(on: req.db).filter(\.$active == true).count()
        )
        return try await Pages.render(req, "home", page)
    }

    /// The choice is remembered in a cookie for a year.
    static func switchLanguage(req: Request) async throws -> Response {
        guard let code = req.parameters.get("code"), let locale = AppLocale(rawValue: code) else { throw AppError.notFound }
        let next = req.queryFields["next"]?.last.flatMap { Paths.isLocal($0) ? $0 : nil } ?? Paths.home
        let response = req.redirect(to: next)
        response.cookies[Request.languageCookie] = HTTPCookies.Value(string: locale.rawValue, maxAge: 365 * 86_400, path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// 长辈版 on or off (the switch on every page, a form): remembered on this device for a year and,
    /// when signed in, for the account, so it follows its owner to the next phone they sign in on.
    static func switchDisplay(req: Request) async throws -> Response {
        try await display(req, forAccount: true)
    }

    /// The same by a plain link (one printed or sent to someone): this device only, since a link
    /// anyone may send must not change an account.
    static func switchDisplayHere(req: Request) async throws -> Response {
        try await display(req, forAccount: false)
    }

    static func display(_ req: Request, forAccount: Bool) async throws -> Response {
        guard let mode = req.parameters.get("mode"), mode == "large" || mode == "normal" else { throw AppError.notFound }
        let next = req.queryFields["next"]?.last.flatMap { Paths.isLocal($0) ? $0 : nil } ?? Paths.home
        if forAccount, let p = req.principal { try await rememberLargeText(mode == "large", accountID: p.accountID, on: req.db) }
        let response = req.redirect(to: next)
        response.cookies[Request.largeTextCookie] = HTTPCookies.Value(string: mode, maxAge: 365 * 86_400, path: "/", isHTTPOnly: true, sameSite: .lax)
        // Switched on by the person, not signed in yet: the sign-in that follows soon keeps it for
        // the account. Not for a link (anyone may send one), nor long after (a phone may be shared).
        if forAccount, req.principal == nil, mode == "large" {
            response.cookies[Request.largeTextChosenCookie] = HTTPCookies.Value(string: "1", maxAge: 30 * 60, path: "/", isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    static func rememberLargeText(_ on: Bool, accountID: Int, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("UPDATE accounts SET large_text = \(bind: on) WHERE id = \(bind: accountID)").run()
    }

    static func registerFields(_ req: Request, _ form: FormBuilder) async throws -> [FormField] {
        let sites = try await Site.query(on: req.db).filter(\.$active == true)
            .filter(\.$kind ~~ [SiteKind.station, SiteKind.institute, SiteKind.centre])
            .sort(\.$path).all()
        return [
            form.text("real_name", "volunteer.real_name"),
            form.text("id_number", "volunteer.id_number", hint: "volunteer.id_number_hint"),
            form.text("phone", "volunteer.phone", kind: .tel),
            form.select("site_id", "volunteer.site", sites.compactMap { s in s.id.map { (String($0), indent(s) + s.name) } }),
            form.text("skills", "volunteer.skills", required: false, hint: "volunteer.skills_hint"),
            form.text("password", "register.password", kind: .password, hint: "account.password_hint"),
            form.checkbox("consent", "volunteer.consent"),
        ]
    }

    static func indent(_ s: Site) -> String { String(repeating: "　", count: max(0, s.sitePath.depth - 1)) }

    static func registerPage(req: Request) async throws -> Response {
        let page = RegisterPage(chrome: .make(req, title: req.t("register.title")),
                                fields: try await registerFields(req, FormBuilder(req)), summary: nil, action: Paths.register)
        return try await Pages.render(req, "register", page)
    }

    static func registerSubmit(req: Request) async throws -> Response {
        let form = try await req.formFields()
        do {
            // On the site, registering opens an account at once: the password they choose here.
            var reader = try await req.fieldReader()
            let input = VolunteerRegistration.read(&reader, today: req.now)
            let password = reader.text("password", max: 128)
            if let password, let problem = PasswordPolicy.problem(password, username: input?.phone.value) {
                reader.fail("password", problem, ["min": String(PasswordPolicy.minimumLength)])
            }
            try reader.check()
            let hash = try await req.password.async.hash(password!).get()
            let v = try await VolunteerService.make(req).register(input!, passwordHash: hash, locale: req.locale, signedIn: req.principal?.accountID)
            let site = try await Site.find(v.$site.id, on: req.db)
            let account = try await v.$account.get(on: req.db)
            if let id = account?.id {
                try await req.startWebSession(accountID: id)
                // Signed in from this page on: its header already shows them.
                if let principal = try await Principal.load(accountID: id, on: req.db) { req.auth.login(principal) }
            }
            let page = RegisteredPage(chrome: .make(req, title: req.t("register.done_title")), name: v.realName, number: v.number,
                                      idMasked: v.idMasked, phoneMasked: v.phoneMasked, site: site?.name ?? "", username: account?.username ?? "",
                                      awaitingReview: v.awaitingReview)
            return try await Pages.render(req, "registered", page, status: .created)
        } catch let failure as ValidationFailure {
            return try await registerRetry(req, form, failure.errors)
        } catch let e as AppError where !e.fieldErrors.isEmpty {
            return try await registerRetry(req, form, e.fieldErrors, status: e.status)
        }
    }

    private static func registerRetry(_ req: Request, _ form: [String: [String]], _ errors: [FieldError], status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
        let page = RegisterPage(chrome: .make(req, title: req.t("register.title")),
                                fields: try await registerFields(req, FormBuilder(req, values: form, errors: errors)),
                                summary: req.t("error.validation"), action: Paths.register)
        return try await Pages.render(req, "register", page, status: status)
    }

    private static func register(_ req: Request) async throws -> Volunteer {
        var reader = try await req.fieldReader()
        let input = VolunteerRegistration.read(&reader, today: req.now)
        try reader.check()
        let service = VolunteerService.make(req)
        return try await service.register(input!)
    }

    static func registerAPI(req: Request) async throws -> Response {
        let v = try await register(req)
        let response = Response(status: .created)
        try response.content.encode(try VolunteerDTO(v))
        return response
    }

    /// Active sites, for choosing where to register or order; no personal data.
    static func sitesAPI(req: Request) async throws -> [SiteSummaryDTO] {
        try await Site.query(on: req.db).filter(\.$active == true).sort(\.$path).all().map {
            SiteSummaryDTO(id: try $0.requireID(), code: $0.code, name: $0.name, kind: $0.kind.rawValue, parent_id: $0.$parent.id, zone: $0.zone.rawValue)
        }
    }

    struct Health: Content { var status: String; var database: String? }

    static func health(req: Request) async throws -> Health { Health(status: "ok", database: nil) }

    static func ready(req: Request) async throws -> Response {
        let response = Response()
        do {
            _ = try await Category.query(on: req.db).count()
            try response.content.encode(Health(status: "ok", database: "ok"))
        } catch {
            req.logger.error("Readiness check failed: \(String(reflecting: error))")
            response.status = .serviceUnavailable
            try response.content.encode(Health(status: "unavailable", database: "unreachable"))
        }
        return response
    }
}
