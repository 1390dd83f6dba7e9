import Foundation
import Testing
@testable import DiandanCore

/// Every piece of UI text comes from the catalogues; both languages have the same keys, and every
/// key the code or a template uses exists.
@Suite("Translation catalogues")
struct CatalogueTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    func catalogue(_ locale: AppLocale) throws -> [String: String] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Resources/Locales/\(locale.rawValue).json"))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    func files(under folder: String, ending suffix: String) throws -> [String] {
        let base = Self.root.appendingPathComponent(folder)
        let walker = FileManager.default.enumerator(atPath: base.path)
        var out: [String] = []
        while let path = walker?.nextObject() as? String {
            if path.hasSuffix(suffix) { out.append(try String(contentsOf: base.appendingPathComponent(path), encoding: .utf8)) }
        }
        return out
    }

    func matches(_ pattern: String, in text: String) throws -> [String] {
        let re = try NSRegularExpression(pattern: pattern)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test func bothLanguagesHaveTheSameKeysAndNoEmptyText() throws {
        let zh = try catalogue(.zhCN), en = try catalogue(.en)
        #expect(Set(zh.keys).subtracting(en.keys).sorted() == [])
        #expect(Set(en.keys).subtracting(zh.keys).sorted() == [])
        #expect(zh.filter { $0.value.isEmpty }.keys.sorted() == [])
        #expect(en.filter { $0.value.isEmpty }.keys.sorted() == [])
        // Placeholders agree, so "{max}" is never lost in one language.
        for (key, text) in zh {
            let a = Set(try matches("\\{([a-z]+)\\}", in: text)), b = Set(try matches("\\{([a-z]+)\\}", in: en[key] ?? ""))
            #expect(a == b, "placeholders differ for \(key)")
        }
    }

    @Test func everyKeyInUseExists() throws {
        let zh = try catalogue(.zhCN)
        var used: Set<String> = []
        for template in try files(under: "Resources/Views", ending: ".leaf") {
            used.formUnion(try matches("#t\\(\"([^\"]+)\"\\)", in: template))
        }
        for source in try files(under: "Sources", ending: ".swift") {
            used.formUnion(try matches("(?:\\bt|Message|fail|ValidationFailure\\(field: \"[a-z_]+\",)\\(?\\s*\"([a-z_]+\\.[a-zA-Z_.\\-]+)\"", in: source))
            used.formUnion(try matches("Key: String \\{ \"([a-z_]+\\.[a-z_.]+)\" \\}|Key = \"([a-z_]+\\.[a-z_]+)\"", in: source))
            used.formUnion(try matches("\"((?:error|admin|site|team|menu|volunteer|category|account|common|member|points|order|me|nav)\\.[a-z_.]+)\"", in: source))
        }
        // Keys built from enum values.
        for k in SiteKind.allCases { used.insert("site.kind.\(k.rawValue)") }
        for z in Zone.allCases { used.insert("site.zone.\(z.rawValue)") }
        for r in Role.allCases { used.insert("role.\(r.rawValue)") }
        for g in Gender.allCases { used.insert("gender.\(g.rawValue)") }
        for m in MemberRole.allCases { used.insert("member.role.\(m.rawValue)") }
        for l in AppLocale.allCases { used.insert("lang.\(l.rawValue)") }
        for p in ["length", "characters", "region", "birthDate", "checkDigit"] { used.insert("error.id_number.\(p)") }
        for s in OrderStatus.allCases { used.insert("order.status.\(s.rawValue)") }
        for c in OrderChannel.allCases { used.insert("order.channel.\(c.rawValue)") }
        for s in ["queued", "running", "done", "failed"] { used.insert("export.status.\(s)") }
        for a in OrderAction.allCases { used.insert("order.action.\(a.rawValue)") }
        for a in [OrderAction.accept, .decline, .claim, .start, .urge, .close, .cancel, .reject, .escalate] { used.insert("order.do.\(a.rawValue)") }
        for a in OrderActor.allCases { used.insert("order.actor.\(a.rawValue)") }
        for t in 0...2 { used.insert("order.tier.\(t)") }
        // Notice topics look like keys ("order.escalated") but are names; their text is "notice.<topic>".
        used.subtract(NoticeTopic.allCases.map(\.rawValue))
        for t in NoticeTopic.allCases { used.insert("notice.\(t.rawValue)") }
        for own in NoticeTopic.allCases.compactMap(NoticeRules.requesterTopic(for:)) { used.remove(own); used.insert("notice.\(own)") }
        for s in ActivityStatus.allCases { used.insert("activity.status.\(s.rawValue)") }
        for s in SignupStatus.allCases { used.insert("signup.status.\(s.rawValue)") }
        for s in WishStatus.allCases { used.insert("wish.status.\(s.rawValue)") }
        for s in ProjectStatus.allCases { used.insert("project.status.\(s.rawValue)") }
        for a in WishAction.allCases { used.insert("wish.action.\(a.rawValue)"); used.insert("wish.do.\(a.rawValue)") }
        #expect(used.count > 100)
        let missing = used.filter { zh[$0] == nil && !$0.hasSuffix(".") }.sorted()
        #expect(missing == [])
    }

    @Test func theLocalizerFillsPlaceholdersAndFallsBack() {
        let l = Localizer(catalogues: [.zhCN: ["a": "最多{max}项", "only.zh": "中"], .en: ["a": "At most {max}"]])
        #expect(l.text("a", .en, ["max": "3"]) == "At most 3")
        #expect(l.text(Message("a", ["max": "5"]), .zhCN) == "最多5项")
        #expect(l.text("only.zh", .en) == "中")
        #expect(l.text("nowhere", .en) == "nowhere")
    }
}
