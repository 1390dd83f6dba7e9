import Vapor
import Fluent
import DiandanCore

struct MenuPage: Encodable {
    struct Item: Encodable { var id: Int; var title: String; var description: String; var auto: Bool; var orderLink: String }
    struct Group: Encodable { var category: String; var items: [Item] }
    var chrome: Chrome
    var station: String
    var stations: [FormField.Option]
    var groups: [Group]
    var offMenuLink: String
}

struct OrderFormPage: Encodable {
    var chrome: Chrome
    var heading: String
    var item: String?
    var fields: [FormField]
    var summary: String?
    /// Said above the form (it came back filled in after signing in again).
    var notice: String? = nil
    /// Where it is sent, what it says first and on its button (代点单 uses the same page).
    var action = Paths.orders
    var lead: String? = nil
    var submit: String? = nil
}

struct OrderListPage: Encodable {
    struct Row: Encodable { var link: String; var number: String; var title: String; var status: String; var statusKey: String; var site: String; var deadline: String; var overdue: Bool }
    var chrome: Chrome
    var heading: String
    var rows: [Row]
    var empty: String
    /// Only when the list runs over more than one page.
    var pager: ListPage.Pager?
}

struct OrderShowPage: Encodable {
    /// Development without an SMS gateway: the text the resident would have been sent, and its link.
    var devText: String? = nil
    var devLink: String? = nil
    /// 点单 → 派单 → 接单 → 服务 → 评单 (not for a cancelled or rejected order).
    var steps: [FollowPage.Step] = []
    struct Fact: Encodable { var label: String; var value: String }
    struct Event: Encodable { var at: String; var action: String; var actor: String; var reason: String?; var status: String; var why: String? }
    struct Button: Encodable {
        var action: String; var label: String; var reason: Bool; var danger: Bool
        /// Asked before the step is taken (it cannot be undone).
        var question: String? = nil
    }
    struct Suggestion: Encodable { var teamID: Int; var team: String; var why: String }
    struct Member: Encodable {
        var id: Int; var name: String; var number: String
        /// What was ticked and typed, kept when the form is refused, and the row's own problem.
        var checked = false; var hours = ""; var error: String? = nil
    }

    var chrome: Chrome
    var number: String
    var title: String
    var status: String
    var statusKey: String
    var facts: [Fact]
    var timeline: [Event]
    var buttons: [Button]
    var suggestions: [Suggestion]
    var members: [Member]
    var canRate: Bool
    var canMessage: Bool
    var photos: [String]
    var base: String
    var summary: String?
    /// For the leader holding it (or the admins over it): organise an activity to serve it.
    var newActivity: String?
    /// Once it is done, for the same people: publish it to the showcase (志愿风采).
    var showcase: String?
    /// 查看并拨打: for those who may see the resident's number — the reasons to choose from.
    var contactReasons: [String] = []
    /// A refused form's text, kept.
    var keptNotes = ""
    /// What the last step did (and, after ordering, what happens next).
    var notice: String? = nil
    var keptReason = ""
    /// The number, once asked for with a reason (and audited): name and a `tel:` link.
    var revealed: Revealed? = nil
    struct Revealed: Encodable { var name: String; var phone: String; var tel: String }
}

struct VolunteerMePage: Encodable {
    struct Row: Encodable { var date: String; var hours: String; var content: String }
    struct Points: Encodable { var at: String; var delta: String; var balance: Int; var reason: String }
    var chrome: Chrome
    var name: String
    var number: String
    var hours: String
    var stars: Int
    var starText: String
    var toNext: String?
    var points: Int
    var records: [Row]
    var ledger: [Points]
    /// Training, apart from service hours.
    var trainingNote: String
    var trainings: [Row]
    struct PerkRow: Encodable { var title: String; var description: String; var cost: Int; var left: String?; var action: String; var affordable: Bool; var id: Int }
    struct Redemption: Encodable { var at: String; var title: String; var code: String; var points: Int }
    var perks: [PerkRow]
    var redemptions: [Redemption]
    var flash: String?
    var calendarURL: String
    /// When a requested deletion takes effect (as a sentence); nil when none is pending.
    var deletionPending: String?
    var deletionHint: String
    var deletionQuestion: String
}

