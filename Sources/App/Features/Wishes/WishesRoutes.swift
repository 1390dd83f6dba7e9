import Vapor
import Fluent
import DiandanCore

struct WishDTO: Content {
    var id: Int
    var title: String
    var description: String
    var value: Int
    var site_id: Int
    var status: String
    var created_at: Date
    var claimed_at: Date?
    var fulfilled_at: Date?
    var confirmed_at: Date?
    /// Only for those involved: the requester, the claimer, the site's admins.
    var contact_name: String?
    var fulfil_note: String?
    var volunteer_id: Int?

    init(_ w: Wish, party: Bool) throws {
        id = try w.requireID()
        title = w.title
        description = w.description
        value = w.value
        site_id = w.$site.id
        status = w.status.rawValue
        created_at = w.createdAt
        claimed_at = w.claimedAt
        fulfilled_at = w.fulfilledAt
        confirmed_at = w.confirmedAt
        if party {
            contact_name = w.contactName
            fulfil_note = w.fulfilNote
            volunteer_id = w.$volunteer.id
        }
    }
}

struct WishWallPage: Encodable {
    struct Card: Encodable { var link: String; var title: String; var site: String; var value: String; var status: String; var statusKey: String }
    var chrome: Chrome
    var sites: [FormField.Option]
    var cards: [Card]
    var canPost: Bool
}

struct WishShowPage: Encodable {
    struct Fact: Encodable { var label: String; var value: String }
    struct Button: Encodable { var action: String; var label: String; var danger: Bool }
    var chrome: Chrome
    var title: String
    var status: String
    var statusKey: String
    var description: String
    var facts: [Fact]
    var base: String
    var buttons: [Button]
    var canFulfil: Bool
    var note: String?
    var photo: String?
    var summary: String?
}

struct WishFormPage: Encodable {
    var chrome: Chrome
    var fields: [FormField]
    var summary: String?
}

