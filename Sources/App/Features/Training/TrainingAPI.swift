import Vapor
import Fluent
import DiandanCore

struct TrainingDTO: Content {
    var id: Int
    var title: String
    var description: String
    var trainer: String
    var site_id: Int
    var team_id: Int?
    var starts_at: Date
    var hours: Double
    var mode: String
    var address: String

    init(_ t: Training) throws {
        id = try t.requireID()
        title = t.title
        description = t.description
        trainer = t.trainer
        site_id = t.$site.id
        team_id = t.$team.id
        starts_at = t.startsAt
        hours = t.hours
        mode = t.mode.rawValue
        address = t.address
    }
}

struct TrainingAttendanceDTO: Content {
    var training_id: Int
    var volunteer_id: Int
    var checked_in_at: Date
    var hours: Double
}

struct ShowcasePostDTO: Content {
    var id: Int
    var title: String
    var story: String
    var site_id: Int
    var site: String
    var team: String?
    var rating: Int?
    var served_on: Date
    var published_at: Date
    /// Absolute addresses of the photos (their metadata removed).
    var photos: [String]
    var url: String
}

/// Trainings and the showcase for apps: upcoming trainings, checking in with a scanned code, and the
/// published posts of a site.
enum TrainingAPI {
    static func register(_ api: RoutesBuilder) {
        api.get("trainings", use: list).rule(.open)
        api.post("trainings", ":id", "check-in", use: checkIn).rule(.signedIn)
        api.get("showcase", use: showcase).rule(.open)
    }

    /// Trainings at a site and below (everywhere without `site`), from today on unless `from` says otherwise.
    static func list(req: Request) async throws -> [TrainingDTO] {
        var q = Training.query(on: req.db).join(Site.self, on: \Training.$site.$id == \Site.$id)
        if let s = try await req.querySite() {
            q = q.filter(Site.self, \Site.$path =~ s.path)
        }
        var from = Calendar.chinaStandard.startOfDay(for: req.now)
        if let raw = try req.queryDay("from"), let d = ChinaTime.parse(raw, formats: ["yyyy-MM-dd"]) { from = d }
        return try await q.filter(\.$startsAt >= from).sort(\.$startsAt).range(0..<200).all().map(TrainingDTO.init)
    }

    /// `t`, `s` from the scanned address; `latitude`, `longitude` for a training on site. 201 the first
    /// time, 200 with the same attendance after.
    static func checkIn(req: Request) async throws -> Response {
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        var r = try await req.fieldReader()
        let scan = ScanInput.read(&r, positionRequired: false)
        try r.check()
        let (a, created) = try await TrainingService.make(req).checkIn(trainingID: id, window: scan!.window, signature: scan!.signature,
                                                                       latitude: scan!.latitude, longitude: scan!.longitude, by: try req.requirePrincipal())
        let response = try await TrainingAttendanceDTO(training_id: id, volunteer_id: a.$volunteer.id, checked_in_at: a.checkedInAt, hours: a.hours).encodeResponse(for: req)
        response.status = created ? .created : .ok
        return response
    }

    static func showcase(req: Request) async throws -> [ShowcasePostDTO] {
        let site = try await req.querySite(activeOnly: true)
        let page = try req.queryPage()
        let service = ShowcaseService.make(req)
        let (posts, _) = try await service.published(under: site, page: page)
        let photos = try await service.photos(of: posts)
        let ratings = try await service.ratings(of: posts)
        return try posts.map { p in
            let id = try p.requireID()
            return ShowcasePostDTO(id: id, title: p.title, story: p.story, site_id: p.$site.id, site: p.site.name, team: p.team?.name, rating: ratings[id],
                                   served_on: p.servedOn, published_at: p.publishedAt,
                                   photos: (photos[id] ?? []).compactMap { $0.id.map { req.baseURL + Paths.showcasePhoto($0) } },
                                   url: req.baseURL + Paths.showcasePost(id))
        }
    }
}