/// The loop in the browser: residents order, staff dispatch, leaders serve, everyone follows the timeline.
enum OrdersPages {
    static func register(_ web: RoutesBuilder) {
        web.get("menu", use: menu).rule(.open)
        web.get("orders", "new", use: newOrder).rule(.signedIn)
        web.grouped(RateLimit(bucket: .orders)).post("orders", use: createOrder).rule(.signedIn).keepsTypedForm(returningTo: Paths.orderNewForm)
        web.get("orders", "mine", use: mine).rule(.signedIn)
        web.get("orders", "queue", use: queue).rule(.resource(.orders, .write))
        web.get("orders", "team", use: teamInbox).rule(.signedIn)
        web.get("orders", ":id", use: show).rule(.signedIn)
        // Photos: the body is read only after the person and their right to complete are checked.
        web.on(.POST, "orders", ":id", .constant(OrderStep.complete.rawValue), body: .stream, use: { try await act($0, .complete) }).rule(.signedIn)
        web.grouped(RateLimit(bucket: .urge, onlyAction: OrderStep.urge.rawValue)).post("orders", ":id", ":action", use: { req in
            guard let step = req.parameters.get("action").flatMap(OrderStep.init(rawValue:)) else { throw AppError.notFound }
            return try await act(req, step)
        }).rule(.signedIn)
        web.get("orders", ":id", "photos", ":photo", use: photo).rule(.signedIn)
        web.post("orders", ":id", "contact", use: contact).rule(.signedIn)
        web.get("me", "service", use: myService).rule(.signedIn)
    }

    /// The station a person orders for: the one asked for, else the site of their account.
    static func station(_ req: Request) async throws -> Site? {
        if let s = try await req.querySite("station", activeOnly: true) { return s }
        if let p = req.principal, let s = try await Site.find(p.siteID, on: req.db), s.kind == .station { return s }
        return try await Site.query(on: req.db).filter(\.$kind == SiteKind.station).filter(\.$active == true).sort(\.$path).first()
    }

    static func menu(req: Request) async throws -> Response {
        guard let station = try await station(req) else { throw AppError.notFound }
        let stations = try await Site.query(on: req.db).filter(\.$kind == SiteKind.station).filter(\.$active == true).sort(\.$path).range(0..<2000).all()
        let items = try await MenuItem.query(on: req.db).join(MenuItemSite.self, on: \MenuItemSite.$item.$id == \MenuItem.$id)
            .filter(MenuItemSite.self, \.$site.$id == station.requireID()).filter(\.$active == true).with(\.$category).all()
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        // 自动派单 is how the site works, not something a resident chooses by: staff see it.
        let staff = req.principal.map { !Policy.grants($0.grants, allowing: .orders, .write).isEmpty } ?? false
        let groups = categories.compactMap { c -> MenuPage.Group? in
            let mine = items.filter { $0.$category.id == c.id }
            guard !mine.isEmpty else { return nil }
            return MenuPage.Group(category: c.displayName(req.locale), items: mine.compactMap { m in
                m.id.map { .init(id: $0, title: m.title, description: m.description, auto: staff && m.autoAccept, orderLink: Paths.orderNew(station: station.id!, menuItem: $0)) }
            })
        }
        let page = MenuPage(chrome: .make(req, title: req.t("order.menu")), station: station.name,
                            stations: stations.compactMap { s in s.id.map { .init(value: String($0), label: s.name, selected: $0 == station.id) } },
                            groups: groups, offMenuLink: Paths.orderNew(station: station.id!))
        return try await Pages.render(req, "orders/menu", page)
    }

