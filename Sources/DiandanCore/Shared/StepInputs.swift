import Foundation

// The small bodies of single steps, each read in one place: the handler that takes the step, and the
// OpenAPI document (which describes the reader, `FieldReader.fields`).

/// A username and password, for a bearer token.
public struct SignInInput: Sendable, Equatable {
    public var username: String
    public var password: String

    public static func read(_ r: inout FieldReader) -> SignInInput? {
        let username = r.text("username", max: 64)
        let password = r.text("password", max: 128)
        guard let username, let password, r.isValid else { return nil }
        return SignInInput(username: username, password: password)
    }
}

/// Why someone asks to see a personal number in the clear (written to the audit trail).
public struct RevealReason: Sendable, Equatable {
    public var reason: String

    public static func read(_ r: inout FieldReader) -> RevealReason? {
        guard let reason = r.text("reason", max: 200, min: 2), r.isValid else { return nil }
        return RevealReason(reason: reason)
    }
}

/// Signing up for an activity: a guardian's consent, for a volunteer under age.
public struct SignupInput: Sendable, Equatable {
    public var guardianConsent: Bool

    public static func read(_ r: inout FieldReader) -> SignupInput? {
        let consent = r.bool("guardian_consent")
        guard r.isValid else { return nil }
        return SignupInput(guardianConsent: consent)
    }
}

/// The values of a scanned check-in code (`t`, `s`) and where the phone was.
public struct ScanInput: Sendable, Equatable {
    public var window: Int
    public var signature: String
    public var latitude: Double?
    public var longitude: Double?

    /// `positionRequired`: an activity always checks the place; a training only when it is held on site.
    public static func read(_ r: inout FieldReader, positionRequired: Bool) -> ScanInput? {
        let window = r.int("t", in: 0...Int(Int32.max))
        let signature = r.text("s", max: 64)
        let lat = r.double("latitude", required: positionRequired, in: -90...90)
        let lon = r.double("longitude", required: positionRequired, in: -180...180)
        guard let window, let signature, r.isValid else { return nil }
        return ScanInput(window: window, signature: signature, latitude: lat, longitude: lon)
    }
}

/// An organiser confirming (or correcting, with a reason) a volunteer's hours.
public struct HoursConfirmation: Sendable, Equatable {
    public var hours: Double?
    public var reason: String?

    public static func read(_ r: inout FieldReader) -> HoursConfirmation? {
        let hours = r.double("hours", required: false, in: 0...24)
        let reason = r.text("reason", required: false, max: 200)
        guard r.isValid else { return nil }
        return HoursConfirmation(hours: hours, reason: reason)
    }
}

/// How many people an activity served (服务人次).
public struct PeopleServedInput: Sendable, Equatable {
    public var people: Int

    public static func read(_ r: inout FieldReader) -> PeopleServedInput? {
        guard let people = r.int("people_served", in: 0...1_000_000), r.isValid else { return nil }
        return PeopleServedInput(people: people)
    }
}

/// The note a step on a micro-wish may carry (fulfilling one: what was done).
public struct WishStepInput: Sendable, Equatable {
    public var note: String?

    public static func read(_ r: inout FieldReader) -> WishStepInput? {
        let note = r.text("note", required: false, max: 500, multiline: true)
        guard r.isValid else { return nil }
        return WishStepInput(note: note)
    }
}
