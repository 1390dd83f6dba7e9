import Vapor
import Fluent
import DiandanCore

/// A volunteer's record (志愿服务记录): hours, star level, points, the service records and the ledger.
struct RecordDTO: Content {
    struct Entry: Content { var date: String; var hours: Double; var content: String; var order_id: Int?; var activity_id: Int?; var wish_id: Int? }
    struct Points: Content { var at: Date; var delta: Int; var balance_after: Int; var reason: String }
    var volunteer_id: Int
    var number: String
    var name: String
    var id_number_masked: String
    var hours_total: Double
    var stars: Int
    var hours_to_next_star: Double?
    var points_balance: Int
    var records: [Entry]
    var points: [Points]
    /// Training (培训) is its own part of the record: not service hours, no stars, no points.
    struct TrainingEntry: Content { var date: Date; var title: String; var trainer: String; var site: String; var mode: String; var hours: Double }
    var training_hours: Double
    var trainings: [TrainingEntry]
}

enum RecordsRoutes {
    static func register(api: RoutesBuilder) {
        api.get("me", "record", use: mine).rule(.signedIn)
        api.get("volunteers", ":id", "record", use: ofVolunteer).rule(.resource(.volunteers, .read))
    }

    static func record(_ v: Volunteer, _ req: Request) async throws -> RecordDTO {
        let rewards = req.application.settings.orderPolicy.rewards
        let id = try v.requireID()
        let records = try await ServiceRecord.query(on: req.db).filter(\.$volunteer.$id == id).sort(\.$serviceDate).sort(\.$id).all()
        let ledger = try await PointsEntry.query(on: req.db).filter(\.$volunteer.$id == id).sort(\.$id).all()
        let training = try await TrainingService.make(req).records(volunteerID: id)
        return RecordDTO(volunteer_id: id, number: v.number, name: v.realName, id_number_masked: v.idMasked, hours_total: v.hoursTotal,
                         stars: rewards.stars(forHours: v.hoursTotal), hours_to_next_star: rewards.hoursToNextStar(from: v.hoursTotal),
                         points_balance: v.pointsBalance,
                         records: records.map { .init(date: $0.serviceDate, hours: $0.hours, content: $0.content, order_id: $0.$order.id,
                                                      activity_id: $0.activityID, wish_id: $0.wishID) },
                         points: ledger.map { .init(at: $0.at, delta: $0.delta, balance_after: $0.balanceAfter, reason: $0.reason) },
                         training_hours: training.summary.hours,
                         trainings: training.records.map { .init(date: $0.date, title: $0.title, trainer: $0.trainer, site: $0.site, mode: $0.mode.rawValue, hours: $0.hours) })
    }

    static func mine(req: Request) async throws -> RecordDTO {
        try await record(try await ActivityService.volunteer(of: try req.requirePrincipal(), on: req.db), req)
    }

    /// For admins over the volunteer's site.
    static func ofVolunteer(req: Request) async throws -> RecordDTO {
        guard let id = (try? req.pathInt("id")), let v = try await Volunteer.query(on: req.db).filter(\.$id == id).with(\.$site).first() else {
            throw AppError.notFound
        }
        try req.authorize(.volunteers, .read, at: v.site.sitePath)
        return try await record(v, req)
    }
}
