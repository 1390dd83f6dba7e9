/// Micro-wishes (微心愿): a resident's small wish, claimed by one volunteer, fulfilled, then confirmed
/// by whoever posted it.
public enum WishStatus: String, Sendable, Codable, CaseIterable {
    case open, claimed, fulfilled, confirmed, cancelled
}

public enum WishAction: String, Sendable, Codable, CaseIterable {
    case claim, release, fulfil, confirm, cancel
}

/// Who is acting, relative to the wish.
public enum WishActor: String, Sendable, Codable, CaseIterable {
    /// The resident who posted it, or the practitioner who posted for them.
    case requester
    /// The volunteer who claimed it.
    case claimer
    /// Any registered volunteer (to claim an open wish).
    case volunteer
    /// An admin of the wish's site.
    case siteAdmin
}

public enum WishRules {
    public struct Rule: Sendable {
        public let action: WishAction
        public let from: WishStatus
        public let to: WishStatus
        public let actors: Set<WishActor>
    }

    public static let rules: [Rule] = [
        Rule(action: .claim, from: .open, to: .claimed, actors: [.volunteer]),
        Rule(action: .release, from: .claimed, to: .open, actors: [.claimer, .siteAdmin]),
        Rule(action: .fulfil, from: .claimed, to: .fulfilled, actors: [.claimer]),
        Rule(action: .confirm, from: .fulfilled, to: .confirmed, actors: [.requester, .siteAdmin]),
        Rule(action: .cancel, from: .open, to: .cancelled, actors: [.requester, .siteAdmin]),
    ]

    public enum Failure: Error, Equatable, Sendable { case illegal, notAllowed }

    public static func apply(_ action: WishAction, to status: WishStatus, by actors: Set<WishActor>) -> Result<WishStatus, Failure> {
        guard let rule = rules.first(where: { $0.action == action && $0.from == status }) else { return .failure(.illegal) }
        guard !rule.actors.isDisjoint(with: actors) else { return .failure(.notAllowed) }
        return .success(rule.to)
    }
}

public struct WishInput: Sendable, Equatable {
    public var title: String
    public var description: String
    /// Rough value in yuan (a wish is small: at most a few hundred).
    public var value: Int
    public var siteID: Int
    public var contactName: String?

    public static func read(_ r: inout FieldReader) -> WishInput? {
        let title = r.text("title", max: 60)
        let description = r.text("description", required: false, max: 1000, multiline: true) ?? ""
        let value = r.int("value", required: false, in: 0...10_000) ?? 0
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let contact = r.text("contact_name", required: false, max: 40)
        guard r.isValid, let title, let site else { return nil }
        return WishInput(title: title, description: description, value: value, siteID: site, contactName: contact)
    }
}

extension WishStatus: CustomStringConvertible { public var description: String { rawValue } }
