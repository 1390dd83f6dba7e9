import Fluent
import Vapor
import SQLKit
import Foundation
import DiandanCore

/// An order decided and ready to be written (`OrderService.place`): everything that needed reading
/// is done; the writer gives it its id and number and, for auto-dispatch, the first team with room.
struct PlacedOrder: Sendable {
    /// A team that could take the order at once, with the score breakdown its dispatch event keeps.
    struct Choice: Sendable {
        let team: Int
        let detail: String?
    }

    let order: Order
    /// The order's columns as Fluent would write them.
    let row: ModelRow
    let key: String?
    /// The digest of the order as asked for, bound to the key.
    var digest: String? = nil
    let accountID: Int
    let path: SitePath
    /// Teams that could take it at once, best first; empty when it waits in the station's queue.
    let choices: [Choice]
}

/// A model's columns and values, read once through Fluent's own input (so the row is the one `create`
/// would write) and written later, with others, in one statement.
struct ModelRow: Sendable {
    private(set) var columns: [String]
    private(set) var values: [DatabaseQuery.Value]

    init(_ model: some Model) throws {
        let input = Input()
        model.input(to: input)
        columns = input.columns
        values = input.values
        for v in values {
            switch v {
            case .bind, .null: continue
            default: throw RowError.unsupported(v)
            }
        }
    }

    mutating func set(_ column: String, _ value: any Encodable & Sendable) {
        if let i = columns.firstIndex(of: column) { values[i] = .bind(value) } else { columns.append(column); values.append(.bind(value)) }
    }

    var expressions: [any SQLExpression] {
        values.map { v -> any SQLExpression in
            if case .bind(let b) = v { return SQLBind(b) }
            return SQLLiteral.null
        }
    }

    enum RowError: Error { case unsupported(DatabaseQuery.Value) }

    private final class Input: DatabaseInput {
        var columns: [String] = []
        var values: [DatabaseQuery.Value] = []
        var wantsUnmodifiedKeys: Bool { false }
        func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
            columns.append(key.description)
            values.append(value)
        }
    }
}

/// Writes new orders, one or a batch, inside the caller's write transaction, in a few statements
/// whatever the batch's size: retries found by their keys, ids, the live room of the teams chosen,
/// then one insert each for the orders, their events, their facts and keys, and one update of the
/// rollups.
enum OrderWriter {
    /// The order; whether this call made it; and, for a retry, whether it asked for the same order
    /// as the first try (a key sent again with another order is refused by the caller).
    typealias Written = (order: Order, created: Bool, sameRequest: Bool)

    static func write(_ batch: [PlacedOrder], on db: Database) async throws -> [Written] {
        guard let sql = db as? SQLDatabase else { throw AppError.notFound }

        // Retries: a key already used, or used by an earlier order of this batch, gets the first order.
        var used: [String: (order: Int, digest: String?)] = [:]
        let keys = Array(Set(batch.compactMap(\.key)))
        for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
            struct Row: Decodable { let account_id: Int, key: String, order_id: Int, request_digest: String? }
            for r in try await sql.select().columns("account_id", "key", "order_id", "request_digest").from(IdempotencyRecord.schema)
                .where("key", .in, SQLBind.group(chunk)).all(decoding: Row.self) {
                used["\(r.account_id) \(r.key)"] = (r.order_id, r.request_digest)
            }
        }
        var stored: [Int: Int] = [:], sameAs: [Int: Int] = [:], firstTry: [String: Int] = [:], fresh: [Int] = []
        var differs: Set<Int> = []
        for (i, p) in batch.enumerated() {
            if let key = p.key {
                let k = "\(p.accountID) \(key)"
                if let (id, digest) = used[k] {
                    stored[i] = id
                    if let digest, let mine = p.digest, digest != mine { differs.insert(i) }
                    continue
                }
                if let j = firstTry[k], batch[j].digest != p.digest { differs.insert(i); sameAs[i] = j; continue }
                if let j = firstTry[k] { sameAs[i] = j; continue }
                firstTry[k] = i
            }
            fresh.append(i)
        }

