import Foundation
import Testing
@testable import DiandanCore

@Suite("The order loop")
struct OrderTests {
    /// The legal moves, written out independently of the machine's table: (action, from, actor, to).
    static let legal: [(OrderAction, OrderStatus, OrderActor, OrderStatus)] = [
        (.dispatch, .submitted, .siteAdmin, .dispatched), (.dispatch, .submitted, .system, .dispatched),
        (.accept, .dispatched, .assignedLeader, .accepted),
        (.decline, .dispatched, .assignedLeader, .submitted),
        (.claim, .submitted, .eligibleLeader, .accepted),
        (.start, .accepted, .assignedLeader, .inService),
        (.complete, .inService, .assignedLeader, .completed),
        (.rate, .completed, .requester, .rated),
        (.close, .rated, .siteAdmin, .closed), (.close, .rated, .system, .closed), (.close, .completed, .system, .closed),
        (.cancel, .submitted, .requester, .cancelled), (.cancel, .dispatched, .requester, .cancelled), (.cancel, .accepted, .requester, .cancelled),
        (.cancel, .submitted, .siteAdmin, .cancelled), (.cancel, .dispatched, .siteAdmin, .cancelled), (.cancel, .accepted, .siteAdmin, .cancelled),
        (.reject, .submitted, .siteAdmin, .rejected), (.reject, .dispatched, .siteAdmin, .rejected),
        (.escalate, .submitted, .siteAdmin, .submitted), (.escalate, .submitted, .system, .submitted),
        (.escalate, .dispatched, .siteAdmin, .submitted), (.escalate, .dispatched, .system, .submitted),
        (.urge, .submitted, .requester, .submitted), (.urge, .dispatched, .requester, .dispatched), (.urge, .accepted, .requester, .accepted),
    ]

