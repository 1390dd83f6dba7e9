import Vapor
import Fluent
import DiandanCore

struct PhoneCodePage: Encodable {
    var chrome: Chrome
    var next: String
    var phone: String
    var phoneMasked: String
    var error: String?
    var notice: String?
    /// Development without an SMS gateway: the code, shown in a marked banner instead of texted.
    var developmentCode: String?
    var action: String
    var resend: String
    /// What a form sent after its session ended carried (see `SignInPages.kept`).
    var kept: [LoginPage.Kept] = []
}

struct WelcomePage: Encodable {
    var chrome: Chrome
    var next: String
    var phone: String
    var expires: Int
    var ticket: String
    var fields: [FormField]
    var summary: String?
    var action: String
    /// `id:latitude:longitude;…` of every station, for "the nearest to me" (nearest.js).
    var stationPlaces: String
}

/// 用手机号登录: phone number → code by text message → signed in; the first time, the person picks
/// their station (the nearest to them, or from the list) and gives the name and address they order with.
enum PhoneSignInPages {
    static func register(web: RoutesBuilder) {
        let limited = web.grouped(RateLimit(bucket: .signIn))
        limited.post("login", "phone", use: sendCode).rule(.open)
        limited.post("login", "code", use: checkCode).rule(.open)
        limited.post("login", "welcome", use: welcome).rule(.open)
    }

    /// A mobile number (the one codes are texted to), read leniently, refused with a reason.
    static func readPhone(_ r: inout FieldReader) -> PhoneNumber? {
        guard let raw = r.text("phone", max: 24) else { return nil }
        guard let phone = PhoneNumber.parse(raw), phone.isMobile else { r.fail("phone", "error.phone"); return nil }
        return phone
    }

    static func next(_ form: [String: [String]]) -> String {
        form["next"]?.last.flatMap { Paths.isLocal($0) ? $0 : nil } ?? ""
    }

    static func loginAgain(_ req: Request, next: String, phone: String, error: String, status: HTTPResponseStatus) async throws -> Response {
        var page = LoginPage(chrome: .make(req, title: req.t("login.title")), next: next, username: "", error: nil, action: Paths.login())
        page.phoneOffered = true
        page.phone = String(phone.prefix(24))
        page.phoneError = error
        page.kept = SignInPages.kept(try await req.formFields(), prefix: SignInPages.keptPrefix)
        return try await Pages.render(req, "login", page, status: status)
    }

    static func sendCode(req: Request) async throws -> Response {
        let service = PhoneSignInService.make(req)
        guard service.offered else { throw AppError.notFound }
        let form = try await req.formFields()
        let typed = (form["phone"]?.last ?? "").trimmingCharacters(in: .whitespaces)
        var reader = try await req.fieldReader()
        let phone = readPhone(&reader)
        guard reader.isValid, let phone else {
            return try await loginAgain(req, next: next(form), phone: typed, error: req.t(reader.errors.first?.message ?? Message("error.phone")), status: .unprocessableEntity)
        }
        do {
            let code = try await service.sendCode(to: phone, address: req.clientAddress, locale: req.locale)
            if let code { req.logger.notice("Development sign-in code for \(phone.masked): \(code) (no SMS gateway configured)") }
            return try await codePage(req, phone: phone, next: next(form), developmentCode: code, notice: req.t("login.code_sent", ["phone": phone.masked]))
        } catch let e as AppError {
            let response = try await loginAgain(req, next: next(form), phone: typed, error: req.t(e.message), status: e.status)
            if case .tooManyRequests(_, let s) = e { response.headers.replaceOrAdd(name: .retryAfter, value: String(s)) }
            return response
        }
    }

    static func codePage(_ req: Request, phone: PhoneNumber, next: String, developmentCode: String? = nil, notice: String? = nil, error: String? = nil,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = PhoneCodePage(chrome: .make(req, title: req.t("login.code_title")), next: next, phone: phone.value, phoneMasked: phone.masked,
                                 error: error, notice: notice, developmentCode: developmentCode, action: Paths.loginCode, resend: Paths.loginPhone,
                                 kept: SignInPages.kept(try await req.formFields(), prefix: SignInPages.keptPrefix))
        return try await Pages.render(req, "login_code", page, status: status)
    }

