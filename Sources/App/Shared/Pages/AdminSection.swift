import Vapor
import Fluent
import DiandanCore

/// One kind of thing the admin pages manage. The generic routes below do the listing, paging,
/// searching, scope checks and form round-trips; a section says only what is particular to it.
protocol AdminSection: SendableMetatype {
    associatedtype Item: Model where Item.IDValue == Int

    static var section: String { get }
    static var resource: Resource { get }
    static var headingKey: String { get }
    static var columnKeys: [String] { get }
    /// Where "new" goes; nil when items are not made from the admin pages.
    static var newPath: String? { get }
    /// Whether the admin pages make new items themselves (volunteers come only from registration).
    static var creatable: Bool { get }
    /// Fields a link may fill in a new item's form (`/admin/menu/new?category_id=3&title=…`): a
    /// survey's unmet need becomes a menu item or a project this way.
    static var prefill: [String] { get }

    static func load(_ id: Int, on db: Database) async throws -> Item?
    /// The site an item belongs to; nil for things shared by the whole tree.
    static func sitePath(of item: Item) -> SitePath?
    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Item>
    static func row(_ req: Request, _ item: Item) -> [String]
    /// The cells of a page of items; override to fetch what the rows need in one query.
    static func rows(_ req: Request, _ items: [Item]) async throws -> [[String]]
    /// Defaults for a new item's form, stored values for an edit form.
    static func values(_ req: Request, of item: Item?) -> [String: [String]]
    static func fields(_ req: Request, _ form: FormBuilder, editing item: Item?) async throws -> [FormField]
    static func save(_ req: Request, _ item: Item?) async throws -> Item
    static func sections(_ req: Request, _ item: Item, canWrite: Bool) async throws -> [FormPage.Section]
    /// Whether this person may change this item; beyond the site's scope a section may ask more
    /// (an account: every grant it holds).
    static func mayWrite(_ req: Request, _ item: Item) async throws -> Bool
    /// Said above the form when the person may not change it though it lies in their scope.
    static func readOnlyNote(_ req: Request, _ item: Item) -> String?
}

extension AdminSection {
    static var newPath: String? { Paths.adminNew(section) }
    static var creatable: Bool { true }
    static var prefill: [String] { [] }
    static func rows(_ req: Request, _ items: [Item]) async throws -> [[String]] { items.map { row(req, $0) } }
    static func sections(_ req: Request, _ item: Item, canWrite: Bool) async throws -> [FormPage.Section] { [] }
    static func mayWrite(_ req: Request, _ item: Item) async throws -> Bool {
        Policy.allows(req.grants, resource, .write, at: sitePath(of: item))
    }
    static func readOnlyNote(_ req: Request, _ item: Item) -> String? { nil }
}

enum AdminRoutes<S: AdminSection> {
    static func register(_ admin: RoutesBuilder) {
        admin.get(.constant(S.section), use: list).rule(.resource(S.resource, .read))
        if S.creatable {
            admin.get(.constant(S.section), "new", use: newForm).rule(.resource(S.resource, .write))
            admin.post(.constant(S.section), use: create).rule(.resource(S.resource, .write))
        }
        admin.get(.constant(S.section), ":id", use: show).rule(.resource(S.resource, .read))
        admin.post(.constant(S.section), ":id", use: update).rule(.resource(S.resource, .write))
    }

    static func list(req: Request) async throws -> Response {
        let scopes = try req.scopes(S.resource, .read)
        let lq = try ListQuery(req)
        let query = S.listQuery(req, scopes: scopes, pattern: lq.pattern)
        let total = try await query.copy().count()
        let items = try await query.range(lq.offset..<(lq.offset + ListQuery.pageSize)).all()
        let canWrite = !Policy.grants(try req.requirePrincipal().grants, allowing: S.resource, .write).isEmpty
        let page = ListPage(
            chrome: .make(req, title: req.t(S.headingKey)),
            heading: req.t(S.headingKey),
            searchPath: Paths.adminList(S.section),
            query: lq.q,
            columns: S.columnKeys.map { req.t($0) },
            rows: try zip(items, try await S.rows(req, items)).map { .init(cells: $1, link: Paths.adminItem(S.section, try $0.requireID())) },
            newLink: canWrite ? S.newPath : nil,
            pager: lq.pager(total: total, path: Paths.adminList(S.section)),
            empty: req.t("admin.empty")
        )
        return try await Pages.render(req, "admin/list", page)
    }

