import Fluent
import Vapor

/// Every migration, in the order it runs. Append only: a shipped migration is never edited.
enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateSites())
        app.migrations.add(CreateCategories())
        app.migrations.add(SeedCategories())
        app.migrations.add(CreateTeams())
        app.migrations.add(CreateAccounts())
        app.migrations.add(CreateVolunteers())
        app.migrations.add(CreateMenuItems())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(CreateOrders())
        app.migrations.add(CreateServiceRecords())
        app.migrations.add(CreateOrderPhotos())
        app.migrations.add(CreateNotifications())
        app.migrations.add(CreateActivities())
        app.migrations.add(CreatePerks())
        app.migrations.add(CreateWishes())
        app.migrations.add(CreateProjects())
        app.migrations.add(CreateCertificates())
        app.migrations.add(AddCalendarKeys())
        app.migrations.add(AddEventNotices())
        app.migrations.add(CreateAssessmentRollups())
        app.migrations.add(CreateExportJobs())
        app.migrations.add(AddReminders())
        app.migrations.add(CreateIntegrations())
        app.migrations.add(CreateAuditLog())
        app.migrations.add(AddPrivacy())
        app.migrations.add(CreateSurveys())
        app.migrations.add(CreateTrainings())
        app.migrations.add(CreateShowcase())
        app.migrations.add(CreateWebSessions())
        app.migrations.add(CreateSignInFailures())
        app.migrations.add(CreateAuditHead(signer: app.protector))
        app.migrations.add(AddRequestDigests())
        app.migrations.add(AddOpen311Fields())
        app.migrations.add(AddPhoneSignIn(protector: app.protector))
        app.migrations.add(AddLargeTextAndSitePhone())
    }
}
