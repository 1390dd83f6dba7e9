import Fluent
import SQLKit
import Foundation

/// A person's notices: read one, read all.
struct InboxService: MadeFromContext {
    let db: Database
    let now: Date

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
    }

    /// Marks one of the person's notices read; someone else's is "not found".
    func markRead(_ id: Int, of accountID: Int) async throws -> InboxItem {
        guard let item = try await InboxItem.query(on: db).filter(\.$id == id).filter(\.$account.$id == accountID).first() else {
            throw AppError.notFound
        }
        if item.readAt == nil {
            item.readAt = now
            try await db.writeTransaction { [item] db in try await item.save(on: db) }
        }
        return item
    }

    func markAllRead(of accountID: Int) async throws {
        let now = now
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { return }
            try await sql.update(InboxItem.schema).set(SQLColumn("read_at"), to: SQLBind(now))
                .where(SQLColumn("account_id"), .equal, SQLBind(accountID))
                .where(SQLColumn("read_at"), .is, SQLLiteral.null).run()
        }
    }
}
