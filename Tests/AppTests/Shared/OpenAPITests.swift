import Foundation
import Testing
import VaporTesting
@testable import App
@testable import DiandanCore

@Suite("The OpenAPI document")
struct OpenAPITests {
    @Test func everyAPIRouteIsDocumentedAndNothingElse() async throws {
        try await withTestApp { app in
            // The route table's /api/v1 routes, as OpenAPI paths.
            let routes = Set(app.routes.all.compactMap { route -> String? in
                let parts = route.path.map { c -> String in
                    switch c {
                    case .constant(let s): s
                    case .parameter(let p): "{\(p)}"
                    default: "*"
                    }
                }
                guard parts.starts(with: ["api", "v1"]), parts != ["api", "v1", "openapi.json"] else { return nil }
                return route.method.rawValue + " /" + parts.dropFirst(2).joined(separator: "/")
            })
            let r = try await app.testing().performTest(request: .init(method: .GET, url: "/api/v1/openapi.json", headers: [:], body: ByteBuffer()))
            #expect(r.status == .ok)
            let doc = try r.json()
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
            let documented = Set(paths.flatMap { path, ops in ops.keys.map { $0.uppercased() + " " + path } })
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
            #expect(routes.count > 50)
        }
    }

    @Test func responseSchemasAreReadOffTheDTOs() {
        guard case .object(let props) = SchemaReflector.schema(OrderDTO.self) else { Issue.record("not an object"); return }
        let byName = Dictionary(uniqueKeysWithValues: props.map { ($0.0, ($0.1, $0.2)) })
        #expect(props.count == 30)
        #expect(byName["id"]?.1 == true && byName["number"]?.1 == true)
        #expect(byName["rating"]?.1 == false && byName["team_id"]?.1 == false)
        if case .string(let format)? = byName["created_at"]?.0 { #expect(format == "date-time") } else { Issue.record("created_at is not a date-time") }
        if case .array(.object(let events))? = byName["events"]?.0 { #expect(events.map(\.0).contains("to_status")) } else { Issue.record("events not reflected") }
        // Enumerations list their cases; dictionaries stay open objects.
        if case .enumeration(let cases) = SchemaReflector.schema(OrderChannel.self) { #expect(cases.contains("open311")) } else { Issue.record("enum not reflected") }
        if case .anyObject = SchemaReflector.schema([String: String].self) {} else { Issue.record("dictionary not open") }
    }

    /// Found by schemathesis: MultipartKit traps on a header name byte above 127, which took the whole
    /// server down from one unauthenticated request. Now it is a 400 like any malformed body.
    @Test func aMultipartHeaderNameOutsideASCIIIsRefusedNotFatal() async throws {
        try await withTestApp { app in
            var body = ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n")
            body.writeBytes([0x58, 0xC3, 0xA9, 0x3A, 0x20, 0x31, 0x0D, 0x0A, 0x0D, 0x0A])
            body.writeString("k\r\n--b--\r\n")
            for path in ["/open311/v2/requests.json", "/api/v1/orders/1/complete"] {
                let r = try await app.testing().performTest(request: .init(method: .POST, url: URI(string: path),
                                                                           headers: ["Content-Type": "multipart/form-data; boundary=b"], body: body))
                #expect(r.status == .badRequest || r.status == .unauthorized, "\(path): \(r.status)")
            }
        }
    }
}
