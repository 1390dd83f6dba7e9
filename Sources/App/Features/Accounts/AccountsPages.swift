import Vapor
import Fluent
import DiandanCore

enum AccountSection: AdminSection {
    static let section = "accounts"
    static let resource = Resource.accounts
    static let headingKey = "admin.accounts"
    static let columnKeys = ["account.username", "account.site", "account.phone", "account.disabled", "account.last_login"]

    static func load(_ id: Int, on db: Database) async throws -> Account? {
        try await Account.query(on: db).filter(\.$id == id).with(\.$site).first()
    }

    static func sitePath(of item: Account) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Account> {
        var q = Account.query(on: req.db).join(Site.self, on: \Account.$site.$id == \Site.$id).within(scopes).with(\.$site).sort(\.$username)
        if let pattern { q = q.filter(\.$username ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ a: Account) -> [String] {
        [a.username, a.site.name, a.phoneMasked ?? "", req.t(a.disabled ? "common.yes" : "common.no"),
         a.lastLoginAt.map { DateText.minute($0) } ?? ""]
    }

    static func values(_ req: Request, of a: Account?) -> [String: [String]] {
        guard let a else { return ["locale": [AppLocale.zhCN.rawValue]] }
        // The phone is sealed: the form shows the mask and keeps the number unless a new one is typed.
        return ["username": [a.username], "locale": [a.locale], "site_id": [String(a.$site.id)], "disabled": [a.disabled ? "on" : ""],
                "phone_masked": [a.phoneMasked ?? ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Account?) async throws -> [FormField] {
        var phone = form.text("phone", "account.phone", kind: .tel, required: false)
        if let masked = editing?.phoneMasked { phone.hint = req.t("account.phone_keep", ["masked": masked]) }
        return [
            form.text("username", "account.username", hint: "account.username_hint"),
            phone,
            form.text("password", "account.password", kind: .password, required: editing == nil,
                      hint: editing == nil ? "account.password_hint" : "account.password_keep"),
            form.select("locale", "account.locale", AppLocale.allCases.map { ($0.rawValue, req.t("lang.\($0.rawValue)")) }),
            form.select("site_id", "account.site", try await SiteChoices.options(req, .accounts, .write)),
            form.checkbox("disabled", "account.disabled"),
        ]
    }

    /// Only someone whose reach covers the account's home site and every grant it holds.
    static func mayWrite(_ req: Request, _ item: Account) async throws -> Bool {
        guard Policy.allows(req.grants, .accounts, .write, at: item.site.sitePath), let id = item.id else { return false }
        let holding = try await AccountService.make(req).grantSites(of: id)
        return Policy.mayManageAccount(home: item.site.sitePath, holding: holding, by: req.grants)
    }

    static func readOnlyNote(_ req: Request, _ item: Account) -> String? { req.t("account.above_reach_note") }

    static func save(_ req: Request, _ item: Account?) async throws -> Account {
        var r = try await req.adminReader()
        let input = AccountInput.read(&r, passwordRequired: item == nil)
        try r.check()
        let account = item ?? Account()
        var hash: String?
        if let password = input!.password { hash = try await req.password.async.hash(password).get() }
        // An empty phone field on an existing account keeps the sealed number.
        let keepPhone = input!.phone == nil && item?.phoneSealed != nil
        let ended = try await AccountService.make(req).save(input!, into: account, passwordHash: hash, by: req.grants, keepPhone: keepPhone)
        if ended {
            if account.id == req.principal?.accountID { req.endWebSession() }
            req.webSession["flash"] = req.t("account.sessions_ended")
        }
        return account
    }

    static func sections(_ req: Request, _ account: Account, canWrite: Bool) async throws -> [FormPage.Section] {
        let id = try account.requireID()
        let grants = try await RoleGrant.query(on: req.db).filter(\.$account.$id == id).with(\.$site).all()
        let form = FormBuilder(req)
        let sessions = FormPage.Section(heading: req.t("account.sessions"), rows: [.init(cells: [req.t("account.sessions_hint")], removeAction: nil)], form: nil,
                                        link: canWrite ? Paths.adminAccountSignOut(id) : nil, linkLabel: req.t("account.sign_out_everywhere"))
        return [sessions, FormPage.Section(
            heading: req.t("account.grants"),
            rows: try grants.map { g in
                let removable = canWrite && Policy.mayAssign(g.role, at: g.site.sitePath, by: req.grants)
                return .init(cells: [req.t("role.\(g.role)"), g.site.name],
                             removeAction: removable ? Paths.adminAccountGrantDelete(id, try g.requireID()) : nil)
            },
            form: canWrite ? .init(action: Paths.adminAccountGrants(id), fields: [
                form.select("role", "account.role", Role.allCases.map { ($0.rawValue, req.t("role.\($0.rawValue)")) }),
                form.select("site_id", "account.grant_site", try await SiteChoices.options(req, .accounts, .write)),
            ], submit: req.t("account.grant_add")) : nil
        )]
    }

    static func registerExtras(_ admin: RoutesBuilder) {
        admin.post("accounts", ":id", "grants", use: addGrant).rule(.resource(.accounts, .write))
        admin.post("accounts", ":id", "grants", ":grant", "delete", use: removeGrant).rule(.resource(.accounts, .write))
        admin.get("accounts", ":id", "sign-out", use: confirmSignOut).rule(.resource(.accounts, .write))
        admin.post("accounts", ":id", "sign-out", use: signOut).rule(.resource(.accounts, .write))
    }

    /// Asks first: every device of the account is signed out and every token revoked.
    static func confirmSignOut(req: Request) async throws -> Response {
        let account = try await AdminRoutes<AccountSection>.find(req)
        try await AccountService.make(req).requireManageable(account, by: req.grants)
        let id = try account.requireID()
        let page = ConfirmPage(chrome: .make(req, title: req.t("account.sign_out_everywhere")), heading: req.t("account.sign_out_everywhere"),
                               message: req.t("account.sign_out_confirm", ["username": account.username]), action: Paths.adminAccountSignOut(id),
                               confirm: req.t("account.sign_out_everywhere"), cancel: req.t("common.cancel"), back: Paths.adminItem(section, id))
        return try await Pages.render(req, "confirm", page)
    }

    static func signOut(req: Request) async throws -> Response {
        let account = try await AdminRoutes<AccountSection>.find(req)
        try req.authorize(.accounts, .write, at: account.site.sitePath)
        try await AccountService.make(req).signOutEverywhere(account, by: req.grants)
        if account.id == req.principal?.accountID {
            req.endWebSession()
            return req.redirect(to: Paths.loginAfterSignOut, redirectType: .normal)
        }
        req.webSession["flash"] = req.t("account.sessions_ended")
        return req.redirect(to: Paths.adminItem(section, try account.requireID()), redirectType: .normal)
    }

    static func addGrant(req: Request) async throws -> Response {
        let account = try await AdminRoutes<AccountSection>.find(req)
        try req.authorize(.accounts, .write, at: account.site.sitePath)
        var r = try await req.adminReader()
        let input = GrantInput.read(&r)
        try r.check()
        try await AccountService.make(req).addGrant(input!, to: account, by: req.grants)
        return req.redirect(to: Paths.adminItem(section, try account.requireID()))
    }

    static func removeGrant(req: Request) async throws -> Response {
        let account = try await AdminRoutes<AccountSection>.find(req)
        try req.authorize(.accounts, .write, at: account.site.sitePath)
        guard let gid = (try? req.pathInt("grant")) else { throw AppError.notFound }
        try await AccountService.make(req).removeGrant(gid, from: account, by: req.grants)
        return req.redirect(to: Paths.adminItem(section, try account.requireID()))
    }
}

enum DateText {
    static func minute(_ d: Date) -> String {
        let c = Calendar.chinaStandard.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
