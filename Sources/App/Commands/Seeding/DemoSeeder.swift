import Fluent
import Vapor
import DiandanCore

/// A demo county modelled on the seed reports (Ruijin, Jiangxi): a centre, four institutes,
/// sixteen stations of both zones, teams at every level, 120 volunteers and a menu in every
/// category. Deterministic, so screenshots and browser tests see the same county every time.
struct DemoSeeder {
    let app: Application
    var progress: @Sendable (String) -> Void = { print($0) }

    static let password = "Diandan2026"

    struct Login { var username: String; var role: Role; var siteCode: String }

    static let logins: [Login] = [
        Login(username: "admin", role: .siteAdmin, siteCode: "360781"),
        Login(username: "xianghu", role: .siteAdmin, siteCode: "360781101"),
        Login(username: "yeping", role: .siteAdmin, siteCode: "360781201001"),
        Login(username: "auditor", role: .auditor, siteCode: "360781"),
        Login(username: "leader", role: .teamLeader, siteCode: "360781"),
        Login(username: "practitioner", role: .practitioner, siteCode: "360781201001"),
        Login(username: "volunteer", role: .volunteer, siteCode: "360781201001"),
        Login(username: "resident", role: .resident, siteCode: "360781201001"),
    ]

    static func loginsText(_ lines: [String]) -> String {
        (["Demo logins (password \(password)), one line each:", "  " + column("username", 14) + column("role", 26) + "site"]
            + lines.map { "  " + $0 }).joined(separator: "\n")
    }

    /// Pads to a width counted in terminal columns (a Chinese character takes two).
    static func column(_ s: String, _ width: Int) -> String {
        let used = s.reduce(0) { $0 + ($1.unicodeScalars.first.map { $0.value >= 0x2E80 } == true ? 2 : 1) }
        return s + String(repeating: " ", count: max(1, width - used))
    }

