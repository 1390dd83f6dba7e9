import Vapor
import Fluent
import SQLKit
import DiandanCore

/// `diandan check`: prints what it counted and any problem; exits non-zero when there is one.
struct CheckCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "rebuild-rollups", help: "Recount the assessment rollups from the orders first.")
        var rebuild: Bool
        init() {}
    }

    var help: String { "Checks the database: its integrity, and that orders, events, facts, rollups, hours and points agree." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        // Read-only: a database that was never migrated is named, not created.
        guard let sql = app.db as? SQLDatabase, (try? await sql.raw("SELECT COUNT(*) AS n FROM orders").run()) != nil else {
            throw ConfigurationError("No Diandan database here (check DIANDAN_SQLITE_PATH or DATABASE_URL): nothing to check.")
        }
        if signature.rebuild {
            try await AssessmentRollups(db: app.db).rebuild { context.console.output($0.consoleText()) }
        }
        let report = try await ConsistencyCheck(db: app.db).run()
        for line in report.lines { context.console.output(line.consoleText()) }
        if !report.problems.isEmpty { throw ConfigurationError("The check found \(report.problems.count) problem(s).") }
    }
}