    static func checkCode(req: Request) async throws -> Response {
        let form = try await req.formFields()
        var reader = try await req.fieldReader()
        guard let phone = readPhone(&reader), reader.isValid else { return req.redirect(to: Paths.login()) }
        let code = String((form["code"]?.last ?? "").prefix(40))
        let service = PhoneSignInService.make(req)
        do {
            switch try await service.check(code, phone: phone) {
            case .account(let account):
                try await req.startWebSession(accountID: try account.requireID())
                try SignInPages.keep(SignInPages.kept(form, prefix: SignInPages.keptPrefix), in: req)
                let next = next(form)
                return req.redirect(to: next.isEmpty ? Paths.home : next)
            case .newPerson:
                let expires = Int(req.now.timeIntervalSince1970 + PhoneSignIn.welcomeLifetime)
                return try await welcomePage(req, phone: phone, expires: expires, ticket: service.welcomeTicket(phone: phone, expires: expires),
                                             next: next(form), values: [:], errors: [])
            }
        } catch let failure as ValidationFailure {
            return try await codePage(req, phone: phone, next: next(form), error: req.t(failure.errors.first?.message ?? Message("error.validation")),
                                      status: .unprocessableEntity)
        } catch let e as AppError {
            return try await codePage(req, phone: phone, next: next(form), error: req.t(e.message), status: e.status)
        }
    }

    static func welcomePage(_ req: Request, phone: PhoneNumber, expires: Int, ticket: String, next: String, values: [String: [String]],
                            errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let stations = try await Site.query(on: req.db).filter(\.$kind == SiteKind.station).filter(\.$active == true).sort(\.$path).range(0..<2000).all()
        let form = FormBuilder(req, values: values, errors: errors)
        var station = form.select("station_id", "login.welcome.station", [("", req.t("login.welcome.choose"))] + stations.compactMap { s in s.id.map { (String($0), s.name) } })
        station.hint = req.t("login.welcome.station_hint")
        // The station last, with "the nearest to me" right under it.
        let fields = [form.text("display_name", "login.welcome.name"),
                      form.text("address", "login.welcome.address", required: false, hint: "login.welcome.address_hint"), station]
        let places = stations.compactMap { s in s.id.map { "\($0):\(s.latitude):\(s.longitude)" } }.joined(separator: ";")
        let page = WelcomePage(chrome: .make(req, title: req.t("login.welcome.title")), next: next, phone: phone.value, expires: expires, ticket: ticket,
                               fields: fields, summary: errors.isEmpty ? nil : req.t("error.validation"), action: Paths.loginWelcome, stationPlaces: places)
        return try await Pages.render(req, "login_welcome", page, status: status)
    }

    static func welcome(req: Request) async throws -> Response {
        let form = try await req.formFields()
        var reader = try await req.fieldReader()
        let phone = readPhone(&reader)
        let expires = reader.int("expires", in: 0...4_102_444_800)
        let ticket = reader.text("ticket", max: 100)
        let service = PhoneSignInService.make(req)
        // The ticket proves the code was right a moment ago; without it, start again.
        func startAgain(_ status: HTTPResponseStatus) async throws -> Response {
            var page = LoginPage(chrome: .make(req, title: req.t("login.title")), next: next(form), username: "", error: nil, action: Paths.login())
            page.phoneOffered = service.offered
            page.phoneError = req.t("error.code.start_again")
            return try await Pages.render(req, "login", page, status: status)
        }
        guard let phone, let expires, let ticket, service.ticketIsGood(phone: phone, expires: expires, ticket: ticket) else {
            return try await startAgain(.unprocessableEntity)
        }
        var r = try await req.fieldReader()
        let name = r.text("display_name", max: 40)
        let station = r.int("station_id", in: 1...Int(Int32.max))
        let address = r.text("address", required: false, max: 200)
        do {
            try r.check()
            let unusable = try await req.password.async.hash(TokenDigest.random(bytes: 32)).get()
            let account = try await service.openResidentAccount(phone: phone, name: name!, stationID: station!, address: address, locale: req.locale,
                                                                unusablePasswordHash: unusable)
            try await req.startWebSession(accountID: try account.requireID())
            req.webSession["flash"] = req.t("login.welcome.done", ["name": account.displayName ?? name!])
            let next = next(form)
            return req.redirect(to: next.isEmpty ? Paths.home : next)
        } catch let failure as ValidationFailure {
            return try await welcomePage(req, phone: phone, expires: expires, ticket: ticket, next: next(form), values: form, errors: failure.errors,
                                         status: .unprocessableEntity)
        } catch let e as AppError where e.status == .conflict {
            return try await startAgain(.conflict)
        }
    }
}