    static func newForm(req: Request) async throws -> Response {
        var values = S.values(req, of: nil)
        for key in S.prefill {
            if let v = req.queryFields[key]?.last?.prefix(2000), !v.isEmpty { values[key] = [String(v)] }
        }
        return try await renderForm(req, item: nil, values: values, errors: [])
    }

    static func create(req: Request) async throws -> Response {
        do {
            let item = try await S.save(req, nil)
            req.webSession["flash"] = req.t("admin.created")
            return req.redirect(to: Paths.adminItem(S.section, try item.requireID()), redirectType: .normal)
        } catch let failure as ValidationFailure {
            return try await renderForm(req, item: nil, values: try await req.formFields(), errors: failure.errors, status: .unprocessableEntity)
        } catch let e as AppError where !e.fieldErrors.isEmpty {
            return try await renderForm(req, item: nil, values: try await req.formFields(), errors: e.fieldErrors, status: e.status)
        }
    }

    static func show(req: Request) async throws -> Response {
        let item = try await find(req)
        try req.authorize(S.resource, .read, at: S.sitePath(of: item))
        return try await renderForm(req, item: item, values: S.values(req, of: item), errors: [])
    }

    static func update(req: Request) async throws -> Response {
        let item = try await find(req)
        try req.authorize(S.resource, .write, at: S.sitePath(of: item))
        do {
            _ = try await S.save(req, item)
            // Someone who changed their own password has ended their own session too.
            if req.webSession.ended { return req.redirect(to: Paths.loginAfterSignOut, redirectType: .normal) }
            if req.webSession["flash"] == nil { req.webSession["flash"] = req.t("admin.saved") }
            return req.redirect(to: Paths.adminItem(S.section, try item.requireID()), redirectType: .normal)
        } catch let failure as ValidationFailure {
            return try await renderForm(req, item: item, values: try await req.formFields(), errors: failure.errors, status: .unprocessableEntity)
        } catch let e as AppError where !e.fieldErrors.isEmpty {
            return try await renderForm(req, item: item, values: try await req.formFields(), errors: e.fieldErrors, status: e.status)
        }
    }

    static func find(_ req: Request) async throws -> S.Item {
        guard let id = (try? req.pathInt("id")), let item = try await S.load(id, on: req.db) else { throw AppError.notFound }
        return item
    }

    static func renderForm(_ req: Request, item: S.Item?, values: [String: [String]], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let p = try req.requirePrincipal()
        let inScope = Policy.allows(p.grants, S.resource, .write, at: item.flatMap { S.sitePath(of: $0) })
        var canWrite = inScope
        if let item { canWrite = try await S.mayWrite(req, item) }
        var fields = try await S.fields(req, FormBuilder(req, values: values, errors: errors), editing: item)
        if !canWrite { fields = fields.filter { $0.kind != .password } }
        let id = try item?.requireID()
        var sections: [FormPage.Section] = []
        if let item { sections = try await S.sections(req, item, canWrite: canWrite) }
        let heading = req.t(S.headingKey) + " · " + req.t(item == nil ? "admin.new" : (canWrite ? "admin.edit" : "admin.view"))
        let page = FormPage(
            chrome: .make(req, title: heading),
            heading: heading,
            action: id.map { Paths.adminItem(S.section, $0) } ?? Paths.adminList(S.section),
            fields: fields,
            submit: canWrite ? req.t("admin.save") : "",
            summary: errors.isEmpty ? nil : req.t("error.validation"),
            back: Paths.adminList(S.section),
            sections: sections,
            notice: errors.isEmpty ? req.takeFlash() : nil,
            note: (inScope && !canWrite) ? item.flatMap { S.readOnlyNote(req, $0) } : nil
        )
        return try await Pages.render(req, "admin/form", page, status: status)
    }
}

extension Request {
    /// The input of an admin form as a reader, for the section's `save`.
    func adminReader() async throws -> FieldReader { try await fieldReader() }

    var grants: [Grant] { principal?.grants ?? [] }
}

/// Choices for the site pickers: the sites a person may act on, as an indented tree.
enum SiteChoices {
    static func options(_ req: Request, _ resource: Resource, _ access: Access, kinds: [SiteKind]? = nil) async throws -> [(String, String)] {
        let scopes = Policy.scopes(req.grants, resource, access)
        guard !scopes.isEmpty else { return [] }
        var q = Site.query(on: req.db).within(scopes).sort(\.$path)
        if let kinds { q = q.filter(\.$kind ~~ kinds) }
        return try await q.range(0..<5000).all().compactMap { s in s.id.map { (String($0), HomeRoutes.indent(s) + s.name) } }
    }
}
