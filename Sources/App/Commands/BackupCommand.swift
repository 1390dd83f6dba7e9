import Vapor
import Fluent
import FluentSQLiteDriver
import Foundation

/// `diandan backup --to FILE` and `diandan restore --from FILE`.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "the new file to write the backup to")
        var to: String?
        init() {}
    }

    var help: String { "Writes a consistent, checked copy of the database to a new file (SQLite: VACUUM INTO; PostgreSQL: pg_dump)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.to, !path.isEmpty else { throw Backup.Failure(description: "Say where: diandan backup --to FILE") }
        let r = try await Backup(app: context.application).backup(to: path)
        context.console.output("backup \(r.file): \(r.bytes) bytes, \(r.orders) orders, \(r.migrations) migrations; integrity checked".consoleText())
    }
}
