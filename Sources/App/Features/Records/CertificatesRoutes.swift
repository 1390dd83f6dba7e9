import Vapor
import Fluent
import DiandanCore

struct CertificatePage: Encodable {
    struct Row: Encodable { var date: String; var title: String; var hours: String; var organisation: String }
    var chrome: Chrome
    var title: String
    var body: String
    var rows: [Row]
    var total: String
    /// Trainings, apart: their own table and total.
    var trainings: [Row]
    var trainingTotal: String
    var issued: String
    var verify: String
    var pdf: String
}

struct VerifyPage: Encodable {
    var chrome: Chrome
    var number: String
    var found: Bool
    var facts: [Fact]
    struct Fact: Encodable { var label: String; var value: String }
}

struct CertificateDTO: Content {
    var number: String
    var valid: Bool
    var name: String
    var volunteer_number: String
    var total_hours: Double
    var records: Int
    /// Training hours, apart from service hours.
    var training_hours: Double
    var site: String
    var issued_on: String
    var pdf_url: String?
    var verify_url: String
}

/// 志愿服务记录证明: issued by volunteers for themselves, printed or downloaded as PDF, and checked
/// by anyone at a public address by its number.
enum CertificatesRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.post("me", "certificates", use: issuePage).rule(.signedIn)
        web.get("certificates", "verify", use: verifyPage).rule(.open)
        web.get("certificates", ":number", use: printView).rule(.signedIn)
        web.get("certificates", ":number", "pdf", use: pdf).rule(.signedIn)
        api.post("me", "certificates", use: issue).rule(.signedIn)
        // The PDF for apps: fetched with the same bearer token that issued it.
        api.get("me", "certificates", ":number", "pdf", use: pdf).rule(.signedIn)
        api.get("certificates", ":number", use: verify).rule(.open)
    }

    static func labels(_ req: Request) -> CertificateLabels {
        CertificateLabels(title: req.t("cert.title"), body: req.t("cert.body"), date: req.t("cert.date"), activity: req.t("cert.activity"),
                          hours: req.t("cert.hours"), organisation: req.t("cert.organisation"), total: req.t("cert.total"),
                          issued: req.t("cert.issued"), verify: req.t("cert.verify_line"), page: req.t("cert.page"),
                          training: req.t("cert.training"), trainingTitle: req.t("cert.training_title"), trainer: req.t("cert.trainer"),
                          trainingTotal: req.t("cert.training_total"))
    }

    static func verifyURL(_ req: Request, _ number: String) -> String {
        req.baseURL + Paths.certificateVerify(number)
    }

    static func issueFor(_ req: Request) async throws -> Certificate {
        let p = try req.requirePrincipal()
        guard let v = try await Volunteer.query(on: req.db).filter(\.$account.$id == p.accountID).first() else {
            throw AppError.forbidden(Message("error.activity.not_volunteer"))
        }
        return try await CertificateService.make(req).issue(for: v, by: p.accountID)
    }

    static func issuePage(req: Request) async throws -> Response {
        req.redirect(to: Paths.certificate(try await issueFor(req).number), redirectType: .normal)
    }

    static func issue(req: Request) async throws -> Response {
        let c = try await issueFor(req)
        let response = try await dto(req, c, withPDF: true).encodeResponse(for: req)
        response.status = .created
        return response
    }

    static func dto(_ req: Request, _ c: Certificate, withPDF: Bool) async throws -> CertificateDTO {
        let content = c.decoded
        return CertificateDTO(number: c.number, valid: true, name: withPDF ? (content?.name ?? "") : Masking.name(content?.name ?? ""),
                              volunteer_number: content?.volunteerNumber ?? "", total_hours: c.totalHours, records: content?.records.count ?? 0,
                              training_hours: content?.trainingHours ?? 0,
                              site: content?.site ?? "", issued_on: content?.issuedOn ?? "",
                              pdf_url: withPDF ? req.baseURL + Paths.apiCertificatePDF(c.number) : nil, verify_url: verifyURL(req, c.number))
    }

    /// The holder, and admins who may see the volunteer; anyone else is told it does not exist.
    static func find(_ req: Request) async throws -> (Certificate, CertificateContent) {
        let p = try req.requirePrincipal()
        guard let number = req.parameters.get("number"),
              let c = try await Certificate.query(on: req.db).filter(\.$number == number).with(\.$volunteer).with(\.$site).first(),
              let content = c.decoded else { throw AppError.notFound }
        let own = c.volunteer.$account.id == p.accountID
        let volunteerSite = try await Site.find(c.volunteer.$site.id, on: req.db)
        guard own || Policy.allows(p.grants, .volunteers, .read, at: volunteerSite?.sitePath) else { throw AppError.notFound }
        return (c, content)
    }

    static func printView(req: Request) async throws -> Response {
        let (c, content) = try await find(req)
        let l = labels(req)
        func fill(_ s: String, _ args: [String: String]) -> String { args.reduce(s) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) } }
        let hours = CertificateContent.hoursText(content.totalHours)
        let page = CertificatePage(
            chrome: .make(req, title: l.title), title: l.title,
            body: fill(l.body, ["name": content.name, "id": content.idMasked, "number": content.volunteerNumber, "site": content.site, "hours": hours]),
            rows: content.records.map { .init(date: $0.date, title: $0.title, hours: CertificateContent.hoursText($0.hours), organisation: $0.organisation) },
            total: fill(l.total, ["hours": hours, "count": String(content.records.count)]),
            trainings: (content.trainings ?? []).map { .init(date: $0.date, title: $0.title, hours: CertificateContent.hoursText($0.hours), organisation: $0.organisation) },
            trainingTotal: fill(l.trainingTotal, ["hours": CertificateContent.hoursText(content.trainingHours), "count": String(content.trainings?.count ?? 0)]),
            issued: fill(l.issued, ["site": content.site, "number": c.number, "date": content.issuedOn]),
            verify: fill(l.verify, ["url": verifyURL(req, c.number)]), pdf: Paths.certificate(c.number) + "/pdf")
        return try await Pages.render(req, "certificates/show", page)
    }

    static func pdf(req: Request) async throws -> Response {
        let (c, content) = try await find(req)
        let bytes = CertificatePDF.render(content, labels: labels(req), verifyURL: verifyURL(req, c.number))
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(c.number).pdf\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    static func lookup(_ req: Request, _ number: String) async throws -> Certificate? {
        guard !number.isEmpty, number.count <= 40 else { return nil }
        return try await Certificate.query(on: req.db).filter(\.$number == number.uppercased()).first()
    }

    static func verify(req: Request) async throws -> CertificateDTO {
        guard let c = try await lookup(req, req.parameters.get("number") ?? "") else { throw AppError.notFound }
        return try await dto(req, c, withPDF: false)
    }

    static func verifyPage(req: Request) async throws -> Response {
        let number = try req.queryText("number", max: 40) ?? ""
        var facts: [VerifyPage.Fact] = []
        var found = false
        if let c = try await lookup(req, number), let content = c.decoded {
            found = true
            facts = [.init(label: req.t("cert.holder"), value: Masking.name(content.name)),
                     .init(label: req.t("cert.volunteer_number"), value: content.volunteerNumber),
                     .init(label: req.t("cert.total_hours"), value: CertificateContent.hoursText(content.totalHours)),
                     .init(label: req.t("cert.records"), value: String(content.records.count)),
                     .init(label: req.t("cert.issuer"), value: content.site),
                     .init(label: req.t("cert.issued_on"), value: content.issuedOn)]
        }
        return try await Pages.render(req, "certificates/verify",
                                      VerifyPage(chrome: .make(req, title: req.t("cert.verify_title")), number: number, found: found, facts: facts),
                                      status: number.isEmpty || found ? .ok : .notFound)
    }
}
