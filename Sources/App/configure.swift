import Vapor
import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import FluentPostgresDriver
import Leaf
import SQLKit
import DiandanCore

/// What the entry point knows about the command being run.
public struct LaunchOptions: Sendable {
    /// `serve` migrates at start and, in development on an empty database, seeds the demo county.
    public var isServe: Bool

    public init(isServe: Bool) { self.isServe = isServe }

    public static func from(arguments: [String]) -> LaunchOptions {
        let command = arguments.dropFirst().first
        return LaunchOptions(isServe: command == nil || command == "serve" || command!.hasPrefix("-"))
    }
}

public func configure(_ app: Application, options: LaunchOptions = .init(isServe: false), settings: Settings? = nil) async throws {
    let settings = try settings ?? Settings.load(app.environment)
    app.settings = settings
    app.directory = DirectoryConfiguration(workingDirectory: settings.resourcesDirectory)

    // Database drivers and bcrypt block threads of this pool; its own pool, larger than the default
    // (one per core), keeps a waiting SQLite writer from starving the one that holds the lock.
    app.threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))
    try configureDatabase(app, settings)
    if settings.databaseURL == nil {
        try await configureSQLiteConnections(app, wal: settings.sqlitePath != ":memory:", cacheMB: settings.sqliteCacheMB, synchronous: settings.sqliteSync)
    }
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    let decoy = try Bcrypt.hash("diandan-decoy", cost: settings.bcryptCost)
    app.protector = DataProtector(secret: settings.secret, decoyHash: decoy)
    // After the protector: a migration signs the audit trail's head with it.
    Migrations.register(on: app)

    app.localizer = try Application.loadCatalogues(from: settings.resourcesDirectory)

    // Web sessions are ours (`WebSessionStore`): a row only for a signed-in person.

    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.cache.isEnabled = app.environment.isRelease

    app.routes.defaultMaxBodySize = "1mb"
    app.middleware = .init()
    RequestMetrics.bootstrap()
    app.middleware.use(ServerTiming())
    // Outside the error renderer, so error pages carry the headers too.
    app.middleware.use(SecurityHeaders(imageSources: settings.basemap?.origins ?? []))
    app.middleware.use(ErrorRenderer())
    app.middleware.use(KnownOnUnmatched())
    app.middleware.use(NullByteGuard())
    app.middleware.use(MethodNotAllowed())
    if settings.groupCommit {
        // SQLite: write transactions that arrive together share a commit; on both stores, orders
        // placed together are written as one batch.
        let committer = settings.databaseURL == nil ? GroupCommitter.start(app) : nil
        if let committer { app.middleware.use(GroupCommitMiddleware(committer: committer)) }
        _ = OrderIntake.start(app, committer: committer)
    }
    // Static files only under their own paths, so other requests never look at the disk.
    app.middleware.use(StaticFiles(FileMiddleware(publicDirectory: app.directory.publicDirectory)))

    try routes(app)
    app.registerCommands()

    // Values kept in the app's storage are made here, while one thread configures: the storage is
    // copied, changed and written back as a whole, so two first uses at once (a request's rate
    // limiter, the delivery sender's HTTP client) could each lose the other's value.
    _ = app.rateLimiter
    _ = app.screenCache
    _ = app.uploadSlots
    _ = app.uploadReading
    // Webhooks and the SMS gateway follow no redirects: a public address must not be able to send
    // the call on to an internal one.
    app.http.client.configuration.redirectConfiguration = .disallow
    if options.isServe {
        _ = app.http.client.shared
        app.lifecycle.use(PeriodicService.deadlineScanner(app))
        app.lifecycle.use(PeriodicService.noticeDispatcher(app))
        app.lifecycle.use(PeriodicService.exportRunner(app))
        app.lifecycle.use(PeriodicService.deliverySender(app))
        app.lifecycle.use(PeriodicService.privacy(app))
        app.lifecycle.use(PeriodicService.housekeeping(app))
        try await app.autoMigrate()
        if settings.seedDemo, try await Site.query(on: app.db).count() == 0 {
            let logins = try await DemoSeeder(app: app).run()
            // Printed once, as a table (the log line used to repeat every login).
            app.logger.notice("Seeded the demo county (\(logins.count) demo logins, listed below).")
            print(DemoSeeder.loginsText(logins))
        }
    }
}

func configureDatabase(_ app: Application, _ settings: Settings) throws {
    if let url = settings.databaseURL {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw ConfigurationError("DATABASE_URL must start with postgres:// (unset it to use SQLite).")
        }
        var config = try SQLPostgresConfiguration(url: url)
        if let schema = settings.postgresSchema {
            guard schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ConfigurationError("DIANDAN_PG_SCHEMA may contain only letters, digits and underscores.")
            }
            config.searchPath = [schema]
        }
        app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: settings.postgresConnections, connectionPoolTimeout: .seconds(30)), as: .psql)
    } else {
        // sqlite-nio opens every connection with a busy handler and SQLite's compiled default
        // synchronous=FULL (durable commits); WAL is a property of the file, set once at start.
        let memory = settings.sqlitePath == ":memory:"
        let storage: SQLiteConfiguration.Storage = memory ? .memory : .file(path: settings.sqlitePath)
        let sqlite = DatabaseConfigurationFactory.sqlite(.init(storage: storage, enableForeignKeys: true), connectionPoolTimeout: .seconds(30)).make()
        app.databases.use(SQLitePools(inner: sqlite, pools: memory ? 1 : settings.sqliteConnections), as: .sqlite, isDefault: true)
        // The group commit's writer has a connection of its own, so a batch waiting on its sync
        // never holds a connection that readers are queued for.
        if settings.groupCommit && !memory { app.databases.use(SQLitePools(inner: sqlite, pools: 1), as: .sqliteWriter, isDefault: false) }
    }
}

