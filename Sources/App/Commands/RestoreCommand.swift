import Vapor
import Fluent
import FluentSQLiteDriver
import Foundation

struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "the backup file to restore")
        var from: String?
        @Flag(name: "yes", help: "confirm: the database is replaced by the backup")
        var yes: Bool
        init() {}
    }

    var help: String { "Replaces the database with a backup after checking it (stop the server first)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.from, !path.isEmpty else { throw Backup.Failure(description: "Say which: diandan restore --from FILE --yes") }
        guard signature.yes else { throw Backup.Failure(description: "Restoring replaces the whole database; add --yes to confirm.") }
        let r = try await Backup(app: context.application).restore(from: path)
        context.console.output("restored \(r.file): \(r.orders) orders, \(r.migrations) migrations; integrity checked".consoleText())
    }
}
