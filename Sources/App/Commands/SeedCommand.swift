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
                g.role = .auditor
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
