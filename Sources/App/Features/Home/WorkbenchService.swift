import Fluent
import Foundation
import DiandanCore

/// What waits for one person, by what they do: a resident's orders, a volunteer's next activities,
/// hours and stars, a leader's team orders, an admin's queues. Reads only.
struct WorkbenchService: MadeFromContext {
    let db: Database
    let now: Date
    let rewards: RewardPolicy

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
        rewards = c.settings.orderPolicy.rewards
    }

    /// How soon a waiting order counts as "about to miss its deadline" (即将超时).
    static let soon: TimeInterval = 2 * 3600

    struct Person { var name: String?; var awaitingReview: Bool }

    /// The name to greet (the one a resident gave, else a volunteer's real name) and whether the
    /// person's volunteer registration waits for review.
    func person(_ p: Principal) async throws -> Person {
        let account = try await Account.find(p.accountID, on: db)
        let volunteer = try await Volunteer.query(on: db).filter(\.$account.$id == p.accountID).filter(\.$active == true).first()
        return Person(name: account?.displayName ?? volunteer?.realName, awaitingReview: volunteer?.awaitingReview ?? false)
    }

    struct Ordering { var open: Int; var recent: [Order] }

    /// The orders someone placed or had placed for them: how many are still under way, the newest few.
    func ordering(_ p: Principal) async throws -> Ordering {
        func mine() -> QueryBuilder<Order> {
            Order.query(on: db).group(.or) { $0.filter(\.$requester.$id == p.accountID).filter(\.$placedBy.$id == p.accountID) }
        }
        let open = try await mine().filter(\.$status !~ OrderStatus.allCases.filter(\.isFinished)).count()
        let recent = try await mine().sort(\.$id, .descending).range(0..<3).all()
        return Ordering(open: open, recent: recent)
    }

    struct Serving { var hours: Double; var stars: Int; var points: Int; var next: [Activity] }

    /// A volunteer's hours, stars and points, and the activities they signed up for that are still ahead.
    func serving(_ p: Principal) async throws -> Serving? {
        guard let v = try await Volunteer.query(on: db).filter(\.$account.$id == p.accountID).filter(\.$active == true).first() else { return nil }
        let next = try await Signup.query(on: db).filter(\.$volunteer.$id == v.requireID()).filter(\.$status != SignupStatus.cancelled)
            .join(Activity.self, on: \Signup.$activity.$id == \Activity.$id)
            .filter(Activity.self, \.$status == ActivityStatus.published).filter(Activity.self, \.$endsAt > now)
            .sort(Activity.self, \.$startsAt).range(0..<3).all()
            .map { try $0.joined(Activity.self) }
        return Serving(hours: v.hoursTotal, stars: rewards.stars(forHours: v.hoursTotal), points: v.pointsBalance, next: next)
    }

    struct Queues { var waiting: Int; var soon: Int; var overdue: Int }

    /// The queues of the sites someone dispatches for: orders waiting to be dispatched (待派单), and of
    /// those waiting for a response (to be dispatched, or for the team to accept), how many are due
    /// soon and how many are late.
    func queues(_ scopes: [SitePath]) async throws -> Queues {
        func waiting() -> QueryBuilder<Order> {
            Order.query(on: db).join(Site.self, on: \Order.$ownerSite.$id == \Site.$id).within(scopes)
                .filter(\.$status ~~ OrderStatus.allCases.filter(\.awaitsResponse))
        }
        return Queues(waiting: try await waiting().filter(\.$status == OrderStatus.submitted).count(),
                      soon: try await waiting().filter(\.$overdue == false).filter(\.$responseDeadline < now.addingTimeInterval(Self.soon)).count(),
                      overdue: try await waiting().filter(\.$overdue == true).count())
    }
}

extension WorkbenchService {
    /// The number a resident calls (打电话给站点): their station's, else the nearest site above it that has one.
    func sitePhone(_ p: Principal) async throws -> (site: String, phone: String)? {
        var next: Int? = p.siteID
        var hops = 0
        while let id = next, hops < 8 {
            guard let site = try await Site.find(id, on: db) else { return nil }
            if let phone = site.phone, !phone.isEmpty { return (site.name, phone) }
            next = site.$parent.id
            hops += 1
        }
        return nil
    }
}
