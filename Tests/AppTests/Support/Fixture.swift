import Foundation
import Vapor
import Fluent
@testable import App
@testable import DiandanCore

/// A small county: centre → institute A → stations S1 and S2 (siblings); institute B → station S3.
/// Each station has a team, a volunteer, a menu item and an account; every role is granted once at S1.
struct Fixture {
    static let password = "Passw0rd2026"

    var centre: Site, instituteA: Site, s1: Site, s2: Site, instituteB: Site, s3: Site
    var teamS1: Team, teamS2: Team
    var volunteerS1: Volunteer, volunteerS2: Volunteer
    var menuS1: MenuItem, menuS2: MenuItem
    var accountS1: Account, accountS2: Account
    var category: Category
    var perkS1: Perk, perkS2: Perk
    var projectS1: Project, projectS2: Project

    /// The username holding `role` at S1; "centre-admin" holds siteAdmin at the centre.
    static func user(_ role: Role) -> String { "\(role.rawValue.lowercased())-s1" }
    static let centreAdmin = "centre-admin"

    static func make(_ app: Application) async throws -> Fixture {
        let db = app.db
        func site(_ code: String, _ name: String, _ kind: SiteKind, _ parent: Site?, _ zone: Zone = .rural) async throws -> Site {
            try await Site.insert(code: code, name: name, kind: kind, parent: parent, latitude: 25.88, longitude: 116.02, zone: zone, on: db)
        }
        let centre = try await site("C1", "测试中心", .centre, nil, .urban)
        let a = try await site("IA", "甲镇实践所", .institute, centre)
        let s1 = try await site("S1", "一号实践站", .station, a, .urban)
        let s2 = try await site("S2", "二号实践站", .station, a)
        let b = try await site("IB", "乙镇实践所", .institute, centre)
        let s3 = try await site("S3", "三号实践站", .station, b)
        let category = try await Category.query(on: db).sort(\.$sortOrder).first()!

        func team(_ name: String, _ site: Site) async throws -> Team {
            let t = Team()
            t.name = name
            t.$site.id = site.id!
            t.professional = false
            t.maxConcurrentOrders = 3
            t.active = true
            try await t.create(on: db)
            return t
        }
        let teamS1 = try await team("一号站服务队", s1)
        let teamS2 = try await team("二号站服务队", s2)

        let registrar = VolunteerService(db: db, protector: app.protector, now: Date())
        func volunteer(_ name: String, _ site: Site, _ seq: Int) async throws -> Volunteer {
            try await registrar.register(VolunteerRegistration(
                realName: name,
                idNumber: try IDNumber.parse(IDNumber.compose(region: "360781", birth: "19800101", sequence: seq), today: Date()).get(),
                phone: PhoneNumber.parse("1380013800\(seq % 10)")!, skills: ["宣讲"], siteID: site.id!))
        }
        let volunteerS1 = try await volunteer("一号志愿者", s1, 11)
        let volunteerS2 = try await volunteer("二号志愿者", s2, 12)

        let menu = MenuService(db: db, grants: [Grant(role: .siteAdmin, siteID: centre.id!, sitePath: centre.sitePath, siteKind: .centre)])
        let menuS1 = try await menu.create(MenuItemInput(categoryID: category.id!, siteID: s1.id!, title: "一号站义诊", description: "",
                                                         teamIDs: [teamS1.id!], siteIDs: [s1.id!], autoAccept: true, active: true))
        let menuS2 = try await menu.create(MenuItemInput(categoryID: category.id!, siteID: s2.id!, title: "二号站宣讲", description: "",
                                                         teamIDs: [teamS2.id!], siteIDs: [s2.id!], autoAccept: false, active: true))

        let hash = try Bcrypt.hash(password, cost: 4)
        func account(_ username: String, _ site: Site, grant role: Role) async throws -> Account {
            try await Account.insert(username: username, passwordHash: hash, site: site, role: role, on: db)
        }
        var accountS1: Account?
        for role in Role.allCases {
            let acc = try await account(user(role), s1, grant: role)
            if role == .resident { accountS1 = acc }
        }
        _ = try await account(centreAdmin, centre, grant: .siteAdmin)
        let accountS2 = try await account("resident-s2", s2, grant: .resident)

        func perk(_ title: String, _ site: Site) async throws -> Perk {
            let p = Perk()
            p.createdAt = Date()
            p.title = title
            p.description = ""
            p.$site.id = site.id!
            p.pointsCost = 30
            p.redeemed = 0
            p.active = true
            try await p.create(on: db)
            return p
        }
        let perkS1 = try await perk("一号站免费理发", s1), perkS2 = try await perk("二号站公交卡", s2)

        func project(_ title: String, _ team: Team, _ site: Site) async throws -> Project {
            let p = Project()
            p.createdAt = Date()
            p.title = title
            p.description = ""
            p.$category.id = category.id!
            p.$team.id = team.id!
            p.$site.id = site.id!
            p.targetGroup = "留守老人"
            p.status = ProjectStatus.active.rawValue
            try await p.create(on: db)
            return p
        }
        let projectS1 = try await project("一号站银龄关爱", teamS1, s1), projectS2 = try await project("二号站书香童年", teamS2, s2)

        return Fixture(centre: centre, instituteA: a, s1: s1, s2: s2, instituteB: b, s3: s3, teamS1: teamS1, teamS2: teamS2,
                       volunteerS1: volunteerS1, volunteerS2: volunteerS2, menuS1: menuS1, menuS2: menuS2,
                       accountS1: accountS1!, accountS2: accountS2, category: category, perkS1: perkS1, perkS2: perkS2, projectS1: projectS1, projectS2: projectS2)
    }
}
