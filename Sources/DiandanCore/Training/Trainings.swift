import Foundation

/// Training (培训), one of the five parts of a volunteer's record under the national rules for
/// volunteer service records (志愿服务记录): kept apart from service hours — it earns no service
/// hours, stars or points, and the record certificate lists it on its own.

public enum TrainingMode: String, Sendable, Codable, CaseIterable {
    /// 线下: in a room; attendance needs the phone within the radius of the place.
    case onsite
    /// 线上: a video session; the trainer shows the rotating code on screen, no position asked.
    case online
}

public struct TrainingInput: Sendable, Equatable {
    public var title: String
    public var description: String
    public var trainer: String
    public var siteID: Int
    /// The team trained, if it is one team's training.
    public var teamID: Int?
    public var startsAt: Date
    public var hours: Double
    public var mode: TrainingMode
    public var address: String
    public var latitude: Double?
    public var longitude: Double?
    public var radius: Int

    public static let maxHours: Double = 24

    /// `startsAt` comes as the form's local time (`yyyy-MM-ddTHH:mm`, China time).
    public static func read(_ r: inout FieldReader) -> TrainingInput? {
        let title = r.text("title", max: 80)
        let description = r.text("description", required: false, max: 2000, multiline: true) ?? ""
        let trainer = r.text("trainer", max: 40)
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let team = r.int("team_id", required: false, in: 1...Int(Int32.max))
        let start = OrderInput.date(&r, "starts_at")
        if start == nil, !r.hasError("starts_at") { r.fail("starts_at", "error.required") }
        let hours = r.double("hours", in: 0.5...maxHours)
        if let hours, !AttendanceHours.isHalfHour(hours) { r.fail("hours", "error.training.half_hours") }
        let mode = r.choice("mode", TrainingMode.self) ?? .onsite
        let address = r.text("address", required: mode == .onsite, max: 200) ?? ""
        let latitude = r.double("latitude", required: mode == .onsite, in: -90...90)
        let longitude = r.double("longitude", required: mode == .onsite, in: -180...180)
        let radius = r.int("radius", required: false, in: 50...5000) ?? ActivityInput.defaultRadius
        guard r.isValid, let title, let trainer, let site, let start, let hours else { return nil }
        return TrainingInput(title: title, description: description, trainer: trainer, siteID: site, teamID: team, startsAt: start, hours: hours,
                             mode: mode, address: address, latitude: latitude, longitude: longitude, radius: radius)
    }
}

public enum TrainingCheckin {
    /// What a training's code signs; not an activity's, so one cannot stand for the other.
    public static func message(trainingID: Int, window: Int) -> String { "training|\(trainingID)|\(window)" }

    /// A check-in now: the code fresh, from half an hour before the start to the end; on site, the
    /// phone within the radius (online, no position is asked or kept).
    public static func check(_ policy: CheckinPolicy, window: Int, now: Date, start: Date, hours: Double, mode: TrainingMode,
                             latitude: Double?, longitude: Double?, place: (Double, Double)?, radius: Int) -> CheckinPolicy.Refusal? {
        let end = start.addingTimeInterval(hours * 3600)
        switch mode {
        case .online:
            // Anywhere: the place is wherever the phone is.
            return policy.check(kind: .checkIn, window: window, now: now, start: start, end: end, latitude: 0, longitude: 0,
                                placeLatitude: 0, placeLongitude: 0, radius: radius)
        case .onsite:
            guard let latitude, let longitude, let place else { return .tooFar(metres: Int.max, radius: radius) }
            return policy.check(kind: .checkIn, window: window, now: now, start: start, end: end, latitude: latitude, longitude: longitude,
                                placeLatitude: place.0, placeLongitude: place.1, radius: radius)
        }
    }
}

/// A volunteer's trainings as the record and its certificate show them.
public struct TrainingSummary: Sendable, Equatable {
    public var sessions: Int
    public var hours: Double

    public init(sessions: Int = 0, hours: Double = 0) {
        self.sessions = sessions
        self.hours = hours
    }
}

extension TrainingMode: CustomStringConvertible { public var description: String { rawValue } }
