import Vapor
import Fluent
import DiandanCore

/// `diandan seed demo`: the demo county, on an empty development database.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "what to seed: demo or synthetic")
        var kind: String
        @Option(name: "scale", help: "synthetic: county, city or province")
        var scale: String?
        @Option(name: "seed", help: "synthetic: the random seed (the same seed gives the same data)")
        var seed: Int?
        @Flag(name: "auditor", help: "synthetic: also create the auditor `province`, reading every centre (password from DIANDAN_ADMIN_PASSWORD)")
        var auditor: Bool
        @Flag(name: "if-empty", help: "synthetic: do nothing if the database already holds orders")
        var ifEmpty: Bool
        init() {}
    }

    /// `province`: an auditor (领导, read-only) at every centre, for the province overview.
    /// The password comes from DIANDAN_ADMIN_PASSWORD, never from the command line.
    func provinceAuditor(_ app: Application, _ wanted: Bool) async throws {
        guard wanted else { return }
        guard let password = Environment.get("DIANDAN_ADMIN_PASSWORD"), PasswordPolicy.problem(password, username: "province") == nil else {
            throw ConfigurationError("--auditor needs DIANDAN_ADMIN_PASSWORD: at least 8 characters with letters and digits, not a common password.")
        }
        let hash = try await app.password.async.hash(password)
        try await app.db.writeTransaction { db in
            let roots = try await Site.query(on: db).filter(\.$parent.$id == nil).sort(\.$id).all()
            guard let first = roots.first else { return }
            let account: Account
            if let existing = try await Account.query(on: db).filter(\.$username == "province").first() {
                existing.passwordHash = hash
                try await existing.save(on: db)
                account = existing
            } else {
                account = try await Account.insert(username: "province", passwordHash: hash, site: first, role: .auditor, on: db)
            }
            let held = Set(try await RoleGrant.query(on: db).filter(\.$account.$id == account.requireID()).all().map(\.$site.id))
            for root in roots where !held.contains(try root.requireID()) {
                let g = RoleGrant()
                g.role = Role.auditor.rawValue
                g.$account.id = try account.requireID()
                g.$site.id = try root.requireID()
                try await g.create(on: db)
            }
        }
    }

    var help: String { "Seeds data: `seed demo` loads the demo county into an empty database; `seed synthetic --scale county|city|province [--seed N]` generates test data." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if signature.kind == "synthetic" {
            guard Settings.isDevelopmentLike(app.environment) else { throw ConfigurationError("Synthetic data is seeded only in development and testing.") }
            guard let scale = SyntheticScale.named(signature.scale ?? "county") else {
                throw ConfigurationError("Unknown scale `\(signature.scale ?? "")`; available: county, city, province.")
            }
            try await app.autoMigrate()
            let console = context.console
            if signature.ifEmpty, try await Order.query(on: app.db).count() > 0 {
                try await provinceAuditor(app, signature.auditor)
                console.output("the database already holds orders: not seeded")
                return
            }
            let start = ContinuousClock.now
            let counts = try await SyntheticSeeder(db: app.db, protector: app.protector, scale: scale, seed: UInt64(signature.seed ?? 1),
                                                   now: app.clock.now(), progress: { console.output($0.consoleText()) }).run()
            let seconds = (ContinuousClock.now - start).components.seconds
            console.output("""
                synthetic \(signature.scale ?? "county") (seed \(signature.seed ?? 1)) in \(seconds) s: \(counts.sites) sites, \(counts.teams) teams, \
                \(counts.volunteers) volunteers, \(counts.menuItems) menu items, \(counts.projects) projects, \(counts.orders) orders, \
                \(counts.events) events, \(counts.records) service records
                """.consoleText())
            try await provinceAuditor(app, signature.auditor)
            return
        }
        guard signature.kind == "demo" else { throw ConfigurationError("Unknown seed `\(signature.kind)`; available: demo, synthetic.") }
        guard Settings.isDevelopmentLike(app.environment) else { throw ConfigurationError("Demo data is seeded only in development and testing.") }
        try await app.autoMigrate()
        guard try await Site.query(on: app.db).count() == 0 else {
            throw ConfigurationError("The database already has sites; the demo county is only seeded into an empty database.")
        }
        let lines = try await DemoSeeder(app: app, progress: { [console = context.console] in console.output($0.consoleText()) }).run()
        context.console.output(DemoSeeder.loginsText(lines).consoleText())
    }
}

