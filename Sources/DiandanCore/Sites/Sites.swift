/// The kinds of practice site (阵地), from the county centre down to a point.
public enum SiteKind: String, Sendable, Codable, CaseIterable {
    case centre          // 中心
    case branchCentre    // 分中心
    case institute       // 所
    case station         // 站
    case point           // 点

    /// Which kinds may hang directly below a site of this kind.
    public var allowedChildren: Set<SiteKind> {
        switch self {
        case .centre: [.branchCentre, .institute]
        case .branchCentre: [.institute, .station]
        case .institute: [.station]
        case .station: [.point]
        case .point: []
        }
    }

    /// Only a centre stands at the root of a tree.
    public var isRoot: Bool { self == .centre }

    public static func canPlace(_ child: SiteKind, under parent: SiteKind?) -> Bool {
        guard let parent else { return child.isRoot }
        return parent.allowedChildren.contains(child)
    }
}

/// The service zone sets the response deadline (urban: 10 minutes; rural: same day).
public enum Zone: String, Sendable, Codable, CaseIterable {
    case urban, rural
}

/// A materialised path of site ids, `/00000001/00000004/00000017/`: the site and all its ancestors.
/// Subtree membership is a prefix test, so scope checks need no recursive query; ids have a fixed
/// width so that sorting by path lists a tree in order (parent, then its children).
public struct SitePath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    static func segment(_ id: Int) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    public static func root(_ id: Int) -> SitePath { SitePath(rawValue: "/\(segment(id))/") }

    public func child(_ id: Int) -> SitePath { SitePath(rawValue: rawValue + "\(Self.segment(id))/") }

    /// True when `other` is this site or lies below it.
    public func covers(_ other: SitePath) -> Bool { other.rawValue.hasPrefix(rawValue) }

    public var ids: [Int] { rawValue.split(separator: "/").compactMap { Int($0) } }

    public var depth: Int { ids.count }

    public var description: String { rawValue }

    public static func < (lhs: SitePath, rhs: SitePath) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Int {
    /// Zero-padded to `width` digits (`7.padded(3)` is "007"), without the cost of `String(format:)`
    /// on paths that run millions of times.
    public func padded(_ width: Int) -> String {
        let digits = String(self)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// `yyyy-MM-dd` from a day code (20261122), as service records keep their day.
public func isoDay(_ code: Int) -> String {
    (code / 10_000).padded(4) + "-" + (code / 100 % 100).padded(2) + "-" + (code % 100).padded(2)
}

extension SiteKind: CustomStringConvertible { public var description: String { rawValue } }
extension Zone: CustomStringConvertible { public var description: String { rawValue } }

public enum SiteNames {
    static let suffixes = ["新时代文明实践分中心", "新时代文明实践中心", "新时代文明实践所", "新时代文明实践站", "新时代文明实践点"]

    /// A site's name without the network's common suffix, where space is short (a map): 象湖镇新时代文明实践所 → 象湖镇.
    public static func short(_ name: String) -> String {
        for suffix in suffixes where name.hasSuffix(suffix) && name.count > suffix.count { return String(name.dropLast(suffix.count)) }
        return name
    }
}
