import Foundation

// What each admin form and API body must contain. The checks that need the database
// (uniqueness, existence of a referenced row, scope) are done by the services on top.

public struct VolunteerRegistration: Sendable, Equatable {
    public var realName: String
    public var idNumber: IDNumber
    public var phone: PhoneNumber
    public var skills: [String]
    public var siteID: Int

    public init(realName: String, idNumber: IDNumber, phone: PhoneNumber, skills: [String], siteID: Int) {
        self.realName = realName
        self.idNumber = idNumber
        self.phone = phone
        self.skills = skills
        self.siteID = siteID
    }

    public var gender: Gender { idNumber.gender }
    public var birthDate: String { idNumber.birthDate }

    /// The minimum age to register (service law: minors join with a guardian, not on their own).
    public static let minimumAge = 14

    public static func read(_ r: inout FieldReader, today: Date) -> VolunteerRegistration? {
        let name = r.text("real_name", max: 40)
        var id: IDNumber?
        if let raw = r.text("id_number", max: 18) {
            switch IDNumber.parse(raw, today: today) {
            case .success(let v):
                id = v
                if v.age(on: today) < minimumAge {
                    r.fail("id_number", "error.id_number.too_young", ["age": String(minimumAge)])
                }
            case .failure(let p): r.fail("id_number", "error.id_number.\(p)")
            }
        }
        var phone: PhoneNumber?
        if let raw = r.text("phone", max: 20) {
            phone = PhoneNumber.parse(raw)
            if phone == nil { r.fail("phone", "error.phone") }
        }
        let skills = r.tags("skills", maxCount: 20, maxLength: 20)
        let site = r.int("site_id", in: 1...Int(Int32.max))
        if !r.bool("consent") { r.fail("consent", "error.consent") }
        guard r.isValid, let name, let id, let phone, let site else { return nil }
        return VolunteerRegistration(realName: name, idNumber: id, phone: phone, skills: skills, siteID: site)
    }
}

public struct SiteInput: Sendable, Equatable {
    public var code: String
    public var name: String
    public var kind: SiteKind
    public var parentID: Int?
    public var latitude: Double
    public var longitude: Double
    public var zone: Zone
    public var active: Bool
    /// Minutes to respond to an order, when the site sets its own instead of its zone's.
    public var responseMinutes: Int? = nil
    /// The number residents call: a mobile or a landline, kept as digits (with a landline's dash).
    public var phone: String? = nil

    public static func read(_ r: inout FieldReader) -> SiteInput? {
        let code = r.text("code", max: 32, min: 2)
        if let code, !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            r.fail("code", "error.code_format")
        }
        let name = r.text("name", max: 60)
        let kind = r.choice("kind", SiteKind.self)
        let parent = r.int("parent_id", required: false, in: 1...Int(Int32.max))
        // Within China's extent, so a swapped latitude/longitude is caught.
        let lat = r.double("latitude", in: 3...54)
        let lon = r.double("longitude", in: 73...136)
        let zone = r.choice("zone", Zone.self)
        let active = r.bool("active")
        let responseMinutes = r.int("response_minutes", required: false, in: 1...1440)
        var phone: String?
        if let raw = r.text("phone", required: false, max: 24) {
            phone = PhoneNumber.parse(raw, landline: true)?.value
            if phone == nil { r.fail("phone", "error.phone_or_landline") }
        }
        if let kind, !SiteKind.canPlace(kind, under: nil), parent == nil, !r.hasError("parent_id") {
            r.fail("parent_id", "error.site.parent_required")
        }
        guard r.isValid, let code, let name, let kind, let lat, let lon, let zone else { return nil }
        return SiteInput(code: code, name: name, kind: kind, parentID: parent, latitude: lat, longitude: lon, zone: zone, active: active,
                         responseMinutes: responseMinutes, phone: phone)
    }
}

public struct TeamInput: Sendable, Equatable {
    public var name: String
    public var siteID: Int
    public var categoryIDs: [Int]
    public var professional: Bool
    public var maxConcurrentOrders: Int
    public var active: Bool

    public static func read(_ r: inout FieldReader) -> TeamInput? {
        let name = r.text("name", max: 60)
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let categories = r.ids("category_ids", max: 50)
        let professional = r.bool("professional")
        let maxOrders = r.int("max_concurrent_orders", in: 1...1000)
        let active = r.bool("active")
        guard r.isValid, let name, let site, let maxOrders else { return nil }
        return TeamInput(name: name, siteID: site, categoryIDs: categories, professional: professional, maxConcurrentOrders: maxOrders, active: active)
    }
}

public enum MemberRole: String, Sendable, Codable, CaseIterable {
    case leader, member
}

public struct MembershipInput: Sendable, Equatable {
    public var volunteerNumber: String
    public var role: MemberRole

    public static func read(_ r: inout FieldReader) -> MembershipInput? {
        let number = r.text("volunteer_number", max: 32)
        let role = r.choice("role", MemberRole.self)
        guard r.isValid, let number, let role else { return nil }
        return MembershipInput(volunteerNumber: number, role: role)
    }
}

public struct CategoryInput: Sendable, Equatable {
    public var name: String
    public var nameEn: String
    public var sortOrder: Int
    public var active: Bool

    public static func read(_ r: inout FieldReader) -> CategoryInput? {
        let name = r.text("name", max: 30)
        let nameEn = r.text("name_en", max: 60)
        let sort = r.int("sort_order", required: false, in: 0...9999) ?? 0
        let active = r.bool("active")
        guard r.isValid, let name, let nameEn else { return nil }
        return CategoryInput(name: name, nameEn: nameEn, sortOrder: sort, active: active)
    }
}

