import Vapor
import Fluent
import DiandanCore

/// The perks catalogue (礼遇) of each site, kept by its admins.
enum PerkSection: AdminSection {
    static let section = "perks"
    static let resource = Resource.perks
    static let headingKey = "admin.perks"
    static let columnKeys = ["perk.title", "perk.site", "perk.points_cost", "perk.stock", "perk.redeemed", "common.active"]

    static func load(_ id: Int, on db: Database) async throws -> Perk? {
        try await Perk.query(on: db).filter(\.$id == id).with(\.$site).first()
    }

    static func sitePath(of item: Perk) -> SitePath? { item.site.sitePath }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Perk> {
        var q = Perk.query(on: req.db).join(Site.self, on: \Perk.$site.$id == \Site.$id).within(scopes).with(\.$site)
            .sort(Site.self, \.$path).sort(\.$pointsCost)
        if let pattern { q = q.filter(\.$title ~~ pattern) }
        return q
    }

    static func row(_ req: Request, _ p: Perk) -> [String] {
        [p.title, p.site.name, String(p.pointsCost), p.stock.map(String.init) ?? req.t("perk.unlimited"), String(p.redeemed),
         req.t(p.active ? "common.yes" : "common.no")]
    }

    static func values(_ req: Request, of p: Perk?) -> [String: [String]] {
        guard let p else { return ["active": ["on"], "points_cost": ["100"]] }
        return ["title": [p.title], "description": [p.description], "site_id": [String(p.$site.id)], "points_cost": [String(p.pointsCost)],
                "stock": [p.stock.map(String.init) ?? ""], "active": [p.active ? "on" : ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Perk?) async throws -> [FormField] {
        [form.text("title", "perk.title"),
         form.select("site_id", "perk.site", try await SiteChoices.options(req, .perks, .write)),
         form.text("points_cost", "perk.points_cost", kind: .number),
         form.text("stock", "perk.stock", kind: .number, required: false, hint: "perk.stock_hint"),
         form.text("description", "perk.description", kind: .textarea, required: false),
         form.checkbox("active", "common.active")]
    }

    static func save(_ req: Request, _ item: Perk?) async throws -> Perk {
        var r = try await req.adminReader()
        let input = PerkInput.read(&r)
        try r.check()
        let site = try await Lookup.site(input!.siteID, on: req.db)
        try req.authorize(.perks, .write, at: site.sitePath)
        return try await PerkService.make(req).save(input!, at: site, into: item)
    }
}

struct PerkDTO: Content {
    var id: Int
    var title: String
    var description: String
    var site_id: Int
    var points_cost: Int
    var stock: Int?
    var redeemed: Int

    init(_ p: Perk) throws {
        id = try p.requireID()
        title = p.title
        description = p.description
        site_id = p.$site.id
        points_cost = p.pointsCost
        stock = p.stock
        redeemed = p.redeemed
    }
}

struct RedemptionDTO: Content {
    var id: Int
    var perk_id: Int
    var points: Int
    var code: String
    var created_at: Date
}

/// Volunteers spending points: pages and API.
enum PerksPages {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.post("perks", ":id", "redeem", use: redeemPage).rule(.signedIn)
        api.get("perks", use: list).rule(.signedIn)
        api.post("perks", ":id", "redeem", use: redeem).rule(.signedIn)
    }

    static func list(req: Request) async throws -> [PerkDTO] {
        let v = try await ActivityService.volunteer(of: try req.requirePrincipal(), on: req.db)
        return try await PerkService.make(req).available(to: v).map(PerkDTO.init)
    }

    static func perform(_ req: Request) async throws -> PerkRedemption {
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        return try await PerkService.make(req).redeem(perkID: id, by: try req.requirePrincipal())
    }

    static func redeem(req: Request) async throws -> RedemptionDTO {
        let r = try await perform(req)
        return RedemptionDTO(id: try r.requireID(), perk_id: r.$perk.id, points: r.points, code: r.code, created_at: r.createdAt)
    }

    static func redeemPage(req: Request) async throws -> Response {
        do {
            let r = try await perform(req)
            req.webSession["flash"] = req.t("perk.redeemed_flash", ["code": r.code])
        } catch let e as AppError where e.status == .conflict {
            req.webSession["flash"] = req.t(e.message)
        }
        return req.redirect(to: Paths.myService, redirectType: .normal)
    }
}
