import Vapor
import Fluent
import DiandanCore

struct OrderDTO: Content {
    struct EventDTO: Content {
        var at: Date
        var action: String
        var from_status: String?
        var to_status: String
        var actor: String
        var actor_account_id: Int?
        var reason: String?
        var detail: String?
        var team_id: Int?
        var site_id: Int?
    }

    var id: Int
    var number: String
    var status: String
    var title: String
    var details: String
    var menu_item_id: Int?
    var category_id: Int
    var station_id: Int
    var owner_site_id: Int
    var team_id: Int?
    var on_behalf: Bool
    var contact_name: String
    var contact_phone_masked: String
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var window_start: Date?
    var window_end: Date?
    var people: Int
    var channel: String
    var notes: String
    var response_deadline: Date
    var completion_deadline: Date
    var overdue: Bool
    var open_for_claim: Bool
    var rating: Int?
    var rating_comment: String?
    var created_at: Date
    var updated_at: Date
    var events: [EventDTO]?

    init(_ o: Order, events: [OrderEvent]? = nil) throws {
        id = try o.requireID()
        number = o.number
        status = o.status.rawValue
        title = o.title
        details = o.details
        menu_item_id = o.$menuItem.id
        category_id = o.$category.id
        station_id = o.$station.id
        owner_site_id = o.$ownerSite.id
        team_id = o.$team.id
        on_behalf = o.onBehalf
        contact_name = o.contactName
        contact_phone_masked = o.contactPhoneMasked
        address = o.address
        latitude = o.latitude
        longitude = o.longitude
        window_start = o.windowStart
        window_end = o.windowEnd
        people = o.people
        channel = o.channel
        notes = o.notes
        response_deadline = o.responseDeadline
        completion_deadline = o.completionDeadline
        overdue = o.overdue
        open_for_claim = o.openForClaim
        rating = o.rating
        rating_comment = o.ratingComment
        created_at = o.createdAt
        updated_at = o.updatedAt
        self.events = events?.map {
            EventDTO(at: $0.at, action: $0.action, from_status: $0.fromStatus, to_status: $0.toStatus, actor: $0.actor,
                     actor_account_id: $0.$actorAccount.id, reason: $0.reason, detail: $0.detail, team_id: $0.teamID, site_id: $0.siteID)
        }
    }
}

struct OrderPageDTO: Content {
    var items: [OrderDTO]
    var page: Int
    var per_page: Int
    var total: Int
}

struct SuggestionDTO: Content {
    var team_id: Int
    var team_name: String
    var site_id: Int
    var tier: Int
    var distance_km: Double
    var load: Double
    var rating: Double
    var score: Double
}

/// `/api/v1/orders`: the loop over JSON with a bearer token.
enum OrdersAPI {

    static func register(_ api: RoutesBuilder) {
        api.grouped(RateLimit(bucket: .orders)).post("orders", use: create).rule(.signedIn)
        api.get("orders", use: list).rule(.signedIn)
        api.get("orders", ":id", use: show).rule(.signedIn)
        api.get("orders", ":id", "suggestions", use: suggestions).rule(.resource(.orders, .write))
        api.post("orders", ":id", "contact", use: contact).rule(.signedIn)
        for step in OrderStep.allCases {
            // A completion may carry photos: its body is read only after the caller and their right to
            // complete the order are checked, up to a larger limit than the 1 MB of every other route.
            let body: HTTPBodyStreamStrategy = step == .complete ? .stream : .collect
            let limited = step == .urge ? api.grouped(RateLimit(bucket: .urge)) : api
            limited.on(.POST, "orders", ":id", .constant(step.rawValue), body: body, use: { req in try await act(req, step) }).rule(.signedIn)
        }
    }

    static func create(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let key = req.headers.first(name: "Idempotency-Key")?.trimmingCharacters(in: .whitespaces)
        if let key, key.isEmpty || key.count > 100 { throw AppError.badRequest(Message("error.idempotency_key")) }
        var reader = try await req.fieldReader()
        let input = OrderInput.read(&reader, defaultChannel: .api, now: req.now)
        try reader.check()
        let (order, created) = try await OrderService.make(req).create(input!, by: p, key: key)
        let response = Response(status: created ? .created : .ok)
        try response.content.encode(try OrderDTO(order))
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/orders/\(try order.requireID())")
        return response
    }

    /// The orders this person may see: their own, their area's (by station), their teams'.
    static func visible(_ req: Request) async throws -> QueryBuilder<Order> {
        let p = try req.requirePrincipal()
        let scopes = Policy.scopes(p.grants, .orders, .read)
        let teams = Array(try await OrderService.make(req).ledTeams(p, on: req.db))
        return Order.query(on: req.db).join(Site.self, on: \Order.$station.$id == \Site.$id).group(.or) { g in
            g.filter(\.$requester.$id == p.accountID)
            g.filter(\.$placedBy.$id == p.accountID)
            if !teams.isEmpty { g.filter(\.$team.$id ~~ teams) }
            for s in scopes { g.filter(Site.self, \Site.$path =~ s.rawValue) }
        }
    }

