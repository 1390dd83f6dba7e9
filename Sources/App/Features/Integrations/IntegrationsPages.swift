import Vapor
import Fluent
import DiandanCore

/// 接入管理: a centre admin issues a key per outside system (a city platform, a 12345 hotline) for
/// Open311, with an optional webhook. The key and the webhook's signing secret are shown once.
enum IntegrationSection: AdminSection {
    static let section = "integrations"
    static let resource = Resource.accounts
    static let headingKey = "admin.integrations"
    static let columnKeys = ["integration.name", "integration.site", "integration.key", "integration.webhook", "integration.state", "integration.last_used"]

    static func load(_ id: Int, on db: Database) async throws -> Integration? {
        try await Integration.query(on: db).filter(\.$id == id).with(\.$site).first()
    }

    static func sitePath(of item: Integration) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Integration> {
        var q = Integration.query(on: req.db).join(Site.self, on: \Integration.$site.$id == \Site.$id).within(scopes).with(\.$site).sort(\.$id, .descending)
        if let pattern { q = q.filter(\.$name ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ i: Integration) -> [String] {
        [i.name, i.site.name, "…" + i.keyHint, i.webhookURL ?? "", req.t(i.revokedAt == nil ? "integration.active" : "integration.revoked"),
         i.lastUsedAt.map { DateText.minute($0) } ?? ""]
    }

    static func values(_ req: Request, of i: Integration?) -> [String: [String]] {
        guard let i else { return [:] }
        return ["name": [i.name], "webhook_url": [i.webhookURL ?? ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Integration?) async throws -> [FormField] {
        var fields = [form.text("name", "integration.name")]
        // The site is chosen once: the key's reach does not move.
        if editing == nil { fields.append(form.select("site_id", "integration.site", try await centreSites(req))) }
        fields.append(form.text("webhook_url", "integration.webhook", required: false, hint: "integration.webhook_hint"))
        return fields
    }

    /// Only a centre's admins issue keys, for their centre or a site below it.
    static func centreSites(_ req: Request) async throws -> [(String, String)] {
        let centres = Policy.centresAdministered(req.grants)
        guard !centres.isEmpty else { return [] }
        return try await Site.query(on: req.db).within(centres).sort(\.$path).range(0..<5000).all()
            .compactMap { s in s.id.map { (String($0), HomeRoutes.indent(s) + s.name) } }
    }

    static func mayManage(_ req: Request, _ site: SitePath) -> Bool {
        IntegrationService.mayManage(site, by: req.grants)
    }

    static func save(_ req: Request, _ item: Integration?) async throws -> Integration {
        var r = try await req.adminReader()
        let input = IntegrationInput.read(&r, creating: item == nil, allowPrivate: req.application.settings.webhookAllowPrivate)
        try r.check()
        let service = IntegrationService.make(req)
        if let item {
            // A new address gets a new secret, shown once.
            if let secret = try await service.update(item, input!) { try reveal(req, item, secret: secret) }
            return item
        }
        // The account its orders are placed by has a password nobody knows.
        let unusable = try await req.password.async.hash(TokenDigest.random(bytes: 32)).get()
        let made = try await service.create(input!, accountPassword: unusable, by: req.principal?.accountID)
        req.webSession[revealKey(try made.integration.requireID())] = made.key
        if let secret = made.secret { try reveal(req, made.integration, secret: secret) }
        return made.integration
    }

    private static func revealKey(_ id: Int) -> String { "integration.key.\(id)" }
    private static func revealSecretKey(_ id: Int) -> String { "integration.secret.\(id)" }

    private static func reveal(_ req: Request, _ i: Integration, secret: String) throws {
        req.webSession[revealSecretKey(try i.requireID())] = secret
    }

    static func sections(_ req: Request, _ i: Integration, canWrite: Bool) async throws -> [FormPage.Section] {
        let id = try i.requireID()
        var rows: [FormPage.SectionRow] = [.init(cells: [req.t("integration.site"), i.site.name])]
        // Shown once, right after they were made.
        if let key = req.webSession[revealKey(id)] {
            rows.append(.init(cells: [req.t("integration.key_once"), key]))
            req.webSession[revealKey(id)] = nil
        }
        if let secret = req.webSession[revealSecretKey(id)] {
            rows.append(.init(cells: [req.t("integration.secret_once"), secret]))
            req.webSession[revealSecretKey(id)] = nil
        }
        rows.append(.init(cells: [req.t("integration.endpoint"), req.baseURL + "/open311/v2/discovery.json"]))
        rows.append(.init(cells: [req.t("integration.jurisdiction"), i.site.code]))
        // Deliveries given up on: how many, and the last reason, so staff can tell the system's owner.
        let dead = Delivery.query(on: req.db).filter(\.$integrationID == id).filter(\.$status == Delivery.Status.dead.rawValue)
        if let last = try await dead.copy().sort(\.$id, .descending).first() {
            rows.append(.init(cells: [req.t("integration.dead"), "\(try await dead.count()) · \(last.lastError ?? "")"]))
        }
        let revocable = canWrite && i.revokedAt == nil && mayManage(req, i.site.sitePath)
        if let revoked = i.revokedAt { rows.append(.init(cells: [req.t("integration.revoked"), DateText.minute(revoked)])) }
        return [FormPage.Section(heading: req.t("integration.details"), rows: rows,
                                 form: revocable ? .init(action: Paths.adminIntegrationRevoke(id), fields: [], submit: req.t("integration.revoke"), danger: true,
                                                         question: req.t("integration.revoke_confirm", ["name": i.name])) : nil)]
    }

    static func registerExtras(_ admin: RoutesBuilder) {
        admin.post("integrations", ":id", "revoke", use: revoke).rule(.resource(.accounts, .write))
    }

    /// Revoking is for good: the key stops at once and the integration's account is disabled.
    static func revoke(req: Request) async throws -> Response {
        let i = try await AdminRoutes<IntegrationSection>.find(req)
        // Only asked of someone who may revoke it.
        try IntegrationService.make(req).requireManage(i.site.sitePath)
        if !Confirmation.given(try await req.formFields()) {
            return try await Confirmation.ask(req, heading: req.t("integration.revoke"), question: req.t("integration.revoke_confirm", ["name": i.name]),
                                              action: Paths.adminIntegrationRevoke(try i.requireID()), confirm: req.t("integration.revoke"),
                                              back: Paths.adminItem(section, try i.requireID()))
        }
        try await IntegrationService.make(req).revoke(i)
        return req.redirect(to: Paths.adminItem(section, try i.requireID()), redirectType: .normal)
    }
}
