import Vapor
import Fluent
import DiandanCore

/// `diandan audit verify`: walks the whole chain; exits non-zero at the first break.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
        init() {}
    }

    var help: String { "Audit trail: `diandan audit verify` checks that no entry was changed, removed or slipped in." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else { throw ConfigurationError("Unknown action \(signature.action); try `diandan audit verify`.") }
        let count = try await Self.verify(context.application)
        context.console.output("audit chain holds: \(count) entries checked, ending where its head says".consoleText())
    }

    /// The number of entries, or an error naming the first problem.
    static func verify(_ app: Application) async throws -> Int {
        let (count, problem) = try await AuditLog(db: app.db, signer: app.protector).verify()
        switch problem {
        case nil:
            return count
        case .altered(let seq)?:
            throw ConfigurationError("audit chain broken at entry \(seq): it was changed, or an entry before it was (\(count) entries hold before it)")
        case .gap(let after, let found)?:
            throw ConfigurationError("audit chain broken after entry \(after): the next is \(found) (entries removed or inserted)")
        case .truncated(let expected, let found)?:
            throw ConfigurationError("audit trail cut short: its head says \(expected) entries, \(found) are left (the newest were removed)")
        case .headMissing?:
            throw ConfigurationError("audit trail has no head: it was removed")
        case .headAltered?:
            throw ConfigurationError("audit trail's head does not carry our signature: it was rewritten (or DIANDAN_SECRET changed)")
        }
    }
}
