import Foundation
import Testing
@testable import App

/// The layering rule of docs/ARCHITECTURE.md, checked on the sources: services never see HTTP, and
/// pages and API handlers never write through Fluent.
@Suite("Layering")
struct LayeringTests {
    static let sources = URL(fileURLWithPath: Settings.packageRoot).appendingPathComponent("Sources/App")

    /// The Swift files under a folder of Sources/App, with their text minus comment lines.
    static func files(under folder: String) throws -> [(name: String, code: String)] {
        let root = sources.appendingPathComponent(folder)
        return try FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
            .map { url in
                let code = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
                return (String(url.path.dropFirst(root.path.count + 1)), code)
            }
    }

    /// Vapor's `Request` (not another library's `HTTPClient.Request`).
    static let request = #"(?<!HTTPClient\.)(?<!\w)Request\b"#

    /// A feature's handlers are its `…API.swift`, `…Pages.swift` and `…Routes.swift`; every other
    /// file of a feature (its service, jobs, queries and models) is below HTTP.
    static func isHandler(_ name: String) -> Bool {
        ["API.swift", "Pages.swift", "Routes.swift"].contains { name.hasSuffix($0) }
    }

    @Test func everyFeatureFileIsAHandlerOrBelowHTTP() throws {
        let files = try Self.files(under: "Features")
        #expect(files.count > 60)
        #expect(files.filter { Self.isHandler($0.name) }.count > 25)
        for (name, code) in files where !Self.isHandler(name) {
            #expect(code.range(of: Self.request, options: .regularExpression) == nil,
                    "\(name) mentions Request: only handlers see HTTP, and they turn requests into plain inputs for the service")
        }
    }

    /// Writes through Fluent: a model saved, created, updated or deleted, or a bulk update or delete.
    static let fluentWrite = #"\.(save|create|update|delete|forceDelete|restore)\([^)]*\bon:|\.set\(\\|\.(update|delete)\(\)"#

    @Test func pagesAndHandlersNeverWriteThroughFluent() throws {
        let handlers = try Self.files(under: "Features").filter { Self.isHandler($0.name) }
        var writing: Set<String> = []
        for (name, code) in handlers where code.range(of: Self.fluentWrite, options: .regularExpression) != nil {
            writing.insert(name)
        }
        #expect(writing.sorted() == [], "handlers that write through Fluent: move the write into the feature's service")
    }

    /// Pages and API handlers never test a role themselves: they ask a named rule (`Policy`, `OrderPolicy`, …).
    @Test func handlersAskNamedRulesInsteadOfTestingRoles() throws {
        let handlers = try Self.files(under: "Features").filter { Self.isHandler($0.name) }
        #expect(handlers.count > 25)
        for (name, code) in handlers {
            #expect(code.range(of: #"\.roles\b|\.role (==|!=)|\.contains\(\.(resident|volunteer|teamLeader|practitioner|siteAdmin|auditor)\)"#,
                               options: .regularExpression) == nil, "\(name) tests a role itself")
        }
    }

    /// Services are built one way: every `…Service` of a feature is made from a `ServiceContext`.
    @Test func everyServiceIsMadeFromItsContext() throws {
        let files = try Self.files(under: "Features")
        let all = files.map(\.code).joined(separator: "\n")
        var services = 0
        for (name, code) in files {
            for m in code.matches(of: /struct (\w+Service)\b/) {
                services += 1
                let service = String(m.output.1)
                #expect(all.contains("struct \(service): MadeFromContext") || all.contains("extension \(service): MadeFromContext"),
                        "\(name): \(service) is not made from a ServiceContext")
            }
        }
        #expect(services >= 19)
    }

    /// Every command in a file of its own, under Commands/.
    @Test func oneCommandPerFile() throws {
        var seen = 0
        for folder in ["Features", "Shared", "Commands"] {
            for (name, code) in try Self.files(under: folder) {
                let count = code.matches(of: /:\s*AsyncCommand\b/).count
                seen += count
                #expect(count == 0 || (folder == "Commands" && count == 1), "\(folder)/\(name) holds \(count) commands")
            }
        }
        #expect(seen >= 11)
    }
}