/// `diandan admin create --username U --role R --site CODE`: the first account of a new installation.
/// The password comes from DIANDAN_ADMIN_PASSWORD or a hidden prompt, never from the command line.
struct AdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create")
        var action: String
        @Option(name: "username", help: "login name")
        var username: String?
        @Option(name: "role", help: "siteAdmin, auditor, teamLeader, practitioner, volunteer or resident")
        var role: String?
        @Option(name: "site", help: "code of the site the role covers (with its subtree)")
        var site: String?
        @Option(name: "site-name", help: "if the site does not exist yet: create it as a county centre with this name")
        var siteName: String?
        @Option(name: "zone", help: "zone of a new centre: urban or rural (default urban)")
        var zone: String?
        @Option(name: "latitude", help: "latitude of a new centre")
        var latitude: Double?
        @Option(name: "longitude", help: "longitude of a new centre")
        var longitude: Double?
        init() {}
    }

    var help: String { "Creates an account with one role at a site: admin create --username U --role R --site CODE" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.action == "create" else { throw ConfigurationError("Unknown action `\(signature.action)`; available: create.") }
        guard let username = signature.username, let roleName = signature.role, let code = signature.site else {
            throw ConfigurationError("Usage: diandan admin create --username U --role R --site CODE")
        }
        guard let role = Role(rawValue: roleName) else {
            throw ConfigurationError("Unknown role `\(roleName)`; one of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        try await app.autoMigrate()
        var site = try await Site.query(on: app.db).filter(\.$code == code).first()
        if site == nil {
            guard let name = signature.siteName else {
                throw ConfigurationError("No site with code \(code). Pass --site-name to create it as a new county centre.")
            }
            var r = FieldReader(["code": .string(code), "name": .string(name), "kind": .string("centre"),
                                 "latitude": signature.latitude.map(InputValue.number) ?? .number(25.88),
                                 "longitude": signature.longitude.map(InputValue.number) ?? .number(116.03),
                                 "zone": .string(signature.zone ?? "urban"), "active": .bool(true)])
            let input = SiteInput.read(&r)
            try r.check()
            let s = try await app.db.writeTransaction { db in
                try await Site.insert(code: input!.code, name: input!.name, kind: .centre, parent: nil,
                                      latitude: input!.latitude, longitude: input!.longitude, zone: input!.zone, on: db)
            }
            context.console.output("Created centre \(s.code) \(s.name).".consoleText())
            site = s
        }
        guard let site else { return }
        var password = Environment.get("DIANDAN_ADMIN_PASSWORD") ?? ""
        if password.isEmpty {
            context.console.output("Password for \(username): ".consoleText(), newLine: false)
            password = context.console.input(isSecure: true)
        }
        var r = FieldReader(["username": .string(username), "password": .string(password), "site_id": .number(Double(try site.requireID()))])
        let input = AccountInput.read(&r, passwordRequired: true)
        if !r.isValid {
            let problems = r.errors.map { "\($0.field): \(app.localizer.text($0.message, .en))" }.joined(separator: "; ")
            throw ConfigurationError(problems)
        }
        if try await Account.query(on: app.db).filter(\.$username == username).count() > 0 {
            throw ConfigurationError("The username \(username) is taken.")
        }
        let hash = try await app.password.async.hash(input!.password!).get()
        _ = try await Account.insert(username: input!.username, passwordHash: hash, site: site, role: role, locale: input!.locale, on: app.db)
        context.console.output("Created \(username) as \(role.rawValue) at \(site.code) \(site.name).".consoleText())
    }
}
