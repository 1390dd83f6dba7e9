import Foundation

/// How long personal data is kept. A resident's name, phone and address on an order that has ended
/// are removed after `anonymiseAfterDays`; a volunteer who asks to be deleted is deleted after
/// `deletionGraceDays` (time to change their mind), their hours kept, unnamed, for the statistics.
public struct PrivacyRules: Sendable, Equatable {
    public var anonymiseAfterDays: Int = 180
    public var deletionGraceDays: Int = 7

    public init(anonymiseAfterDays: Int = 180, deletionGraceDays: Int = 7) {
        self.anonymiseAfterDays = anonymiseAfterDays
        self.deletionGraceDays = deletionGraceDays
    }

    /// Orders that have ended: nothing more will be done for the resident.
    public static let ended: [OrderStatus] = [.closed, .cancelled, .rejected]

    /// What stands where a name was.
    public static let anonymousName = "（已匿名）"
    public static let deletedVolunteerName = "（已注销）"

    public func anonymiseBefore(_ now: Date) -> Date { now.addingTimeInterval(-Double(anonymiseAfterDays) * 86_400) }
    public func deleteRequestedBefore(_ now: Date) -> Date { now.addingTimeInterval(-Double(deletionGraceDays) * 86_400) }
    public func deletionTakesEffect(requestedAt: Date) -> Date { requestedAt.addingTimeInterval(Double(deletionGraceDays) * 86_400) }
}
