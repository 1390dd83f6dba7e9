import Foundation
import Testing
@testable import DiandanCore

@Suite("Scope and policy")
struct PolicyTests {
    // centre 1 → institute 2 → stations 3 and 4; institute 5 → station 6
    let centre = SitePath.root(1)
    var institute: SitePath { centre.child(2) }
    var station: SitePath { institute.child(3) }
    var sibling: SitePath { institute.child(4) }
    var elsewhere: SitePath { centre.child(5).child(6) }

    func grant(_ role: Role, _ path: SitePath, _ kind: SiteKind) -> Grant {
        Grant(role: role, siteID: path.ids.last!, sitePath: path, siteKind: kind)
    }

    @Test func aSubtreeIsCoveredAndASiblingIsNot() {
        #expect(institute.covers(station))
        #expect(institute.covers(institute))
        #expect(!station.covers(sibling))
        #expect(!station.covers(institute))
        // "/1/2/" must not cover "/1/23/": paths end in a slash for that reason.
        #expect(!SitePath(rawValue: "/1/2/").covers(SitePath(rawValue: "/1/23/")))
        #expect(station.ids == [1, 2, 3])
        #expect(station.depth == 3)
        #expect(station.rawValue == "/00000001/00000002/00000003/")
        // Fixed-width ids keep tree order when sorted as text: site 2 before site 12.
        #expect(centre.child(2) < centre.child(12))
        #expect(centre.child(2).child(99) < centre.child(12))
    }

    @Test func aStationAdminActsOnItsStationOnly() {
        let grants = [grant(.siteAdmin, station, .station)]
        for resource in [Resource.sites, .teams, .volunteers, .menu, .accounts] {
            #expect(Policy.allows(grants, resource, .write, at: station))
            #expect(Policy.allows(grants, resource, .read, at: station.child(9)))
            #expect(!Policy.allows(grants, resource, .read, at: sibling))
            #expect(!Policy.allows(grants, resource, .read, at: institute))
            #expect(!Policy.allows(grants, resource, .write, at: elsewhere))
        }
    }

    @Test func anAuditorReadsButNeverWrites() {
        let grants = [grant(.auditor, centre, .centre)]
        #expect(Policy.allows(grants, .volunteers, .read, at: station))
        #expect(!Policy.allows(grants, .volunteers, .write, at: station))
        #expect(!Policy.allows(grants, .categories, .write, at: nil))
    }

    @Test(arguments: [Role.resident, .practitioner, .teamLeader, .volunteer])
    func rolesWithoutAdminRightsGetNothing(role: Role) {
        let grants = [grant(role, centre, .centre)]
        for resource in Resource.allCases {
            for access in Access.allCases {
                #expect(!Policy.allows(grants, resource, access, at: station))
                #expect(Policy.scopes(grants, resource, access).isEmpty)
            }
        }
    }

    @Test func onlyCentreAdminsEditCategories() {
        #expect(Policy.allows([grant(.siteAdmin, centre, .centre)], .categories, .write, at: nil))
        #expect(!Policy.allows([grant(.siteAdmin, institute, .institute)], .categories, .write, at: nil))
        #expect(Policy.allows([grant(.siteAdmin, institute, .institute)], .categories, .read, at: nil))
    }

    @Test func overlappingGrantsCollapseToTheirTops() {
        let grants = [grant(.siteAdmin, station, .station), grant(.siteAdmin, institute, .institute), grant(.auditor, elsewhere, .station)]
        #expect(Policy.scopes(grants, .teams, .write) == [institute])
        #expect(Policy.scopes(grants, .teams, .read) == [institute, elsewhere].sorted())
    }

    @Test func grantsAreAssignedOnlyWithinReach() {
        let grants = [grant(.siteAdmin, institute, .institute)]
        #expect(Policy.mayAssign(.siteAdmin, at: station, by: grants))
        #expect(!Policy.mayAssign(.siteAdmin, at: centre, by: grants))
        #expect(!Policy.mayAssign(.auditor, at: elsewhere, by: grants))
    }

    @Test func siteKindsNestInOrder() {
        #expect(SiteKind.canPlace(.centre, under: nil))
        #expect(!SiteKind.canPlace(.station, under: nil))
        #expect(SiteKind.canPlace(.station, under: .institute))
        #expect(SiteKind.canPlace(.institute, under: .branchCentre))
        #expect(!SiteKind.canPlace(.institute, under: .station))
        #expect(!SiteKind.canPlace(.centre, under: .centre))
    }

    @Test func failedLoginsLockForAGrowingTime() {
        let t = LoginThrottle(freeAttempts: 5, baseLock: 30, maxLock: 900)
        #expect(t.lockDuration(afterFailures: 4) == 0)
        #expect(t.lockDuration(afterFailures: 5) == 30)
        #expect(t.lockDuration(afterFailures: 6) == 60)
        #expect(t.lockDuration(afterFailures: 7) == 120)
        #expect(t.lockDuration(afterFailures: 50) == 900)
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(t.lockedUntil(afterFailures: 5, now: now) == now.addingTimeInterval(30))
        #expect(t.lockedUntil(afterFailures: 1, now: now) == nil)
    }
}
