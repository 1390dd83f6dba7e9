import Fluent
import Vapor
import SQLKit
import DiandanCore

/// `diandan deliver-notices`: one pass of the dispatcher, for cron or by hand.
struct DeliverNoticesCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "Delivers pending notices from the outbox to people's inboxes; one pass." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let pass = try await NoticeDispatcher.make(app).runOnce(limit: 100_000)
        context.console.output("delivered \(pass.entries) (\(pass.notices) notices), to retry \(pass.retried), set aside \(pass.failed)".consoleText())
    }
}
