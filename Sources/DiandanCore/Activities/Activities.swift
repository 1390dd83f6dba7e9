import Foundation

/// Where an activity (活动) stands. Activities made by team leaders wait for the site admin's review
/// (审核) when review is on; an admin's own go out at once.
public enum ActivityStatus: String, Sendable, Codable, CaseIterable {
    case pending, published, cancelled

    /// Waiting for the site admin's review (审核).
    public var awaitsReview: Bool { self == .pending }
    /// Out in public: check-in codes, sign-ups, attendance.
    public var isPublished: Bool { self == .published }
}

/// Where a published activity stands in time, for the service and the page alike.
public enum ActivityWindow {
    /// Sign-ups are taken, and cancelled, while the activity is published and has not begun.
    public static func takesSignups(_ status: ActivityStatus, startsAt: Date, now: Date) -> Bool {
        status.isPublished && now < startsAt
    }

    /// The people served are recorded once a published activity has begun.
    public static func hasBegun(_ status: ActivityStatus, startsAt: Date, now: Date) -> Bool {
        status.isPublished && now >= startsAt
    }

    /// Where an activity stands, as people read it: waiting for review, taking sign-ups, under way,
    /// over, or called off.
    public enum Phase: String, Sendable, CaseIterable { case pending, open, underway, ended, cancelled }

    public static func phase(_ status: ActivityStatus, startsAt: Date, endsAt: Date, now: Date) -> Phase {
        switch status {
        case .pending: .pending
        case .cancelled: .cancelled
        case .published: now < startsAt ? .open : now < endsAt ? .underway : .ended
        }
    }

    /// Where an activity stands on its card: its phase, or `full` while it takes sign-ups only
    /// onto the waiting list (已满，可候补).
    public static func cardState(_ status: ActivityStatus, startsAt: Date, endsAt: Date, signedUp: Int, slots: Int, now: Date) -> String {
        let phase = phase(status, startsAt: startsAt, endsAt: endsAt, now: now)
        return phase == .open && signedUp >= slots ? "full" : phase.rawValue
    }

    /// A published activity that has ended may go to the showcase.
    public static func hasEnded(_ status: ActivityStatus, endsAt: Date, now: Date) -> Bool {
        status.isPublished && now >= endsAt
    }
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

/// Check-in and check-out (二维码考勤 + GPS). The leader's QR code carries a signed token for a time
/// window that rotates every `rotation` seconds; a token is good in its own window and the one after,
/// so a code scanned just before it rotates still works, and a photo of it is useless minutes later.
public struct CheckinPolicy: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable { case checkIn = "in", checkOut = "out" }

    public enum Refusal: Error, Equatable, Sendable {
        case badSignature
        case expired
        case tooEarly, tooLate
        case tooFar(metres: Int, radius: Int)
        case notSignedUp
        case notCheckedIn
        case already
    }

    public var rotation: TimeInterval = 180
    /// Check-in opens this long before the start; check-out stays open this long after the end.
    public var earlyCheckIn: TimeInterval = 30 * 60
    public var lateCheckOut: TimeInterval = 2 * 3600

    public init(rotation: TimeInterval = 180) { self.rotation = rotation }

    public func window(at now: Date) -> Int { Int((now.timeIntervalSince1970 / rotation).rounded(.down)) }

    /// When a code drawn now stops being accepted.
    public func expiry(of window: Int) -> Date { Date(timeIntervalSince1970: Double(window + 2) * rotation) }

    /// What gets signed: the activity, the kind and the window.
    public static func message(activityID: Int, kind: Kind, window: Int) -> String { "checkin|\(activityID)|\(kind.rawValue)|\(window)" }

    /// Everything but the signature and the person's sign-up: freshness, the activity's hours, distance.
    public func check(kind: Kind, window: Int, now: Date, start: Date, end: Date,
                      latitude: Double, longitude: Double, placeLatitude: Double, placeLongitude: Double, radius: Int) -> Refusal? {
        let current = self.window(at: now)
        guard window == current || window == current - 1 else { return .expired }
        switch kind {
        case .checkIn:
            if now < start.addingTimeInterval(-earlyCheckIn) { return .tooEarly }
            if now > end { return .tooLate }
        case .checkOut:
            if now < start { return .tooEarly }
            if now > end.addingTimeInterval(lateCheckOut) { return .tooLate }
        }
        let metres = Int((Geo.distanceKm(latitude, longitude, placeLatitude, placeLongitude) * 1000).rounded())
        if metres > radius { return .tooFar(metres: metres, radius: radius) }
        return nil
    }
}

/// A perk (礼遇) on a site's catalogue, bought with points.
public struct PerkInput: Sendable, Equatable {
    public var title: String
    public var description: String
    public var siteID: Int
    public var pointsCost: Int
    /// nil: as many as are asked for.
    public var stock: Int?
    public var active: Bool

    public static func read(_ r: inout FieldReader) -> PerkInput? {
        let title = r.text("title", max: 60)
        let description = r.text("description", required: false, max: 1000, multiline: true) ?? ""
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let cost = r.int("points_cost", in: 1...1_000_000)
        let stock = r.int("stock", required: false, in: 0...1_000_000)
        let active = r.bool("active")
        guard r.isValid, let title, let site, let cost else { return nil }
        return PerkInput(title: title, description: description, siteID: site, pointsCost: cost, stock: stock, active: active)
    }
}

extension ActivityStatus: CustomStringConvertible { public var description: String { rawValue } }
extension SignupStatus: CustomStringConvertible { public var description: String { rawValue } }
