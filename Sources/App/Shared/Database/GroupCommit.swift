import Vapor
import Fluent
import FluentSQLiteDriver
import SQLKit

/// Group commit on SQLite: write transactions that arrive together share one `BEGIN IMMEDIATE …
/// COMMIT`, so one fsync covers many of them. A single writer task takes every transaction waiting
/// (a batch), runs each inside its own savepoint — one that fails is rolled back alone and its caller
/// gets its error — commits once, and only then answers every caller. Durability is unchanged: no
/// caller hears of success before the commit that holds its work is on disk.
///
/// SQLite has one writer anyway; this changes only how often it syncs. On with
/// DIANDAN_GROUP_COMMIT=on; PostgreSQL commits concurrently and does not use it.
final class GroupCommitter: Sendable {
    /// One waiting transaction: runs its body on the batch's connection and says whether it worked;
    /// `answer` tells its caller once the batch is committed (or failed).
    struct Job: Sendable {
        let run: @Sendable (Database) async -> Bool
        let answer: @Sendable (Error?) -> Void
    }

    private let queue = BatchQueue<Job>()
    let maxBatch: Int
    /// Batches committed and transactions in them, for /metrics and the tests.
    let stats = Stats()

    final class Stats: @unchecked Sendable {
        private let lock = NSLock()
        private var _batches = 0, _transactions = 0, _largest = 0
        func add(_ n: Int) { lock.withLock { _batches += 1; _transactions += n; _largest = max(_largest, n) } }
        var batches: Int { lock.withLock { _batches } }
        var transactions: Int { lock.withLock { _transactions } }
        var largest: Int { lock.withLock { _largest } }
    }

    init(maxBatch: Int = 512) {
        self.maxBatch = maxBatch
    }

    func submit<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        return try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<T, Error>) in
            let job = Job(run: { db in
                do {
                    box.set(.success(try await WriteTransaction.$active.withValue(true) { try await body(db) }))
                    return true
                } catch {
                    box.set(.failure(error))
                    return false
                }
            }, answer: { batchError in
                if let batchError { return waiter.resume(throwing: batchError) }
                switch box.get() {
                case .success(let v)?: waiter.resume(returning: v)
                case .failure(let e)?: waiter.resume(throwing: e)
                case nil: waiter.resume(throwing: GroupCommitError.notRun)
                }
            })
            if !queue.push(job) { job.answer(GroupCommitError.stopped) }
        }
    }

    enum GroupCommitError: Error { case notRun, stopped }

    /// The writer: takes every waiting transaction as one batch, until stopped.
    func run(on db: Database, logger: Logger) async {
        while let batch = await queue.takeAll(max: maxBatch) {
            await commit(batch, on: db, logger: logger)
        }
    }

    private func commit(_ batch: [Job], on db: Database, logger: Logger) async {
        do {
            try await db.withConnection { conn in
                guard let sql = conn as? SQLDatabase else { throw GroupCommitError.notRun }
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    for (i, job) in batch.enumerated() {
                        try await sql.raw("SAVEPOINT g\(unsafeRaw: String(i))").run()
                        let ok = await job.run(conn)
                        if !ok { try await sql.raw("ROLLBACK TO g\(unsafeRaw: String(i))").run() }
                        try await sql.raw("RELEASE g\(unsafeRaw: String(i))").run()
                    }
                    try await sql.raw("COMMIT").run()
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            stats.add(batch.count)
            for job in batch { job.answer(nil) }
        } catch {
            logger.warning("Group commit of \(batch.count) transactions failed: \(String(reflecting: error))")
            for job in batch { job.answer(error) }
        }
    }

    func stop() { queue.close() }
}

/// What waits for a batching writer (transactions, orders); the writer sleeps on it when nothing does.
final class BatchQueue<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [Item] = []
    private var waiter: CheckedContinuation<Void, Never>?
    private var closed = false

    /// False once closed.
    func push(_ job: Item) -> Bool {
        let (accepted, wake): (Bool, CheckedContinuation<Void, Never>?) = lock.withLock {
            guard !closed else { return (false, nil) }
            jobs.append(job)
            defer { waiter = nil }
            return (true, waiter)
        }
        wake?.resume()
        return accepted
    }

    /// Everything waiting (at most `max`), or — when nothing is — the next to come; nil once closed and empty.
    func takeAll(max: Int) async -> [Item]? {
        while true {
            let taken: [Item]? = lock.withLock {
                if !jobs.isEmpty {
                    let n = min(max, jobs.count)
                    defer { jobs.removeFirst(n) }
                    return Array(jobs.prefix(n))
                }
                return closed ? [] : nil
            }
            if let taken { return taken.isEmpty ? nil : taken }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock {
                    if !jobs.isEmpty || closed { return true }
                    waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    func close() {
        let wake = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            closed = true
            defer { waiter = nil }
            return waiter
        }
        wake?.resume()
    }
}

/// Holds one job's result between its run and its answer.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, Error>?
    func set(_ r: Result<T, Error>) { lock.withLock { value = r } }
    func get() -> Result<T, Error>? { lock.withLock { value } }
}

/// The committer of the app serving the current request; write transactions find it here.
enum GroupCommitContext {
    @TaskLocal static var committer: GroupCommitter?
}

extension Application {
    private struct GroupCommitterKey: StorageKey { typealias Value = GroupCommitter }

    var groupCommitter: GroupCommitter? {
        get { storage[GroupCommitterKey.self] }
        set { storage[GroupCommitterKey.self] = newValue }
    }
}


/// Starts the writer with the app and stops it at shutdown.
struct GroupCommitLifecycle: LifecycleHandler {
    let committer: GroupCommitter

    func willBootAsync(_ app: Application) async throws {}

    func didBootAsync(_ app: Application) async throws {}

    func shutdownAsync(_ app: Application) async {
        committer.stop()
    }
}

extension GroupCommitter {
    /// A committer for this app, its writer running on the app's database until shutdown.
    static func start(_ app: Application) -> GroupCommitter {
        let committer = GroupCommitter()
        let db = app.databases.configuration(for: .sqliteWriter) == nil ? app.db : app.db(.sqliteWriter)
        let logger = app.logger
        Task { await committer.run(on: db, logger: logger) }
        app.groupCommitter = committer
        app.lifecycle.use(GroupCommitLifecycle(committer: committer))
        return committer
    }
}
