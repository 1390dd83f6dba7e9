/// The project library (项目库): recurring, branded projects run by a team, and the support they are
/// awarded each year.
public enum ProjectStatus: String, Sendable, Codable, CaseIterable {
    case active, paused, ended
}

public struct ProjectInput: Sendable, Equatable {
    public var title: String
    public var description: String
    public var categoryID: Int
    public var teamID: Int
    public var targetGroup: String
    public var status: ProjectStatus

    public static func read(_ r: inout FieldReader) -> ProjectInput? {
        let title = r.text("title", max: 80)
        let description = r.text("description", required: false, max: 4000, multiline: true) ?? ""
        let category = r.int("category_id", in: 1...Int(Int32.max))
        let team = r.int("team_id", in: 1...Int(Int32.max))
        let target = r.text("target_group", required: false, max: 100) ?? ""
        let status = r.choice("status", ProjectStatus.self, required: false) ?? .active
        guard r.isValid, let title, let category, let team else { return nil }
        return ProjectInput(title: title, description: description, categoryID: category, teamID: team, targetGroup: target, status: status)
    }
}

/// A year's support award (年度扶持): amount in yuan, who approved it.
public struct AwardInput: Sendable, Equatable {
    public var year: Int
    public var amount: Double
    public var approvedBy: String
    public var note: String

    public static func read(_ r: inout FieldReader) -> AwardInput? {
        let year = r.int("year", in: 2000...2100)
        let amount = r.double("amount", in: 0...100_000_000)
        let approvedBy = r.text("approved_by", max: 80)
        let note = r.text("note", required: false, max: 500) ?? ""
        guard r.isValid, let year, let amount, let approvedBy else { return nil }
        return AwardInput(year: year, amount: (amount * 100).rounded() / 100, approvedBy: approvedBy, note: note)
    }
}