    @Test func everyActionFromEveryStatusByEveryActorIsLegalExactlyWhenListed() {
        var checked = 0
        for action in OrderAction.allCases where action != .submit && action != .message {
            for status in OrderStatus.allCases {
                for actor in OrderActor.allCases {
                    let expected = Self.legal.first { $0.0 == action && $0.1 == status && $0.2 == actor }
                    let result = OrderMachine.apply(action, to: status, by: [actor], reason: "因为")
                    switch (expected, result) {
                    case (let e?, .success(let to)):
                        #expect(to == e.3, "\(action) from \(status) by \(actor)")
                    case (nil, .failure(let error)):
                        // The state decides first (409), then the person (403).
                        let stateAllows = Self.legal.contains { $0.0 == action && $0.1 == status }
                        if stateAllows {
                            #expect(error == .notAllowed(action: action, actor: actor), "\(action) from \(status) by \(actor)")
                        } else {
                            #expect(error == .illegalTransition(action: action, status: status), "\(action) from \(status) by \(actor)")
                        }
                    default:
                        Issue.record("\(action) from \(status) by \(actor): expected \(String(describing: expected)), got \(result)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 12 * 9 * 5)
    }

    @Test func declinesCancelsAndRejectsNeedAReason() {
        #expect(OrderMachine.apply(.decline, to: .dispatched, by: [.assignedLeader], reason: "  ") == .failure(.reasonRequired(action: .decline)))
        #expect(OrderMachine.apply(.cancel, to: .submitted, by: [.requester]) == .failure(.reasonRequired(action: .cancel)))
        #expect(OrderMachine.apply(.reject, to: .submitted, by: [.siteAdmin], reason: "不在服务范围") == .success(.rejected))
        #expect(OrderMachine.apply(.accept, to: .dispatched, by: [.assignedLeader]) == .success(.accepted))
    }

    @Test func messagesAreOpenUntilTheOrderEnds() {
        for status in OrderStatus.allCases {
            let r = OrderMachine.apply(.message, to: status, by: [.assignedLeader])
            #expect((try? r.get()) == (status.isFinal ? nil : status))
        }
        #expect(OrderMachine.apply(.message, to: .submitted, by: [.eligibleLeader]) == .failure(.notAllowed(action: .message, actor: .eligibleLeader)))
    }

    @Test func orderNumbersAreReadable() {
        let date = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 23, minute: 30))!
        #expect(OrderNumber.make(date: date, sequence: 123) == "DD20261122-000123")
        // Half past midnight in Beijing is still the previous day in UTC; the number follows Beijing.
        let early = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 0, minute: 30))!
        #expect(OrderNumber.make(date: early, sequence: 1) == "DD20261123-000001")
    }

    @Test func deadlinesFollowTheZone() {
        let cal = Calendar.chinaStandard
        let morning = cal.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 9))!
        let policy = DeadlinePolicy()
        #expect(policy.responseDeadline(zone: .urban, from: morning) == morning.addingTimeInterval(600))
        #expect(policy.responseDeadline(zone: .rural, from: morning) == cal.date(from: DateComponents(year: 2026, month: 11, day: 23))!)
        let late = cal.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 23, minute: 30))!
        #expect(policy.responseDeadline(zone: .rural, from: late) == late.addingTimeInterval(7200))
        #expect(policy.responseDeadline(zone: .rural, from: morning, overrideMinutes: 30) == morning.addingTimeInterval(1800))
        #expect(policy.completionDeadline(from: morning, days: nil) == morning.addingTimeInterval(3 * 86_400))
    }

    @Test func hoursMakeStarsAndPoints() {
        let r = RewardPolicy()
        #expect(r.stars(forHours: 0) == 0)
        #expect(r.stars(forHours: 99.5) == 0)
        #expect(r.stars(forHours: 100) == 1)
        #expect(r.stars(forHours: 650) == 3)
        #expect(r.stars(forHours: 5000) == 5)
        #expect(r.hoursToNextStar(from: 250) == 50)
        #expect(r.hoursToNextStar(from: 1500) == nil)
        #expect(r.points(forHours: 2.5) == 25)
        #expect(r.points(forHours: 2.5, rating: 5) == 30)
        #expect(r.points(forHours: 2.5, rating: 4) == 25)
    }

    // station 3 under institute 2 under centre 1; a sibling station 4.
    let centre = SitePath.root(1)
    var institute: SitePath { centre.child(2) }
    var station: SitePath { institute.child(3) }
    var tiers: [SitePath] { [station, institute, centre] }

    func team(_ id: Int, _ path: SitePath, km: Double, load: Int = 0, max: Int = 3, rating: Double? = nil) -> TeamCandidate {
        // 1 degree of latitude ≈ 111.2 km.
        TeamCandidate(teamID: id, name: "队\(id)", sitePath: path, latitude: 25.0 + km / 111.195, longitude: 116.0,
                      activeOrders: load, maxConcurrentOrders: max, meanRating: rating)
    }

    @Test func theNearestLevelOfTheTreeComesFirst() {
        let ranked = DispatchRanker().rank([
            team(1, centre, km: 0.1),
            team(2, institute.child(4), km: 1),
            team(3, station, km: 8),
        ], latitude: 25.0, longitude: 116.0, tiers: tiers)
        #expect(ranked.map(\.teamID) == [3, 2, 1])
        #expect(ranked.map(\.tier) == [0, 1, 2])
        #expect(abs(ranked[0].distanceKm - 8) < 0.05)
    }

    @Test func withinALevelDistanceLoadAndRatingDecide() {
        let ranked = DispatchRanker().rank([
            team(1, station, km: 5),
            team(2, station, km: 2),
            team(3, station, km: 1, load: 2, max: 3),      // nearer but two-thirds busy
            team(4, station, km: 4, rating: 5),            // further but well rated
        ], latitude: 25.0, longitude: 116.0, tiers: tiers)
        #expect(ranked.map(\.teamID) == [4, 2, 1, 3])
    }

    @Test func fullInactiveAndDecliningTeamsAreSkipped() {
        var declined = team(2, station, km: 1)
        declined.declinedThisOrder = true
        var inactive = team(3, station, km: 1)
        inactive.active = false
        let ranked = DispatchRanker().rank([
            team(1, station, km: 1, load: 3, max: 3), declined, inactive, team(4, centre, km: 30),
            team(5, SitePath.root(9), km: 0),  // another county
        ], latitude: 25.0, longitude: 116.0, tiers: tiers)
        #expect(ranked.map(\.teamID) == [4])
    }

    @Test func distancesAreGreatCircle() {
        // Ruijin to Ganzhou, about 120 km apart.
        let d = Geo.distanceKm(25.8857, 116.0270, 25.8310, 114.9350)
        #expect(d > 105 && d < 115)
        #expect(Geo.distanceKm(25, 116, 25, 116) == 0)
    }

    @Test func photosAreRecognisedByTheirBytesNotTheirNames() {
        #expect(ImageKind.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0]) == .jpeg)
        #expect(ImageKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ImageKind.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(ImageKind.sniff(Array("<html><script>alert(1)</script>".utf8)) == nil)
        #expect(ImageKind.sniff(Array("GIF89a".utf8)) == nil)
        #expect(ImageKind.sniff([0xFF, 0xD8]) == nil)
        #expect(ImageKind.sniff([]) == nil)
    }

    /// Who may order, decided once: a resident whose grant reaches the station orders for themself;
    /// a practitioner or admin over it orders on someone's behalf; anyone else, or elsewhere, not at all.
    @Test func whoMayOrderIsOneRule() {
        let county = SitePath.root(1), station = SitePath.root(1).child(2).child(3), other = SitePath.root(1).child(9).child(10)
        func grant(_ role: Role, _ path: SitePath) -> Grant { Grant(role: role, siteID: path.ids.last!, sitePath: path, siteKind: .station) }
        #expect(OrderPolicy.mayOrder([grant(.resident, station)], at: station) == false)
        #expect(OrderPolicy.mayOrder([grant(.practitioner, station)], at: station) == true)
        #expect(OrderPolicy.mayOrder([grant(.siteAdmin, county)], at: station) == true)
        #expect(OrderPolicy.mayOrder([grant(.siteAdmin, county), grant(.resident, station)], at: station) == false)
        #expect(OrderPolicy.mayOrder([grant(.resident, other)], at: station) == nil)
        #expect(OrderPolicy.mayOrder([grant(.teamLeader, station), grant(.volunteer, station), grant(.auditor, county)], at: station) == nil)
        #expect(OrderPolicy.orderingReach([grant(.teamLeader, other), grant(.resident, station)]) == [station])
    }

    /// One rating window: open for fourteen days, closed at exactly fourteen (rating and the scanner
    /// that closes unrated orders once disagreed about that very second).
    @Test func theRatingWindowClosesAtExactlyFourteenDays() {
        let done = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RatingWindow.isOpen(completedAt: done, now: done))
        #expect(RatingWindow.isOpen(completedAt: done, now: done.addingTimeInterval(14 * 86_400 - 1)))
        #expect(!RatingWindow.isOpen(completedAt: done, now: done.addingTimeInterval(14 * 86_400)))
        #expect(OrderStatus.allCases.filter(\.isFinished) == [.completed, .rated, .closed])
    }
}

