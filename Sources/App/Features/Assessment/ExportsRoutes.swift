import Vapor
import Fluent
import DiandanCore

struct ExportStatus: Content {
    var id: Int
    var status: String
    var total: Int
    var done: Int
    /// 0…100, for the progress bar.
    var percent: Int
    var download: String?
    var filename: String?
    var error: String?

    /// `api`: the download link for a bearer token (`/api/v1/exports/…`), else the page's.
    init(_ job: ExportJob, api: Bool = false) throws {
        id = try job.requireID()
        status = job.status
        total = job.total
        done = job.done
        percent = job.status == ExportJob.Status.done.rawValue ? 100 : job.total == 0 ? 0 : min(99, job.done * 100 / job.total)
        let ready = job.status == ExportJob.Status.done.rawValue && job.file != nil
        download = ready ? (api ? "/api/v1" : "") + "/exports/\(id)/download" : nil
        filename = job.filename
        error = job.error
    }
}

struct ExportPage: Encodable {
    var chrome: Chrome
    var job: ExportStatus
    var statusText: String
    var statusURL: String
    var back: String
}

/// 订单明细 exports: queued from the assessment page (or the API), written in the background, watched
/// on a page with a progress bar, downloaded by the one who asked.
enum ExportsRoutes {
    static func register(web: RoutesBuilder, api: RoutesBuilder) {
        web.post("assessment", "exports", use: createPage).rule(.resource(.orders, .read))
        web.get("exports", ":id", use: page).rule(.signedIn)
        web.get("exports", ":id", "status", use: status).rule(.signedIn)
        web.get("exports", ":id", "download", use: download).rule(.signedIn)
        api.post("assessment", "exports", use: createAPI).rule(.resource(.orders, .read))
        api.get("exports", ":id", use: status).rule(.signedIn)
        api.get("exports", ":id", "download", use: download).rule(.signedIn)
    }

    static func create(_ req: Request) async throws -> ExportJob {
        let (site, range, _) = try await AssessmentRoutes.parse(req)
        let format = try (try? req.content.get(String.self, at: "format")) ?? req.queryText("format", max: 10) ?? "csv"
        return try await ExportService.make(req).create(site: site, range: range, format: format, locale: req.locale, by: try req.requirePrincipal().accountID)
    }

    static func createPage(req: Request) async throws -> Response {
        let job = try await create(req)
        return req.redirect(to: Paths.export(try job.requireID()), redirectType: .normal)
    }

    static func createAPI(req: Request) async throws -> Response {
        let job = try await create(req)
        let r = try await ExportStatus(job, api: true).encodeResponse(status: .accepted, for: req)
        r.headers.replaceOrAdd(name: .location, value: "/api/v1/exports/\(try job.requireID())")
        return r
    }

    /// One's own job only: someone else's is as good as absent.
    static func job(_ req: Request) async throws -> ExportJob {
        guard let id = (try? req.pathInt("id")), let job = try await ExportJob.find(id, on: req.db),
              job.$account.id == (try req.requirePrincipal().accountID) else { throw AppError.notFound }
        return job
    }

    static func status(req: Request) async throws -> Response {
        let api = req.url.path.hasPrefix("/api/")
        let r = try await ExportStatus(try await job(req), api: api).encodeResponse(for: req)
        r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return r
    }

    static func page(req: Request) async throws -> Response {
        let j = try await job(req)
        let s = try ExportStatus(j)
        let back = "/assessment?" + AssessmentRoutes.query(j.siteID ?? 0, "custom", AssessmentRange(from: j.rangeFrom, to: j.rangeTo))
        return try await Pages.render(req, "export", ExportPage(chrome: .make(req, title: req.t("export.title")), job: s,
                                                               statusText: req.t("export.status.\(s.status)"), statusURL: Paths.exportStatus(s.id), back: back))
    }

    static func download(req: Request) async throws -> Response {
        let j = try await job(req)
        guard j.status == ExportJob.Status.done.rawValue else { throw AppError.conflict(field: nil, Message("error.export.not_ready")) }
        guard let file = j.file else { throw AppError.conflict(field: nil, Message("error.export.expired")) }
        let path = req.application.settings.uploadsDirectory + "/exports/" + file
        guard FileManager.default.fileExists(atPath: path) else { throw AppError.notFound }
        let r = try await req.fileio.asyncStreamFile(at: path)
        r.headers.replaceOrAdd(name: .contentType, value: j.format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8")
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(j.filename ?? file)\"")
        r.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return r
    }
}
