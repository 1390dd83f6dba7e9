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

    /// The limits the document states are the ones the readers enforce (the document reads them off
    /// the readers): at each text field's maxLength the reader takes the text, one character more and
    /// it refuses it as too long; an integer one past its maximum or below its minimum is out of range.
    @Test func theDocumentStatesTheLimitsTheReadersEnforce() async throws {
        try await withTestApp { app in
            let r = try await app.testing().performTest(request: .init(method: .GET, url: "/api/v1/openapi.json", headers: [:], body: ByteBuffer()))
            let paths = try r.json()["paths"] as? [String: [String: Any]] ?? [:]
            let now = Date()
            var readers: [(String, (inout FieldReader) -> Void)] = [
                ("/orders", { _ = OrderInput.read(&$0, defaultChannel: .api, now: now) }),
                ("/volunteers", { _ = VolunteerRegistration.read(&$0, today: now) }),
                ("/activities", { _ = ActivityInput.read(&$0, now: now) }),
                ("/wishes", { _ = WishInput.read(&$0) }),
                ("/auth/token", { _ = SignInInput.read(&$0) }),
                ("/orders/{id}/contact", { _ = RevealReason.read(&$0) }),
                ("/activities/{id}/signup", { _ = SignupInput.read(&$0) }),
                ("/activities/{id}/signups/{signup}/confirm", { _ = HoursConfirmation.read(&$0) }),
                ("/activities/{id}/check-in", { _ = ScanInput.read(&$0, positionRequired: true) }),
                ("/activities/{id}/check-out", { _ = ScanInput.read(&$0, positionRequired: true) }),
                ("/activities/{id}/people-served", { _ = PeopleServedInput.read(&$0) }),
                ("/wishes/{id}/{action}", { _ = WishStepInput.read(&$0) }),
                ("/surveys", { _ = SurveysRoutes.readDraft(&$0) }),
                ("/surveys/{id}/status", { _ = SurveysRoutes.readStatus(&$0) }),
                ("/surveys/{id}/responses", { _ = SurveysRoutes.readResponse(&$0, questions: []) }),
                ("/trainings/{id}/check-in", { _ = ScanInput.read(&$0, positionRequired: false) }),
            ]
            for step in OrderStep.allCases {
                readers.append(("/orders/{id}/\(step.rawValue)", { _ = try? OrderService.OrderRequest.parse(step, &$0) }))
            }
            var checked = 0
            for (path, read) in readers {
                let body = (paths[path]?["post"] as? [String: Any])?["requestBody"] as? [String: Any]
                let content = body?["content"] as? [String: Any]
                let schema = (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                let properties = schema?["properties"] as? [String: [String: Any]] ?? [:]
                let declared = Set(FieldReader.fields(read).map(\.name))
                #expect(Set(properties.keys) == declared, "\(path): the document's fields are the reader's")
                for (name, property) in properties {
                    func errors(_ value: InputValue) -> String? {
                        var reader = FieldReader([name: value])
                        read(&reader)
                        return reader.errors.first { $0.field == name }?.message.key
                    }
                    if let max = property["maxLength"] as? Int, property["type"] as? String == "string" {
                        #expect(errors(.string(String(repeating: "字", count: max + 1))) == "error.too_long", "\(path) \(name): longer than \(max)")
                        #expect(errors(.string(String(repeating: "字", count: max))) != "error.too_long", "\(path) \(name): \(max) is allowed")
                        checked += 1
                    }
                    if property["type"] as? String == "integer", let max = property["maximum"] as? Int, let min = property["minimum"] as? Int {
                        #expect(errors(.number(Double(max) + 1)) == "error.out_of_range", "\(path) \(name): above \(max)")
                        #expect(errors(.number(Double(min) - 1)) == "error.out_of_range", "\(path) \(name): below \(min)")
                        #expect(errors(.number(Double(max))) == nil, "\(path) \(name): \(max) is allowed")
                        checked += 1
                    }
                }
            }
            #expect(checked > 50)
            // Every body the document states is one of these: none is written out by hand.
            let withBodies = paths.flatMap { path, ops in ops.compactMap { $0.value is [String: Any] && ($0.value as? [String: Any])?["requestBody"] != nil ? path : nil } }
            #expect(Set(withBodies).subtracting(readers.map(\.0)).sorted() == [])
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