public struct MenuItemInput: Sendable, Equatable {
    public var categoryID: Int
    /// The site whose admins curate the entry; covered sites lie in its subtree.
    public var siteID: Int
    public var title: String
    public var description: String
    public var teamIDs: [Int]
    public var siteIDs: [Int]
    public var autoAccept: Bool
    public var active: Bool

    public static func read(_ r: inout FieldReader) -> MenuItemInput? {
        let category = r.int("category_id", in: 1...Int(Int32.max))
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let title = r.text("title", max: 60)
        let description = r.text("description", required: false, max: 2000, multiline: true) ?? ""
        let teams = r.ids("team_ids", max: 200)
        let sites = r.ids("site_ids", max: 2000)
        let autoAccept = r.bool("auto_accept")
        let active = r.bool("active")
        if sites.isEmpty, !r.hasError("site_ids") { r.fail("site_ids", "error.menu.sites_required") }
        if autoAccept, teams.isEmpty, !r.hasError("team_ids") { r.fail("team_ids", "error.menu.auto_accept_needs_team") }
        guard r.isValid, let category, let site, let title else { return nil }
        return MenuItemInput(categoryID: category, siteID: site, title: title, description: description, teamIDs: teams, siteIDs: sites, autoAccept: autoAccept, active: active)
    }
}

public enum AppLocale: String, Sendable, Codable, CaseIterable {
    case zhCN = "zh-CN"
    case en
}

public enum PasswordPolicy {
    public static let minimumLength = 8

    /// At least eight characters, with letters and digits, not the username, and not on the list of
    /// passwords everybody tries first (`common`).
    public static func problem(_ password: String, username: String?) -> String? {
        if password.count < minimumLength { return "error.password.short" }
        if password.count > 128 { return "error.password.long" }
        let hasLetter = password.contains { $0.isLetter }
        let hasDigit = password.contains { $0.isNumber }
        if !hasLetter || !hasDigit { return "error.password.simple" }
        if let username, password.lowercased().contains(username.lowercased()) { return "error.password.username" }
        if common.contains(Substring(password.lowercased())) { return "error.password.common" }
        return nil
    }
}

public struct AccountInput: Sendable, Equatable {
    public var username: String
    public var phone: PhoneNumber?
    public var password: String?
    public var locale: AppLocale
    public var siteID: Int
    public var disabled: Bool

    /// `passwordRequired` is true when creating; when editing, an empty password keeps the old one.
    public static func read(_ r: inout FieldReader, passwordRequired: Bool) -> AccountInput? {
        let username = r.text("username", max: 32, min: 3)
        if let username, !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            r.fail("username", "error.username_format")
        }
        var phone: PhoneNumber?
        if let raw = r.text("phone", required: false, max: 20) {
            phone = PhoneNumber.parse(raw)
            if phone == nil { r.fail("phone", "error.phone") }
        }
        let password = r.text("password", required: passwordRequired, max: 128)
        if let password, let problem = PasswordPolicy.problem(password, username: username) {
            r.fail("password", problem, ["min": String(PasswordPolicy.minimumLength)])
        }
        let locale = r.choice("locale", AppLocale.self, required: false) ?? .zhCN
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let disabled = r.bool("disabled")
        guard r.isValid, let username, let site else { return nil }
        return AccountInput(username: username, phone: phone, password: password, locale: locale, siteID: site, disabled: disabled)
    }
}

public struct GrantInput: Sendable, Equatable {
    public var role: Role
    public var siteID: Int

    public static func read(_ r: inout FieldReader) -> GrantInput? {
        let role = r.choice("role", Role.self)
        let site = r.int("site_id", in: 1...Int(Int32.max))
        guard r.isValid, let role, let site else { return nil }
        return GrantInput(role: role, siteID: site)
    }
}

/// What an admin may change on a volunteer; name and ID number come from the real-name registration.
public struct VolunteerUpdateInput: Sendable, Equatable {
    public var siteID: Int
    public var skills: [String]
    public var active: Bool

    public static func read(_ r: inout FieldReader) -> VolunteerUpdateInput? {
        let site = r.int("site_id", in: 1...Int(Int32.max))
        let skills = r.tags("skills", maxCount: 20, maxLength: 20)
        let active = r.bool("active")
        guard r.isValid, let site else { return nil }
        return VolunteerUpdateInput(siteID: site, skills: skills, active: active)
    }
}

/// An outside system's name, its site (fixed once made) and the webhook address it is told through.
public struct IntegrationInput: Sendable, Equatable {
    public var name: String
    public var siteID: Int?
    public var webhookURL: String?

    public static func read(_ r: inout FieldReader, creating: Bool, allowPrivate: Bool = false) -> IntegrationInput? {
        let name = r.text("name", max: 60)
        let site = creating ? r.int("site_id", in: 1...Int(Int32.max)) : nil
        let url = r.text("webhook_url", required: false, max: 500)
        if let url, !WebhookRules.isValidURL(url) {
            r.fail("webhook_url", "integration.webhook_invalid")
        } else if let url, !WebhookRules.hostIsAllowed(url, allowPrivate: allowPrivate) {
            r.fail("webhook_url", "integration.webhook_private")
        }
        guard r.isValid, let name else { return nil }
        return IntegrationInput(name: name, siteID: site, webhookURL: url)
    }
}
