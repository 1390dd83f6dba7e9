import Vapor
import DiandanCore

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }

    var localizer: Localizer {
        get { storage[LocalizerKey.self] ?? Localizer(catalogues: [:]) }
        set { storage[LocalizerKey.self] = newValue }
    }

    /// Reads Resources/Locales/<locale>.json for every locale.
    static func loadCatalogues(from directory: String) throws -> Localizer {
        var catalogues: [AppLocale: [String: String]] = [:]
        for locale in AppLocale.allCases {
            let path = directory + "Resources/Locales/\(locale.rawValue).json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError("Missing translation catalogue \(path); set DIANDAN_RESOURCES_DIR.")
            }
            catalogues[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Localizer(catalogues: catalogues)
    }
}

extension Request {
    static let languageCookie = "diandan_lang"

    private struct LocaleKey: StorageKey { typealias Value = AppLocale }

    /// The language a person reads: their explicit choice (cookie), else their account's, else
    /// what the browser prefers, else Chinese.
    var locale: AppLocale {
        if let cached = storage[LocaleKey.self] { return cached }
        let resolved = resolveLocale()
        storage[LocaleKey.self] = resolved
        return resolved
    }

    private func resolveLocale() -> AppLocale {
        if let raw = cookies[Self.languageCookie]?.string, let l = AppLocale(rawValue: raw) { return l }
        if let p = principal, let l = AppLocale(rawValue: p.locale) { return l }
        if let accept = headers.first(name: .acceptLanguage)?.lowercased() {
            let first = accept.split(separator: ",").first.map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) } ?? ""
            if first.hasPrefix("en") { return .en }
        }
        return .zhCN
    }

    func t(_ key: String, _ args: [String: String] = [:]) -> String {
        application.localizer.text(key, locale, args)
    }

    func t(_ message: Message) -> String { application.localizer.text(message, locale) }
}

extension Request {
    static let largeTextCookie = "diandan_size"
    /// Set for half an hour when someone not signed in turns 长辈版 on with the switch's form.
    static let largeTextChosenCookie = "diandan_size_chosen"

    /// 长辈版 (large text): this device's choice (cookie), else the account's, else off.
    var largeText: Bool {
        switch cookies[Self.largeTextCookie]?.string {
        case "large": return true
        case "normal": return false
        default: return principal?.largeText ?? false
        }
    }
}