    static func orderFields(_ req: Request, _ form: FormBuilder, item: MenuItem?) async throws -> [FormField] {
        let p = try req.requirePrincipal()
        // Stations within the person's reach.
        let reach = OrderPolicy.orderingReach(p.grants)
        var stations: [(String, String)] = []
        if !reach.isEmpty {
            stations = try await Site.query(on: req.db).within(reach).filter(\.$kind == SiteKind.station).filter(\.$active == true)
                .sort(\.$path).range(0..<2000).all().compactMap { s in s.id.map { (String($0), s.name) } }
        }
        var formID = form.text("form_id", "order.menu_item")
        formID.kind = .hidden
        if formID.value.isEmpty { formID.value = TokenDigest.random(bytes: 12) }
        var fields: [FormField] = [formID]
        if let item {
            var hidden = form.text("menu_item_id", "order.menu_item")
            hidden.value = String(item.id!)
            hidden.kind = .hidden
            fields.append(hidden)
        } else {
            let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
            fields.append(form.select("category_id", "order.category", categories.compactMap { c in c.id.map { (String($0), c.displayName(req.locale)) } }))
        }
        fields.append(form.select("station_id", "order.station", stations))
        fields.append(form.text("details", "order.details", kind: .textarea, required: item == nil))
        fields.append(form.text("address", "order.address", required: false, hint: "order.address_hint"))
        var lat = form.text("latitude", "order.latitude", required: false)
        lat.kind = .hidden
        var lon = form.text("longitude", "order.longitude", required: false)
        lon.kind = .hidden
        fields += [lat, lon,
                   form.text("window_start", "order.window_start", kind: .datetime, required: false),
                   form.text("window_end", "order.window_end", kind: .datetime, required: false),
                   form.text("people", "order.people", kind: .number, required: false),
                   form.text("contact_name", "order.contact_name"),
                   form.text("contact_phone", "order.contact_phone", kind: .tel),
                   form.text("notes", "order.notes", kind: .textarea, required: false)]
        return fields
    }

    static func newOrder(req: Request) async throws -> Response {
        // An order typed before the session ended comes back as it was, to be checked and sent.
        if let kept = req.takeKeptForm() {
            let item = try await kept["menu_item_id"]?.last.flatMap { Int($0) }.asyncFlatMap { try await MenuItem.find($0, on: req.db) }
            return try await renderOrderForm(req, item: item, values: kept, errors: [], notice: req.t("order.kept_after_sign_in"))
        }
        let item = try await req.queryID("menu_item_id").asyncFlatMap { try await MenuItem.find($0, on: req.db) }
        var values: [String: [String]] = ["people": ["1"]]
        if let s = try req.queryID("station") { values["station_id"] = [String(s)] }
        // A resident's own name, phone and address, remembered from their first sign-in.
        if let p = req.principal, OrderPolicy.ordersForThemselves(p.grants), let me = try await Account.find(p.accountID, on: req.db) {
            if let name = me.displayName { values["contact_name"] = [name] }
            if let sealed = me.phoneSealed, let phone = try? req.application.protector.open(sealed) { values["contact_phone"] = [phone] }
            if let address = me.address { values["address"] = [address] }
        }
        return try await renderOrderForm(req, item: item, values: values, errors: [])
    }

    static func renderOrderForm(_ req: Request, item: MenuItem?, values: [String: [String]], errors: [FieldError], status: HTTPResponseStatus = .ok,
                                notice: String? = nil) async throws -> Response {
        var page = OrderFormPage(chrome: .make(req, title: req.t("order.new")), heading: req.t(item == nil ? "order.new_off_menu" : "order.new"),
                                 item: item?.title, fields: try await orderFields(req, FormBuilder(req, values: values, errors: errors), item: item),
                                 summary: errors.isEmpty ? nil : req.t("error.validation"))
        page.notice = notice
        return try await Pages.render(req, "orders/new", page, status: status)
    }