    static func list(req: Request) async throws -> OrderPageDTO {
        var q = try await visible(req)
        if let raw = req.queryFields["status"]?.last {
            let statuses = raw.split(separator: ",", omittingEmptySubsequences: false).map { OrderStatus(rawValue: String($0)) }
            guard raw.utf8.count <= 200, statuses.allSatisfy({ $0 != nil }) else {
                throw AppError.validation(ValidationFailure(field: "status", "error.invalid_choice"))
            }
            q = q.filter(\.$status ~~ statuses.compactMap { $0 })
        }
        if let s = try await req.querySite() {
            q = q.filter(Site.self, \Site.$path =~ s.path)
        }
        for (name, op) in [("from", true), ("to", false)] {
            guard let d = try req.queryMoment(name) else { continue }
            q = op ? q.filter(\.$createdAt >= d) : q.filter(\.$createdAt < d)
        }
        let page = try req.queryPage()
        let per = try req.queryInt("per_page", in: QueryBounds.perPage) ?? 20
        let total = try await q.copy().count()
        let items = try await q.sort(\.$id, .descending).range(((page - 1) * per)..<(page * per)).all()
        return OrderPageDTO(items: try items.map { try OrderDTO($0) }, page: page, per_page: per, total: total)
    }

    static func find(_ req: Request) async throws -> Order {
        let p = try req.requirePrincipal()
        guard let id = (try? req.pathInt("id")), let o = try await Order.find(id, on: req.db),
              try await OrderService.make(req).canRead(o, p, on: req.db)
        else { throw AppError.notFound }
        return o
    }

    static func show(req: Request) async throws -> OrderDTO {
        let o = try await find(req)
        let events = try await OrderEvent.query(on: req.db).filter(\.$order.$id == o.requireID()).sort(\.$id).all()
        return try OrderDTO(o, events: events)
    }

    static func suggestions(req: Request) async throws -> [SuggestionDTO] {
        let o = try await find(req)
        let owner = try await Site.find(o.$ownerSite.id, on: req.db)!
        try req.authorize(.orders, .write, at: owner.sitePath)
        return try await OrderService.make(req).suggestions(for: o, on: req.db).map { team, s in
            SuggestionDTO(team_id: s.teamID, team_name: team.name, site_id: team.siteID, tier: s.tier, distance_km: s.distanceKm, load: s.load, rating: s.rating, score: s.score)
        }
    }

    struct ContactDTO: Content {
        var contact_name: String
        var contact_phone: String
    }

    /// The resident's phone number in the clear, for the admins of the order's site and the leader of
    /// the team serving it — with a reason, written to the audit trail before the number is given.
    static func contact(req: Request) async throws -> ContactDTO {
        let o = try await find(req)
        var r = try await req.fieldReader()
        let input = RevealReason.read(&r)
        try r.check()
        let (name, phone) = try await revealContact(req, o, reason: input!.reason)
        return ContactDTO(contact_name: name, contact_phone: phone)
    }

    /// The resident's name and number in the clear, for those who may see them, after the audit
    /// entry (with its reason) is written; the same for the API and the order page.
    static func revealContact(_ req: Request, _ o: Order, reason: String) async throws -> (name: String, phone: String) {
        let p = try req.requirePrincipal()
        let actors = try await OrderService.make(req).actors(for: o, p, on: req.db)
        guard OrderPolicy.maySeeContact(o.status, by: actors) else { throw AppError.forbidden(Message("error.order.contact_not_allowed")) }
        try await req.audit("personal.order_contact", target: "orders/\(try o.requireID())", detail: o.number, reason: reason, site: o.$station.id)
        return (o.contactName, try req.application.protector.open(o.contactPhoneSealed))
    }

    static func act(_ req: Request, _ action: OrderStep) async throws -> OrderDTO {
        let p = try req.requirePrincipal()
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        var r: FieldReader
        if action == .complete {
            try await OrderService.make(req).precheck(.complete, orderID: id, by: p)
            try await req.receiveUpload(limit: UploadLimit.photos)
            r = try await req.fieldReader()
        } else {
            r = req.body.data == nil ? FieldReader([:]) : try await req.fieldReader()
        }
        let request = try OrderService.OrderRequest.parse(action, &r).withPhotos(try await req.uploadedFiles("photos"))
        let o = try await OrderService.make(req).act(request, orderID: id, by: p)
        let events = try await OrderEvent.query(on: req.db).filter(\.$order.$id == o.requireID()).sort(\.$id).all()
        return try OrderDTO(o, events: events)
    }
}
