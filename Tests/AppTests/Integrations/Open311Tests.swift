import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// An integration as a centre admin issues it on the admin pages: the key (and webhook secret)
/// read off the page that shows them once.
struct IssuedKey {
    let id: Int
    let key: String
    let secret: String?

    static func issue(_ app: Application, name: String = "12345热线", site: Site, webhook: String? = nil, as admin: String = Fixture.centreAdmin) async throws -> IssuedKey {
        var web = WebClient(app)
        try await web.login(admin)
        let r = try await web.submit("/admin/integrations", [("name", name), ("site_id", String(site.id!)), ("webhook_url", webhook ?? "")], tokenFrom: "/admin/integrations/new")
        #expect(r.status == .seeOther)
        let location = r.headers.first(name: .location) ?? ""
        let id = Int(location.split(separator: "/").last ?? "") ?? 0
        let page = try await web.send(.GET, location).text
        let again = try await web.send(.GET, location).text
        #expect(!again.contains("dd311_"), "the key is shown only once")
        func find(_ pattern: String) -> String? { page.range(of: pattern, options: .regularExpression).map { String(page[$0]) } }
        return IssuedKey(id: id, key: find("dd311_[A-Za-z0-9_-]+") ?? "", secret: find("whsec_[A-Za-z0-9_-]+"))
    }
}

/// Open311 calls: form-encoded posts, the list JSON or XML back.
struct Open311Client {
    var web: WebClient

    init(_ app: Application) { web = WebClient(app) }

    mutating func get(_ path: String) async throws -> TestingHTTPResponse { try await web.send(.GET, "/open311/v2/" + path) }

    mutating func post(_ fields: [(String, String)], format: String = "json", headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await web.send(.POST, "/open311/v2/requests.\(format)", form: fields, headers: headers)
    }

    static func list(_ r: TestingHTTPResponse) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [[String: Any]] ?? []
    }
}

@Suite("Open311 GeoReport v2")
struct Open311Tests {
    func request(_ f: Fixture, key: String, code: String? = nil, jurisdiction: String? = nil, extra: [(String, String)] = []) -> [(String, String)] {
        [("api_key", key), ("service_code", code ?? "M\(f.menuS2.id!)"), ("jurisdiction_id", jurisdiction ?? f.s2.code),
         ("address_string", "东村3组12号"), ("first_name", "大爷"), ("last_name", "王"), ("phone", "13800138000"),
         ("description", "想请人讲讲防诈骗"), ("attribute[people]", "3")] + extra
    }

    @Test func discoveryServicesAndDefinitionsInBothFormats() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            var c = Open311Client(app)
            let discovery = try await c.get("discovery.json")
            #expect(discovery.headers.contentType?.subType == "json")
            let d = try discovery.json()
            let endpoints = d["endpoints"] as? [[String: Any]] ?? []
            #expect(endpoints.first?["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            #expect(endpoints.first?["formats"] as? [String] == ["text/xml", "application/json"])
            let url = endpoints.first?["url"] as? String
            #expect(url?.hasSuffix("/open311/v2") == true)
            #expect(try await c.get("discovery.xml").text.contains("<discovery><changeset>"))

            // S2's menu item is offered at S2; S1's is not; off-menu categories follow.
            let services = try Open311Client.list(try await c.get("services.json?jurisdiction_id=S2"))
            let codes = services.compactMap { $0["service_code"] as? String }
            #expect(codes.contains("M\(f.menuS2.id!)"))
            #expect(!codes.contains("M\(f.menuS1.id!)"))
            #expect(codes.contains("C\(f.category.id!)"))
            let s2 = services.first { $0["service_code"] as? String == "M\(f.menuS2.id!)" }!
            #expect(Set(s2.keys) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"])
            #expect(s2["service_name"] as? String == "二号站宣讲")
            #expect(s2["metadata"] as? Bool == true)
            #expect(s2["type"] as? String == "batch")
            // The whole county (the single root, when no jurisdiction is given) offers both stations' items.
            let all = try Open311Client.list(try await c.get("services.json")).compactMap { $0["service_code"] as? String }
            #expect(all.contains("M\(f.menuS1.id!)") && all.contains("M\(f.menuS2.id!)"))
            let xml = try await c.get("services.xml?jurisdiction_id=S2").text
            #expect(xml.hasPrefix("<?xml"))
            #expect(xml.contains("<services><service><service_code>"))
            #expect(xml.components(separatedBy: "<service>").count - 1 == services.count)

