import Fluent
import DiandanCore
import Vapor

extension QueryBuilder {
    /// Keeps rows whose (joined) site lies in one of the subtrees. The model must be `Site` or
    /// have `Site` joined.
    func within(_ scopes: [SitePath]) -> Self {
        group(.or) { g in
            for s in scopes { g.filter(Site.self, \Site.$path =~ s.rawValue) }
        }
    }
}

extension Error {
    /// A unique index said no (a concurrent insert of the same key, say).
    var isUniqueViolation: Bool {
        (self as? any DatabaseError)?.isConstraintFailure ?? false
    }
}

enum Lookup {
    static func site(_ id: Int, on db: Database, field: String = "site_id") async throws -> Site {
        guard let s = try await Site.find(id, on: db) else {
            throw ValidationFailure(field: field, "error.not_found_choice")
        }
        return s
    }
}
