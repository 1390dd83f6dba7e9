import Vapor
import Fluent
import SQLKit
import Foundation
import DiandanCore

/// Tools for the benchmarks in `scripts/` (never in production):
///
/// - `diandan bench dispatch [--samples N]`: how long auto-dispatch takes to choose a team on the data
///   at hand (the synthetic province, say). For random stations and a menu item offered at each, the
///   ranking query and the scoring are timed in the process; nothing is written. The last line is JSON.
/// - `diandan bench crowd --count N --site CODE --slots S --tokens FILE`: N volunteers registered at a
///   site, each with an API token (written to FILE, one per line), and a published activity there with
///   S slots (its id is the last line, as JSON), for the sign-up rush of `scripts/bench-intake`.
struct BenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "dispatch or crowd")
        var what: String
        @Option(name: "samples", help: "dispatch: how many decisions to time (default 200)")
        var samples: Int?
        @Option(name: "count", help: "crowd: how many volunteers")
        var count: Int?
        @Option(name: "site", help: "crowd: the code of the site they register at")
        var site: String?
        @Option(name: "tokens", help: "crowd: the file their API tokens are written to")
        var tokens: String?
        @Option(name: "slots", help: "crowd: the slots of the activity they rush for (default 100)")
        var slots: Int?
        init() {}
    }

    var help: String { "Benchmark tools: `bench dispatch` times auto-dispatch decisions; `bench crowd` makes volunteers with tokens for the sign-up rush." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard Settings.isDevelopmentLike(app.environment) else { throw ConfigurationError("Benchmark tools run only in development and testing.") }
        switch signature.what {
        case "dispatch":
            try await dispatch(app, context.console, samples: max(1, signature.samples ?? 200))
        case "crowd":
            guard let count = signature.count, count > 0, let code = signature.site, let file = signature.tokens else {
                throw ConfigurationError("bench crowd needs --count, --site and --tokens.")
            }
            try await crowd(app, context.console, count: count, siteCode: code, file: file, slots: max(1, signature.slots ?? 100))
        default:
            throw ConfigurationError("Unknown benchmark tool `\(signature.what)`; available: dispatch, crowd.")
        }
    }

    private func dispatch(_ app: Application, _ console: Console, samples: Int) async throws {
        guard let sql = app.db as? SQLDatabase else { return }
        struct Station: Decodable { let id: Int }
        struct Item: Decodable { let id: Int, category_id: Int }
        let stations = try await sql.raw("""
            SELECT id FROM sites WHERE kind = \(bind: SiteKind.station.rawValue) AND active = \(bind: true) ORDER BY random() LIMIT \(bind: samples * 2)
            """).all(decoding: Station.self)
        let service = OrderService.make(app)
        var times: [Double] = [], candidates: [Int] = []
        for s in stations where times.count < samples {
            guard let station = try await Site.find(s.id, on: app.db) else { continue }
            // A menu item offered here (at the station or above it), auto-accepted ones first.
            guard let item = try await sql.raw("""
                SELECT m.id, m.category_id FROM menu_items m JOIN menu_item_sites x ON x.menu_item_id = m.id
                WHERE x.site_id IN (\(binds: station.sitePath.ids)) AND m.active = \(bind: true)
                ORDER BY m.auto_accept DESC, m.id LIMIT 1
                """).first(decoding: Item.self) else { continue }
            let o = Order()
            o.$menuItem.id = item.id
            o.$category.id = item.category_id
            o.$station.id = s.id
            let start = ContinuousClock.now
            let ranked = try await service.suggestions(for: o, station: station, includeDeclines: false, on: app.db)
            let d = ContinuousClock.now - start
            times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
            candidates.append(ranked.count)
            if times.count % 50 == 0 { console.output("\(times.count) of \(samples) decisions timed …".consoleText()) }
        }
        guard !times.isEmpty else { throw ConfigurationError("No station here has a menu item to dispatch.") }
        func pct(_ xs: [Double], _ p: Double) -> Double { let s = xs.sorted(); return s[min(s.count - 1, Int((p / 100 * Double(s.count - 1)).rounded()))] }
        let median = pct(times, 50), p90 = pct(times, 90), p99 = pct(times, 99)
        let teams = candidates.sorted()[candidates.count / 2]
        console.output("Auto-dispatch decisions: \(times.count), median \(String(format: "%.2f", median)) ms, p90 \(String(format: "%.2f", p90)) ms, p99 \(String(format: "%.2f", p99)) ms; median \(teams) teams ranked".consoleText())
        console.output(#"{"samples": \#(times.count), "median_ms": \#(median), "p90_ms": \#(p90), "p99_ms": \#(p99), "teams_median": \#(teams)}"#.consoleText())
    }

    private func crowd(_ app: Application, _ console: Console, count: Int, siteCode: String, file: String, slots: Int) async throws {
        guard let site = try await Site.query(on: app.db).filter(\.$code == siteCode).first() else {
            throw ConfigurationError("No site with code \(siteCode).")
        }
        let registrar = VolunteerService.make(app)
        let run = String(UUID().uuidString.prefix(6)).lowercased()
        let birthBase = Calendar.chinaStandard.date(from: DateComponents(year: 1975, month: 1, day: 1))!
        var tokens: [String] = []
        var sequence = 0
        while tokens.count < count {
            // Distinct ID numbers: a birthday per thousand, a sequence within it.
            let birth = Calendar.chinaStandard.date(byAdding: .day, value: sequence / 1000 + (Int(run, radix: 16) ?? 0) % 3000, to: birthBase)!
            let c = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: birth)
            let id = IDNumber.compose(region: "360781", birth: String(format: "%04d%02d%02d", c.year!, c.month!, c.day!), sequence: sequence % 1000)
            sequence += 1
            guard case .success(let number) = IDNumber.parse(id, today: Date()) else { continue }
            let v: Volunteer
            do {
                v = try await registrar.register(VolunteerRegistration(realName: "报名者\(tokens.count)", idNumber: number,
                                                                      phone: PhoneNumber.parse("13600000000")!, skills: [], siteID: try site.requireID()))
            } catch where error is AppError {
                continue  // an ID number already registered here
            }
            let n = tokens.count
            let token = "crowd-\(run)-\(n)-" + TokenDigest.random(bytes: 12)
            try await app.db.writeTransaction { db in
                let account = try await Account.insert(username: "crowd-\(run)-\(n)", passwordHash: "-", site: site, role: .volunteer, on: db)
                v.$account.id = account.id
                try await v.save(on: db)
                let t = APIToken()
                t.tokenHash = TokenDigest.sha256(token)
                t.expiresAt = Date().addingTimeInterval(86_400)
                t.$account.id = try account.requireID()
                try await t.create(on: db)
            }
            tokens.append(token)
            if tokens.count % 250 == 0 { console.output("\(tokens.count) of \(count) volunteers …".consoleText()) }
        }
        try tokens.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        // The activity they rush for: published, tomorrow, at the site.
        guard let category = try await Category.query(on: app.db).filter(\.$active == true).sort(\.$sortOrder).first() else {
            throw ConfigurationError("No category to hold the activity.")
        }
        let now = Date()
        let a = Activity()
        a.createdAt = now
        a.updatedAt = now
        a.title = "报名压力测试 \(run)"
        a.description = ""
        a.$category.id = try category.requireID()
        a.$site.id = try site.requireID()
        a.address = site.name
        a.latitude = site.latitude
        a.longitude = site.longitude
        a.startsAt = now.addingTimeInterval(86_400)
        a.endsAt = now.addingTimeInterval(86_400 + 7_200)
        a.slots = slots
        a.signedUp = 0
        a.skills = []
        a.radius = 500
        a.status = ActivityStatus.published
        try await app.db.writeTransaction { db in try await a.create(on: db) }
        console.output("\(count) volunteers at \(site.name), tokens in \(file); activity \(try a.requireID()) with \(slots) slots".consoleText())
        console.output(#"{"activity_id": \#(try a.requireID())}"#.consoleText())
    }
}
