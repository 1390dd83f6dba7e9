import Vapor
import Fluent
import DiandanCore

/// The survey pages of the admin area: the list, the designer, and each survey's results — the
/// tally as charts, the unmet needs ranked, and from each need a menu item or a project.
enum SurveysAdminPages {
    static func register(_ admin: RoutesBuilder) {
        admin.get("surveys", use: list).rule(.resource(.surveys, .read))
        admin.get("surveys", "new", use: newForm).rule(.resource(.surveys, .write))
        admin.post("surveys", use: create).rule(.resource(.surveys, .write))
        admin.get("surveys", ":id", use: show).rule(.resource(.surveys, .read))
        admin.post("surveys", ":id", "status", use: status).rule(.resource(.surveys, .write))
    }

    /// The survey of the path; out of the person's scope is refused (403), as on every admin page.
    static func load(_ req: Request, _ access: Access) async throws -> Survey {
        guard let id = (try? req.pathInt("id")), let s = try await Survey.query(on: req.db).filter(\.$id == id).with(\.$site).first() else {
            throw AppError.notFound
        }
        try req.authorize(.surveys, access, at: s.site.sitePath)
        return s
    }

    static func listQuery(_ req: Request, scopes: [SitePath]) -> QueryBuilder<Survey> {
        Survey.query(on: req.db).join(Site.self, on: \Survey.$site.$id == \Site.$id).within(scopes).with(\.$site)
    }

    static func list(req: Request) async throws -> Response {
        let scopes = try req.scopes(.surveys, .read)
        let lq = try ListQuery(req)
        var query = listQuery(req, scopes: scopes).sort(\.$id, .descending)
        if let pattern = lq.pattern { query = query.filter(\.$title ~~ pattern) }
        let total = try await query.copy().count()
        let surveys = try await query.range(lq.offset..<(lq.offset + ListQuery.pageSize)).all()
        let ids = surveys.compactMap(\.id)
        var counts: [Int: Int] = [:]
        if !ids.isEmpty {
            for r in try await SurveyResponse.query(on: req.db).filter(\.$survey.$id ~~ ids).all(\.$survey.$id) { counts[r, default: 0] += 1 }
        }
        let canWrite = !Policy.grants(try req.requirePrincipal().grants, allowing: .surveys, .write).isEmpty
        let heading = req.t("admin.surveys")
        let page = ListPage(
            chrome: .make(req, title: heading), heading: heading, searchPath: Paths.adminSurveys, query: lq.q,
            columns: ["survey.title", "survey.site", "survey.status", "survey.responses"].map { req.t($0) },
            rows: try surveys.map { s in
                let id = try s.requireID()
                return .init(cells: [s.title, s.site.name, req.t("survey.status.\(s.status)"), String(counts[id] ?? 0)], link: Paths.adminSurvey(id))
            },
            newLink: canWrite ? Paths.newAdminSurvey : nil,
            pager: lq.pager(total: total, path: Paths.adminSurveys),
            empty: req.t("admin.empty"))
        return try await Pages.render(req, "admin/list", page)
    }

    // MARK: The designer

    struct DesignerPage: Encodable {
        struct Block: Encodable {
            var n: Int
            var kinds: [FormField.Option]
            var prompt: String
            var required: Bool
            var sources: [FormField.Option]
            var options: String
            var items: [FormField.Option]
            var about: [FormField.Option]
            var error: String?
        }
        var chrome: Chrome
        var heading: String
        var fields: [FormField]
        var blocks: [Block]
        var summary: String?
    }

    /// Where a question's options come from: typed by the designer, every service category, or
    /// menu items picked from the menu.
    enum Source: String, CaseIterable { case own, categories, menu }

    static func newForm(req: Request) async throws -> Response {
        try await renderDesigner(req, values: ["q1_required": ["on"]], errors: [])
    }

