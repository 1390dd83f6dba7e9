import Fluent
import Foundation
import DiandanCore

struct SiteService {
    let db: Database
    let grants: [Grant]

    func create(_ input: SiteInput) async throws -> Site {
        try await db.writeTransaction { db in
            let parent = try await checkParent(input, for: nil, on: db)
            try await ensureUniqueCode(input.code, except: nil, on: db)
            let site = try await Site.insert(code: input.code, name: input.name, kind: input.kind, parent: parent,
                                             latitude: input.latitude, longitude: input.longitude, zone: input.zone, active: input.active,
                                             responseMinutes: input.responseMinutes, on: db)
            if let phone = input.phone {
                site.phone = phone
                try await site.save(on: db)
            }
            return site
        }
    }

    func update(_ site: Site, _ input: SiteInput) async throws {
        try await db.writeTransaction { db in
            let parent = try await checkParent(input, for: site, on: db)
            try await ensureUniqueCode(input.code, except: site.id, on: db)
            let childKinds = try await Site.query(on: db).filter(\.$parent.$id == site.requireID()).all().map(\.kind)
            if childKinds.contains(where: { !input.kind.allowedChildren.contains($0) }) {
                throw ValidationFailure(field: "kind", "error.site.kind_children")
            }
            let oldPath = site.path
            let id = try site.requireID()
            apply(input, to: site)
            site.path = parent.map { $0.sitePath.child(id).rawValue } ?? SitePath.root(id).rawValue
            try await site.save(on: db)
            if site.path != oldPath {
                // Moving a site moves its whole subtree.
                let below = try await Site.query(on: db).filter(\.$path =~ oldPath).filter(\.$id != id).all()
                for s in below {
                    s.path = site.path + s.path.dropFirst(oldPath.count)
                    try await s.save(on: db)
                }
                try await AssessmentRollups(db: db).moved(site: id, from: SitePath(rawValue: oldPath), to: site.sitePath)
            }
        }
    }

    private func apply(_ input: SiteInput, to site: Site) {
        site.code = input.code
        site.name = input.name
        site.kind = input.kind
        site.latitude = input.latitude
        site.longitude = input.longitude
        site.zone = input.zone
        site.active = input.active
        site.responseMinutes = input.responseMinutes
        site.phone = input.phone
        site.$parent.id = input.parentID
    }

    private func checkParent(_ input: SiteInput, for site: Site?, on db: Database) async throws -> Site? {
        guard let parentID = input.parentID else {
            guard input.kind.isRoot else { throw ValidationFailure(field: "parent_id", "error.site.parent_required") }
            // A new tree (a new county) is not made from the admin pages: `diandan admin create` does it.
            if let site, site.$parent.id == nil, Policy.allows(grants, .sites, .write, at: site.sitePath) { return nil }
            throw AppError.forbidden(Message("error.out_of_scope"))
        }
        let parent = try await Lookup.site(parentID, on: db, field: "parent_id")
        // Moving a site (or making one) needs rights where it lands; editing it in place does not.
        let moving = site?.$parent.id != parentID
        if moving, !Policy.allows(grants, .sites, .write, at: parent.sitePath) { throw AppError.forbidden(Message("error.out_of_scope")) }
        if let site, parent.sitePath.covers(site.sitePath) == false, site.sitePath.covers(parent.sitePath) {
            throw ValidationFailure(field: "parent_id", "error.site.cycle")
        }
        if let site, site.id == parent.id { throw ValidationFailure(field: "parent_id", "error.site.cycle") }
        guard SiteKind.canPlace(input.kind, under: parent.kind) else {
            throw ValidationFailure(field: "kind", "error.site.kind_parent")
        }
        return parent
    }

    private func ensureUniqueCode(_ code: String, except id: Int?, on db: Database) async throws {
        var q = Site.query(on: db).filter(\.$code == code)
        if let id { q = q.filter(\.$id != id) }
        if try await q.count() > 0 { throw AppError.conflict(field: "code", Message("error.code_taken")) }
    }
}

extension SiteService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, grants: c.grants)
    }
}
