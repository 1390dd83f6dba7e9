import Foundation
import Vapor
import Fluent
import DiandanCore

/// What a service is made of, as plain values: the database, the time, the settings and the keys.
/// A handler or a job turns its `Request` or `Application` into this, here and nowhere else, so a
/// service never sees HTTP and every service is built the same way (`XService.make(req)` in a
/// handler, `XService.make(app)` in a job or command, `XService(context)` in a test).
struct ServiceContext: Sendable {
    let db: any Database
    let now: Date
    let settings: Settings
    let protector: DataProtector
    let localizer: Localizer
    /// The order writer of a serving process (nil in commands and jobs: orders are written directly).
    let intake: OrderIntake?
    /// What the person acting may do (none for a job or a command), for services that check it.
    var grants: [Grant] = []

    var uploads: UploadStore { UploadStore(directory: settings.uploadsDirectory) }
}

/// A service built from a context: the only way services are made.
protocol MadeFromContext {
    init(_ context: ServiceContext)
}

extension MadeFromContext {
    static func make(_ req: Request) -> Self { Self(req.serviceContext) }
    static func make(_ app: Application) -> Self { Self(app.serviceContext) }
}

extension Request {
    var serviceContext: ServiceContext {
        ServiceContext(db: db, now: now, settings: application.settings, protector: application.protector,
                       localizer: application.localizer, intake: application.orderIntake, grants: grants)
    }
}

extension Application {
    var serviceContext: ServiceContext {
        ServiceContext(db: db, now: clock.now(), settings: settings, protector: protector, localizer: localizer, intake: nil)
    }
}
