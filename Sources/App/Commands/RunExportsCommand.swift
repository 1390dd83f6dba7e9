import Fluent
import Vapor
import SQLKit
import DiandanCore

/// `diandan run-exports`: one pass of the export runner, for cron or by hand.
struct RunExportsCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "Writes queued order-list exports and removes those past their day; one pass." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let pass = try await ExportService.make(app).runOnce()
        context.console.output("written \(pass.ran), removed \(pass.removed)".consoleText())
    }
}
