import Fluent
import Foundation
import DiandanCore

struct TeamService {
    let db: Database
    let grants: [Grant]

    func create(_ input: TeamInput) async throws -> Team {
        try await db.writeTransaction { db in
            let team = Team()
            try await apply(input, to: team, on: db)
            try await team.create(on: db)
            try await syncCategories(team, input.categoryIDs, on: db)
            return team
        }
    }

    func update(_ team: Team, _ input: TeamInput) async throws {
        try await db.writeTransaction { db in
            try await apply(input, to: team, on: db)
            try await team.save(on: db)
            try await syncCategories(team, input.categoryIDs, on: db)
        }
    }

    private func apply(_ input: TeamInput, to team: Team, on db: Database) async throws {
        let site = try await Lookup.site(input.siteID, on: db)
        guard Policy.allows(grants, .teams, .write, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        let found = try await Category.query(on: db).filter(\.$id ~~ input.categoryIDs).count()
        if found != input.categoryIDs.count { throw ValidationFailure(field: "category_ids", "error.not_found_choice") }
        team.name = input.name
        team.$site.id = input.siteID
        team.professional = input.professional
        team.maxConcurrentOrders = input.maxConcurrentOrders
        team.active = input.active
    }

    private func syncCategories(_ team: Team, _ ids: [Int], on db: Database) async throws {
        let teamID = try team.requireID()
        try await TeamCategory.query(on: db).filter(\.$team.$id == teamID).delete()
        for id in ids {
            let link = TeamCategory()
            link.$team.id = teamID
            link.$category.id = id
            try await link.create(on: db)
        }
    }

    /// Adds a volunteer (by number) the admin can see to the team, or changes their role.
    func addMember(_ team: Team, _ input: MembershipInput) async throws {
        try await db.writeTransaction { db in
            guard let v = try await Volunteer.query(on: db).filter(\.$number == input.volunteerNumber).with(\.$site).first(),
                  Policy.allows(grants, .volunteers, .read, at: v.site.sitePath)
            else { throw ValidationFailure(field: "volunteer_number", "error.volunteer_not_found") }
            let teamID = try team.requireID(), vid = try v.requireID()
            if let existing = try await TeamMembership.query(on: db).filter(\.$team.$id == teamID).filter(\.$volunteer.$id == vid).first() {
                existing.role = input.role.rawValue
                try await existing.save(on: db)
            } else {
                let m = TeamMembership()
                m.$team.id = teamID
                m.$volunteer.id = vid
                m.role = input.role.rawValue
                try await m.create(on: db)
            }
        }
    }

    /// Takes a member off the team; a membership of another team is "not found".
    func removeMember(_ membershipID: Int, from team: Team) async throws {
        guard let m = try await TeamMembership.find(membershipID, on: db), m.$team.id == team.id else { throw AppError.notFound }
        try await db.writeTransaction { [m] db in try await m.delete(on: db) }
    }
}

extension TeamService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, grants: c.grants)
    }
}
