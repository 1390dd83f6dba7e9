import Vapor
import Fluent
import DiandanCore

enum CategorySection: AdminSection {
    static let section = "categories"
    static let resource = Resource.categories
    static let headingKey = "admin.categories"
    static let columnKeys = ["category.name", "category.name_en", "category.sort_order", "common.active"]

    static func load(_ id: Int, on db: Database) async throws -> Category? { try await Category.find(id, on: db) }
    static func sitePath(of item: Category) -> SitePath? { nil }

    static func listQuery(_ req: Request, scopes: [SitePath], pattern: String?) -> QueryBuilder<Category> {
        var q = Category.query(on: req.db).sort(\.$sortOrder)
        if let pattern { q = q.group(.or) { $0.filter(\.$name ~~ pattern).filter(\.$nameEn ~~ pattern) } }
        return q
    }

    static func row(_ req: Request, _ c: Category) -> [String] {
        [c.name, c.nameEn, String(c.sortOrder), req.t(c.active ? "common.yes" : "common.no")]
    }

    static func values(_ req: Request, of c: Category?) -> [String: [String]] {
        guard let c else { return ["active": ["on"], "sort_order": ["100"]] }
        return ["name": [c.name], "name_en": [c.nameEn], "sort_order": [String(c.sortOrder)], "active": [c.active ? "on" : ""]]
    }

    static func fields(_ req: Request, _ form: FormBuilder, editing: Category?) async throws -> [FormField] {
        [form.text("name", "category.name"), form.text("name_en", "category.name_en"),
         form.text("sort_order", "category.sort_order", kind: .number, required: false), form.checkbox("active", "common.active")]
    }

    static func save(_ req: Request, _ item: Category?) async throws -> Category {
        var r = try await req.adminReader()
        let input = CategoryInput.read(&r)
        try r.check()
        return try await MenuService.make(req).saveCategory(input!, into: item)
    }
}