extension DatabaseID {
    /// The group commit's own SQLite connection.
    static let sqliteWriter = DatabaseID(string: "sqlite-writer")
}

/// fluent-sqlite-driver keeps one connection per event loop (an in-memory database must have just
/// one). For a file, several such pools side by side, taken in turn, let reads run together while
/// one of them waits on a sync or a slow query.
struct SQLitePools: DatabaseConfiguration {
    let inner: any DatabaseConfiguration
    let pools: Int
    var middleware: [any AnyModelMiddleware] = []

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        Driver(drivers: (0..<max(1, pools)).map { _ in inner.makeDriver(for: databases) })
    }

    struct Driver: DatabaseDriver {
        let drivers: [any DatabaseDriver]
        private let turn = NIOLockedValueBox(0)

        init(drivers: [any DatabaseDriver]) { self.drivers = drivers }

        func makeDatabase(with context: DatabaseContext) -> any Database {
            let i = turn.withLockedValue { n in defer { n &+= 1 }; return n }
            return drivers[i % drivers.count].makeDatabase(with: context)
        }

        func shutdown() { for d in drivers { d.shutdown() } }
        func shutdownAsync() async { for d in drivers { await d.shutdownAsync() } }
    }
}

/// sqlite-nio's busy handler retries at once, forever, on a pool thread; SQLite's own busy timeout
/// sleeps between tries and gives up, after which the write transaction is retried (`writeTransaction`).
/// Each pool keeps one connection per event loop, so setting it once on each covers every connection.
/// The page cache (SQLite's default is 2 MB) is per connection: a province's indexes want more.
/// `synchronous` is FULL (SQLite's compiled default, a sync at every commit) unless configured NORMAL.
func configureSQLiteConnections(_ app: Application, wal: Bool, cacheMB: Int, synchronous: Settings.SQLiteSync = .full) async throws {
    for id in [DatabaseID.sqlite, .sqliteWriter] {
        guard let pools = app.databases.configuration(for: id) as? SQLitePools else { continue }
        for loop in app.eventLoopGroup.makeIterator() {
            // The pools are taken in turn: asking as many times as there are reaches each once.
            for _ in 0..<max(1, pools.pools) {
                guard let sql = app.databases.database(id, logger: app.logger, on: loop) as? SQLDatabase else { continue }
                if wal { try await sql.raw("PRAGMA journal_mode=WAL").run() }
                try await sql.raw("PRAGMA synchronous=\(unsafeRaw: synchronous.rawValue.uppercased())").run()
                try await sql.raw("PRAGMA busy_timeout=10000").run()
                try await sql.raw("PRAGMA cache_size=\(unsafeRaw: String(-cacheMB * 1024))").run()
            }
        }
    }
}

/// No address carries a NUL byte: PostgreSQL cannot store or even compare text holding one, so a
/// `%00` in a path or query would otherwise reach a query and fail there (a 500). Form bodies are
/// checked as they are parsed, JSON text by each field's reader.
struct NullByteGuard: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let raw = req.url.path + "?" + (req.url.query ?? "")
        if raw.contains("\u{0}") || raw.range(of: "%00") != nil {
            throw AppError.badRequest(Message("error.null_byte"))
        }
        return try await next.respond(to: req)
    }
}

/// Serves `Public/` for `/css/`, `/js/` and the favicon; everything else goes straight to the routes.
struct StaticFiles: AsyncMiddleware {
    let files: FileMiddleware

    init(_ files: FileMiddleware) { self.files = files }

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let path = req.url.path
        if path.hasPrefix("/css/") || path.hasPrefix("/js/") || path == "/favicon.svg" {
            let response = try await files.respond(to: req, chainingTo: next)
            // The survey pages' service worker lives with the scripts but looks after /surveys/.
            if path == "/js/surveys-sw.js" { response.headers.replaceOrAdd(name: "Service-Worker-Allowed", value: "/surveys/") }
            return response
        }
        return try await next.respond(to: req)
    }
}

/// Headers every response carries.
struct SecurityHeaders: AsyncMiddleware {
    let policy: String
    /// `imageSources`: the origins of a configured basemap's tiles, the only other place pages load from.
    init(imageSources: [String] = []) {
        policy = "default-src 'self'; img-src " + (["'self'", "data:"] + imageSources).joined(separator: " ")
            + "; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
    }

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let r = try await next.respond(to: req)
        r.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        r.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        r.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        r.headers.replaceOrAdd(name: "Content-Security-Policy", value: policy)
        return r
    }
}
