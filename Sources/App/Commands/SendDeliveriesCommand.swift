import Vapor
import Fluent
import SQLKit
import Crypto
import NIOCore
import DiandanCore
import Glibc

/// `diandan send-deliveries`: one pass of the sender, for cron or by hand.
struct SendDeliveriesCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "Sends pending webhook calls and text messages; one pass." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let pass = try await DeliverySender.make(app).runOnce(limit: 100_000)
        context.console.output("sent \(pass.delivered), to retry \(pass.retried), set aside \(pass.dead)".consoleText())
    }
}
