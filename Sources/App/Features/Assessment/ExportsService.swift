import Fluent
import Vapor
import SQLKit
import DiandanCore

/// 订单明细: every order of a scope and range, one row each, as CSV or XLSX. A province's year is over a
/// million rows, so the file is written in the background a page at a time, with its progress kept on
/// the job for the page that watches it; the owner downloads it when it is done (kept a day).
struct ExportService {
    let db: Database
    let now: Date
    let directory: String
    let localizer: Localizer

    static let page = 5_000
    static let keep: TimeInterval = 86_400

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
        directory = c.settings.uploadsDirectory + "/exports"
        localizer = c.localizer
    }

    var sql: SQLDatabase { db as! SQLDatabase }

    /// Queues an export; the runner picks it up.
    func create(site: Site?, range: AssessmentRange, format: String, locale: AppLocale, by accountID: Int) async throws -> ExportJob {
        guard ["csv", "xlsx"].contains(format) else { throw ValidationFailure(field: "format", "error.invalid_choice") }
        let job = ExportJob()
        job.createdAt = now
        job.$account.id = accountID
        job.kind = "orders"
        job.format = format
        job.siteID = site?.id
        job.rangeFrom = range.from
        job.rangeTo = range.to
        job.locale = locale.rawValue
        job.status = ExportJob.Status.queued.rawValue
        job.total = 0
        job.done = 0
        try await job.create(on: db)
        return job
    }

    struct Pass: Equatable { var ran = 0; var removed = 0 }

    /// Runs the queued jobs, one after another (each claimed first, so two runners never share one),
    /// and removes files past their day.
    func runOnce() async throws -> Pass {
        var pass = Pass()
        while let id = try await claim() {
            try await run(id)
            pass.ran += 1
        }
        let old = try await ExportJob.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-Self.keep)).filter(\.$file != nil).all()
        for job in old {
            if let file = job.file { try? FileManager.default.removeItem(atPath: directory + "/" + file) }
            job.file = nil
            try await job.save(on: db)
            pass.removed += 1
        }
        return pass
    }

    /// The oldest queued job, now marked running by this runner.
    func claim() async throws -> Int? {
        struct Row: Decodable { let id: Int }
        guard let next = try await sql.raw("SELECT id FROM export_jobs WHERE status = 'queued' ORDER BY id LIMIT 1").first(decoding: Row.self) else { return nil }
        let claimed = try await sql.raw("UPDATE export_jobs SET status = 'running' WHERE id = \(bind: next.id) AND status = 'queued' RETURNING id")
            .first(decoding: Row.self)
        if let id = claimed?.id { return id }
        return try await claim()   // another runner took it first: the next one
    }

    func run(_ id: Int) async throws {
        guard let job = try await ExportJob.find(id, on: db) else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = "\(id)-\(UUID().uuidString.prefix(8).lowercased()).\(job.format)"
            try await write(job, to: directory + "/" + file)
            job.file = file
            job.status = ExportJob.Status.done.rawValue
        } catch {
            job.status = ExportJob.Status.failed.rawValue
            job.error = String(describing: error).prefix(500).description
        }
        job.finishedAt = Date()
        try await job.save(on: db)
    }

    func write(_ job: ExportJob, to path: String) async throws {
        let locale = AppLocale(rawValue: job.locale) ?? .zhCN
        let t = { (key: String) in localizer.text(key, locale, [:]) }
        var site: Site?
        if let id = job.siteID {
            guard let s = try await Site.find(id, on: db) else { throw AppError.notFound }
            site = s
        }
        let range = AssessmentRange(from: job.rangeFrom, to: job.rangeTo)
        job.filename = "orders-\(site?.code ?? "all")-\(range.days.from)-\(range.days.to).\(job.format)"
        let service = AssessmentService(db: db)
        let scope: SQLQueryString = site.map { service.under("f.path", $0.path) + " AND " } ?? ""
        struct Count: Decodable { let n: Int }
        job.total = try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(unsafeRaw: service.factsTable(scoped: site != nil)) WHERE \(scope)f.created_at >= \(bind: range.from) AND f.created_at < \(bind: range.to)
            """).first(decoding: Count.self)?.n ?? 0
        try await job.save(on: db)

        // Names by id, read once: sites, categories and teams of the orders.
        struct Name: Decodable { let id: Int, name: String }
        let sites = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT id, name FROM sites").all(decoding: Name.self).map { ($0.id, $0.name) })
        let categories = Dictionary(uniqueKeysWithValues: try await Category.query(on: db).all().map { ($0.id!, $0.displayName(locale)) })
        var teams: [Int: String] = [:]

        let header = ["export.number", "export.created_at", "order.station", "order.category", "export.channel", "export.status", "order.team",
                      "export.dispatch_minutes", "export.accept_minutes", "assessment.escalations", "export.completed", "order.rating"].map(t)
        let csv = job.format == "csv"
        // A CSV goes straight to the file; a workbook's archive is ZIPFoundation's, which creates the file.
        var handle: FileHandle?
        var xlsx: XLSX.Writer?
        do {
            if csv {
                guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            } else {
                try? FileManager.default.removeItem(atPath: path)
                xlsx = try XLSX.Writer(sheet: t("export.orders_sheet"), to: URL(fileURLWithPath: path))
            }
        } catch {
            throw AppError.conflict(field: nil, Message("error.export.write"))
        }
        defer { try? handle?.close() }
        let sink: ([UInt8]) throws -> Void = { try handle?.write(contentsOf: $0) }
        if csv {
            try sink(Array(("\u{FEFF}" + header.map(CSV.field).joined(separator: ",") + "\r\n").utf8))
        } else {
            try xlsx?.header(header.map { .text($0) })
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Calendar.chinaStandard.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"

        struct Row: Decodable {
            let order_id: Int, number: String, created_at: Date, station_id: Int, category_id: Int, channel: String, status: String, team_id: Int?
            let dispatch_minutes: Int?, accept_minutes: Int?, escalations: Int, completed: Bool, rating: Int?
        }
        var after = 0, done = 0
        while true {
            let rows = try await sql.raw("""
                SELECT f.order_id, o.number, f.created_at, f.station_id, f.category_id, f.channel, f.status, f.team_id, f.dispatch_minutes,
                       f.accept_minutes, f.escalations, f.completed, f.rating
                FROM \(unsafeRaw: service.factsTable(scoped: site != nil)) JOIN orders o ON o.id = f.order_id
                WHERE \(scope)f.created_at >= \(bind: range.from) AND f.created_at < \(bind: range.to) AND f.order_id > \(bind: after)
                ORDER BY f.order_id LIMIT \(unsafeRaw: String(Self.page))
                """).all(decoding: Row.self)
            guard let last = rows.last else { break }
            let missing = Set(rows.compactMap(\.team_id)).subtracting(teams.keys)
            if !missing.isEmpty {
                for n in try await sql.raw("SELECT id, name FROM teams WHERE id IN (\(binds: Array(missing)))").all(decoding: Name.self) { teams[n.id] = n.name }
            }
            var text = ""
            for r in rows {
                let yes = r.completed ? t("export.yes") : t("export.no")
                let cells: [XLSX.Cell] = [
                    .text(r.number), .text(formatter.string(from: r.created_at)), .text(sites[r.station_id] ?? ""), .text(categories[r.category_id] ?? ""),
                    .text(t("order.channel.\(r.channel)")), .text(t("order.status.\(r.status)")), .text(r.team_id.flatMap { teams[$0] } ?? ""),
                    r.dispatch_minutes.map { .number(Double($0)) } ?? .empty, r.accept_minutes.map { .number(Double($0)) } ?? .empty,
                    .number(Double(r.escalations)), .text(yes), r.rating.map { .number(Double($0)) } ?? .empty,
                ]
                if csv {
                    text += cells.map(CSV.text).map(CSV.field).joined(separator: ",") + "\r\n"
                } else {
                    try xlsx?.append(cells)
                }
            }
            if csv { try sink(Array(text.utf8)) }
            after = last.order_id
            done += rows.count
            job.done = done
            try await job.save(on: db)
        }
        try xlsx?.finish()
    }
}

/// Comma-separated values as spreadsheet programs read them; a cell that a spreadsheet would take
/// for a formula is neutralised (`CSVCell`), in every CSV we write.
enum CSV {
    static func field(_ s: String) -> String { CSVCell.field(s) }

    static func text(_ cell: XLSX.Cell) -> String {
        switch cell {
        case .text(let s): s
        case .number(let n): XLSX.number(n)
        case .percent(let n): String(format: "%.1f%%", n * 100)
        case .empty: ""
        }
    }
}

extension PeriodicService {
    /// Export jobs every DIANDAN_EXPORT_SECONDS.
    static func exportRunner(_ app: Application) -> PeriodicService {
        PeriodicService("Exports", every: app.settings.exportInterval) { app in
            let pass = try await ExportService.make(app).runOnce()
            return pass == .init() ? nil : "\(pass.ran) written, \(pass.removed) removed"
        }
    }
}

extension ExportService: MadeFromContext {}
