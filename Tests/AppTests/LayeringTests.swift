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
    static let request = #"(?<![.\w])Request\b"#

    @Test func servicesNeverSeeARequest() throws {
        let services = try Self.files(under: "Services")
        #expect(services.count > 20)
        for (name, code) in services {
            #expect(code.range(of: Self.request, options: .regularExpression) == nil, "\(name) mentions Request: handlers turn requests into plain inputs")
        }
    }

    /// Writes through Fluent: a model saved, created, updated or deleted, or a bulk update or delete.
    static let fluentWrite = #"\.(save|create|update|delete|forceDelete|restore)\(on:|\.set\(\\|\.(update|delete)\(\)"#

    /// Handlers that still write through Fluent themselves, to be moved into their feature's service.
    /// The list only shrinks: a file that stops writing must leave it, a new one may not join.
    static let stillWriting: Set<String> = [
        "AccountSection.swift", "CalendarController.swift", "CategorySection.swift", "InboxController.swift", "IntegrationSection.swift",
        "PerkSection.swift", "ProjectSection.swift", "TeamSection.swift", "VolunteerSection.swift",
    ]

    @Test func pagesAndHandlersNeverWriteThroughFluent() throws {
        let handlers = try Self.files(under: "Controllers")
        #expect(handlers.count > 20)
        var writing: Set<String> = []
        for (name, code) in handlers where code.range(of: Self.fluentWrite, options: .regularExpression) != nil {
            writing.insert(name)
        }
        #expect(writing.subtracting(Self.stillWriting).sorted() == [], "handlers that write through Fluent: move the write into the feature's service")
        #expect(Self.stillWriting.subtracting(writing).sorted() == [], "these no longer write through Fluent: take them off the list")
    }
}
