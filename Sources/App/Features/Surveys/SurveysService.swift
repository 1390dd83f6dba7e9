import Fluent
import Vapor
import SQLKit
import Foundation
import DiandanCore

/// A questionnaire as a site admin designs it.
struct SurveyDraft: Sendable {
    var siteID: Int
    var title: String
    var description: String
    var questions: [SurveyQuestion]
}

/// One household's answers as the phone sends them — perhaps long after they were typed, perhaps
/// more than once.
struct CollectedResponse: Sendable {
    /// The id the phone gave the response (a UUID): the same on every retry.
    var clientID: String
    var stationID: Int
    var household: String?
    var collectedAt: Date
    var answers: [Int: SurveyAnswer]
}

/// Needs surveys (问需): designing them, collecting answers exactly once, and the results set against
/// the menu and the orders.
struct SurveyService {
    let db: Database
    let now: Date


    // MARK: Designing

    func create(_ d: SurveyDraft, by p: Principal) async throws -> Survey {
        let site = try await Lookup.site(d.siteID, on: db)
        guard site.active else { throw ValidationFailure(field: "site_id", "error.site.inactive") }
        guard Policy.allows(p.grants, .surveys, .write, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        // Questions are numbered by their place; what they point at must exist.
        let questions = d.questions.enumerated().map { i, q in
            SurveyQuestion(id: i + 1, kind: q.kind, prompt: q.prompt, required: q.required, options: q.options, categoryID: q.categoryID)
        }
        if let (at, key) = SurveyRules.problems(in: questions).first {
            throw ValidationFailure(field: at.map { "questions.\($0 + 1)" } ?? "questions", key)
        }
        let categories = Set(questions.compactMap(\.categoryID) + questions.flatMap { $0.options.compactMap(\.categoryID) })
        let items = Set(questions.flatMap { $0.options.compactMap(\.menuItemID) })
        if !categories.isEmpty, try await Category.query(on: db).filter(\.$id ~~ categories).count() != categories.count {
            throw ValidationFailure(field: "questions", "error.not_found_choice")
        }
        if !items.isEmpty, try await MenuItem.query(on: db).filter(\.$id ~~ items).count() != items.count {
            throw ValidationFailure(field: "questions", "error.not_found_choice")
        }
        let s = Survey()
        s.createdAt = now
        s.updatedAt = now
        s.$site.id = try site.requireID()
        s.title = d.title
        s.description = d.description
        s.status = Survey.Status.open.rawValue
        s.questionsJSON = String(decoding: try JSONEncoder().encode(questions), as: UTF8.self)
        s.$createdBy.id = p.accountID
        try await db.writeTransaction { [s] db in try await s.create(on: db) }
        return s
    }

    /// Opens a survey for answers or closes it; answers already collected stay.
    func setStatus(_ survey: Survey, _ status: Survey.Status, by p: Principal) async throws {
        let site = try await Lookup.site(survey.$site.id, on: db)
        guard Policy.allows(p.grants, .surveys, .write, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        survey.status = status.rawValue
        survey.updatedAt = now
        try await db.writeTransaction { [survey] db in try await survey.update(on: db) }
    }

    // MARK: Who sees what

    /// Those who read surveys at the site (its admins and leaders above it), and the practitioners
    /// and admins who collect for it: their grant is inside the survey's area or the area inside theirs.
    static func visible(_ site: SitePath, to p: Principal) -> Bool {
        Policy.allows(p.grants, .surveys, .read, at: site) || collectorGrants(p).contains { $0.sitePath.covers(site) || site.covers($0.sitePath) }
    }

    static func collectorGrants(_ p: Principal) -> [Grant] {
        p.grants.filter { [.practitioner, .siteAdmin].contains($0.role) }
    }

    /// The surveys a person sees, open ones first, newest first.
    func list(for p: Principal, site: Site? = nil) async throws -> [Survey] {
        let reach = p.grants.filter { [.practitioner, .siteAdmin, .auditor].contains($0.role) }
        guard !reach.isEmpty else { return [] }
        var q = Survey.query(on: db).join(Site.self, on: \Survey.$site.$id == \Site.$id).with(\.$site)
            .group(.or) { g in
                for grant in reach {
                    g.filter(Site.self, \Site.$path =~ grant.sitePath.rawValue)
                    // Surveys above a collector's station reach it too (an auditor reads only below).
                    if grant.role != .auditor { g.filter(Site.self, \Site.$id ~~ grant.sitePath.ids) }
                }
            }
        if let site { q = q.filter(Site.self, \Site.$path =~ site.path) }
        return try await q.sort(\.$status, .descending).sort(\.$id, .descending).range(0..<500).all()
    }

    /// The stations where `p` may collect answers for a survey of `area`.
    func stations(in area: Site, for p: Principal) async throws -> [Site] {
        let grants = Self.collectorGrants(p)
        guard !grants.isEmpty else { return [] }
        return try await Site.query(on: db).filter(\.$path =~ area.path).filter(\.$kind == SiteKind.station).filter(\.$active == true)
            .group(.or) { g in for grant in grants { g.filter(\.$path =~ grant.sitePath.rawValue) } }
            .sort(\.$path).range(0..<2000).all()
    }

    func responseCount(_ surveyID: Int) async throws -> Int {
        try await SurveyResponse.query(on: db).filter(\.$survey.$id == surveyID).count()
    }

    // MARK: Collecting

    /// Practitioners and site admins collect answers at the stations their grants reach.
    static func canCollect(at station: Site, _ p: Principal) -> Bool {
        p.grants.contains { [.practitioner, .siteAdmin].contains($0.role) && $0.sitePath.covers(station.sitePath) }
    }

    /// Stores one household's answers once: a response whose client id the survey already holds is
    /// answered with the stored one (created: false), however often it is sent and even if two
    /// uploads of it arrive at the same moment.
    func record(_ surveyID: Int, _ r: CollectedResponse, by p: Principal) async throws -> (response: SurveyResponse, created: Bool) {
        if let earlier = try await stored(surveyID, r.clientID) { return (earlier, false) }
        guard let survey = try await Survey.find(surveyID, on: db) else { throw AppError.notFound }
        guard survey.status == Survey.Status.open.rawValue else { throw AppError.conflict(field: nil, Message("error.survey.closed")) }
        let station = try await Lookup.site(r.stationID, on: db, field: "station_id")
        guard let area = try await Site.find(survey.$site.id, on: db), station.kind == .station, area.sitePath.covers(station.sitePath) else {
            throw ValidationFailure(field: "station_id", "error.survey.station_outside")
        }
        guard Self.canCollect(at: station, p) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        // Filled in offline perhaps days ago, but not in the future, nor before the survey existed.
        guard r.collectedAt <= now.addingTimeInterval(600), r.collectedAt >= survey.createdAt.addingTimeInterval(-600) else {
            throw ValidationFailure(field: "collected_at", "error.survey.collected_at")
        }
        let problems = SurveyRules.problems(in: r.answers, for: survey.questions)
        if !problems.isEmpty {
            throw ValidationFailure(problems.map { FieldError("answers.\($0.0)", Message($0.1)) })
        }
        let response = SurveyResponse()
        response.$survey.id = surveyID
        response.$station.id = r.stationID
        response.clientID = r.clientID
        response.household = r.household
        response.$collectedBy.id = p.accountID
        response.collectedAt = r.collectedAt
        response.receivedAt = now
        let keyed = Dictionary(uniqueKeysWithValues: r.answers.map { (String($0.key), $0.value) })
        response.answersJSON = String(decoding: try JSONEncoder().encode(keyed), as: UTF8.self)
        do {
            try await db.writeTransaction { [response] db in try await response.create(on: db) }
            return (response, true)
        } catch where error.isUniqueViolation {
            // The same upload twice at once: the first one stored is the answer.
            guard let earlier = try await stored(surveyID, r.clientID) else { throw error }
            return (earlier, false)
        }
    }

    private func stored(_ surveyID: Int, _ clientID: String) async throws -> SurveyResponse? {
        try await SurveyResponse.query(on: db).filter(\.$survey.$id == surveyID).filter(\.$clientID == clientID).first()
    }

    // MARK: Results

    struct Results: Sendable {
        let questions: [SurveyQuestion]
        let tally: SurveyTally
        /// Categories asked for and not met, most unmet first.
        let needs: [UnmetNeed]
        /// Per text question, the latest answers written (up to 20), newest first.
        let samples: [Int: [String]]
    }

    /// The answers collected at stations within `site` in [from, to), counted; the demand per category
    /// set against the menu items offered at the site and the orders placed there in the same period.
    func results(_ surveyID: Int, at site: Site, from: Date, to: Date, by p: Principal) async throws -> Results {
        guard Policy.allows(p.grants, .surveys, .read, at: site.sitePath) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        guard let survey = try await Survey.find(surveyID, on: db), let sql = db as? SQLDatabase else { throw AppError.notFound }
        let questions = survey.questions
        let responses = try await SurveyResponse.query(on: db).join(Site.self, on: \SurveyResponse.$station.$id == \Site.$id)
            .filter(\.$survey.$id == surveyID).filter(Site.self, \Site.$path =~ site.path)
            .filter(\.$collectedAt >= from).filter(\.$collectedAt < to).all()
        struct Pair: Decodable { let id: Int, category_id: Int }
        struct Count: Decodable { let category_id: Int, n: Int }
        let items = Array(Set(questions.flatMap { $0.options.compactMap(\.menuItemID) }))
        var menuCategory: [Int: Int] = [:]
        if !items.isEmpty {
            for r in try await sql.raw("SELECT id, category_id FROM menu_items WHERE id IN (\(binds: items))").all(decoding: Pair.self) {
                menuCategory[r.id] = r.category_id
            }
        }
        let tally = SurveyTally(questions: questions, responses: responses.map(\.answers), menuCategory: menuCategory)
        // Offered here: active menu items offered at the site, above it, or at any site within it.
        var offered: [Int: Int] = [:]
        for r in try await sql.raw("""
            SELECT m.category_id, COUNT(DISTINCT m.id) AS n FROM menu_items m JOIN menu_item_sites x ON x.menu_item_id = m.id JOIN sites s ON s.id = x.site_id
            WHERE (x.site_id IN (\(binds: site.sitePath.ids)) OR s.path LIKE \(bind: site.path + "%")) AND m.active = \(bind: true) GROUP BY m.category_id
            """).all(decoding: Count.self) { offered[r.category_id] = r.n }
        // Ordered here in the same period, from the orders' facts.
        var ordered: [Int: Int] = [:]
        for r in try await sql.raw("""
            SELECT category_id, COUNT(*) AS n FROM order_facts
            WHERE path LIKE \(bind: site.path + "%") AND created_at >= \(bind: from) AND created_at < \(bind: to) GROUP BY category_id
            """).all(decoding: Count.self) { ordered[r.category_id] = r.n }
        var samples: [Int: [String]] = [:]
        for r in responses.sorted(by: { $0.collectedAt > $1.collectedAt }) {
            for (id, answer) in r.answers {
                if case .text(let t) = answer, !t.isEmpty, samples[id, default: []].count < 20 { samples[id, default: []].append(t) }
            }
        }
        return Results(questions: questions, tally: tally, needs: NeedRanking.rank(demand: tally.demand, offered: offered, ordered: ordered), samples: samples)
    }
}

extension SurveyService: MadeFromContext {
    init(_ c: ServiceContext) { self.init(db: c.db, now: c.now) }
}