            let def = try await c.get("services/M\(f.menuS2.id!).json").json()
            #expect(def["service_code"] as? String == "M\(f.menuS2.id!)")
            let attributes = def["attributes"] as? [[String: Any]] ?? []
            #expect(attributes.map { $0["code"] as? String } == ["window_start", "window_end", "people", "notes"])
            #expect(attributes.map { $0["datatype"] as? String } == ["datetime", "datetime", "number", "text"])
            #expect(attributes.first?["variable"] as? Bool == true && attributes.first?["order"] as? Int == 1)
            #expect(try await c.get("services/M\(f.menuS2.id!).xml").text.contains("<service_definition><service_code>M\(f.menuS2.id!)</service_code><attributes><attribute><variable>true</variable>"))
            // Unknown service, unknown jurisdiction: the spec's errors with 404.
            let missing = try await c.get("services/M99999.json")
            #expect(missing.status == .notFound)
            #expect(try Open311Client.list(missing).first?["code"] as? Int == 404)
            let nowhere = try await c.get("services.xml?jurisdiction_id=NOPE")
            #expect(nowhere.status == .notFound)
            #expect(nowhere.text.contains("<errors><error><code>404</code><description>"))
        }
    }

    @Test func aPostedRequestEntersTheLoopAndIsFollowedByIdAndToken() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let issued = try await IssuedKey.issue(app, site: f.centre)
            #expect(issued.key.count > 20)
            var c = Open311Client(app)
            let r = try await c.post(request(f, key: issued.key))
            #expect(r.status == .created)
            let answer = try Open311Client.list(r).first ?? [:]
            #expect(Set(answer.keys) == ["service_request_id", "token", "service_notice", "account_id"])
            let number = answer["service_request_id"] as? String ?? ""
            let token = answer["token"] as? String ?? ""

            // The order: same loop, channel open311, at S2, in S2's admin queue like any other.
            let order = try #require(try await Order.query(on: app.db).filter(\.$number == number).first())
            #expect(order.channel == "open311")
            #expect(order.$station.id == f.s2.id)
            #expect(order.status == .submitted)
            #expect(order.contactName == "王大爷")
            #expect(order.people == 3)
            #expect(order.onBehalf)
            var admin = WebClient(app)
            try await admin.login(Fixture.centreAdmin)
            #expect(try await admin.send(.GET, "/orders/queue").text.contains(number))

            // Followed by id and by token, JSON and XML; without a key no resident data shows.
            let open = try Open311Client.list(try await c.get("requests/\(number).json")).first ?? [:]
            #expect(open["status"] as? String == "open")
            #expect(open["service_code"] as? String == "M\(f.menuS2.id!)")
            #expect(open["address"] as? String == "二号实践站")
            #expect(open["description"] is NSNull)
            #expect(open["agency_responsible"] as? String == "二号实践站")
            let expected = open["expected_datetime"] as? String
            #expect(expected?.hasSuffix("+08:00") == true)
            for field in ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                          "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                          "lat", "long", "media_url"] {
                #expect(open.keys.contains(field), "missing \(field)")
            }
            let keyed = try Open311Client.list(try await c.get("requests/\(number).json?api_key=\(issued.key)")).first ?? [:]
            #expect(keyed["address"] as? String == "东村3组12号")
            #expect(keyed["description"] as? String == "想请人讲讲防诈骗")
            #expect(try await c.get("requests/\(number).xml").text.contains("<service_requests><request><service_request_id>\(number)</service_request_id><status>open</status>"))
            let byToken = try Open311Client.list(try await c.get("tokens/\(token).json")).first ?? [:]
            #expect(byToken["service_request_id"] as? String == number)
            #expect(try await c.get("tokens/nope.json").status == .notFound)

            // Dispatched and accepted: agency_responsible becomes the team; cancelled: closed.
            var s2admin = try await APIClient.signIn(app, Fixture.centreAdmin)
            try await s2admin.call(.POST, "/api/v1/orders/\(order.id!)/dispatch", #"{"team_id":\#(f.teamS2.id!)}"#)
            let dispatched = try Open311Client.list(try await c.get("requests/\(number).json")).first ?? [:]
            #expect(dispatched["agency_responsible"] as? String == "二号站服务队")
            #expect(dispatched["status_notes"] as? String == "派单")
            try await s2admin.call(.POST, "/api/v1/orders/\(order.id!)/cancel", #"{"reason":"居民已另行解决"}"#)
            let closed = try Open311Client.list(try await c.get("requests/\(number).json?api_key=\(issued.key)")).first ?? [:]
            #expect(closed["status"] as? String == "closed")
            #expect(closed["status_notes"] as? String == "取消：居民已另行解决")
            #expect(closed["expected_datetime"] is NSNull)
        }
    }

    @Test func keysAreRequiredScopedAndRevocable() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            // Only a centre's admin issues keys; a station admin is told so.
            var stationAdmin = WebClient(app)
            try await stationAdmin.login(Fixture.user(.siteAdmin))
            let refused = try await stationAdmin.submit("/admin/integrations", [("name", "x"), ("site_id", String(f.s1.id!))], tokenFrom: "/admin/integrations/new")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("只有中心管理员可以签发或撤销接入密钥"))
            #expect(try await Integration.query(on: app.db).count() == 0)

            let issued = try await IssuedKey.issue(app, site: f.instituteA)
            var c = Open311Client(app)
            let none = try await c.post(request(f, key: "").filter { $0.0 != "api_key" })
            #expect(none.status == .forbidden)
            #expect(try Open311Client.list(none).first?["code"] as? Int == 403)
            #expect(try await c.post(request(f, key: "dd311_wrong")).status == .forbidden)
            // S3 is under institute B: outside this key's reach.
            #expect(try await c.post(request(f, key: issued.key, jurisdiction: "S3")).status == .forbidden)
            // Bad input: the spec's 400 list, naming the spec's fields, in the caller's language.
            let bad = try await c.post(request(f, key: issued.key).filter { $0.0 != "phone" } + [("lat", "91")], headers: ["Accept-Language": "en"])
            #expect(bad.status == .badRequest)
            let descriptions = try Open311Client.list(bad).compactMap { $0["description"] as? String }
            #expect(descriptions.contains { $0.hasPrefix("phone: ") })
            #expect(descriptions.contains { $0.hasPrefix("lat: ") })
            // A code that names no service: the spec's 404.
            let badXML = try await c.post(request(f, key: issued.key, code: "X1"), format: "xml")
            #expect(badXML.status == .notFound)
            #expect(badXML.text.contains("<errors><error><code>404</code><description>service_code"))
            // The institute as jurisdiction: lat/long pick the nearest station; an address alone, the
            // station nearest the institute — among those that offer the service.
            f.s2.latitude = 26.5
            try await f.s2.save(on: app.db)
            let near = try await c.post(request(f, key: issued.key, code: "C\(f.category.id!)", jurisdiction: "IA")
                                        + [("lat", String(f.s1.latitude)), ("long", String(f.s1.longitude))])
            #expect(near.status == .created)
            let placed = try Open311Client.list(near).first?["service_request_id"] as? String ?? ""
            #expect(try await Order.query(on: app.db).filter(\.$number == placed).first()?.$station.id == f.s1.id)
            let byAddress = try await c.post(request(f, key: issued.key, jurisdiction: "IA"))
            #expect(byAddress.status == .created)
            let second = try Open311Client.list(byAddress).first?["service_request_id"] as? String ?? ""
            #expect(try await Order.query(on: app.db).filter(\.$number == second).first()?.$station.id == f.s2.id, "S2 alone offers the item")
            #expect(try await Order.query(on: app.db).count() == 2)

            // Revoked: at once, for good.
            var admin = WebClient(app)
            try await admin.login(Fixture.centreAdmin)
            // Asked first: the first post answers with the question, and the key still works.
            let asked = try await admin.submit("/admin/integrations/\(issued.id)/revoke", [], tokenFrom: "/admin/integrations/\(issued.id)")
            #expect(asked.status == .ok && asked.text.contains("确定吊销") && asked.text.contains("name=\"confirmed\" value=\"1\""))
            #expect(try await Integration.find(issued.id, on: app.db)?.revokedAt == nil)
            let revoke = try await admin.submit("/admin/integrations/\(issued.id)/revoke", [("confirmed", "1")], tokenFrom: "/admin/integrations/\(issued.id)")
            #expect(revoke.status == .seeOther)
            let after = try await c.post(request(f, key: issued.key))
            #expect(after.status == .forbidden)
            #expect(try await Order.query(on: app.db).count() == 2)
        }
    }

    @Test func searchesFilterPageAndRefuseWideWindows() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            let f = try await Fixture.make(app)
            let issued = try await IssuedKey.issue(app, site: f.centre)
            var c = Open311Client(app)
            var numbers: [String] = []
            for i in 0..<3 {
                let code = i == 2 ? "C\(f.category.id!)" : "M\(f.menuS2.id!)"
                let r = try await c.post(request(f, key: issued.key, code: code), headers: ["Idempotency-Key": "req-\(i)"])
                numbers.append(try Open311Client.list(r).first?["service_request_id"] as? String ?? "")
                clock.advance(3600)
            }
            // A retry with the same key is the same request.
            let retry = try await c.post(request(f, key: issued.key), headers: ["Idempotency-Key": "req-0"])
            #expect(retry.status == .ok)
            #expect(try Open311Client.list(retry).first?["service_request_id"] as? String == numbers[0])
            #expect(try await Order.query(on: app.db).count() == 3)

            func ids(_ query: String) async throws -> [String] {
                try Open311Client.list(try await c.get("requests.json?" + query)).compactMap { $0["service_request_id"] as? String }
            }
            #expect(try await ids("") == numbers.reversed())
            #expect(try await ids("service_code=C\(f.category.id!)") == [numbers[2]])
            #expect(try await ids("service_request_id=\(numbers[0]),\(numbers[2])&status=closed") == [numbers[2], numbers[0]])
            #expect(try await ids("status=closed").isEmpty)
            #expect(try await ids("status=open&page_size=2&page=2") == [numbers[0]])
            #expect(try await ids("jurisdiction_id=S3").isEmpty)
            #expect(try await ids("start_date=2026-11-20T09:30:00%2B08:00&end_date=2026-11-20T10:30:00%2B08:00") == [numbers[1]])
            // Long ago: outside the default window of 90 days.
            clock.advance(91 * 86_400)
            #expect(try await ids("").isEmpty)
            for bad in ["start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "status=lost", "page_size=1001", "start_date=yesterday"] {
                let r = try await c.get("requests.json?" + bad)
                #expect(r.status == .badRequest, "\(bad)")
                #expect(try Open311Client.list(r).first?["code"] as? Int == 400)
            }
        }
    }
}
