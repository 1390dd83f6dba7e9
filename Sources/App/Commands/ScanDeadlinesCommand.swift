import Fluent
import Vapor
import SQLKit
import DiandanCore

/// `diandan scan-deadlines`: one pass, for cron or by hand.
struct ScanDeadlinesCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "Escalates orders past their response deadline and closes unrated ones past the window; one pass." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let pass = try await DeadlineScanner(service: OrderService.make(app)).runOnce()
        context.console.output("escalated \(pass.escalated), overdue \(pass.overdue), closed unrated \(pass.closed)".consoleText())
    }
}