    static func renderDesigner(_ req: Request, values: [String: [String]], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let form = FormBuilder(req, values: values, errors: errors)
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        let scopes = Policy.scopes(req.grants, .surveys, .write)
        // Items offered in the designer's reach: given at their sites, or above them.
        let items = try await MenuItem.query(on: req.db).join(Site.self, on: \MenuItem.$site.$id == \Site.$id).filter(\.$active == true)
            .group(.or) { g in
                for s in scopes { g.filter(Site.self, \Site.$path =~ s.rawValue) }
                g.filter(\MenuItem.$site.$id ~~ Array(Set(scopes.flatMap(\.ids))))
            }
            .sort(\.$title).range(0..<1000).all()
        func v(_ k: String) -> String { values[k]?.last ?? "" }
        // The blocks the form came back with, and two empty ones to add questions (no script needed).
        let used = (1...SurveyRules.maxQuestions).filter { n in !v("q\(n)_prompt").isEmpty || !v("q\(n)_options").isEmpty }.max() ?? 0
        let count = min(SurveyRules.maxQuestions, max(3, used + 2))
        let blocks = (1...count).map { n -> DesignerPage.Block in
            let kind = v("q\(n)_kind").isEmpty ? QuestionKind.single.rawValue : v("q\(n)_kind")
            let source = v("q\(n)_source").isEmpty ? Source.own.rawValue : v("q\(n)_source")
            let picked = Set(values["q\(n)_items[]"] ?? [])
            let about = v("q\(n)_about")
            let error = errors.filter { $0.field == "questions.\(n)" || $0.field.hasPrefix("questions.\(n).") }.first.map { req.t($0.message) }
            return .init(
                n: n,
                kinds: QuestionKind.allCases.map { .init(value: $0.rawValue, label: req.t("survey.kind.\($0.rawValue)"), selected: $0.rawValue == kind) },
                prompt: v("q\(n)_prompt"),
                // A new question is required unless the designer unticks it.
                required: v("q\(n)_prompt").isEmpty || ["on", "true", "1"].contains(v("q\(n)_required")),
                sources: Source.allCases.map { .init(value: $0.rawValue, label: req.t("survey.source.\($0.rawValue)"), selected: $0.rawValue == source) },
                options: v("q\(n)_options"),
                items: items.compactMap { m in m.id.map { .init(value: String($0), label: m.title, selected: picked.contains(String($0))) } },
                about: [.init(value: "", label: req.t("survey.about_none"), selected: about.isEmpty)]
                    + categories.compactMap { c in c.id.map { .init(value: String($0), label: c.displayName(req.locale), selected: String($0) == about) } },
                error: error)
        }
        let heading = req.t("admin.surveys") + " · " + req.t("admin.new")
        let page = DesignerPage(
            chrome: .make(req, title: heading), heading: heading,
            fields: [
                form.select("site_id", "survey.site", try await SiteChoices.options(req, .surveys, .write)),
                form.text("title", "survey.title"),
                form.text("description", "survey.description", kind: .textarea, required: false),
            ],
            blocks: blocks,
            summary: errors.isEmpty ? nil : req.t("error.validation"))
        return try await Pages.render(req, "admin/survey-new", page, status: status)
    }

