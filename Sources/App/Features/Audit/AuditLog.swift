import Vapor
import Fluent
import SQLKit
import Crypto
import DiandanCore

/// The audit trail's head (`CreateAuditHead`): one row, id 1.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "audit_head"
    @ID(custom: .id, generatedBy: .user) var id: Int?
    @Field(key: "count") var count: Int
    @Field(key: "last_hash") var lastHash: String
    @Field(key: "signature") var signature: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    static func signed(_ count: Int, _ hash: String) -> String { "audit-head|\(count)|\(hash)" }
}

/// Appends to the audit trail. Each append reads the last entry and chains to it inside one write
/// transaction (on PostgreSQL under an advisory lock), so entries form one unbroken line however many
/// instances write; the head moves forward in the same transaction.
struct AuditLog {
    let db: Database
    /// Signs the head with the server's secret.
    let signer: DataProtector

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Appends of this process wait their turn here rather than each holding a database connection
    /// while it waits for the trail's lock (a burst of views in the clear would empty the pool).
    static let turns = AsyncMutex()

    /// What happened; `seq` is filled in here.
    @discardableResult
    func append(_ draft: AuditEntry) async throws -> AuditRecord {
        // Inside a write transaction already (which may share its commit with others): join it, never
        // wait in line behind an append that waits for that very commit.
        if WriteTransaction.active { return try await appendHere(draft) }
        return try await Self.turns.run {
            try await db.writeTransaction { [signer] db in try await AuditLog(db: db, signer: signer).appendHere(draft) }
        }
    }

    /// The append itself, on a database that is already inside a write transaction (the action's own).
    func appendHere(_ draft: AuditEntry) async throws -> AuditRecord {
        if let sql = db as? SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(7311001)").run()
        }
        let last = try await AuditRecord.query(on: db).sort(\.$seq, .descending).first()
        var entry = draft
        entry.seq = (last?.seq ?? 0) + 1
        // Stored to the millisecond, as it is hashed.
        entry.at = Date(timeIntervalSince1970: (draft.at.timeIntervalSince1970 * 1000).rounded() / 1000)
        let previous = last?.hash ?? AuditChain.genesis
        let r = AuditRecord()
        r.seq = entry.seq
        r.at = entry.at
        r.accountID = entry.accountID
        r.username = entry.username
        r.siteID = entry.siteID
        r.action = entry.action
        r.target = entry.target
        r.detail = entry.detail
        r.reason = entry.reason
        r.address = entry.address
        r.previousHash = previous
        r.hash = AuditChain.hash(previous: previous, entry, digest: Self.digest)
        try await r.create(on: db)
        try await moveHead(to: r.seq, hash: r.hash, at: entry.at)
        return r
    }

    /// Moves the head to the new entry — only from where it stood: a head that is not ours, or that
    /// no longer names the entry before this one (entries were removed from the end), stays as it is,
    /// so `diandan audit verify` keeps saying so instead of a new signature covering it up.
    private func moveHead(to count: Int, hash: String, at: Date) async throws {
        let head = try await AuditHead.find(1, on: db) ?? AuditHead()
        if head.id == nil {
            head.id = 1
        } else {
            let previous = try await AuditRecord.query(on: db).filter(\.$seq == count - 1).first()
            let holds = signer.verify(AuditHead.signed(head.count, head.lastHash), signature: head.signature)
                && head.count == count - 1 && head.lastHash == (previous?.hash ?? AuditChain.genesis)
            guard holds else {
                Logger(label: "diandan.audit").critical("The audit trail's head does not match its end: it is left as it is. Run `diandan audit verify`.")
                return
            }
        }
        head.count = count
        head.lastHash = hash
        head.signature = signer.sign(AuditHead.signed(count, hash))
        head.updatedAt = at
        try await head.save(on: db)
    }

    /// The head of a trail written before the head existed: its length and last hash, signed.
    static func establishHead(on db: Database, signer: DataProtector) async throws {
        let last = try await AuditRecord.query(on: db).sort(\.$seq, .descending).first()
        let head = AuditHead()
        head.id = 1
        head.count = last?.seq ?? 0
        head.lastHash = last?.hash ?? AuditChain.genesis
        head.signature = signer.sign(AuditHead.signed(head.count, head.lastHash))
        head.updatedAt = Date()
        try await head.create(on: db)
    }

    /// The whole chain checked, a page at a time: how many entries, and the first break if any. The
    /// end is checked against the signed head, so entries removed from the end are noticed too.
    func verify() async throws -> (count: Int, problem: AuditChain.Break?) {
        var verifier = AuditChain.Verifier()
        var after = 0
        while true {
            let page = try await AuditRecord.query(on: db).filter(\.$seq > after).sort(\.$seq).limit(5000).all()
            guard let last = page.last else { break }
            for r in page {
                if let problem = verifier.check(r.entry, previous: r.previousHash, hash: r.hash, digest: Self.digest) { return (verifier.count, problem) }
            }
            after = last.seq
        }
        guard let head = try await AuditHead.find(1, on: db) else { return (verifier.count, .headMissing) }
        guard signer.verify(AuditHead.signed(head.count, head.lastHash), signature: head.signature) else {
            return (verifier.count, .headAltered)
        }
        if let problem = verifier.finish(expectedCount: head.count, expectedLastHash: head.lastHash) { return (verifier.count, problem) }
        return (verifier.count, nil)
    }
}

/// The audit entry an admin request will write, in the transaction of the change it describes.
final class PendingAudit: @unchecked Sendable {
    let entry: AuditEntry
    let signer: DataProtector
    private let lock = NSLock()
    private var claimed = false

    init(entry: AuditEntry, signer: DataProtector) {
        self.entry = entry
        self.signer = signer
    }

    /// The first write transaction of the request takes the entry.
    func claim() -> Bool { lock.withLock { if claimed { return false }; claimed = true; return true } }
    /// Its transaction did not commit: the next one takes it.
    func unclaim() { lock.withLock { claimed = false } }
    var written: Bool { lock.withLock { claimed } }
}

enum AuditContext {
    @TaskLocal static var pending: PendingAudit?
}


/// One at a time, in the order they came.
actor AsyncMutex {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }

    private func lock() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func unlock() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
