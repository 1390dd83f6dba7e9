import Fluent
import DiandanCore
import Vapor

extension Request {
    /// A site named by a query parameter (a filter): nil when absent; 422 on that parameter when it
    /// names no site (or, with `activeOnly`, none in use).
    func querySite(_ name: String = "site", activeOnly: Bool = false) async throws -> Site? {
        guard let id = try queryID(name) else { return nil }
        guard let s = try await Site.find(id, on: db), !activeOnly || s.active else { throw ValidationFailure(field: name, "error.not_found_choice") }
        return s
    }
}