    @discardableResult
    func run() async throws -> [String] {
        let db = app.db
        let protector = app.protector
        let cost = app.settings.bcryptCost
        let hash = try await app.threadPool.runIfActive { try Bcrypt.hash(Self.password, cost: cost) }
        return try await db.writeTransaction { db in
            progress("[1/6] sites")
            var sites: [String: Site] = [:]
            func site(_ code: String, _ name: String, _ kind: SiteKind, _ parent: String?, _ lat: Double, _ lon: Double, _ zone: Zone) async throws {
                let s = try await Site.insert(code: code, name: name, kind: kind, parent: parent.map { sites[$0]! },
                                              latitude: lat, longitude: lon, zone: zone, on: db)
                // Every demo site answers a phone (瑞金's area code), so 打电话给站点 has a number to call.
                s.phone = "0797-" + String(2_200_000 + (sites.count + 1) * 1_013)
                try await s.save(on: db)
                sites[code] = s
            }
            try await site("360781", "瑞金市新时代文明实践中心", .centre, nil, 25.8857, 116.0270, .urban)
            let institutes: [(String, String, Double, Double, Zone, [(String, Zone)])] = [
                ("101", "象湖镇新时代文明实践所", 25.8820, 116.0160, .urban, [("红都社区", .urban), ("金都社区", .urban), ("西门社区", .urban), ("龙珠村", .rural)]),
                ("201", "叶坪乡新时代文明实践所", 25.9200, 116.1000, .rural, [("叶坪村", .rural), ("华屋村", .rural), ("洋溪村", .rural), ("黄沙村", .rural)]),
                ("301", "沙洲坝镇新时代文明实践所", 25.8560, 115.9840, .rural, [("沙洲坝村", .rural), ("洁净社区", .urban), ("大埠村", .rural), ("官山村", .rural)]),
                ("401", "壬田镇新时代文明实践所", 26.0400, 116.0900, .rural, [("壬田社区", .urban), ("凤岗村", .rural), ("中潭村", .rural), ("山岐村", .rural)]),
            ]
            for (i, inst) in institutes.enumerated() {
                let code = "360781" + inst.0
                try await site(code, inst.1, .institute, "360781", inst.2, inst.3, inst.4)
                for (j, st) in inst.5.enumerated() {
                    let suffix = st.0.hasSuffix("社区") ? "社区新时代文明实践站" : "新时代文明实践站"
                    let name = st.0.replacingOccurrences(of: "社区", with: "") + suffix
                    // The villages round their township, a few kilometres out.
                    let angle = (Double(j) * 90 + 40 + Double(i) * 25) * .pi / 180, reach = 0.018 + Double((i + j) % 3) * 0.006
                    try await site(code + String(format: "%03d", j + 1), name, .station, code,
                                   inst.2 + reach * sin(angle), inst.3 + reach * 1.1 * cos(angle), st.1)
                }
            }

            progress("[2/6] teams")
            let categories = try await Category.query(on: db).sort(\.$sortOrder).all()
            var teams: [Team] = []
            func team(_ name: String, _ siteCode: String, _ categoryIndexes: [Int], professional: Bool = false, max: Int = 3) async throws {
                let t = Team()
                t.name = name
                t.$site.id = try sites[siteCode]!.requireID()
                t.professional = professional
                t.maxConcurrentOrders = max
                t.active = true
                try await t.create(on: db)
                for i in categoryIndexes {
                    let link = TeamCategory()
                    link.$team.id = try t.requireID()
                    link.$category.id = try categories[i].requireID()
                    try await link.create(on: db)
                }
                teams.append(t)
            }
            try await team("瑞金市妇联志愿服务队", "360781", [0, 7, 9], max: 5)
            try await team("红色文化传承专业志愿服务队", "360781", [0, 1], professional: true, max: 4)
            try await team("瑞金市人民医院医疗志愿服务队", "360781", [3], professional: true, max: 4)
            try await team("法律援助志愿服务队", "360781", [5], professional: true)
            try await team("科普志愿服务队", "360781", [4, 6])
            try await team("象湖镇文艺志愿服务队", "360781101", [1, 8])
            try await team("象湖镇助学志愿服务队", "360781101", [2, 9])
            try await team("叶坪乡红色宣讲志愿服务队", "360781201", [0])
            try await team("叶坪乡为老服务志愿服务队", "360781201", [8, 7])
            try await team("沙洲坝镇卫生环保志愿服务队", "360781301", [6])
            try await team("沙洲坝镇健身志愿服务队", "360781301", [3, 1])
            try await team("壬田镇扶贫帮困志愿服务队", "360781401", [7, 8])
            try await team("壬田镇关爱未成年人志愿服务队", "360781401", [9, 2])
            try await team("红都社区邻里互助队", "360781101001", [8, 6])
            try await team("叶坪村红马甲志愿服务队", "360781201001", [0, 8])
            try await team("洁净社区志愿服务队", "360781301002", [6, 7])
            try await team("凤岗村乡贤志愿服务队", "360781401002", [2, 8])

            progress("[3/6] volunteers")
            let stationCodes = sites.values.filter { $0.kind == .station }.map(\.code).sorted()
            let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高钟曾谢邱")
            let given = ["建华", "秀英", "志强", "丽华", "海燕", "国庆", "春梅", "小龙", "晓东", "桂兰", "文斌", "玉珍", "红英", "俊杰", "明辉", "雪梅", "永生", "水莲", "金凤", "子涵"]
            let skills = ["宣讲", "文艺", "医疗", "法律", "摄影", "驾驶", "电工", "心理辅导", "书法", "急救"]
            var volunteers: [Volunteer] = []
            for i in 0..<120 {
                let year = 1958 + (i * 7) % 50
                let birth = String(format: "%04d%02d%02d", year, 1 + i % 12, 1 + (i * 3) % 28)
                let id = IDNumber.compose(region: "360781", birth: birth, sequence: 100 + i)
                let phone = String(format: "13%d%08d", 5 + i % 5, 20_261_000 + i * 37)
                let v = Volunteer()
                v.realName = String(surnames[i % surnames.count]) + given[(i * 7) % given.count]
                v.idSealed = try protector.seal(id)
                v.idHash = protector.lookupHash(id)
                v.idMasked = Masking.mask(id, keepFirst: 3, keepLast: 4)
                v.gender = (100 + i) % 2 == 1 ? Gender.male.rawValue : Gender.female.rawValue
                v.birthDate = String(birth.prefix(4)) + "-" + String(birth.dropFirst(4).prefix(2)) + "-" + String(birth.suffix(2))
                v.phoneSealed = try protector.seal(phone)
                v.phoneMasked = Masking.mask(phone, keepFirst: 3, keepLast: 4)
                v.skills = [skills[i % skills.count], skills[(i * 3 + 1) % skills.count]]
                v.registeredOn = String(format: "2025-%02d-%02d", 1 + i % 12, 1 + i % 28)
                v.active = true
                v.awaitingReview = false
                v.hoursTotal = 0
                v.pointsBalance = 0
                v.$site.id = try sites[stationCodes[i % stationCodes.count]]!.requireID()
                v.number = "pending-\(i)"
                try await v.create(on: db)
                v.number = String(format: "ZY2025%07d", try v.requireID())
                try await v.save(on: db)
                volunteers.append(v)
                let m = TeamMembership()
                m.$team.id = try teams[i % teams.count].requireID()
                m.$volunteer.id = try v.requireID()
                m.role = i < teams.count ? MemberRole.leader.rawValue : MemberRole.member.rawValue
                try await m.create(on: db)
            }

            progress("[4/6] menu")
            let menu: [(Int, String, String, String, [Int], Bool)] = [
                (0, "学党史 忆初心 主题宣讲", "到村（社区）开展党史学习教育宣讲，可结合革命旧址现场讲解。", "360781", [1, 7], false),
                (0, "政策理论微宣讲", "围绕惠民政策开展\u{201C}板凳课堂\u{201D}式宣讲。", "360781201", [7], true),
                (1, "文艺汇演进村", "组织文艺志愿者到村、敬老院开展文艺演出。", "360781", [1, 5], false),
                (1, "广场舞教学", "每周一次广场舞教学。", "360781101", [5], true),
                (2, "留守儿童课后辅导", "为留守儿童提供作业辅导与阅读陪伴。", "360781101", [6, 12], true),
                (3, "义诊与健康讲座", "常见病义诊、血压血糖测量、健康知识讲座。", "360781", [2], false),
                (3, "全民健身指导", "健身器材使用与科学锻炼指导。", "360781301", [10], true),
                (4, "防诈骗科普", "电信网络诈骗防范知识科普。", "360781", [4], true),
                (5, "法律咨询与调解", "婚姻家庭、土地流转等法律咨询，矛盾纠纷调解。", "360781", [3], false),
                (6, "人居环境整治", "清理房前屋后垃圾，美化村容村貌。", "360781301", [9, 15], true),
                (7, "困难群众帮扶", "为困难家庭提供生活物资与帮扶服务。", "360781401", [11], false),
                (8, "独居老人上门探访", "上门探访独居老人，代购代办、理发、修剪指甲。", "360781201", [8, 14], true),
                (9, "青少年红色研学", "带领青少年参观革命旧址，讲述红色故事。", "360781401", [12, 1], false),
            ]
            for entry in menu {
                let owner = sites[entry.3]!
                let item = MenuItem()
                item.$category.id = try categories[entry.0].requireID()
                item.$site.id = try owner.requireID()
                item.title = entry.1
                item.description = entry.2
                item.autoAccept = entry.5
                item.active = true
                try await item.create(on: db)
                for t in entry.4 {
                    let link = MenuItemTeam()
                    link.$item.id = try item.requireID()
                    link.$team.id = try teams[t].requireID()
                    try await link.create(on: db)
                }
                for s in sites.values where owner.sitePath.covers(s.sitePath) && s.kind == .station {
                    let link = MenuItemSite()
                    link.$item.id = try item.requireID()
                    link.$site.id = try s.requireID()
                    try await link.create(on: db)
                }
            }

            progress("[5/6] accounts")
            var lines: [String] = []
            for login in Self.logins {
                let site = sites[login.siteCode]!
                _ = try await Account.insert(username: login.username, passwordHash: hash, site: site, role: login.role, on: db)
                let role = app.localizer.text("role.\(login.role.rawValue)", .zhCN) + " " + login.role.rawValue
                lines.append(Self.column(login.username, 14) + Self.column(role, 26) + site.name)
            }
            // The leader and the volunteer logins are volunteers too.
            volunteers[0].$account.id = try await Account.query(on: db).filter(\.$username == "leader").first()?.requireID()
            try await volunteers[0].save(on: db)
            volunteers[teams.count].$account.id = try await Account.query(on: db).filter(\.$username == "volunteer").first()?.requireID()
            // The "volunteer" login lives at 叶坪村, like its account: its perks and screens are that station's.
            volunteers[teams.count].$site.id = try sites["360781201001"]!.requireID()
            try await volunteers[teams.count].save(on: db)

            progress("[6/6] activities")
            let now = app.clock.now()
            let admin = try await Account.query(on: db).filter(\.$username == "yeping").first()?.requireID()
            let leader = try await Account.query(on: db).filter(\.$username == "leader").first()?.requireID()
            let day = Calendar.chinaStandard.startOfDay(for: now)
            // (title, site, team, start, hours, slots, category, status, by)
            let plans: [(String, String, Int, Date, Double, Int, Int, ActivityStatus, Int?)] = [
                ("叶坪革命旧址义务讲解", "360781201001", 14, now.addingTimeInterval(20 * 60), 3, 10, 0, .published, admin),
                ("独居老人理发与探访", "360781201001", 8, day.addingTimeInterval(86_400 + 9 * 3600), 2.5, 6, 8, .published, admin),
                ("垃圾分类入户宣传", "360781301002", 15, day.addingTimeInterval(3 * 86_400 + 15 * 3600), 2, 20, 6, .published, admin),
                ("妇联亲子阅读会", "360781", 0, day.addingTimeInterval(6 * 86_400 + 14 * 3600), 2, 30, 2, .pending, leader),
            ]
            // The project library (项目库): one branded project with its yearly support.
            let project = Project()
            project.createdAt = now
            project.title = "叶坪红色故事汇"
            project.description = "示例项目：志愿者在革命旧址为群众和游客讲红色故事。"
            project.$category.id = try categories[0].requireID()
            project.$team.id = try teams[14].requireID()
            project.$site.id = try sites["360781201001"]!.requireID()
            project.targetGroup = "村民与游客"
            project.status = ProjectStatus.active.rawValue
            try await project.create(on: db)
            let award = ProjectAward()
            award.createdAt = now
            award.$project.id = try project.requireID()
            award.year = Calendar.chinaStandard.component(.year, from: now)
            award.amount = 5000
            award.approvedBy = "瑞金市文明办"
            award.note = "示例"
            try await award.create(on: db)
            // Perks (礼遇) volunteers can spend points on.
            for (title, siteCode, cost, stock) in [("免费乘坐城区公交一次", "360781201001", 50, Int?.none), ("便民服务优先办理", "360781201001", 100, Int?(20)),
                                                   ("志愿者健康体检一次", "360781", 300, Int?(50))] {
                let perk = Perk()
                perk.createdAt = now
                perk.title = title
                perk.description = "示例礼遇。"
                perk.$site.id = try sites[siteCode]!.requireID()
                perk.pointsCost = cost
                perk.stock = stock
                perk.redeemed = 0
                perk.active = true
                try await perk.create(on: db)
            }
            for (index, plan) in plans.enumerated() {
                let site = sites[plan.1]!
                let a = Activity()
                if index == 0 { a.projectID = project.id }
                a.createdAt = now
                a.updatedAt = now
                a.title = plan.0
                a.description = "示例活动：\(plan.0)。"
                a.$category.id = try categories[plan.6].requireID()
                a.$site.id = try site.requireID()
                a.$team.id = try teams[plan.2].requireID()
                a.$createdBy.id = plan.8
                a.address = site.name
                a.latitude = site.latitude
                a.longitude = site.longitude
                a.startsAt = plan.3
                a.endsAt = plan.3.addingTimeInterval(plan.4 * 3600)
                a.slots = plan.5
                a.signedUp = 0
                a.skills = []
                a.radius = ActivityInput.defaultRadius
                a.status = plan.7
                if plan.7 == .published { a.reviewedBy = admin; a.reviewedAt = now }
                try await a.create(on: db)
            }
            // A past activity, published to the showcase (志愿风采) by the station's admin.
            let past = Activity()
            past.createdAt = now.addingTimeInterval(-14 * 86_400)
            past.updatedAt = past.createdAt
            past.title = "重阳节敬老院文艺演出"
            past.description = "示例活动：文艺志愿者到敬老院为老人表演节目。"
            past.$category.id = try categories[1].requireID()
            past.$site.id = try sites["360781201001"]!.requireID()
            past.$team.id = try teams[14].requireID()
            past.$createdBy.id = admin
            past.address = sites["360781201001"]!.name
            past.latitude = sites["360781201001"]!.latitude
            past.longitude = sites["360781201001"]!.longitude
            past.startsAt = day.addingTimeInterval(-7 * 86_400 + 14 * 3600)
            past.endsAt = past.startsAt.addingTimeInterval(2 * 3600)
            past.slots = 20
            past.signedUp = 0
            past.skills = []
            past.radius = ActivityInput.defaultRadius
            past.status = ActivityStatus.published
            past.reviewedBy = admin
            past.reviewedAt = past.createdAt
            past.peopleServed = 36
            try await past.create(on: db)
            let post = ShowcasePost()
            post.createdAt = past.endsAt
            post.updatedAt = past.endsAt
            post.publishedAt = past.endsAt
            post.$site.id = past.$site.id
            post.$team.id = past.$team.id
            post.activityID = try past.requireID()
            post.title = "重阳节，敬老院里歌声暖"
            post.story = "重阳节下午，文艺志愿者来到乡敬老院，为三十多位老人表演了采茶戏和红歌联唱。\n演出结束后，队员们陪老人拉家常、剪指甲，老人们说：“这样的节目，我们年年都想看。”"
            post.servedOn = past.startsAt
            post.status = ShowcasePost.Status.published.rawValue
            post.$publishedBy.id = admin
            try await post.create(on: db)
            // Two wishes collected door to door by the practitioner (微心愿).
            let practitioner = try await Account.query(on: db).filter(\.$username == "practitioner").first()?.requireID()
            for (title, value, contact) in [("想要一台收音机听戏", 80, "钟奶奶"), ("孙子想要一套课外书", 60, "刘大爷")] {
                let w = Wish()
                w.createdAt = now
                w.updatedAt = now
                w.title = title
                w.description = "示例心愿。"
                w.value = value
                w.$site.id = try sites["360781201001"]!.requireID()
                w.$requester.id = practitioner
                w.onBehalf = true
                w.contactName = contact
                w.status = WishStatus.open
                try await w.create(on: db)
            }
            // A first-aid training at 叶坪村 tomorrow morning (培训), for its team.
            let training = Training()
            training.createdAt = now
            training.updatedAt = now
            training.$site.id = try sites["360781201001"]!.requireID()
            training.$team.id = try teams[14].requireID()
            training.title = "志愿者应急救护培训"
            training.description = "示例培训：心肺复苏与止血包扎。"
            training.trainer = "瑞金市红十字会"
            training.startsAt = day.addingTimeInterval(86_400 + 9 * 3600)
            training.hours = 2
            training.mode = TrainingMode.onsite
            training.address = "叶坪村新时代文明实践站"
            training.latitude = sites["360781201001"]!.latitude
            training.longitude = sites["360781201001"]!.longitude
            training.radius = ActivityInput.defaultRadius
            training.$createdBy.id = admin
            try await training.create(on: db)
            // A needs survey of 叶坪乡 (问需) with the answers of five households at 叶坪村.
            let survey = Survey()
            survey.createdAt = now.addingTimeInterval(-7 * 86_400)
            survey.updatedAt = survey.createdAt
            survey.$site.id = try sites["360781201"]!.requireID()
            survey.title = "叶坪乡入户问需"
            survey.description = "示例问卷：入户记录群众最想听、最想看、最想要的服务。"
            survey.status = Survey.Status.open.rawValue
            let needs = try categories.map { SurveyOption(label: $0.name, categoryID: try $0.requireID()) }
            let questions = [
                SurveyQuestion(id: 1, kind: .multiple, prompt: "您家最需要哪些志愿服务？", options: needs),
                SurveyQuestion(id: 2, kind: .single, prompt: "您平时能参加村里的活动吗？", options: [.init(label: "经常"), .init(label: "偶尔"), .init(label: "很少")]),
                SurveyQuestion(id: 3, kind: .rating, prompt: "您对现在的志愿服务满意吗？"),
                SurveyQuestion(id: 4, kind: .text, prompt: "还想要什么服务？", required: false),
            ]
            survey.questionsJSON = String(decoding: try JSONEncoder().encode(questions), as: UTF8.self)
            survey.$createdBy.id = try await Account.query(on: db).filter(\.$username == "admin").first()?.requireID()
            try await survey.create(on: db)
            let households: [([Int], Int, Int, String)] = [
                ([3, 8], 0, 4, "想要老年人健康讲座"), ([3], 1, 5, ""), ([2, 3], 2, 3, "孩子放学后没人辅导"), ([8, 6], 1, 4, ""), ([3, 5], 0, 2, "想学防诈骗"),
            ]
            for (i, h) in households.enumerated() {
                let r = SurveyResponse()
                r.$survey.id = try survey.requireID()
                r.$station.id = try sites["360781201001"]!.requireID()
                r.clientID = "demo-\(i + 1)"
                r.household = "\(i + 1)组"
                r.$collectedBy.id = practitioner
                r.collectedAt = now.addingTimeInterval(Double(i - 6) * 86_400)
                r.receivedAt = r.collectedAt
                var answers: [String: SurveyAnswer] = ["1": .choice(h.0.filter { $0 < needs.count }), "2": .choice([h.1]), "3": .rating(h.2)]
                if !h.3.isEmpty { answers["4"] = .text(h.3) }
                r.answersJSON = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
                try await r.create(on: db)
            }
            return lines
        }
    }
}
