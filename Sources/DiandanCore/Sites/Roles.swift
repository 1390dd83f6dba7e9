/// The roles a person can hold; each grant of a role is scoped to a site and its subtree.
public enum Role: String, Sendable, Codable, CaseIterable {
    case resident       // 群众
    case practitioner   // 文明实践员
    case siteAdmin      // 中心/所/站管理员
    case teamLeader     // 队长
    case volunteer      // 志愿者
    case auditor        // 领导 (read-only)
}

/// What the admin pages manage.
public enum Resource: String, Sendable, CaseIterable {
    case sites, teams, volunteers, categories, menu, accounts, orders, activities, perks, projects, surveys, trainings
}

public enum Access: String, Sendable, CaseIterable {
    case read, write
}

/// One role held at one site.
public struct Grant: Sendable, Hashable {
    public let role: Role
    public let siteID: Int
    public let sitePath: SitePath
    public let siteKind: SiteKind

    public init(role: Role, siteID: Int, sitePath: SitePath, siteKind: SiteKind) {
        self.role = role
        self.siteID = siteID
        self.sitePath = sitePath
        self.siteKind = siteKind
    }
}

/// Every decision about who may do what, in one place.
public enum Policy {
    /// Roles that may read or write a resource anywhere in the subtree of their grant.
    public static func roles(for resource: Resource, _ access: Access) -> Set<Role> {
        switch (resource, access) {
        case (_, .read): [.siteAdmin, .auditor]
        case (_, .write): [.siteAdmin]
        }
    }

    /// Who works with needs surveys (问需): practitioners collect them, admins design them, auditors read them.
    public static func worksWithSurveys(_ grants: [Grant]) -> Bool {
        grants.contains { [.practitioner, .siteAdmin, .auditor].contains($0.role) }
    }

    /// Who holds a team leader's grant (the team's orders, 接单).
    public static func leadsTeams(_ grants: [Grant]) -> Bool { grants.contains { $0.role == .teamLeader } }

    /// Who is a resident and nothing else: their 长辈版 home is four big tiles.
    public static func residentOnly(_ grants: [Grant]) -> Bool { !grants.isEmpty && grants.allSatisfy { $0.role == .resident } }

    /// Who has a volunteer's own pages (hours, stars, points): volunteers and team leaders.
    public static func volunteers(_ grants: [Grant]) -> Bool { grants.contains { $0.role == .volunteer || $0.role == .teamLeader } }

    /// Grants that allow the action at all, wherever it applies.
    public static func grants(_ grants: [Grant], allowing resource: Resource, _ access: Access) -> [Grant] {
        let roles = roles(for: resource, access)
        return grants.filter { grant in
            guard roles.contains(grant.role) else { return false }
            // Service categories are shared by the whole tree: only a centre's admins change them.
            if resource == .categories, access == .write { return grant.siteKind == .centre }
            return true
        }
    }

    /// May someone holding `grants` do this to something located at `target`?
    /// `target == nil` asks about a resource that belongs to no site (categories).
    public static func allows(_ grants: [Grant], _ resource: Resource, _ access: Access, at target: SitePath?) -> Bool {
        let usable = Self.grants(grants, allowing: resource, access)
        guard let target else { return !usable.isEmpty }
        return usable.contains { $0.sitePath.covers(target) }
    }

    /// The centres (县级中心) these grants administer: integrations and the audit log are theirs.
    public static func centresAdministered(_ grants: [Grant]) -> [SitePath] {
        grants.filter { $0.role == .siteAdmin && $0.siteKind == .centre }.map(\.sitePath)
    }

    /// The subtrees in which someone may act; overlapping grants are collapsed to their tops.
    public static func scopes(_ grants: [Grant], _ resource: Resource, _ access: Access) -> [SitePath] {
        let paths = Set(Self.grants(grants, allowing: resource, access).map(\.sitePath)).sorted()
        var tops: [SitePath] = []
        for path in paths where !tops.contains(where: { $0.covers(path) }) { tops.append(path) }
        return tops
    }

    /// A grant may only be handed out by someone who may manage accounts at that site;
    /// no one creates a grant above their own reach.
    public static func mayAssign(_ role: Role, at site: SitePath, by grants: [Grant]) -> Bool {
        allows(grants, .accounts, .write, at: site)
    }

    /// May someone change this account — its password, name, phone, whether it is disabled, its
    /// grants, its sessions? Their reach must cover the account's home site *and every grant it
    /// holds*: a station admin must not take over an account of their station that also administers
    /// the county centre.
    public static func mayManageAccount(home: SitePath, holding: [SitePath], by grants: [Grant]) -> Bool {
        allows(grants, .accounts, .write, at: home) && holding.allSatisfy { allows(grants, .accounts, .write, at: $0) }
    }
}
extension Role: CustomStringConvertible { public var description: String { rawValue } }
