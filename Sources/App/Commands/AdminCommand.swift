import Vapor
import Fluent
import DiandanCore

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
