import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Spending points on perks (礼遇兑换). Points are deducted by `UPDATE … WHERE points_balance >= cost`
/// and stock by `UPDATE … WHERE redeemed < stock`, both in one transaction: however many redeem at
/// once, no balance goes below zero and no perk is given out more often than it has stock.
struct PerkService {
    let db: Database
    let now: Date

    /// Perks offered where this volunteer belongs: their site and every site above it.
    func available(to v: Volunteer) async throws -> [Perk] {
        guard let site = try await Site.find(v.$site.id, on: db) else { return [] }
        return try await Perk.query(on: db).filter(\.$site.$id ~~ site.sitePath.ids).filter(\.$active == true)
            .sort(\.$pointsCost).sort(\.$id).all()
    }

    func redeem(perkID: Int, by p: Principal) async throws -> PerkRedemption {
        try await db.writeTransaction { db in
            guard let sql = db as? SQLDatabase else { throw AppError.notFound }
            let v = try await ActivityService.volunteer(of: p, on: db)
            guard let perk = try await Perk.find(perkID, on: db), perk.active,
                  try await PerkService(db: db, now: now).available(to: v).contains(where: { $0.id == perkID }) else { throw AppError.notFound }
            struct Balance: Decodable { let points_balance: Int }
            let paid = try await sql.update(Volunteer.schema)
                .set(SQLColumn("points_balance"), to: SQLBinaryExpression(SQLColumn("points_balance"), .subtract, SQLBind(perk.pointsCost)))
                .where(SQLColumn("id"), .equal, SQLBind(try v.requireID()))
                .where(SQLColumn("points_balance"), .greaterThanOrEqual, SQLBind(perk.pointsCost))
                .returning("points_balance").all(decoding: Balance.self)
            guard let balance = paid.first?.points_balance else {
                throw AppError.conflict(field: nil, Message("error.perk.not_enough_points", ["cost": String(perk.pointsCost), "balance": String(v.pointsBalance)]))
            }
            let taken = try await sql.update(Perk.schema)
                .set(SQLColumn("redeemed"), to: SQLBinaryExpression(SQLColumn("redeemed"), .add, SQLLiteral.numeric("1")))
                .where(SQLColumn("id"), .equal, SQLBind(perkID))
                .where { $0.where(SQLColumn("stock"), .is, SQLLiteral.null).orWhere(SQLColumn("redeemed"), .lessThan, SQLColumn("stock")) }
                .returning("id").all()
            guard taken.count == 1 else { throw AppError.conflict(field: nil, Message("error.perk.sold_out")) }
            let entry = PointsEntry()
            entry.at = now
            entry.delta = -perk.pointsCost
            entry.balanceAfter = balance
            entry.reason = "points.perk"
            entry.$volunteer.id = try v.requireID()
            try await entry.create(on: db)
            let r = PerkRedemption()
            r.createdAt = now
            r.$perk.id = perkID
            r.$volunteer.id = try v.requireID()
            r.points = perk.pointsCost
            r.code = Self.code()
            try await r.create(on: db)
            return r
        }
    }

    /// Eight characters, no look-alikes (0/O, 1/I/L), read out at a counter.
    static func code() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }

    /// A new perk, or a change to one (at a site the admin was allowed to write at); the stock may
    /// not go below what has been given out already.
    func save(_ input: PerkInput, at site: Site, into item: Perk?) async throws -> Perk {
        let p = item ?? Perk()
        if item == nil {
            p.createdAt = now
            p.redeemed = 0
        }
        if let stock = input.stock, stock < p.redeemed {
            throw ValidationFailure(field: "stock", "error.perk.stock_below_redeemed", ["redeemed": String(p.redeemed)])
        }
        p.title = input.title
        p.description = input.description
        p.$site.id = try site.requireID()
        p.pointsCost = input.pointsCost
        p.stock = input.stock
        p.active = input.active
        try await db.writeTransaction { [p] db in try await p.save(on: db) }
        return p
    }
}

extension PerkService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now)
    }
}