    static func createOrder(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let form = try await req.formFields()
        let item = try await form["menu_item_id"]?.last.flatMap(Int.init).asyncFlatMap { try await MenuItem.find($0, on: req.db) }
        do {
            var r = try await req.fieldReader()
            let input = OrderInput.read(&r, defaultChannel: req.headers.first(name: .userAgent)?.contains("Mobile") == true ? .mobile : .web, now: req.now)
            try r.check()
            // Each form carries its own id: a double tap or a resubmitted page makes one order. The
            // id is bound to what the form says, so a form gone back to and changed is a new order,
            // never a refusal the page cannot show.
            let formID = form["form_id"]?.last.flatMap { $0.count <= 64 && !$0.isEmpty ? "form-" + $0 + "-" + TokenDigest.sha256(input!.canonical).prefix(16) : nil }
            let (order, created) = try await OrderService.make(req).create(input!, by: p, key: formID)
            // The order's page opens with what was done and what happens next.
            try await FollowPages.afterPlacing(req, order, created: created)
            return req.redirect(to: Paths.order(try order.requireID()))
        } catch let failure as ValidationFailure {
            return try await renderOrderForm(req, item: item, values: form, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    static func listPage(_ req: Request, heading: String, _ orders: [Order], pager: ListPage.Pager? = nil) async throws -> Response {
        let sites = try await Site.query(on: req.db).filter(\.$id ~~ Array(Set(orders.map(\.$ownerSite.id)))).all()
        let rows = try orders.map { o in
            OrderListPage.Row(link: Paths.order(try o.requireID()), number: o.number, title: o.title, status: req.t("order.status.\(o.status)"),
                              statusKey: o.status.rawValue, site: sites.first { $0.id == o.$ownerSite.id }?.name ?? "",
                              deadline: o.status.awaitsResponse ? req.t("order.card.respond_by", ["time": DateText.minute(o.responseDeadline)]) : "",
                              overdue: o.overdue)
        }
        return try await Pages.render(req, "orders/list", OrderListPage(chrome: .make(req, title: heading), heading: heading, rows: rows, empty: req.t("admin.empty"), pager: pager.flatMap { $0.pages > 1 ? $0 : nil }))
    }

    static func mine(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let orders = try await Order.query(on: req.db).group(.or) { $0.filter(\.$requester.$id == p.accountID).filter(\.$placedBy.$id == p.accountID) }
            .sort(\.$id, .descending).range(0..<100).all()
        return try await listPage(req, heading: req.t("order.mine"), orders)
    }

    /// 派单台: what waits in the admin's queues, soonest deadline first.
    static func queue(req: Request) async throws -> Response {
        let scopes = try req.scopes(.orders, .write)
        let orders = try await Order.query(on: req.db).join(Site.self, on: \Order.$ownerSite.$id == \Site.$id).within(scopes)
            .filter(\.$status ~~ [OrderStatus.submitted, OrderStatus.dispatched])
            .sort(\.$responseDeadline).range(0..<200).all()
        return try await listPage(req, heading: req.t("order.queue"), orders)
    }

    /// 接单: the open orders this person's teams may claim, then the teams' orders in hand, paged.
    static func teamInbox(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let lq = try ListQuery(req)
        let service = OrderService.make(req)
        let page = try await service.teamInbox(teams: try await service.ledTeams(p, on: req.db), offset: lq.offset, limit: ListQuery.pageSize, on: req.db)
        return try await listPage(req, heading: req.t("order.team_inbox"), page.orders, pager: lq.pager(total: page.total, path: Paths.teamInbox))
    }

    static func show(req: Request) async throws -> Response {
        try await renderShow(req, order: try await OrdersAPI.find(req), summary: nil)
    }

    static func renderShow(_ req: Request, order o: Order, summary: String?, status: HTTPResponseStatus = .ok,
                           revealed: OrderShowPage.Revealed? = nil, kept: FieldReader? = nil, errors: [FieldError] = []) async throws -> Response {
        let p = try req.requirePrincipal()
        let service = OrderService.make(req)
        let actors = try await service.actors(for: o, p, on: req.db)
        let id = try o.requireID()
        let events = try await OrderEvent.query(on: req.db).filter(\.$order.$id == id).sort(\.$id).all()
        let sites = try await Site.query(on: req.db).filter(\.$id ~~ [o.$station.id, o.$ownerSite.id]).all()
        let team = try await o.$team.get(on: req.db)
        func site(_ id: Int) -> String { sites.first { $0.id == id }?.name ?? "" }
        var facts: [OrderShowPage.Fact] = [
            .init(label: req.t("order.station"), value: site(o.$station.id)),
            .init(label: req.t("order.owner"), value: site(o.$ownerSite.id)),
            .init(label: req.t("order.team"), value: team?.name ?? "—"),
            .init(label: req.t("order.contact_name"), value: o.contactName),
            .init(label: req.t("order.contact_phone"), value: o.contactPhoneMasked),
            .init(label: req.t("order.address"), value: o.address ?? "—"),
            .init(label: req.t("order.people"), value: String(o.people)),
            .init(label: req.t("order.response_deadline"), value: DateText.minute(o.responseDeadline) + (o.overdue ? " · " + req.t("order.overdue") : "")),
        ]
        if !o.details.isEmpty { facts.insert(.init(label: req.t("order.details"), value: o.details), at: 0) }
        if let rating = o.rating { facts.append(.init(label: req.t("order.rating"), value: String(repeating: "★", count: rating) + " " + (o.ratingComment ?? ""))) }

        // Buttons for what this person may do now, decided by the same state machine as the API.
        let simple: [OrderStep] = [.accept, .decline, .claim, .start, .urge, .close, .cancel, .reject, .escalate]
        var buttons = simple.compactMap { step -> OrderShowPage.Button? in
            guard case .success = OrderMachine.apply(step.action, to: o.status, by: actors, reason: "x") else { return nil }
            return .init(action: step.rawValue, label: req.t("order.do.\(step.action.rawValue)"), reason: step.needsReason, danger: step.needsReason,
                         question: step.needsReason ? req.t("order.confirm.\(step.rawValue)", ["number": o.number]) : nil)
        }
        if OrderPolicy.mayOpenForClaim(o.status, openForClaim: o.openForClaim, by: actors) {
            buttons.append(.init(action: OrderStep.openForClaim.rawValue, label: req.t("order.do.open_for_claim"), reason: false, danger: false))
        }
        var suggestions: [OrderShowPage.Suggestion] = []
        if case .success = OrderMachine.apply(.dispatch, to: o.status, by: actors) {
            suggestions = try await service.suggestions(for: o, on: req.db).prefix(8).map { team, s in
                .init(teamID: s.teamID, team: team.name, why: why(req, s))
            }
        }
        var members: [OrderShowPage.Member] = []
        if case .success = OrderMachine.apply(.complete, to: o.status, by: actors), let teamID = o.$team.id {
            // A refused completion comes back with every tick and hour as it was sent, the problem on its row.
            let ticked = Set(kept.map { k -> [String] in
                switch k.raw("volunteer_ids") {
                case .list(let l)?: return l.compactMap { if case .string(let s) = $0 { s } else if case .number(let d) = $0 { String(Int(d)) } else { nil } }
                case .string(let s)?: return [s]
                default: return []
                }
            } ?? [])
            members = try await TeamMembership.query(on: req.db).filter(\.$team.$id == teamID).with(\.$volunteer).all().map { m in
                let id = m.volunteer.id!
                var hours = ""
                if case .string(let s)? = kept?.raw("hours_\(id)") { hours = String(s.prefix(10)) }
                return .init(id: id, name: m.volunteer.realName, number: m.volunteer.number, checked: ticked.contains(String(id)), hours: hours,
                             error: errors.first { $0.field == "hours_\(id)" }.map { req.t($0.message) })
            }
        }
        let canRate: Bool = { if case .success = OrderMachine.apply(.rate, to: o.status, by: actors) { return true }; return false }()
        let canMessage: Bool = { if case .success = OrderMachine.apply(.message, to: o.status, by: actors) { return true }; return false }()
        // The showcase button for exactly those the showcase's service lets publish.
        let places = try await Site.query(on: req.db).filter(\.$id ~~ [o.$station.id, o.$ownerSite.id]).all()
        let mayShowcase = o.status.isFinished && ShowcasePolicy.mayPublish(
            req.grants, station: places.first { $0.id == o.$station.id }?.sitePath ?? SitePath(rawValue: "-"),
            owner: places.first { $0.id == o.$ownerSite.id }?.sitePath ?? SitePath(rawValue: "-"), leadsServingTeam: actors.contains(.assignedLeader))
        // Why this team (the dispatch scoring) is for the staff who dispatch and serve; the resident
        // reads what happened in people's words.
        let staff = !actors.isDisjoint(with: [.siteAdmin, .assignedLeader, .eligibleLeader])
        let timeline = events.map { e in
            // Why this team: the score kept on every dispatch and claim.
            let score = !staff ? nil : e.detail.flatMap { $0.data(using: .utf8) }.flatMap { try? JSONDecoder().decode(DispatchScore.self, from: $0) }
            return OrderShowPage.Event(at: DateText.minute(e.at), action: req.t("order.action.\(e.action)"), actor: req.t("order.actor.\(e.actor)"),
                                       reason: e.reason, status: req.t("order.status.\(e.toStatus)"), why: score.map { why(req, $0) })
        }
        let page = OrderShowPage(chrome: .make(req, title: o.number), number: o.number, title: o.title, status: req.t("order.status.\(o.status)"),
                                 statusKey: o.status.rawValue, facts: facts, timeline: timeline, buttons: buttons, suggestions: suggestions, members: members,
                                 canRate: canRate, canMessage: canMessage,
                                 photos: try await OrderPhoto.query(on: req.db).filter(\.$order.$id == id).sort(\.$id).all().map { Paths.orderPhoto(id, $0.id!) },
                                 base: Paths.order(id), summary: summary,
                                 newActivity: OrderPolicy.mayOrganiseActivity(o.status, by: actors)
                                    ? Paths.newActivity(order: id) : nil,
                                 showcase: mayShowcase ? Paths.orderShowcase(id) : nil)
        var shown = page
        shown.notice = req.takeFlash()
        if ![.cancelled, .rejected].contains(o.status) { shown.steps = FollowPages.progress(req, o) }
        if let text = req.webSession["dev_text"] {
            shown.devText = text
            shown.devLink = req.webSession["dev_link"]
            req.webSession["dev_text"] = nil
            req.webSession["dev_link"] = nil
        }
        if case .string(let notes)? = kept?.raw("notes") { shown.keptNotes = String(notes.prefix(2000)) }
        if case .string(let reason)? = kept?.raw("reason") { shown.keptReason = String(reason.prefix(500)) }
        if OrderPolicy.maySeeContact(o.status, by: actors) {
            shown.contactReasons = OrdersPages.contactReasons.map { req.t($0) }
            shown.revealed = revealed
        }
        return try await Pages.render(req, "orders/show", shown, status: status)
    }

    static func why(_ req: Request, _ s: DispatchScore) -> String {
        req.t("order.why", ["km": String(format: "%.1f", s.distanceKm), "load": String(Int(s.load * 100)),
                            "rating": String(format: "%.1f", s.rating), "tier": req.t("order.tier.\(min(s.tier, 2))")])
    }

    static func act(_ req: Request, _ action: OrderStep) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        var kept: FieldReader?
        do {
            if action == .complete {
                try await OrderService.make(req).precheck(.complete, orderID: id, by: p)
                try await req.receiveUpload(limit: UploadLimit.photos)
            }
            var r = try await req.fieldReader()
            kept = r
            let request = try OrderService.OrderRequest.parse(action, &r).withPhotos(try await req.uploadedFiles("photos"))
            // Declining, cancelling and rejecting cannot be undone: asked first (a page, when script is off).
            if action.needsReason {
                let form = try await req.formFields()
                if !Confirmation.given(form) {
                    // Only asked of someone who may take the step now.
                    try await OrderService.make(req).precheck(action.action, orderID: id, by: p)
                    let o = try await OrdersAPI.find(req)
                    return try await Confirmation.ask(req, heading: req.t("order.do.\(action.action.rawValue)") + " · " + o.number,
                                                      question: req.t("order.confirm.\(action.rawValue)", ["number": o.number]),
                                                      action: Paths.order(id) + "/" + action.rawValue, carry: form, keep: ["reason"],
                                                      confirm: req.t("order.do.\(action.action.rawValue)"), back: Paths.order(id))
                }
            }
            try await OrderService.make(req).act(request, orderID: id, by: p)
            req.webSession["flash"] = req.t("order.step_done", ["step": req.t(action == .openForClaim ? "order.do.open_for_claim" : "order.do.\(action.action.rawValue)")])
            return req.redirect(to: Paths.order(id))
        } catch let failure as ValidationFailure {
            let o = try await OrdersAPI.find(req)
            // Each problem once, a volunteer's named: "钟晓东：服务时长应在0.5到24小时之间。"
            func volunteerID(_ field: String) -> Int? { field.hasPrefix("hours_") ? Int(field.dropFirst("hours_".count)) : nil }
            let names = Dictionary(try await Volunteer.query(on: req.db).filter(\.$id ~~ failure.errors.compactMap { volunteerID($0.field) })
                .all().map { ($0.id!, $0.realName) }, uniquingKeysWith: { a, _ in a })
            let summary = failure.errors.map { e in
                (volunteerID(e.field).flatMap { names[$0] }.map { $0 + "：" } ?? "") + req.t(e.message)
            }.joined(separator: " ")
            return try await renderShow(req, order: o, summary: summary, status: .unprocessableEntity, kept: kept, errors: failure.errors)
        } catch let e as AppError where e.status == .conflict || e.status == .tooManyRequests {
            let o = try await OrdersAPI.find(req)
            return try await renderShow(req, order: o, summary: req.t(e.message), status: e.status, kept: kept)
        }
    }

    /// The reasons offered for seeing a resident's number (the last, "other", asks for the reason).
    static let contactReasons = ["order.contact_reason.arrange", "order.contact_reason.address", "order.contact_reason.serving",
                                 "order.contact_reason.follow_up", "order.contact_reason.other"]

    /// 查看并拨打: with a reason chosen (or written), the number is written to the audit trail and
    /// shown on the order's page as a number to tap; never in an address or a redirect.
    static func contact(req: Request) async throws -> Response {
        let o = try await OrdersAPI.find(req)
        let form = try await req.formFields()
        let chosen = (form["reason"]?.last ?? "").trimmingCharacters(in: .whitespaces)
        let written = form["reason_other"]?.last ?? ""
        let other = req.t("order.contact_reason.other")
        var r = FieldReader(["reason": .string(chosen.isEmpty || chosen == other ? written : chosen)])
        let input = RevealReason.read(&r)
        do {
            try r.check()
            let (name, phone) = try await OrdersAPI.revealContact(req, o, reason: input!.reason)
            let digits = phone.filter { $0.isNumber || $0 == "+" }
            return try await renderShow(req, order: o, summary: nil, revealed: .init(name: name, phone: phone, tel: "tel:" + digits))
        } catch let failure as ValidationFailure {
            return try await renderShow(req, order: o, summary: req.t("order.contact_reason_needed") + " " + failure.errors.map { req.t($0.message) }.joined(separator: " "),
                                        status: .unprocessableEntity)
        }
    }

    /// A service photo, to those who may see the order.
    static func photo(req: Request) async throws -> Response {
        let o = try await OrdersAPI.find(req)
        guard let pid = (try? req.pathInt("photo")),
              let photo = try await OrderPhoto.find(pid, on: req.db), photo.$order.id == o.id
        else { throw AppError.notFound }
        let response = try await req.fileio.asyncStreamFile(at: UploadStore(directory: req.application.settings.uploadsDirectory).path(of: photo.file))
        response.headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
        return response
    }

    /// A volunteer's own record: hours, stars, points.
    static func myService(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let v = try await Volunteer.query(on: req.db).filter(\.$account.$id == p.accountID).first() else { throw AppError.notFound }
        let rewards = req.application.settings.orderPolicy.rewards
        let records = try await ServiceRecord.query(on: req.db).filter(\.$volunteer.$id == v.requireID()).sort(\.$id, .descending).range(0..<200).all()
        let ledger = try await PointsEntry.query(on: req.db).filter(\.$volunteer.$id == v.requireID()).sort(\.$id, .descending).range(0..<200).all()
        let stars = rewards.stars(forHours: v.hoursTotal)
        let training = try await TrainingService.make(req).records(volunteerID: v.requireID(), limit: 200)
        let perks = try await PerkService.make(req).available(to: v)
        let redemptions = try await PerkRedemption.query(on: req.db).filter(\.$volunteer.$id == v.requireID()).with(\.$perk)
            .sort(\.$id, .descending).range(0..<50).all()
        let flash = req.webSession["flash"]
        req.webSession["flash"] = nil
        let page = VolunteerMePage(
            chrome: .make(req, title: req.t("me.title")), name: v.realName, number: v.number, hours: Self.hours(v.hoursTotal), stars: stars,
            starText: String(repeating: "★", count: stars) + String(repeating: "☆", count: 5 - stars),
            toNext: rewards.hoursToNextStar(from: v.hoursTotal).map { req.t("me.to_next", ["hours": Self.hours($0)]) },
            points: v.pointsBalance,
            records: records.map { .init(date: $0.serviceDate, hours: Self.hours($0.hours), content: $0.content) },
            ledger: ledger.map { .init(at: DateText.minute($0.at), delta: ($0.delta > 0 ? "+" : "") + String($0.delta), balance: $0.balanceAfter, reason: req.t($0.reason)) },
            trainingNote: req.t("me.trainings_hint", ["n": String(training.summary.sessions), "hours": Self.hours(training.summary.hours)]),
            trainings: training.records.map { .init(date: DateText.minute($0.date), hours: Self.hours($0.hours),
                                                    content: "\($0.title)（\(req.t("training.mode.\($0.mode.rawValue)"))，\($0.trainer)）") },
            perks: try perks.map { p in
                .init(title: p.title, description: p.description, cost: p.pointsCost,
                      left: p.stock.map { req.t("perk.left", ["count": String(max(0, $0 - p.redeemed))]) },
                      action: Paths.perkRedeem(try p.requireID()), affordable: v.pointsBalance >= p.pointsCost && (p.stock.map { p.redeemed < $0 } ?? true),
                      id: try p.requireID())
            },
            redemptions: redemptions.map { .init(at: DateText.minute($0.createdAt), title: $0.perk.title, code: $0.code, points: $0.points) },
            flash: flash, calendarURL: CalendarRoutes.base(req) + (try CalendarRoutes.personalPath(v, req)),
            deletionPending: v.deletionRequestedAt.map { req.t("privacy.pending", ["date": DateText.minute(req.application.settings.privacy.deletionTakesEffect(requestedAt: $0))]) },
            deletionHint: req.t("privacy.request_hint", ["days": String(req.application.settings.privacy.deletionGraceDays)]),
            deletionQuestion: req.t("privacy.confirm", ["days": String(req.application.settings.privacy.deletionGraceDays)]))
        return try await Pages.render(req, "orders/me", page)
    }

    static func hours(_ h: Double) -> String { h.rounded() == h ? String(Int(h)) : String(format: "%.1f", h) }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
