import Fluent
import Vapor
import SQLKit
import DiandanCore

/// Issues record certificates: every service record of the volunteer, with where it came from.
struct CertificateService {
    let db: Database
    let now: Date

    /// The volunteer's records, oldest first, with the organisation behind each: the team for an order,
    /// the team (or site) for an activity, the station for a micro-wish.
    func records(of volunteerID: Int) async throws -> [CertificateContent.Record] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Row: Decodable { let service_date: String, content: String, hours: Double, organisation: String? }
        return try await sql.raw("""
            SELECT r.service_date, r.content, r.hours,
                   COALESCE(ot.name, ateam.name, asite.name, wsite.name) AS organisation
            FROM service_records r
            LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN teams ot ON ot.id = o.team_id
            LEFT JOIN activities a ON a.id = r.activity_id LEFT JOIN teams ateam ON ateam.id = a.team_id LEFT JOIN sites asite ON asite.id = a.site_id
            LEFT JOIN wishes w ON w.id = r.wish_id LEFT JOIN sites wsite ON wsite.id = w.site_id
            WHERE r.volunteer_id = \(bind: volunteerID)
            ORDER BY r.service_date, r.id
            """).all(decoding: Row.self).map { .init(date: $0.service_date, title: $0.content, hours: $0.hours, organisation: $0.organisation ?? "") }
    }

    /// The trainings attended, oldest first, with the trainer and the site that held them.
    func trainings(of volunteerID: Int) async throws -> [CertificateContent.Record] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Row: Decodable { let starts_at: Date, title: String, hours: Double, trainer: String, site: String }
        return try await sql.raw("""
            SELECT t.starts_at, t.title, a.hours, t.trainer, s.name AS site
            FROM training_attendances a JOIN trainings t ON t.id = a.training_id JOIN sites s ON s.id = t.site_id
            WHERE a.volunteer_id = \(bind: volunteerID) ORDER BY t.starts_at, t.id
            """).all(decoding: Row.self).map {
                let d = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: $0.starts_at)
                return .init(date: String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!), title: $0.title, hours: $0.hours, organisation: "\($0.trainer)（\($0.site)）")
            }
    }

    func issue(for v: Volunteer, by accountID: Int?) async throws -> Certificate {
        try await db.writeTransaction { db in
            let service = CertificateService(db: db, now: now)
            let site = try await Site.find(v.$site.id, on: db)
            let day = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: now)
            let content = CertificateContent(number: CertificateContent.newNumber(year: day.year!), name: v.realName, idMasked: v.idMasked,
                                             volunteerNumber: v.number, site: site?.name ?? "",
                                             issuedOn: String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!),
                                             records: try await service.records(of: try v.requireID()),
                                             trainings: try await service.trainings(of: try v.requireID()))
            let c = Certificate()
            c.number = content.number
            c.issuedAt = now
            c.$volunteer.id = try v.requireID()
            c.$site.id = v.$site.id
            c.issuedBy = accountID
            c.totalHours = content.totalHours
            c.content = OrderService.json(content) ?? "{}"
            try await c.create(on: db)
            return c
        }
    }
}

extension Certificate {
    var decoded: CertificateContent? { try? JSONDecoder().decode(CertificateContent.self, from: Data(content.utf8)) }
}

extension CertificateService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now)
    }
}