/// 微心愿: the public wall, posting, and the steps; pages and API.
enum WishesRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.get("wishes", use: wall).rule(.open)
        web.get("wishes", "new", use: newForm).rule(.signedIn)
        web.post("wishes", use: createPage).rule(.signedIn)
        web.get("wishes", ":id", use: show).rule(.open)
        web.get("wishes", ":id", "photo", use: photo).rule(.signedIn)
        web.on(.POST, "wishes", ":id", "fulfil", body: .stream, use: { try await actPage($0, .fulfil) }).rule(.signedIn)
        web.post("wishes", ":id", ":action", use: { req in
            guard let action = req.parameters.get("action").flatMap(WishAction.init(rawValue:)) else { throw AppError.notFound }
            return try await actPage(req, action)
        }).rule(.signedIn)

        api.get("wishes", use: list).rule(.open)
        api.post("wishes", use: create).rule(.signedIn)
        api.get("wishes", ":id", use: one).rule(.open)
        api.post("wishes", ":id", ":action", use: act).rule(.signedIn)
    }

    /// Wishes of a site and the sites below it, newest first; cancelled ones are not shown.
    static func query(_ req: Request, site: Site?) async throws -> [Wish] {
        var q = Wish.query(on: req.db).filter(\.$status != WishStatus.cancelled)
        if let s = site {
            q = q.join(Site.self, on: \Wish.$site.$id == \Site.$id).filter(Site.self, \.$path =~ s.path)
        }
        return try await q.sort(\.$id, .descending).range(0..<200).all()
    }

    static func find(_ req: Request) async throws -> Wish {
        guard let id = (try? req.pathInt("id")), let w = try await Wish.find(id, on: req.db) else { throw AppError.notFound }
        guard try await WishService.make(req).mayView(w, req.principal) else { throw AppError.notFound }
        return w
    }

    // MARK: API

    static func list(req: Request) async throws -> [WishDTO] {
        try await query(req, site: try await req.querySite()).map { try WishDTO($0, party: false) }
    }

    static func one(req: Request) async throws -> WishDTO {
        let w = try await find(req)
        return try WishDTO(w, party: try await WishService.make(req).isParty(w, req.principal))
    }

    static func create(req: Request) async throws -> Response {
        var r = try await req.fieldReader()
        let input = WishInput.read(&r)
        try r.check()
        let w = try await WishService.make(req).create(input!, by: try req.requirePrincipal())
        let response = try await WishDTO(w, party: true).encodeResponse(for: req)
        response.status = .created
        return response
    }

    static func act(req: Request) async throws -> WishDTO {
        guard let action = req.parameters.get("action").flatMap(WishAction.init(rawValue:)) else { throw AppError.notFound }
        let w = try await find(req)
        var note: String?
        // A body is read whenever one is sent (a malformed one is refused, whatever the step); only
        // fulfilling needs one, for its note.
        let sent = (try await req.body.collect(max: 1 << 20).get())?.readableBytes ?? 0
        if action == .fulfil || sent > 0 {
            var r = try await req.fieldReader()
            let input = WishStepInput.read(&r)
            try r.check()
            note = input!.note
            if action != .fulfil { note = nil }
        }
        let done = try await WishService.make(req).act(action, wishID: try w.requireID(), by: try req.requirePrincipal(), note: note)
        return try WishDTO(done, party: true)
    }

    // MARK: Pages

    static func wall(req: Request) async throws -> Response {
        let site = try await req.querySite()
        let siteID = site?.id
        let wishes = try await query(req, site: site)
        let sites = try await Site.query(on: req.db).filter(\.$active == true).filter(\.$kind != SiteKind.point).sort(\.$path).range(0..<2000).all()
        let names = Dictionary(uniqueKeysWithValues: sites.compactMap { s in s.id.map { ($0, s.name) } })
        let p = req.principal
        let page = WishWallPage(
            chrome: .make(req, title: req.t("wish.wall")),
            sites: [.init(value: "", label: req.t("activity.all_sites"), selected: siteID == nil)]
                + sites.compactMap { s in s.id.map { .init(value: String($0), label: s.name, selected: $0 == siteID) } },
            cards: try wishes.map { w in
                .init(link: Paths.wish(try w.requireID()), title: w.title, site: names[w.$site.id] ?? "",
                      value: w.value > 0 ? req.t("wish.value_yuan", ["value": String(w.value)]) : "", status: req.t("wish.status.\(w.status)"), statusKey: w.status.rawValue)
            },
            canPost: p.map { !OrderPolicy.orderingReach($0.grants).isEmpty } ?? false)
        return try await Pages.render(req, "wishes/list", page)
    }

    static func show(req: Request) async throws -> Response {
        try await render(req, try await find(req), summary: nil)
    }

    static func render(_ req: Request, _ w: Wish, summary: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let service = WishService.make(req)
        let id = try w.requireID()
        let site = try await Site.find(w.$site.id, on: req.db)
        let party = try await service.isParty(w, req.principal)
        var facts: [WishShowPage.Fact] = [.init(label: req.t("wish.site"), value: site?.name ?? ""),
                                          .init(label: req.t("wish.posted"), value: DateText.minute(w.createdAt))]
        if w.value > 0 { facts.append(.init(label: req.t("wish.value"), value: req.t("wish.value_yuan", ["value": String(w.value)]))) }
        if party, let contact = w.contactName { facts.append(.init(label: req.t("wish.contact_name"), value: contact)) }
        if party, let v = try await w.$volunteer.get(on: req.db) { facts.append(.init(label: req.t("wish.claimed_by"), value: v.realName)) }
        var buttons: [WishShowPage.Button] = []
        var canFulfil = false
        if let p = req.principal {
            let actors = try await service.actors(w, p, on: req.db)
            for rule in WishRules.rules where rule.from == w.status && !rule.actors.isDisjoint(with: actors) {
                if rule.action == .fulfil { canFulfil = true; continue }
                buttons.append(.init(action: rule.action.rawValue, label: req.t("wish.do.\(rule.action.rawValue)"), danger: rule.action == .cancel || rule.action == .release))
            }
        }
        let page = WishShowPage(chrome: .make(req, title: w.title), title: w.title, status: req.t("wish.status.\(w.status)"), statusKey: w.status.rawValue,
                                description: w.description, facts: facts, base: Paths.wish(id), buttons: buttons, canFulfil: canFulfil,
                                note: party ? w.fulfilNote : nil, photo: party && w.photoFile != nil ? Paths.wish(id) + "/photo" : nil, summary: summary)
        return try await Pages.render(req, "wishes/show", page, status: status)
    }

    static func actPage(_ req: Request, _ action: WishAction) async throws -> Response {
        let w = try await find(req)
        var stored: [StoredPhoto] = []
        do {
            var note: String?
            if action == .fulfil {
                try await WishService.make(req).precheck(.fulfil, wishID: try w.requireID(), by: try req.requirePrincipal())
                try await req.receiveUpload(limit: UploadLimit.onePhoto)
                let form = try await req.formFields()
                note = form["note"]?.last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(500)) }
                let files = try await req.uploadedFiles("photo").filter { $0.data.readableBytes > 0 }
                if !files.isEmpty {
                    stored = try UploadStore(directory: req.application.settings.uploadsDirectory).store(Array(files.prefix(1)), under: "wishes/\(try w.requireID())", field: "photo")
                }
            }
            try await WishService.make(req).act(action, wishID: try w.requireID(), by: try req.requirePrincipal(), note: note, photo: stored.first)
            return req.redirect(to: Paths.wish(try w.requireID()), redirectType: .normal)
        } catch let e as AppError where e.status != .notFound {
            UploadStore(directory: req.application.settings.uploadsDirectory).remove(stored)
            return try await render(req, try await find(req), summary: req.t(e.message), status: e.status)
        } catch let v as ValidationFailure {
            UploadStore(directory: req.application.settings.uploadsDirectory).remove(stored)
            return try await render(req, try await find(req), summary: v.errors.first.map { req.t($0.message) }, status: .unprocessableEntity)
        }
    }

    static func photo(req: Request) async throws -> Response {
        let w = try await find(req)
        guard try await WishService.make(req).isParty(w, req.principal), let file = w.photoFile else { throw AppError.notFound }
        let response = try await req.fileio.asyncStreamFile(at: UploadStore(directory: req.application.settings.uploadsDirectory).path(of: file))
        response.headers.replaceOrAdd(name: .contentType, value: w.photoType ?? "application/octet-stream")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
        return response
    }

    static func newForm(req: Request) async throws -> Response {
        try await renderForm(req, values: [:], errors: [])
    }

    static func renderForm(_ req: Request, values: [String: [String]], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let p = try req.requirePrincipal()
        let reach = p.grants.filter { [.resident, .practitioner, .siteAdmin].contains($0.role) }.map(\.sitePath)
        let stations = reach.isEmpty ? [] : try await Site.query(on: req.db).within(reach).filter(\.$kind == SiteKind.station)
            .filter(\.$active == true).sort(\.$path).range(0..<2000).all()
        let form = FormBuilder(req, values: values, errors: errors)
        let fields = [
            form.text("title", "wish.title"),
            form.select("site_id", "wish.site", stations.compactMap { s in s.id.map { (String($0), s.name) } }),
            form.text("description", "wish.description", kind: .textarea, required: false),
            form.text("value", "wish.value", kind: .number, required: false, hint: "wish.value_hint"),
            form.text("contact_name", "wish.contact_name", required: false, hint: "wish.contact_hint"),
        ]
        return try await Pages.render(req, "wishes/new", WishFormPage(chrome: .make(req, title: req.t("wish.new")), fields: fields,
                                                                      summary: errors.isEmpty ? nil : req.t("error.validation")), status: status)
    }

    static func createPage(req: Request) async throws -> Response {
        let form = try await req.formFields()
        do {
            var r = try await req.fieldReader()
            let input = WishInput.read(&r)
            try r.check()
            let w = try await WishService.make(req).create(input!, by: try req.requirePrincipal())
            return req.redirect(to: Paths.wish(try w.requireID()), redirectType: .normal)
        } catch let failure as ValidationFailure {
            return try await renderForm(req, values: form, errors: failure.errors, status: .unprocessableEntity)
        }
    }
}