    /// The designer's blocks as the questions the API takes; empty blocks are left out. Returns
    /// the questions and, for each, the block it came from (to put messages back in place).
    static func questions(from fields: [String: [String]], categories: [Category], items: [Int: String]) -> (InputValue, [Int]) {
        func v(_ k: String) -> String { (fields[k]?.last ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var list: [InputValue] = [], blocks: [Int] = []
        for n in 1...SurveyRules.maxQuestions {
            let prompt = v("q\(n)_prompt"), own = v("q\(n)_options")
            let picked = (fields["q\(n)_items[]"] ?? []).compactMap { Int($0) }.filter(QueryBounds.id.contains)
            guard !prompt.isEmpty || !own.isEmpty || !picked.isEmpty else { continue }
            let kind = QuestionKind(rawValue: v("q\(n)_kind")) ?? .single
            var q: [String: InputValue] = ["kind": .string(kind.rawValue), "prompt": .string(prompt),
                                          "required": .bool(["on", "true", "1"].contains(v("q\(n)_required")))]
            if let about = Int(v("q\(n)_about")) { q["category_id"] = .number(Double(about)) }
            if kind == .single || kind == .multiple {
                let options: [InputValue]
                switch Source(rawValue: v("q\(n)_source")) ?? .own {
                case .own:
                    options = own.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(InputValue.string)
                case .categories:
                    options = categories.compactMap { c in c.id.map { .object(["label": .string(c.name), "category_id": .number(Double($0))]) } }
                case .menu:
                    options = picked.compactMap { id in items[id].map { .object(["label": .string($0), "menu_item_id": .number(Double(id))]) } }
                }
                q["options"] = .list(options)
            }
            list.append(.object(q))
            blocks.append(n)
        }
        return (.list(list), blocks)
    }

    static func create(req: Request) async throws -> Response {
        let fields = try await req.formFields()
        let categories = try await Category.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        let picked = Set(fields.filter { $0.key.hasSuffix("_items[]") }.flatMap(\.value).compactMap { Int($0) }.filter(QueryBounds.id.contains))
        var names: [Int: String] = [:]
        if !picked.isEmpty {
            for m in try await MenuItem.query(on: req.db).filter(\.$id ~~ Array(picked)).all() { if let id = m.id { names[id] = m.title } }
        }
        let (questions, blocks) = questions(from: fields, categories: categories, items: names)
        var values: [String: InputValue] = ["questions": questions]
        for k in ["site_id", "title", "description"] { values[k] = fields[k]?.last.map(InputValue.string) ?? .null }
        var r = FieldReader(values)
        // Messages about the n-th question go back to the block it was typed in.
        func placed(_ errors: [FieldError]) -> [FieldError] {
            errors.map { e in
                let parts = e.field.split(separator: ".")
                guard parts.count >= 2, parts[0] == "questions", let i = Int(parts[1]), blocks.indices.contains(i - 1) else { return e }
                return FieldError((["questions", String(blocks[i - 1])] + parts.dropFirst(2).map(String.init)).joined(separator: "."), e.message)
            }
        }
        do {
            let draft = SurveysRoutes.readDraft(&r)
            try r.check()
            let s = try await SurveyService.make(req).create(draft!, by: try req.requirePrincipal())
            return req.redirect(to: Paths.adminSurvey(try s.requireID()), redirectType: .normal)
        } catch let failure as ValidationFailure {
            return try await renderDesigner(req, values: fields, errors: placed(failure.errors), status: .unprocessableEntity)
        }
    }

    // MARK: Results

    struct ResultsPage: Encodable {
        struct Chart: Encodable { var title: String; var svg: String; var note: String?; var samples: [String] }
        struct Need: Encodable {
            var category: String
            var demand: Int
            var offered: Int
            var ordered: Int
            var unmet: Int
            var menuLink: String?
            var projectLink: String?
        }
        var chrome: Chrome
        var heading: String
        var site: String
        var status: String
        var description: String
        var responses: Int
        var canWrite: Bool
        var statusAction: String
        var statusValue: String
        var statusLabel: String
        var collect: String?
        var scopeSites: [FormField.Option]
        var periods: [FormField.Option]
        var charts: [Chart]
        var needsChart: String?
        var needs: [Need]
    }

    static func show(req: Request) async throws -> Response {
        let s = try await load(req, .read)
        let p = try req.requirePrincipal()
        let id = try s.requireID()
        let dto = try await SurveysRoutes.resultsDTO(req, s)
        let results = try await SurveyService.make(req).results(id, at: try await Lookup.site(dto.site_id, on: req.db), from: dto.from, to: dto.to, by: p)
        let canWrite = Policy.allows(p.grants, .surveys, .write, at: s.site.sitePath)
        let mayMenu = Policy.allows(p.grants, .menu, .write, at: s.site.sitePath)
        let mayProject = Policy.allows(p.grants, .projects, .write, at: s.site.sitePath)
        let charts = dto.questions.enumerated().map { i, q -> ResultsPage.Chart in
            let title = req.t("survey.question_n", ["n": String(i + 1)]) + "：" + q.prompt
            if let options = q.options {
                return .init(title: title, svg: BarChart.html(options.map { .init(label: $0.label, value: Double($0.count)) }, title: title), samples: [])
            }
            if let ratings = q.ratings {
                return .init(title: title, svg: BarChart.html(ratings.enumerated().map { .init(label: req.t("survey.score", ["n": String($0.offset + 1)]), value: Double($0.element)) }, title: title),
                             note: q.mean.map { req.t("survey.mean", ["mean": String(format: "%.1f", $0)]) }, samples: [])
            }
            return .init(title: title, svg: "", note: req.t("survey.texts", ["n": String(q.texts ?? 0)]), samples: results.samples[q.id] ?? [])
        }
        func query(_ pairs: [(String, String)]) -> String {
            pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")" }.joined(separator: "&")
        }
        let needs = dto.needs.map { n in
            let title = req.t("survey.need_title", ["category": n.category])
            let note = req.t("survey.need_note", ["survey": s.title, "n": String(n.demand)])
            return ResultsPage.Need(
                category: n.category, demand: n.demand, offered: n.offered, ordered: n.ordered, unmet: n.unmet,
                menuLink: mayMenu ? Paths.adminNew(MenuSection.section) + "?" + query([("site_id", String(s.$site.id)), ("site_ids", String(s.$site.id)), ("category_id", String(n.category_id)), ("title", title), ("description", note)]) : nil,
                projectLink: mayProject ? Paths.adminNew(ProjectSection.section) + "?" + query([("category_id", String(n.category_id)), ("title", title), ("description", note)]) : nil)
        }
        let scopeSites = try await Site.query(on: req.db).filter(\.$path =~ s.site.path).filter(\.$kind != SiteKind.point).sort(\.$path).range(0..<2000).all()
        let period = try req.queryText("period", max: 20) ?? "all"
        let open = s.status == Survey.Status.open.rawValue
        let collect = open && SurveyService.collectorGrants(p).contains { $0.sitePath.covers(s.site.sitePath) || s.site.sitePath.covers($0.sitePath) }
        let page = ResultsPage(
            chrome: .make(req, title: s.title), heading: s.title, site: s.site.name, status: req.t("survey.status.\(s.status)"), description: s.description,
            responses: dto.responses, canWrite: canWrite, statusAction: Paths.adminSurvey(id) + "/status",
            statusValue: open ? Survey.Status.closed.rawValue : Survey.Status.open.rawValue, statusLabel: req.t(open ? "survey.close" : "survey.reopen"),
            collect: collect ? Paths.surveyCollect(id) : nil,
            scopeSites: scopeSites.compactMap { x in x.id.map { .init(value: String($0), label: HomeRoutes.indent(x) + x.name, selected: $0 == dto.site_id) } },
            periods: ["all", "month", "quarter", "year"].map { .init(value: $0, label: req.t("period.\($0)"), selected: $0 == period) },
            charts: charts,
            needsChart: dto.needs.isEmpty ? nil : BarChart.html(dto.needs.prefix(12).map { .init(label: $0.category, value: Double($0.unmet)) }, title: req.t("survey.needs")),
            needs: needs)
        return try await Pages.render(req, "admin/survey", page)
    }

    static func status(req: Request) async throws -> Response {
        let s = try await load(req, .write)
        var r = FieldReader(form: try await req.formFields())
        let status = SurveysRoutes.readStatus(&r)
        try r.check()
        try await SurveyService.make(req).setStatus(s, status!, by: try req.requirePrincipal())
        return req.redirect(to: Paths.adminSurvey(try s.requireID()), redirectType: .normal)
    }
}
