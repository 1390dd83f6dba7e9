import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Micro-wishes (微心愿): posting, and every step as a conditional update on the wish's status, so of
/// two volunteers claiming the same wish at once exactly one gets it.
struct WishService {
    let db: Database
    let now: Date
    let hours: Double
    let points: Int

    func create(_ input: WishInput, by p: Principal) async throws -> Wish {
        try await db.writeTransaction { db in
            let site = try await Lookup.site(input.siteID, on: db)
            guard site.active, site.kind == .station else { throw ValidationFailure(field: "site_id", "error.not_found_choice") }
            // Who may post a wish is who may order there: residents for themselves, practitioners and admins for someone.
            guard let onBehalf = OrderPolicy.mayOrder(p.grants, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
            if onBehalf, input.contactName == nil { throw ValidationFailure(field: "contact_name", "error.wish.contact_needed") }
            let w = Wish()
            w.createdAt = now
            w.updatedAt = now
            w.title = input.title
            w.description = input.description
            w.value = input.value
            w.$site.id = try site.requireID()
            w.$requester.id = p.accountID
            w.onBehalf = onBehalf
            w.contactName = input.contactName
            w.status = WishStatus.open
            try await w.create(on: db)
            return w
        }
    }

    /// Who this person is to the wish.
    func actors(_ w: Wish, _ p: Principal, on db: Database) async throws -> Set<WishActor> {
        var actors: Set<WishActor> = []
        if w.$requester.id == p.accountID { actors.insert(.requester) }
        if let site = try await Site.find(w.$site.id, on: db), Policy.allows(p.grants, .orders, .write, at: site.sitePath) { actors.insert(.siteAdmin) }
        if let v = try await Volunteer.query(on: db).filter(\.$account.$id == p.accountID).filter(\.$active == true).first() {
            actors.insert(.volunteer)
            if w.$volunteer.id == v.id { actors.insert(.claimer) }
        }
        return actors
    }

    /// May this person see the wish's private side (contact name, note, photo)?
    /// A cancelled wish is seen only by those who had a part in it; any other, by everyone.
    func mayView(_ w: Wish, _ p: Principal?) async throws -> Bool {
        if w.status != .cancelled { return true }
        return try await isParty(w, p)
    }

    func isParty(_ w: Wish, _ p: Principal?) async throws -> Bool {
        guard let p else { return false }
        return !(try await actors(w, p, on: db)).isDisjoint(with: [.requester, .claimer, .siteAdmin])
    }

    /// Before a body is read (a fulfilment's photo): refuses at once unless this person may take
    /// the step now.
    func precheck(_ action: WishAction, wishID: Int, by p: Principal) async throws {
        guard let w = try await Wish.find(wishID, on: db) else { throw AppError.notFound }
        switch WishRules.apply(action, to: w.status, by: try await actors(w, p, on: db)) {
        case .success: return
        case .failure(.illegal):
            throw AppError.conflict(field: nil, Message("error.wish.illegal", keys: ["action": "wish.action.\(action.rawValue)", "status": "wish.status.\(w.status)"]))
        case .failure(.notAllowed): throw AppError.forbidden(Message("error.wish.not_allowed"))
        }
    }

    @discardableResult
    func act(_ action: WishAction, wishID: Int, by p: Principal, note: String? = nil, photo: StoredPhoto? = nil) async throws -> Wish {
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase, let w = try await Wish.find(wishID, on: db) else { throw AppError.notFound }
            let actors = try await actors(w, p, on: db)
            let from = w.status
            let to: WishStatus
            switch WishRules.apply(action, to: from, by: actors) {
            case .success(let s): to = s
            case .failure(.illegal):
                throw AppError.conflict(field: nil, Message("error.wish.illegal", keys: ["action": "wish.action.\(action.rawValue)", "status": "wish.status.\(from.rawValue)"]))
            case .failure(.notAllowed):
                throw AppError.forbidden(Message("error.wish.not_allowed"))
            }
            // The step applies only to the status it was decided on.
            let moved = try await sql.update(Wish.schema)
                .set(SQLColumn("status"), to: SQLBind(to.rawValue))
                .set(SQLColumn("updated_at"), to: SQLBind(now))
                .where(SQLColumn("id"), .equal, SQLBind(wishID))
                .where(SQLColumn("status"), .equal, SQLBind(from.rawValue))
                .returning("id").all()
            guard moved.count == 1 else { throw AppError.conflict(field: nil, Message("error.wish.changed")) }
            w.status = to
            w.updatedAt = now
            switch action {
            case .claim:
                w.$volunteer.id = try await ActivityService.volunteer(of: p, on: db).requireID()
                w.claimedAt = now
            case .release:
                w.$volunteer.id = nil
                w.claimedAt = nil
            case .fulfil:
                guard note != nil || photo != nil else { throw ValidationFailure(field: "note", "error.wish.note_or_photo") }
                w.fulfilNote = note
                w.photoFile = photo?.file
                w.photoType = photo?.kind.contentType
                w.fulfilledAt = now
            case .confirm:
                w.confirmedAt = now
                if let volunteer = w.$volunteer.id {
                    let ledger = Ledger(db: db, now: now)
                    if hours > 0 {
                        try await ledger.record(volunteerID: volunteer, hours: hours, date: now, content: "微心愿：" + w.title, orderID: nil, activityID: nil,
                                                wishID: wishID, teamID: nil, recordedBy: p.accountID, points: points, reason: "points.wish")
                    } else if points > 0 {
                        try await ledger.add(points: points, hours: 0, to: volunteer, reason: "points.wish", orderID: nil)
                    }
                }
            case .cancel:
                break
            }
            try await w.save(on: db)
            // The one who wished hears that someone took it on, and when it is done.
            let topic: NoticeTopic? = action == .claim ? .wishClaimed : action == .fulfil ? .wishFulfilled : nil
            if let topic, let requester = w.$requester.id {
                let e = OutboxEntry()
                e.createdAt = now
                e.topic = topic.rawValue
                e.siteID = w.$site.id
                e.actorAccountID = p.accountID
                e.recipientAccountID = requester
                e.subject = w.title
                e.link = Paths.wish(wishID)
                e.attempts = 0
                e.nextAttemptAt = now
                e.failed = false
                try await e.create(on: db)
            }
            return w
        }
    }
}

extension WishService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now, hours: c.settings.wishHours, points: c.settings.wishPoints)
    }
}
