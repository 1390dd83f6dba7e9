import Foundation

/// Where an activity (活动) stands. Activities made by team leaders wait for the site admin's review
/// (审核) when review is on; an admin's own go out at once.
public enum ActivityStatus: String, Sendable, Codable, CaseIterable {
    case pending, published, cancelled
}

/// A volunteer's place on an activity: signed up (holds a slot), on the waiting list, or cancelled.
public enum SignupStatus: String, Sendable, Codable, CaseIterable {
    case signedUp = "signed_up", waiting, cancelled

    public var isActive: Bool { self != .cancelled }
}

/// A new or edited activity.
public struct ActivityInput: Sendable, Equatable {
    public var title: String
    public var description: String
    public var categoryID: Int
    public var siteID: Int
    public var teamID: Int?
    public var orderID: Int?
    public var projectID: Int?
    public var address: String
    public var latitude: Double
    public var longitude: Double
    public var startsAt: Date
    public var endsAt: Date
    public var slots: Int
    public var skills: [String]
    public var minAge: Int?
    public var radius: Int

    public static let defaultRadius = 200

    public static func read(_ r: inout FieldReader, now: Date) -> ActivityInput? {
        let title = r.text("title", max: 100)
        let description = r.text("description", required: false, max: 4000, multiline: true) ?? ""
        let category = r.int("category_id", in: 1...Int(Int32.max))
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let team = r.int("team_id", required: false, in: 1...Int(Int32.max))
        let order = r.int("order_id", required: false, in: 1...Int(Int32.max))
        let project = r.int("project_id", required: false, in: 1...Int(Int32.max))
        let address = r.text("address", max: 200)
        let lat = r.double("latitude", in: 3...54)
        let lon = r.double("longitude", in: 73...136)
        let start = OrderInput.date(&r, "starts_at"), end = OrderInput.date(&r, "ends_at")
        if start == nil, !r.hasError("starts_at") { r.fail("starts_at", "error.required") }
        if end == nil, !r.hasError("ends_at") { r.fail("ends_at", "error.required") }
        if let start, let end, end <= start { r.fail("ends_at", "error.activity.end_before_start") }
        if let end, end.timeIntervalSince(start ?? end) > 7 * 86_400 { r.fail("ends_at", "error.activity.too_long") }
        if let start, start < now.addingTimeInterval(-86_400) { r.fail("starts_at", "error.activity.in_past") }
        let slots = r.int("slots", in: 1...10_000)
        let skills = r.tags("skills", maxCount: 10, maxLength: 20)
        let minAge = r.int("min_age", required: false, in: 1...100)
        let radius = r.int("radius", required: false, in: 20...5000) ?? defaultRadius
        guard r.isValid, let title, let category, let site, let address, let lat, let lon, let start, let end, let slots else { return nil }
        return ActivityInput(title: title, description: description, categoryID: category, siteID: site, teamID: team, orderID: order,
                             projectID: project, address: address, latitude: lat, longitude: lon, startsAt: start, endsAt: end,
                             slots: slots, skills: skills, minAge: minAge, radius: radius)
    }
}

/// Who may sign up (报名): the minors rule and an activity's own requirements.
public struct SignupRules: Sendable, Equatable {
    /// Below this age nobody signs up.
    public var minimumAge = 14
    /// Below this age a guardian's consent is needed.
    public var adultAge = 18

    public init(minimumAge: Int = 14, adultAge: Int = 18) {
        self.minimumAge = minimumAge
        self.adultAge = adultAge
    }

    public enum Refusal: Error, Equatable, Sendable {
        case tooYoung(minimum: Int)
        case needsGuardianConsent(adultAge: Int)
        case belowActivityAge(minimum: Int)
        case missingSkills([String])
    }

    /// Whole years of age on a day, from a birth date `yyyy-MM-dd` (China time).
    public static func age(birthDate: String, on day: Date) -> Int? {
        let parts = birthDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let today = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: day)
        guard let y = today.year, let m = today.month, let d = today.day else { return nil }
        var age = y - parts[0]
        if (m, d) < (parts[1], parts[2]) { age -= 1 }
        return age
    }

    /// The age counts on the day the activity starts.
    public func check(birthDate: String, skills: [String], activityStart: Date, activityMinAge: Int?, requiredSkills: [String],
                      guardianConsent: Bool) -> Refusal? {
        let age = Self.age(birthDate: birthDate, on: activityStart) ?? 0
        if age < minimumAge { return .tooYoung(minimum: minimumAge) }
        if let min = activityMinAge, age < min { return .belowActivityAge(minimum: min) }
        if age < adultAge, !guardianConsent { return .needsGuardianConsent(adultAge: adultAge) }
        let have = Set(skills)
        let missing = requiredSkills.filter { !have.contains($0) }
        if !missing.isEmpty { return .missingSkills(missing) }
        return nil
    }
}

/// Hours from attendance: check-out minus check-in, the check-out capped at the activity's end,
/// rounded down to half hours.
public enum AttendanceHours {
    public static func hours(checkIn: Date, checkOut: Date, activityEnd: Date) -> Double {
        let end = min(checkOut, activityEnd)
        let seconds = end.timeIntervalSince(checkIn)
        guard seconds > 0 else { return 0 }
        return (seconds / 1800).rounded(.down) / 2
    }

    /// Corrected hours a leader may confirm.
    public static let allowed: ClosedRange<Double> = 0...24

    public static func isHalfHour(_ h: Double) -> Bool { (h * 2).rounded() == h * 2 }
}
