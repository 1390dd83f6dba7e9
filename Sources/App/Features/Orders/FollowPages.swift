import Vapor
import Fluent
import DiandanCore

struct FollowPage: Encodable {
    struct Step: Encodable { var label: String; var done: Bool; var current: Bool }
    struct Event: Encodable { var at: String; var what: String }
    var chrome: Chrome
    var number: String
    var title: String
    var status: String
    var statusKey: String
    var station: String
    var team: String?
    var steps: [Step]
    var timeline: [Event]
    var rating: String?
    var canRate: Bool
    var rateAction: String
    var thanks: Bool
    var error: String?
    var comment: String
}

/// 代点单 (an order taken by phone or at the door, in one short form) and the page a resident
/// follows it on from the texted link.
enum FollowPages {
    static func register(_ web: RoutesBuilder) {
        web.get("orders", "by-phone", use: byPhoneForm).rule(.signedIn)
        web.grouped(RateLimit(bucket: .orders)).post("orders", "by-phone", use: byPhoneSubmit).rule(.signedIn)
            .keepsTypedForm(returningTo: Paths.orderByPhone)
        web.get("follow", ":token", use: follow).rule(.open)
        web.grouped(RateLimit(bucket: .signIn)).post("follow", ":token", "rate", use: rate).rule(.open)
    }

    // MARK: 代点单

    static func byPhoneFields(_ req: Request, _ form: FormBuilder) async throws -> [FormField] {
        let reach = OrderPolicy.proxyReach(req.grants)
        let stations = reach.isEmpty ? [] : try await Site.query(on: req.db).within(reach).filter(\.$kind == SiteKind.station).filter(\.$active == true)
            .sort(\.$path).range(0..<2000).all()
        let stationIDs = stations.compactMap(\.id)
        // The services offered at those stations (the station named when there are several).
        let offered = stationIDs.isEmpty ? [] : try await MenuItem.query(on: req.db).join(MenuItemSite.self, on: \MenuItemSite.$item.$id == \MenuItem.$id)
            .filter(MenuItemSite.self, \.$site.$id ~~ stationIDs).filter(\.$active == true).sort(\.$title).all()
            .reduce(into: [MenuItem]()) { seen, m in if !seen.contains(where: { $0.id == m.id }) { seen.append(m) } }
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        var formID = form.text("form_id", "order.menu_item")
        formID.kind = .hidden
        if formID.value.isEmpty { formID.value = TokenDigest.random(bytes: 12) }
        var channel = form.select("channel", "order.by_phone.channel", [(OrderChannel.phone.rawValue, req.t("order.channel.phone")),
                                                                          (OrderChannel.walkIn.rawValue, req.t("order.channel.walk_in"))])
        if channel.options.allSatisfy({ !$0.selected }) { channel.options[0].selected = true }
        var item = form.select("menu_item_id", "order.by_phone.service",
                               [("", req.t("order.by_phone.off_menu"))] + offered.compactMap { m in m.id.map { (String($0), m.title) } }, required: false)
        item.hint = req.t("order.by_phone.service_hint")
        var category = form.select("category_id", "order.category", [("", "—")] + categories.compactMap { c in c.id.map { (String($0), c.displayName(req.locale)) } },
                                   required: false)
        category.hint = req.t("order.by_phone.category_hint")
        return [formID, channel,
                form.text("contact_name", "order.contact_name"),
                form.text("contact_phone", "order.contact_phone", kind: .tel, hint: "order.by_phone.phone_hint"),
                form.text("address", "order.address", hint: "order.by_phone.address_hint"),
                form.select("station_id", "order.station", stations.compactMap { s in s.id.map { (String($0), s.name) } }),
                item, category,
                form.text("details", "order.details", kind: .textarea, required: false, hint: "order.by_phone.details_hint")]
    }

    static func renderByPhone(_ req: Request, values: [String: [String]], errors: [FieldError], status: HTTPResponseStatus = .ok,
                              notice: String? = nil) async throws -> Response {
        var page = OrderFormPage(chrome: .make(req, title: req.t("order.by_phone.title")), heading: req.t("order.by_phone.title"), item: nil,
                                 fields: try await byPhoneFields(req, FormBuilder(req, values: values, errors: errors)),
                                 summary: errors.isEmpty ? nil : req.t("error.validation"))
        page.notice = notice
        page.action = Paths.orderByPhone
        page.lead = req.t("order.by_phone.lead")
        page.submit = req.t("order.by_phone.submit")
        return try await Pages.render(req, "orders/new", page, status: status)
    }

    static func byPhoneForm(req: Request) async throws -> Response {
        guard OrderPolicy.takesOrdersForOthers(req.grants) else { throw AppError.forbidden() }
        if let kept = req.takeKeptForm() { return try await renderByPhone(req, values: kept, errors: [], notice: req.t("order.kept_after_sign_in")) }
        return try await renderByPhone(req, values: [:], errors: [])
    }

