import Vapor
import Fluent
import DiandanCore

/// 我的工作台: the home page of someone signed in — what they do, with counts linking to the lists.
/// Every tile is for a page its person may open.
struct WorkbenchPage: Encodable {
    struct Tile: Encodable {
        var label: String
        var value: String? = nil
        var note: String? = nil
        var link: String
        var primary = false
        var alert = false
    }
    struct Item: Encodable { var title: String; var detail: String; var link: String }
    struct Section: Encodable {
        var key: String
        var heading: String
        var tiles: [Tile]
        var items: [Item] = []
        var empty: String? = nil
    }
    var chrome: Chrome
    var greeting: String
    var sections: [Section]
    /// What the last step left to say (an account just opened, a volunteer confirmed).
    var notice: String? = nil
    /// Registered where volunteers are reviewed, not yet confirmed.
    var awaitingReview: String? = nil
}

/// 长辈版 home for a resident: four big tiles and nothing else.
struct SimpleHomePage: Encodable {
    struct Tile: Encodable { var key: String; var label: String; var note: String?; var link: String; var icon: String }
    var chrome: Chrome
    var greeting: String
    var notice: String?
    var tiles: [Tile]
}

enum WorkbenchPages {
    static func render(_ req: Request, _ p: Principal) async throws -> Response {
        let service = WorkbenchService.make(req)
        if req.largeText, Policy.residentOnly(p.grants) { return try await simple(req, p, service) }
        var sections: [WorkbenchPage.Section] = []

        // 点单: residents for themselves, practitioners and admins for a resident (代点单).
        if !OrderPolicy.orderingReach(p.grants).isEmpty {
            let ordering = try await service.ordering(p)
            let own = OrderPolicy.ordersForThemselves(p.grants)
            var tiles: [WorkbenchPage.Tile] = [
                .init(label: req.t(own ? "work.order_new" : "work.order_for"), note: req.t(own ? "work.order_new_note" : "work.order_for_note"),
                      link: Paths.menu, primary: true)]
            if OrderPolicy.takesOrdersForOthers(p.grants) {
                tiles.append(.init(label: req.t("work.order_by_phone"), note: req.t("work.order_by_phone_note"), link: Paths.orderByPhone, primary: true))
            }
            tiles.append(.init(label: req.t("work.my_orders"), value: String(ordering.open), note: req.t("work.under_way"), link: Paths.myOrders))
            sections.append(.init(
                key: "orders", heading: req.t(own ? "work.orders" : "work.orders_for"),
                tiles: tiles,
                items: try ordering.recent.map { o in
                    .init(title: o.number + " · " + o.title, detail: req.t("order.status.\(o.status)"), link: Paths.order(try o.requireID()))
                },
                empty: req.t("work.no_orders")))
        }

        // 本队接单: the leader's team orders.
        let led = try await OrderService.make(req).ledTeams(p, on: req.db)
        if !led.isEmpty {
            let inbox = try await OrderService.make(req).teamInbox(teams: led, offset: 0, limit: 3, on: req.db)
            sections.append(.init(
                key: "team", heading: req.t("work.team"),
                tiles: [.init(label: req.t("work.team_orders"), value: String(inbox.total), note: req.t("work.team_orders_note"), link: Paths.teamInbox,
                              primary: inbox.total > 0)],
                items: try inbox.orders.map { o in
                    .init(title: o.number + " · " + o.title, detail: req.t("order.status.\(o.status)"), link: Paths.order(try o.requireID()))
                },
                empty: req.t("work.no_team_orders")))
        }

        // 我的志愿服务: hours, stars, points, the activities ahead.
        if let s = try await service.serving(p) {
            sections.append(.init(
                key: "service", heading: req.t("work.service"),
                tiles: [.init(label: req.t("work.hours"), value: OrdersPages.hours(s.hours), note: req.t("work.hours_unit"), link: Paths.myService),
                        .init(label: req.t("work.stars"), value: String(repeating: "★", count: s.stars) + String(repeating: "☆", count: 5 - s.stars),
                              link: Paths.myService),
                        .init(label: req.t("work.points"), value: String(s.points), link: Paths.myService),
                        .init(label: req.t("work.find_activity"), note: req.t("work.find_activity_note"), link: Paths.activities, primary: s.next.isEmpty)],
                items: try s.next.map { a in
                    .init(title: a.title, detail: DateText.minute(a.startsAt) + " · " + a.address, link: Paths.activity(try a.requireID()))
                },
                empty: req.t("work.no_activities")))
        }

        // 派单: what waits in the queues of the sites this person dispatches for.
        let dispatch = Policy.scopes(p.grants, .orders, .write)
        if !dispatch.isEmpty {
            let q = try await service.queues(dispatch)
            sections.append(.init(
                key: "dispatch", heading: req.t("work.dispatch"),
                tiles: [.init(label: req.t("work.waiting"), value: String(q.waiting), link: Paths.queue, primary: q.waiting > 0),
                        .init(label: req.t("work.soon"), value: String(q.soon), note: req.t("work.soon_note"), link: Paths.queue, alert: q.soon > 0),
                        .init(label: req.t("work.overdue"), value: String(q.overdue), link: Paths.queue, alert: q.overdue > 0),
                        .init(label: req.t("nav.board"), note: req.t("work.board_note"), link: Paths.board)]))
        }

        // 待审核: new volunteers waiting for the station (where volunteers are reviewed).
        let volunteerScopes = Policy.scopes(p.grants, .volunteers, .write)
        if req.application.settings.volunteerReview, !volunteerScopes.isEmpty {
            let waiting = try await VolunteerService.make(req).countAwaitingReview(within: volunteerScopes)
            sections.append(.init(key: "review", heading: req.t("work.review"),
                                  tiles: [.init(label: req.t("work.review"), value: String(waiting), link: Paths.adminVolunteerReview, alert: waiting > 0)]))
        }

        // The rest of what this person may open.
        var more: [WorkbenchPage.Tile] = []
        if Policy.worksWithSurveys(p.grants) {
            more.append(.init(label: req.t("nav.surveys"), note: req.t("work.surveys_note"), link: Paths.surveys))
        }
        if !Policy.grants(p.grants, allowing: .orders, .read).isEmpty {
            more.append(.init(label: req.t("nav.assessment"), note: req.t("work.assessment_note"), link: Paths.assessment))
        }
        if !Policy.grants(p.grants, allowing: .sites, .read).isEmpty {
            more.append(.init(label: req.t("nav.admin"), note: req.t("work.admin_note"), link: Paths.admin))
        }
        more.append(.init(label: req.t("nav.inbox"), value: p.unread > 0 ? String(p.unread) : nil, note: req.t("work.inbox_note"), link: Paths.inbox, alert: p.unread > 0))
        sections.append(.init(key: "more", heading: req.t("work.more"), tiles: more))

        let me = try await service.person(p)
        var page = WorkbenchPage(chrome: .make(req, title: req.t("work.title")), greeting: req.t("work.greeting", ["name": me.name ?? p.username]), sections: sections)
        page.notice = req.takeFlash()
        if me.awaitingReview { page.awaitingReview = req.t("work.awaiting_review") }
        return try await Pages.render(req, "workbench", page)
    }