/// The named rules pages and services both ask, instead of testing statuses and roles themselves.
@Suite("Order steps and the rules pages ask")
struct OrderStepTests {
    @Test func everyStepNamesAnActionAndThoseWithAReasonAreTheRefusals() {
        #expect(OrderStep.allCases.count == 14)
        #expect(OrderStep(rawValue: "open-for-claim") == .openForClaim)
        #expect(OrderStep.openForClaim.action == .dispatch)
        // Every action a person takes has a step (submitting is the order itself).
        #expect(Set(OrderStep.allCases.map(\.action)) == Set(OrderAction.allCases).subtracting([.submit]))
        #expect(OrderStep.allCases.filter(\.needsReason) == [.decline, .cancel, .reject])
    }

    @Test func openingForClaimContactAndActivitiesFollowStatusAndActor() {
        #expect(OrderPolicy.mayOpenForClaim(.submitted, openForClaim: false, by: [.siteAdmin]))
        #expect(!OrderPolicy.mayOpenForClaim(.submitted, openForClaim: true, by: [.siteAdmin]))
        #expect(!OrderPolicy.mayOpenForClaim(.dispatched, openForClaim: false, by: [.siteAdmin]))
        #expect(!OrderPolicy.mayOpenForClaim(.submitted, openForClaim: false, by: [.assignedLeader]))
        #expect(OrderPolicy.isClaimable(.submitted, openForClaim: true) && !OrderPolicy.isClaimable(.dispatched, openForClaim: true))
        #expect(OrderPolicy.maySeeContact(.completed, by: [.siteAdmin]))
        #expect(OrderPolicy.maySeeContact(.inService, by: [.assignedLeader]))
        #expect(!OrderPolicy.maySeeContact(.completed, by: [.assignedLeader]))
        #expect(!OrderPolicy.maySeeContact(.dispatched, by: [.requester]))
        #expect(OrderPolicy.mayOrganiseActivity(.accepted, by: [.assignedLeader]))
        #expect(!OrderPolicy.mayOrganiseActivity(.dispatched, by: [.siteAdmin]))
        #expect(!OrderPolicy.mayOrganiseActivity(.inService, by: [.requester]))
    }

    @Test func anActivityTakesSignUpsUntilItBeginsAndGoesToTheShowcaseOnceEnded() {
        let start = Date(timeIntervalSince1970: 2_000_000_000), end = start.addingTimeInterval(7200)
        #expect(ActivityWindow.takesSignups(.published, startsAt: start, now: start.addingTimeInterval(-1)))
        #expect(!ActivityWindow.takesSignups(.published, startsAt: start, now: start))
        #expect(!ActivityWindow.takesSignups(.pending, startsAt: start, now: start.addingTimeInterval(-1)))
        #expect(ActivityWindow.hasBegun(.published, startsAt: start, now: start) && !ActivityWindow.hasBegun(.cancelled, startsAt: start, now: end))
        #expect(ActivityWindow.hasEnded(.published, endsAt: end, now: end) && !ActivityWindow.hasEnded(.published, endsAt: end, now: start))
    }
}
