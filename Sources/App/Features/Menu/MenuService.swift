import Fluent
import Foundation
import DiandanCore

struct MenuService {
    let db: Database
    let grants: [Grant]

    func create(_ input: MenuItemInput) async throws -> MenuItem {
        try await db.writeTransaction { db in
            let item = MenuItem()
            try await apply(input, to: item, on: db)
            try await item.create(on: db)
            try await syncLinks(item, input, on: db)
            return item
        }
    }

    func update(_ item: MenuItem, _ input: MenuItemInput) async throws {
        try await db.writeTransaction { db in
            try await apply(input, to: item, on: db)
            try await item.save(on: db)
            try await syncLinks(item, input, on: db)
        }
    }

    private func apply(_ input: MenuItemInput, to item: MenuItem, on db: Database) async throws {
        let owner = try await Lookup.site(input.siteID, on: db)
        guard Policy.allows(grants, .menu, .write, at: owner.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        guard try await Category.find(input.categoryID, on: db) != nil else {
            throw ValidationFailure(field: "category_id", "error.not_found_choice")
        }
        // Covered sites lie in the owner's subtree.
        let covered = try await Site.query(on: db).filter(\.$id ~~ input.siteIDs).all()
        if covered.count != input.siteIDs.count || covered.contains(where: { !owner.sitePath.covers($0.sitePath) }) {
            throw ValidationFailure(field: "site_ids", "error.menu.sites_outside")
        }
        // Teams serve down the tree: a team of the owner's subtree or of one of its ancestors.
        let teams = try await Team.query(on: db).filter(\.$id ~~ input.teamIDs).with(\.$site).all()
        let ok = teams.allSatisfy { t in owner.sitePath.covers(t.site.sitePath) || t.site.sitePath.covers(owner.sitePath) }
        if teams.count != input.teamIDs.count || !ok {
            throw ValidationFailure(field: "team_ids", "error.menu.teams_outside")
        }
        item.$category.id = input.categoryID
        item.$site.id = input.siteID
        item.title = input.title
        item.description = input.description
        item.autoAccept = input.autoAccept
        item.active = input.active
    }

    private func syncLinks(_ item: MenuItem, _ input: MenuItemInput, on db: Database) async throws {
        let id = try item.requireID()
        try await MenuItemTeam.query(on: db).filter(\.$item.$id == id).delete()
        try await MenuItemSite.query(on: db).filter(\.$item.$id == id).delete()
        for t in input.teamIDs {
            let l = MenuItemTeam()
            l.$item.id = id
            l.$team.id = t
            try await l.create(on: db)
        }
        for s in input.siteIDs {
            let l = MenuItemSite()
            l.$item.id = id
            l.$site.id = s
            try await l.create(on: db)
        }
    }

    /// A new category, or a change to one; names are unique.
    func saveCategory(_ input: CategoryInput, into item: Category?) async throws -> Category {
        let c = item ?? Category()
        var dup = Category.query(on: db).filter(\.$name == input.name)
        if let id = c.id { dup = dup.filter(\.$id != id) }
        if try await dup.count() > 0 { throw AppError.conflict(field: "name", Message("error.name_taken")) }
        c.name = input.name
        c.nameEn = input.nameEn
        c.sortOrder = input.sortOrder
        c.active = input.active
        do { try await db.writeTransaction { [c] db in try await c.save(on: db) } } catch where error.isUniqueViolation {
            throw AppError.conflict(field: "name", Message("error.name_taken"))
        }
        return c
    }
}

extension MenuService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, grants: c.grants)
    }
}
