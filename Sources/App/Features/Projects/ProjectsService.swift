import Fluent
import Foundation
import DiandanCore

/// Service projects (服务项目) of teams, and the awards they received.
struct ProjectService: MadeFromContext {
    let db: Database
    let now: Date

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
    }

    /// A new project of a team, or a change to one (the admin was allowed to write at the team's site).
    func save(_ input: ProjectInput, of team: Team, into item: Project?) async throws -> Project {
        guard try await Category.find(input.categoryID, on: db) != nil else { throw ValidationFailure(field: "category_id", "error.not_found_choice") }
        let p = item ?? Project()
        if item == nil { p.createdAt = now }
        p.title = input.title
        p.description = input.description
        p.$category.id = input.categoryID
        p.$team.id = try team.requireID()
        p.$site.id = team.$site.id
        p.targetGroup = input.targetGroup
        p.status = input.status.rawValue
        try await db.writeTransaction { [p] db in try await p.save(on: db) }
        return p
    }

    /// An award the project received, recorded by an admin.
    func addAward(_ input: AwardInput, to p: Project, by accountID: Int) async throws {
        let a = ProjectAward()
        a.createdAt = now
        a.$project.id = try p.requireID()
        a.year = input.year
        a.amount = input.amount
        a.approvedBy = input.approvedBy
        a.note = input.note
        a.recordedBy = accountID
        try await db.writeTransaction { [a] db in try await a.create(on: db) }
    }
}