    /// 我要点单 · 我的订单 · 微心愿 · 打电话给站点, as large as the screen allows.
    static func simple(_ req: Request, _ p: Principal, _ service: WorkbenchService) async throws -> Response {
        let ordering = try await service.ordering(p)
        var tiles: [SimpleHomePage.Tile] = [
            .init(key: "order", label: req.t("work.order_new"), note: req.t("work.big.order_note"), link: Paths.menu, icon: "#i-order"),
            .init(key: "orders", label: req.t("work.my_orders"), note: ordering.open > 0 ? req.t("work.big.orders_open", ["count": String(ordering.open)]) : nil,
                  link: Paths.myOrders, icon: "#i-list"),
            .init(key: "wishes", label: req.t("nav.wishes"), note: req.t("work.big.wishes_note"), link: Paths.wishes, icon: "#i-heart"),
        ]
        if let call = try await service.sitePhone(p) {
            tiles.append(.init(key: "call", label: req.t("work.big.call"), note: call.site + " " + (PhoneNumber.parse(call.phone, landline: true)?.readable ?? call.phone),
                               link: "tel:" + call.phone.filter { $0.isNumber }, icon: "#i-phone"))
        }
        let me = try await service.person(p)
        let page = SimpleHomePage(chrome: .make(req, title: req.t("work.title")), greeting: req.t("work.greeting", ["name": me.name ?? p.username]),
                                  notice: req.takeFlash(), tiles: tiles)
        return try await Pages.render(req, "home_simple", page)
    }
}
