/// UI text by key, one catalogue per language. Missing keys fall back to Chinese, then to the key
/// itself (the catalogue test makes sure that never happens in practice).
public struct Localizer: Sendable {
    public let catalogues: [AppLocale: [String: String]]

    public init(catalogues: [AppLocale: [String: String]]) { self.catalogues = catalogues }

    public func text(_ key: String, _ locale: AppLocale, _ args: [String: String] = [:]) -> String {
        var s = catalogues[locale]?[key] ?? catalogues[.zhCN]?[key] ?? key
        for (name, value) in args { s = s.replacingOccurrences(of: "{\(name)}", with: value) }
        return s
    }

    public func text(_ message: Message, _ locale: AppLocale) -> String {
        var args = message.args
        for (name, key) in message.keyArgs { args[name] = text(key, locale) }
        return text(message.key, locale, args)
    }
}
