import Vapor
import Fluent
import DiandanCore

struct LoginPage: Encodable {
    var chrome: Chrome
    var next: String
    var username: String
    var error: String?
    var action: String
    var notice: String? = nil
    /// What a form sent after the session ended carried, to come back filled in after sign-in.
    var kept: [Kept] = []
    /// 用手机号登录 is offered (a gateway, or development); what was typed and why it was refused.
    var phoneOffered = false
    var phone = ""
    var phoneError: String? = nil
    struct Kept: Encodable { var name: String; var value: String }
}

struct TokenDTO: Content {
    var token: String
    var token_type: String
    var expires_at: Date
}

struct MeDTO: Content {
    struct GrantDTO: Content { var role: String; var site_id: Int }
    var id: Int
    var username: String
    var locale: String
    var site_id: Int
    var grants: [GrantDTO]
}

enum SignInPages {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("login", use: loginPage).rule(.open)
        web.grouped(RateLimit(bucket: .signIn)).post("login", use: login).rule(.open)
        web.post("logout", use: logout).rule(.open)
        api.grouped(RateLimit(bucket: .signIn)).post("auth", "token", use: issueToken).rule(.open)
        api.delete("auth", "token", use: revokeToken).rule(.signedIn)
        api.get("me", use: me).rule(.signedIn)
    }

    static func verifier(_ req: Request) -> (String, String) async throws -> Bool {
        { password, hash in try await req.password.async.verify(password, created: hash).get() }
    }

    static func loginPage(req: Request) async throws -> Response {
        if req.principal != nil { return req.redirect(to: Paths.home) }
        let next = req.queryFields["next"]?.last.flatMap { Paths.isLocal($0) ? $0 : nil } ?? ""
        let notice = (try? req.queryFlag("signed_out")) == true ? req.t("login.signed_out") : nil
        var page = LoginPage(chrome: .make(req, title: req.t("login.title")), next: next, username: "", error: nil, action: Paths.login(), notice: notice)
        page.phoneOffered = PhoneSignInService.make(req).offered
        return try await Pages.render(req, "login", page)
    }

    /// The fields a form sent after its session ended, kept through sign-in (`kept:<name>`).
    static let keptPrefix = "kept:"

    static func kept(_ form: [String: [String]], prefix: String = "") -> [LoginPage.Kept] {
        form.filter { $0.key.hasPrefix(prefix) && $0.key != CSRFGuard.field && $0.key != "next" && $0.key.count <= 60 }
            .sorted { $0.key < $1.key }.prefix(40)
            .flatMap { key, values in values.prefix(20).map { LoginPage.Kept(name: String(key.dropFirst(prefix.count)), value: String($0.prefix(4000))) } }
    }

    /// A form sent after the session ended (or from another device that signed out): the sign-in
    /// page says so and carries what was typed (never the old token); once signed in, the form's
    /// page opens filled in, to be checked and sent.
    static func signInKeeping(_ req: Request, returningTo page: String) async throws -> Response {
        var login = LoginPage(chrome: .make(req, title: req.t("login.title")), next: page, username: "", error: nil, action: Paths.login(),
                              notice: req.t("login.expired_kept"), kept: kept(try await req.formFields()))
        login.phoneOffered = PhoneSignInService.make(req).offered
        return try await Pages.render(req, "login", login, status: .unauthorized)
    }

    static func login(req: Request) async throws -> Response {
        let form = try await req.formFields()
        let carried = kept(form, prefix: keptPrefix)
        let username = (form["username"]?.last ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"]?.last ?? ""
        let next = form["next"]?.last.flatMap { Paths.isLocal($0) ? $0 : nil } ?? ""
        func retry(_ message: String, _ status: HTTPResponseStatus) async throws -> Response {
            var page = LoginPage(chrome: .make(req, title: req.t("login.title")), next: next, username: String(username.prefix(64)), error: message,
                                 action: Paths.login(), kept: carried)
            page.phoneOffered = PhoneSignInService.make(req).offered
            return try await Pages.render(req, "login", page, status: status)
        }
        guard !username.isEmpty, !password.isEmpty, username.count <= 64, password.count <= 128 else {
            return try await retry(req.t("error.login_missing"), .unprocessableEntity)
        }
        do {
            let account = try await AccountService.make(req).authenticate(username: username, password: password, address: req.clientAddress, verify: verifier(req))
            // A fresh session at login, so an id planted before login is worth nothing.
            try await req.startWebSession(accountID: try account.requireID())
            try keep(carried, in: req)
            // Each person lands on their own work (the home page), unless they came from a page.
            return req.redirect(to: next.isEmpty ? Paths.home : next)
        } catch let e as AppError {
            let response = try await retry(req.t(e.message), e.status)
            if case .tooManyRequests(_, let s) = e { response.headers.replaceOrAdd(name: .retryAfter, value: String(s)) }
            return response
        }
    }

    static let keptFormKey = "kept_form"

    /// Keeps what a form carried through sign-in for the form's page to open with.
    static func keep(_ carried: [LoginPage.Kept], in req: Request) throws {
        guard !carried.isEmpty else { return }
        var fields: [String: [String]] = [:]
        for k in carried { fields[k.name, default: []].append(k.value) }
        req.webSession[keptFormKey] = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
    }

    static func logout(req: Request) async throws -> Response {
        req.endWebSession()
        return req.redirect(to: Paths.home)
    }

    static func issueToken(req: Request) async throws -> Response {
        var reader = try await req.fieldReader()
        let input = SignInInput.read(&reader)
        try reader.check()
        let service = AccountService.make(req)
        let account = try await service.authenticate(username: input!.username, password: input!.password, address: req.clientAddress, verify: verifier(req))
        let (token, expires) = try await service.issueToken(for: account, days: req.application.settings.tokenLifetimeDays)
        let response = Response(status: .created)
        try response.content.encode(TokenDTO(token: token, token_type: "Bearer", expires_at: expires))
        return response
    }

    static func revokeToken(req: Request) async throws -> HTTPStatus {
        guard let bearer = req.headers.bearerAuthorization else { throw AppError.unauthorized }
        try await AccountService.make(req).revokeToken(bearer.token)
        return .noContent
    }

    static func me(req: Request) async throws -> MeDTO {
        let p = try req.requirePrincipal()
        return MeDTO(id: p.accountID, username: p.username, locale: p.locale, site_id: p.siteID,
                     grants: p.grants.map { .init(role: $0.role.rawValue, site_id: $0.siteID) })
    }
}
