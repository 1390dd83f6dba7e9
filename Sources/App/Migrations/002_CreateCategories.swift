import Fluent

struct CreateCategories: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Category.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("name", .string, .required)
            .field("name_en", .string, .required)
            .field("sort_order", .int, .required)
            .field("active", .bool, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Category.schema).delete()
    }
}

/// The ten categories every platform in the seed reports starts from.
struct SeedCategories: AsyncMigration {
    static let standard: [(String, String)] = [
        ("理论政策宣讲", "Theory and policy outreach"),
        ("文化艺术服务", "Culture and arts"),
        ("助学支教", "Education support"),
        ("医疗健身", "Health and fitness"),
        ("科学普及", "Science popularisation"),
        ("法律服务", "Legal services"),
        ("卫生环保", "Sanitation and environment"),
        ("扶危帮困", "Help for those in need"),
        ("为老服务", "Services for the elderly"),
        ("关爱未成年人", "Care for minors"),
    ]

    func prepare(on database: Database) async throws {
        for (i, (name, en)) in Self.standard.enumerated() {
            let c = Category()
            c.name = name
            c.nameEn = en
            c.sortOrder = (i + 1) * 10
            c.active = true
            try await c.create(on: database)
        }
    }

    func revert(on database: Database) async throws {
        try await Category.query(on: database).filter(\.$name ~~ Self.standard.map(\.0)).delete()
    }
}