        // The room each chosen team has now, counting the orders of this batch as they are given.
        var room: [Int: Int] = [:]
        let teams = Array(Set(fresh.flatMap { batch[$0].choices.map(\.team) }))
        if !teams.isEmpty {
            struct Row: Decodable { let id: Int, max_concurrent_orders: Int, active_orders: Int }
            let occupying = OrderStatus.allCases.filter(\.occupiesTeam).map(\.rawValue)
            for r in try await sql.raw("""
                SELECT t.id, t.max_concurrent_orders,
                       (SELECT COUNT(*) FROM orders o WHERE o.team_id = t.id AND o.status IN (\(binds: occupying))) AS active_orders
                FROM teams t WHERE t.id IN (\(binds: teams)) AND t.active = \(bind: true)
                """).all(decoding: Row.self) {
                room[r.id] = r.max_concurrent_orders - r.active_orders
            }
        }

        let ids = try await nextIDs(fresh.count, on: sql)
        var orders: [ModelRow] = [], events: [ModelRow] = [], facts: [[any SQLExpression]] = [], records: [[any SQLExpression]] = []
        var delta = Rollup.Delta()
        for (n, i) in fresh.enumerated() {
            let p = batch[i], o = p.order, id = ids[n], now = o.createdAt
            o.id = id
            o.number = OrderNumber.make(date: now, sequence: id)
            var row = p.row
            row.set("id", id)
            row.set("number", o.number)
            // Each step goes through the state machine and is recorded by the one event builder,
            // as a person's step would be; only the last is noticed (the order as it stands).
            var steps: [(action: OrderAction, from: OrderStatus?, to: OrderStatus, actor: OrderActor, account: Int?, detail: String?, team: Int?)] = [
                (.submit, nil, o.status, .requester, p.accountID, nil, nil)
            ]
            if let choice = p.choices.first(where: { (room[$0.team] ?? 0) > 0 }),
               case .success(let dispatched) = OrderMachine.apply(.dispatch, to: o.status, by: [.system]) {
                room[choice.team, default: 0] -= 1
                o.$team.id = choice.team
                o.status = dispatched
                o.version = 1
                row.set("team_id", choice.team)
                row.set("status", o.status)
                row.set("version", 1)
                steps.append((.dispatch, .submitted, dispatched, .system, nil, choice.detail, choice.team))
            }
            for (k, s) in steps.enumerated() {
                let e = try OrderService.event(o, s.action, from: s.from, to: s.to, at: now, actor: s.actor, account: s.account, detail: s.detail, team: s.team)
                e.noticeTopic = k == steps.count - 1 ? OrderService.noticeTopic(o, s.action) : nil
                events.append(try ModelRow(e))
            }
            let f = OrderFacts(id: id, createdAt: now, status: o.status, categoryID: o.$category.id, channel: o.channel, stationID: o.$station.id,
                               teamID: o.$team.id, placedBy: p.accountID, onBehalf: o.onBehalf, dispatchMinutes: o.$team.id == nil ? nil : 0,
                               acceptMinutes: nil, completed: false)
            facts.append(OrderFactRow(f, path: p.path.rawValue).values.map { SQLBind($0) })
            delta.add(f, path: p.path.ids)
            if let key = p.key { records.append([SQLBind(now), SQLBind(p.accountID), SQLBind(key), SQLBind(id), SQLBind(p.digest)]) }
            orders.append(row)
        }

        // Rows with the same columns (all of them, as `place` sets every field) go in one statement.
        // Runs of rows with the same columns in one statement each, in the order they were made (an
        // order's events keep their order, whatever columns a later step sets).
        for (table, rows) in [(Order.schema, orders), (OrderEvent.schema, events)] {
            var run: [ModelRow] = []
            for r in rows {
                if let first = run.first, first.columns != r.columns {
                    try await insert(into: table, columns: first.columns, rows: run.map(\.expressions), on: sql)
                    run = []
                }
                run.append(r)
            }
            if let first = run.first { try await insert(into: table, columns: first.columns, rows: run.map(\.expressions), on: sql) }
        }
        try await insert(into: OrderFactRow.schema, columns: OrderFactRow.columns, rows: facts, on: sql)
        try await insert(into: IdempotencyRecord.schema, columns: ["created_at", "account_id", "key", "order_id", "request_digest"], rows: records, on: sql)
        if !fresh.isEmpty { try await AssessmentRollups(db: db).apply(delta) }

