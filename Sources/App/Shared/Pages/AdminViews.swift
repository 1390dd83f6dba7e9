import Vapor
import DiandanCore

/// The admin pages share two shapes: a searchable, paginated list and a validated form.
struct ListPage: Encodable {
    struct Row: Encodable { var cells: [String]; var link: String? }
    struct Pager: Encodable { var page: Int; var pages: Int; var total: Int; var previous: String?; var next: String? }

    var chrome: Chrome
    var heading: String
    var searchPath: String
    var query: String
    var columns: [String]
    var rows: [Row]
    var newLink: String?
    var pager: Pager
    var empty: String
}

/// "Are you sure?" before an action that cannot be taken back; works without script.
struct ConfirmPage: Encodable {
    var chrome: Chrome
    var heading: String
    var message: String
    var action: String
    var confirm: String
    var cancel: String
    var back: String
    /// What the first form carried (a reason), sent again with the answer.
    var carried: [Carried] = []
    struct Carried: Encodable { var name: String; var value: String }
}

/// Asking before a step that cannot be undone. Its form carries `data-confirm` (the question): with
/// script a dialog asks, and the form goes with `confirmed=1`; without script the server answers the
/// first post with a page that asks, carrying what was typed, whose button sends it with `confirmed=1`.
enum Confirmation {
    static func given(_ form: [String: [String]]) -> Bool { form["confirmed"]?.last == "1" }

    static func ask(_ req: Request, heading: String, question: String, action: String, carry: [String: [String]] = [:], keep: [String] = [],
                    confirm: String, back: String) async throws -> Response {
        let page = ConfirmPage(chrome: .make(req, title: heading), heading: heading, message: question, action: action, confirm: confirm,
                               cancel: req.t("confirm.back"), back: back,
                               carried: keep.compactMap { name in carry[name]?.last.map { .init(name: name, value: String($0.prefix(2000))) } })
        return try await Pages.render(req, "confirm", page)
    }
}

struct FormPage: Encodable {
    var chrome: Chrome
    var heading: String
    var action: String
    var fields: [FormField]
    var submit: String
    var summary: String?
    var back: String
    /// Extra sections under the form (team members, an account's grants).
    var sections: [Section]
    /// What the last action did ("saved").
    var notice: String? = nil
    /// Why the form cannot be changed by this person.
    var note: String? = nil

    struct Section: Encodable {
        var heading: String
        var rows: [SectionRow]
        var form: SubForm?
        /// A page of its own to go on to (a training's check-in code).
        var link: String? = nil
        var linkLabel: String? = nil
    }

    struct SectionRow: Encodable {
        var cells: [String]
        var removeAction: String?
    }

    struct SubForm: Encodable {
        var action: String
        var fields: [FormField]
        var submit: String
        /// A button that changes much (ends every session): styled as such.
        var danger: Bool = false
        /// Asked before the form goes (a step that cannot be undone).
        var question: String? = nil
    }
}

struct FormField: Encodable {
    struct Option: Encodable { var value: String; var label: String; var selected: Bool }

    enum Kind: String, Encodable { case text, number, password, textarea, select, multiselect, checkbox, tel, hidden, datetime = "datetime-local" }

    var name: String
    var label: String
    var kind: Kind
    var value: String = ""
    var checked: Bool = false
    var options: [Option] = []
    var error: String?
    var required: Bool = false
    var hint: String?
    var step: String?
}

/// Builds form fields with the submitted (or stored) values and the validation messages in place.
struct FormBuilder {
    let req: Request
    var values: [String: [String]]
    var errors: [FieldError]

    init(_ req: Request, values: [String: [String]] = [:], errors: [FieldError] = []) {
        self.req = req
        self.values = values
        self.errors = errors
    }

    private func error(_ name: String) -> String? {
        errors.first { $0.field == name }.map { req.t($0.message) }
    }

    private func value(_ name: String) -> String { values[name]?.last ?? values[name + "[]"]?.last ?? "" }

    func text(_ name: String, _ labelKey: String, kind: FormField.Kind = .text, required: Bool = true, hint: String? = nil, step: String? = nil) -> FormField {
        FormField(name: name, label: req.t(labelKey), kind: kind, value: kind == .password ? "" : value(name), error: error(name), required: required, hint: hint.map { req.t($0) }, step: step)
    }

    func checkbox(_ name: String, _ labelKey: String) -> FormField {
        let v = value(name).lowercased()
        return FormField(name: name, label: req.t(labelKey), kind: .checkbox, checked: ["on", "true", "1"].contains(v), error: error(name))
    }

    func select(_ name: String, _ labelKey: String, _ options: [(String, String)], required: Bool = true) -> FormField {
        let current = value(name)
        return FormField(name: name, label: req.t(labelKey), kind: .select,
                         options: options.map { .init(value: $0.0, label: $0.1, selected: $0.0 == current) },
                         error: error(name), required: required)
    }

    func multiselect(_ name: String, _ labelKey: String, _ options: [(String, String)]) -> FormField {
        let current = Set(values[name + "[]"] ?? values[name] ?? [])
        return FormField(name: name + "[]", label: req.t(labelKey), kind: .multiselect,
                         options: options.map { .init(value: $0.0, label: $0.1, selected: current.contains($0.0)) },
                         error: error(name), hint: req.t("common.multiselect_hint"))
    }
}

/// `?q=&page=` for every list.
struct ListQuery {
    static let pageSize = 25

    let q: String
    let page: Int

    init(_ req: Request) throws {
        q = try req.queryText("q", max: 60) ?? ""
        page = try req.queryPage()
    }

    var offset: Int { (page - 1) * Self.pageSize }

    func pager(total: Int, path: String) -> ListPage.Pager {
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        func link(_ p: Int) -> String {
            var s = "\(path)?page=\(p)"
            if !q.isEmpty { s += "&q=" + (q.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "") }
            return s
        }
        return .init(page: page, pages: pages, total: total,
                     previous: page > 1 ? link(page - 1) : nil,
                     next: page < pages ? link(page + 1) : nil)
    }

    /// A LIKE pattern with the user's wildcards taken literally.
    var pattern: String? {
        guard !q.isEmpty else { return nil }
        return q.replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }
}