    static func byPhoneSubmit(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard OrderPolicy.takesOrdersForOthers(p.grants) else { throw AppError.forbidden() }
        let form = try await req.formFields()
        do {
            var r = try await req.fieldReader()
            let input = OrderInput.read(&r, defaultChannel: .phone, now: req.now)
            if let channel = input?.channel, channel != .phone, channel != .walkIn { r.fail("channel", "error.not_found_choice") }
            if input != nil, input?.address == nil { r.fail("address", "error.required") }
            // Only at the stations this person takes orders for (not where they are a resident themselves).
            if let id = input?.stationID, let station = try await Site.find(id, on: req.db),
               !OrderPolicy.takesOrdersForOthers(p.grants, at: station.sitePath) {
                r.fail("station_id", "error.out_of_scope")
            }
            try r.check()
            let formID = form["form_id"]?.last.flatMap { $0.count <= 64 && !$0.isEmpty ? "form-" + $0 + "-" + TokenDigest.sha256(input!.canonical).prefix(16) : nil }
            let (order, created) = try await OrderService.make(req).create(input!, by: p, key: formID)
            try await afterPlacing(req, order, created: created)
            return req.redirect(to: Paths.order(try order.requireID()))
        } catch let failure as ValidationFailure {
            return try await renderByPhone(req, values: form, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    /// After an order is placed: what was done and what comes next, and for an order taken for a
    /// resident, the text with its number and follow link (in development without a gateway, the
    /// text is shown on the order's page in a marked banner instead).
    static func afterPlacing(_ req: Request, _ order: Order, created: Bool) async throws {
        let next = order.onBehalf
            ? req.t("order.by_phone.next", ["deadline": DateText.minute(order.responseDeadline)])
            : order.status == .submitted
                ? req.t("order.placed_next_dispatch", ["deadline": DateText.minute(order.responseDeadline)])
                : req.t("order.placed_next_accept")
        var flash = req.t("order.placed", ["number": order.number]) + " " + next
        if created, order.onBehalf, let texted = try await FollowService.make(req).textFollowLink(order, baseURL: req.baseURL) {
            if texted.sent {
                flash += " " + req.t("order.by_phone.texted", ["phone": order.contactPhoneMasked])
            } else if req.application.settings.developmentLike {
                req.logger.notice("Development text to \(order.contactPhoneMasked) (no SMS gateway configured): \(texted.text)")
                req.webSession["dev_text"] = texted.text
                req.webSession["dev_link"] = texted.link
            }
        }
        req.webSession["flash"] = flash
    }

    // MARK: 跟进链接

    static func follow(req: Request) async throws -> Response {
        guard let token = req.parameters.get("token"), let o = try await FollowService.make(req).order(token: token) else { throw AppError.notFound }
        return try await renderFollow(req, o, token: token, thanks: (try? req.queryFlag("rated")) == true)
    }

    static func renderFollow(_ req: Request, _ o: Order, token: String, thanks: Bool, error: String? = nil, comment: String = "",
                             status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try o.requireID()
        let events = try await OrderEvent.query(on: req.db).filter(\.$order.$id == id).sort(\.$id).all()
        let station = try await Site.find(o.$station.id, on: req.db)
        let team = try await o.$team.get(on: req.db)
        let steps = progress(req, o)
        let canRate: Bool = {
            guard case .success = OrderMachine.apply(.rate, to: o.status, by: [.requester]), let done = o.completedAt else { return false }
            return RatingWindow.isOpen(completedAt: done, now: req.now)
        }()
        let page = FollowPage(chrome: .make(req, title: o.number), number: o.number, title: o.title, status: req.t("order.status.\(o.status)"),
                              statusKey: o.status.rawValue, station: station?.name ?? "", team: team?.name,
                              steps: steps,
                              // In people's words: when and what happened, never who scored what.
                              timeline: events.map { .init(at: DateText.minute($0.at), what: req.t("order.action.\($0.action)")) },
                              rating: o.rating.map { String(repeating: "★", count: $0) + String(repeating: "☆", count: 5 - $0) },
                              canRate: canRate, rateAction: Paths.followRate(token), thanks: thanks, error: error, comment: comment)
        return try await Pages.render(req, "orders/follow", page, status: status)
    }

    /// 点单 → 派单 → 接单 → 服务 → 评单, as far as the order has come.
    static func progress(_ req: Request, _ o: Order) -> [FollowPage.Step] {
        let reached = OrderProgress.reached(o.status, rated: o.rating != nil)
        return OrderProgress.steps.enumerated().map { i, step in
            FollowPage.Step(label: req.t("order.progress.\(step)"), done: i < reached, current: i == reached - 1)
        }
    }

    static func rate(req: Request) async throws -> Response {
        guard let token = req.parameters.get("token"), let o = try await FollowService.make(req).order(token: token), let id = o.id else { throw AppError.notFound }
        var r = try await req.fieldReader()
        let input = RatingInput.read(&r)
        let comment = (try await req.formFields())["comment"]?.last.map { String($0.prefix(500)) } ?? ""
        guard r.isValid, let input else {
            return try await renderFollow(req, o, token: token, thanks: false, error: req.t("order.follow.choose_stars"), comment: comment, status: .unprocessableEntity)
        }
        do {
            _ = try await OrderService.make(req).rateFromFollowLink(orderID: id, input)
        } catch let e as AppError {
            return try await renderFollow(req, o, token: token, thanks: false, error: req.t(e.message), comment: comment, status: e.status)
        }
        return req.redirect(to: Paths.follow(token) + "?rated=1", redirectType: .normal)
    }
}