        var earlier: [Int: Order] = [:]
        if !stored.isEmpty {
            for o in try await Order.query(on: db).filter(\.$id ~~ Array(Set(stored.values))).all() { earlier[try o.requireID()] = o }
        }
        return try batch.indices.map { i in
            if let id = stored[i] {
                guard let o = earlier[id] else { throw AppError.notFound }
                return (o, false, !differs.contains(i))
            }
            if let j = sameAs[i] { return (batch[j].order, false, !differs.contains(i)) }
            return (batch[i].order, true, true)
        }
    }

    /// The ids the next orders get: PostgreSQL's sequence; on SQLite, under the write lock, past the highest.
    private static func nextIDs(_ n: Int, on sql: SQLDatabase) async throws -> [Int] {
        guard n > 0 else { return [] }
        struct Row: Decodable { let id: Int }
        if sql.dialect.name == "postgresql" {
            return try await sql.raw("SELECT nextval(pg_get_serial_sequence('orders', 'id')) AS id FROM generate_series(1, \(bind: n))")
                .all(decoding: Row.self).map(\.id).sorted()
        }
        let top = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM orders").first(decoding: Row.self)?.id ?? 0
        return Array(top + 1...top + n)
    }

    /// Multi-row inserts, in statements under both databases' limits on bound values.
    private static func insert(into table: String, columns: [String], rows: [[any SQLExpression]], on sql: SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / max(1, columns.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }
}

/// Gathers the orders placed at the same moment and writes them as one batch: on SQLite inside the
/// group commit (one transaction, one sync, with whatever else is writing), on PostgreSQL in a
/// transaction of their own. Every caller is answered after the commit that holds its order.
final class OrderIntake: Sendable {
    struct Entry: Sendable {
        let placed: PlacedOrder
        let answer: @Sendable (Result<OrderWriter.Written, Error>) -> Void
    }

    private let queue = BatchQueue<Entry>()
    let maxBatch: Int
    /// Batches written and orders in them, for /metrics and the tests.
    let stats = GroupCommitter.Stats()

    init(maxBatch: Int = 256) {
        self.maxBatch = maxBatch
    }

    func submit(_ placed: PlacedOrder) async throws -> OrderWriter.Written {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<OrderWriter.Written, Error>) in
            let entry = Entry(placed: placed, answer: { waiter.resume(with: $0) })
            if !queue.push(entry) { entry.answer(.failure(GroupCommitter.GroupCommitError.stopped)) }
        }
    }

    /// The writer, until stopped: on SQLite through the committer, on PostgreSQL in its own transactions.
    func run(on db: Database, committer: GroupCommitter?, logger: Logger) async {
        while let batch = await queue.takeAll(max: maxBatch) {
            let placed = batch.map(\.placed)
            do {
                let written: [OrderWriter.Written]
                if let committer {
                    written = try await committer.submit { db in try await OrderWriter.write(placed, on: db) }
                } else {
                    written = try await writeRetrying(placed, on: db)
                }
                stats.add(batch.count)
                for (entry, w) in zip(batch, written) { entry.answer(.success(w)) }
            } catch {
                logger.warning("Writing a batch of \(batch.count) orders failed: \(String(reflecting: error))")
                for entry in batch { entry.answer(.failure(error)) }
            }
        }
    }

    /// Another instance may store one of the batch's keys between our look and our insert: the batch
    /// is rolled back and written again, and then finds that key taken.
    private func writeRetrying(_ placed: [PlacedOrder], on db: Database) async throws -> [OrderWriter.Written] {
        var attempt = 0
        while true {
            do {
                return try await db.transaction { db in try await OrderWriter.write(placed, on: db) }
            } catch where error.isUniqueViolation && attempt < 3 {
                attempt += 1
            }
        }
    }

    func stop() { queue.close() }

    /// An intake for this app, its writer running until shutdown.
    static func start(_ app: Application, committer: GroupCommitter?) -> OrderIntake {
        let intake = OrderIntake()
        let db = app.db
        let logger = app.logger
        Task { await intake.run(on: db, committer: committer, logger: logger) }
        app.orderIntake = intake
        app.lifecycle.use(Stopper(intake: intake))
        return intake
    }

    private struct Stopper: LifecycleHandler {
        let intake: OrderIntake
        func shutdownAsync(_ app: Application) async { intake.stop() }
    }
}

extension Application {
    private struct OrderIntakeKey: StorageKey { typealias Value = OrderIntake }

    var orderIntake: OrderIntake? {
        get { storage[OrderIntakeKey.self] }
        set { storage[OrderIntakeKey.self] = newValue }
    }
}
