import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Every API route × every role granted at station S1 (and a centre admin, and nobody) × a target
/// in S1 and one in the sibling station S2. Out of scope, nothing may succeed or tell what it found
/// (only 401, 403, 404 or a validation error), and no list may show S2's things — except where the
/// route is public by design. The routes come from the route table: a new one without a line here
/// fails the test.
@Suite("API authorisation matrix")
struct APIMatrixTests {
    enum Kind { case none, order, activity, wish, project, export, notification, volunteer, perk, signup, certificate, survey }

    struct Case {
        var kind: Kind
        /// A body that would be valid, so a refusal is about who asks, not what they sent.
        var body: String? = nil
        /// Open to anyone by design (public pages of activities, wishes, projects, certificates).
        var publicRead = false
        /// For lists and queries: the query that asks for S2 (`{site}` is replaced), or the list's own markers.
        var query: String? = nil
        var listsMarkers = false
        var skip = false
    }

    static let reason = #"{"reason":"测试理由"}"#

    static let cases: [String: Case] = [
        "POST /api/v1/auth/token": Case(kind: .none, publicRead: true),
        // Signing out ends the caller's own token, nobody else's; not sent here (it would end the run's sessions).
        "DELETE /api/v1/auth/token": Case(kind: .none, publicRead: true, skip: true),
        "GET /api/v1/me": Case(kind: .none, publicRead: true),
        "GET /api/v1/me/calendar": Case(kind: .none, publicRead: true),
        "GET /api/v1/me/record": Case(kind: .none, publicRead: true),
        "POST /api/v1/me/certificates": Case(kind: .none, publicRead: true),
        // One's own certificate, by number: anyone else's is "not found" (CertificateTests).
        "GET /api/v1/me/certificates/:number/pdf": Case(kind: .certificate),
        // One's own data and deletion: there is no one else's to ask for.
        "GET /api/v1/me/data": Case(kind: .none, publicRead: true),
        "POST /api/v1/me/deletion": Case(kind: .none, publicRead: true, skip: true),
        "DELETE /api/v1/me/deletion": Case(kind: .none, publicRead: true),
        "GET /api/v1/certificates/:number": Case(kind: .certificate, publicRead: true),
        "POST /api/v1/volunteers": Case(kind: .none, publicRead: true),
        "GET /api/v1/volunteers/:id/record": Case(kind: .volunteer),
        "GET /api/v1/sites": Case(kind: .none, publicRead: true),
        "GET /api/v1/openapi.json": Case(kind: .none, publicRead: true),
        "POST /api/v1/orders": Case(kind: .none, query: "station"),
        "GET /api/v1/orders": Case(kind: .none, listsMarkers: true),
        "GET /api/v1/orders/:id": Case(kind: .order),
        "GET /api/v1/orders/:id/suggestions": Case(kind: .order),
        "POST /api/v1/orders/:id/contact": Case(kind: .order, body: reason),
        "POST /api/v1/orders/:id/dispatch": Case(kind: .order, body: "team"),
        "POST /api/v1/orders/:id/accept": Case(kind: .order),
        "POST /api/v1/orders/:id/decline": Case(kind: .order, body: reason),
        "POST /api/v1/orders/:id/claim": Case(kind: .order),
        "POST /api/v1/orders/:id/start": Case(kind: .order),
        "POST /api/v1/orders/:id/complete": Case(kind: .order, body: "complete"),
        "POST /api/v1/orders/:id/rate": Case(kind: .order, body: #"{"score":5}"#),
        "POST /api/v1/orders/:id/cancel": Case(kind: .order, body: reason),
        "POST /api/v1/orders/:id/reject": Case(kind: .order, body: reason),
        "POST /api/v1/orders/:id/close": Case(kind: .order),
        "POST /api/v1/orders/:id/urge": Case(kind: .order),
        "POST /api/v1/orders/:id/escalate": Case(kind: .order),
        "POST /api/v1/orders/:id/message": Case(kind: .order, body: #"{"text":"你好"}"#),
        "POST /api/v1/orders/:id/open-for-claim": Case(kind: .order),
        "GET /api/v1/notifications": Case(kind: .none, listsMarkers: true),
        "POST /api/v1/notifications/read-all": Case(kind: .none, publicRead: true),
        "POST /api/v1/notifications/:id/read": Case(kind: .notification),
        "GET /api/v1/activities": Case(kind: .none, publicRead: true),
        "POST /api/v1/activities": Case(kind: .none, query: "activity"),
        "GET /api/v1/activities/:id": Case(kind: .activity, publicRead: true),
        "POST /api/v1/activities/:id/approve": Case(kind: .activity),
        // Any volunteer may sign up for a published activity anywhere: that is the point of publishing it.
        "POST /api/v1/activities/:id/signup": Case(kind: .activity, publicRead: true),
        "DELETE /api/v1/activities/:id/signup": Case(kind: .activity, publicRead: true),
        "GET /api/v1/activities/:id/signups": Case(kind: .activity),
        "GET /api/v1/activities/:id/qr": Case(kind: .activity),
        "POST /api/v1/activities/:id/check-in": Case(kind: .activity, body: #"{"t":1,"s":"x","latitude":25.88,"longitude":116.02}"#),
        "POST /api/v1/activities/:id/check-out": Case(kind: .activity, body: #"{"t":1,"s":"x","latitude":25.88,"longitude":116.02}"#),
        "POST /api/v1/activities/:id/signups/:signup/confirm": Case(kind: .signup),
        "POST /api/v1/activities/:id/people-served": Case(kind: .activity, body: #"{"people_served":10}"#),
        "GET /api/v1/wishes": Case(kind: .none, publicRead: true),
        "POST /api/v1/wishes": Case(kind: .none, query: "wish"),
        "GET /api/v1/wishes/:id": Case(kind: .wish, publicRead: true),
        // Wishes are claimed by volunteers wherever they are (微心愿 are public by design).
        "POST /api/v1/wishes/:id/:action": Case(kind: .wish, publicRead: true),
        "GET /api/v1/surveys": Case(kind: .none, listsMarkers: true),
        "POST /api/v1/surveys": Case(kind: .none, query: "survey"),
        "GET /api/v1/surveys/:id": Case(kind: .survey),
        "POST /api/v1/surveys/:id/status": Case(kind: .survey, body: #"{"status":"closed"}"#),
        "POST /api/v1/surveys/:id/responses": Case(kind: .survey, body: "response"),
        "GET /api/v1/surveys/:id/results": Case(kind: .survey),
        // Trainings and the showcase are public; a check-in needs the training's own signed code.
        "GET /api/v1/trainings": Case(kind: .none, publicRead: true),
        "POST /api/v1/trainings/:id/check-in": Case(kind: .none, publicRead: true),
        "GET /api/v1/showcase": Case(kind: .none, publicRead: true),
        "GET /api/v1/perks": Case(kind: .none, listsMarkers: true),
        "POST /api/v1/perks/:id/redeem": Case(kind: .perk),
        "GET /api/v1/projects": Case(kind: .none, publicRead: true),
        "GET /api/v1/projects/:id": Case(kind: .project, publicRead: true),
        "GET /api/v1/rankings": Case(kind: .none, publicRead: true),
        "GET /api/v1/screen": Case(kind: .none, query: "?site={site}"),
        "GET /api/v1/assessment": Case(kind: .none, query: "?site={site}"),
        "POST /api/v1/assessment/exports": Case(kind: .none, query: "?site={site}"),
        "GET /api/v1/exports/:id": Case(kind: .export),
        "GET /api/v1/exports/:id/download": Case(kind: .export),
    ]

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"
    }

    @Test func nothingOutOfScopeLeaksThroughAnyAPIRoute() async throws {
        try await withTestApp { app in
            // setup: one of each thing at S1 and at S2.
            let w = try await LoopWorld.make(app)
            let f = w.f
            let routes = app.routes.all.filter { Self.key($0).hasPrefix("\($0.method.rawValue) /api/v1") }
            let keys = Set(routes.map(Self.key))
            #expect(keys.subtracting(Self.cases.keys).sorted() == [], "API routes without a matrix case")
            #expect(Set(Self.cases.keys).subtracting(keys).sorted() == [], "matrix cases for routes that do not exist")

            var residentS1 = try await APIClient.signIn(app, Fixture.user(.resident))
            var residentS2 = try await APIClient.signIn(app, "resident-s2")
            let orderS1 = try await residentS1.call(.POST, "/api/v1/orders", w.menuOrder()).json()
            let orderS2 = try await residentS2.call(.POST, "/api/v1/orders",
                #"{"menu_item_id":\#(f.menuS2.id!),"station_id":\#(f.s2.id!),"address":"二号站旁","contact_name":"李","contact_phone":"13800001111"}"#).json()
            var centreAPI = try await APIClient.signIn(app, Fixture.centreAdmin)
            var activities: [Int] = []
            for site in [f.s1, f.s2] {
                let body = ActivityFlowTests.activityJSON(w, slots: 5).replacingOccurrences(of: "\"site_id\":\(f.s1.id!)", with: "\"site_id\":\(site.id!)")
                    .replacingOccurrences(of: "\"team_id\":\(f.teamS1.id!),", with: "")
                activities.append(try #require(try await centreAPI.call(.POST, "/api/v1/activities", body).json()["id"] as? Int))
            }
            var leaderS1 = try await APIClient.signIn(app, w.leaderS1)
            var leaderS2 = try await APIClient.signIn(app, w.leaderS2)
            // Every target is made for real, and a setup that fails stops the test here: a made-up id
            // would be "not found" for everyone and pass the matrix for the wrong reason.
            let signupS1 = try #require(try await leaderS1.call(.POST, "/api/v1/activities/\(activities[0])/signup").json()["id"] as? Int)
            let signupS2 = try #require(try await leaderS2.call(.POST, "/api/v1/activities/\(activities[1])/signup").json()["id"] as? Int)
            let wishS2 = try #require(try await residentS2.call(.POST, "/api/v1/wishes", #"{"title":"二号站的心愿","site_id":\#(f.s2.id!)}"#).json()["id"] as? Int)
            let wishS1 = try #require(try await residentS1.call(.POST, "/api/v1/wishes", #"{"title":"一号站的心愿","site_id":\#(f.s1.id!)}"#).json()["id"] as? Int)
            let certificateS2 = try #require(try await leaderS2.call(.POST, "/api/v1/me/certificates").json()["number"] as? String)
            // A needs survey at each station, designed through the API.
            func surveyJSON(_ site: Site, _ title: String) -> String {
                #"{"site_id":\#(site.id!),"title":"\#(title)","questions":[{"kind":"rating","prompt":"对服务满意吗"}]}"#
            }
            let surveyS1 = try #require(try await centreAPI.call(.POST, "/api/v1/surveys", surveyJSON(f.s1, "一号站的问卷")).json()["id"] as? Int)
            let surveyS2 = try #require(try await centreAPI.call(.POST, "/api/v1/surveys", surveyJSON(f.s2, "二号站的问卷")).json()["id"] as? Int)
            func responseJSON(_ site: Site, _ client: String) -> String {
                #"{"client_id":"\#(client)","station_id":\#(site.id!),"collected_at":"\#(app.clock.now().ISO8601Format())","answers":{"1":4}}"#
            }
            let exportOther = try #require(try await centreAPI.call(.POST, "/api/v1/assessment/exports?site=\(f.s2.id!)").json()["id"] as? Int)
            _ = try await NoticeDispatcher(db: app.db, now: app.clock.now()).runOnce()
            // Someone else's notice: the newest one not addressed to any account at S1.
            let s1Accounts = try await Account.query(on: app.db).filter(\.$site.$id == f.s1.id!).all().compactMap(\.id)
            let noticeS2 = try #require(try await InboxItem.query(on: app.db).filter(\.$account.$id !~ s1Accounts).sort(\.$id, .descending).first()?.id)
            let orderS2ID = try #require(orderS2["id"] as? Int), orderS1ID = try #require(orderS1["id"] as? Int)
            let orderS2Number = try #require(orderS2["number"] as? String)
            #expect(activities.count == 2)
            // Each of S2's things is there for those whose scope it is: the refusals below are about
            // who asks, not about a thing that does not exist.
            for (path, who) in [("/api/v1/orders/\(orderS2ID)", "centre"), ("/api/v1/activities/\(activities[1])/signups", "centre"),
                                ("/api/v1/exports/\(exportOther)", "centre"), ("/api/v1/volunteers/\(f.volunteerS2.id!)/record", "centre"),
                                ("/api/v1/surveys/\(surveyS2)", "centre"), ("/api/v1/wishes/\(wishS2)", "centre"),
                                ("/api/v1/projects/\(f.projectS2.id!)", "centre"), ("/api/v1/me/certificates/\(certificateS2)/pdf", "leader-s2")] {
                let r = who == "centre" ? try await centreAPI.call(.GET, path) : try await leaderS2.call(.GET, path)
                #expect(r.status == .ok, "\(path) as \(who): \(r.status) — the matrix's target is missing")
            }
            #expect(try await InboxItem.find(noticeS2, on: app.db) != nil)
            #expect(try await Perk.find(f.perkS2.id!, on: app.db) != nil)
            #expect(try await Signup.find(signupS2, on: app.db) != nil)

            // Who asks: each role granted at S1, the centre's admin, and nobody.
            var clients: [(String, APIClient?)] = [("anonymous", nil)]
            for role in Role.allCases { clients.append((role.rawValue, try await APIClient.signIn(app, Fixture.user(role)))) }
            clients.append(("leader-s1", leaderS1))

            func target(_ kind: Kind) -> String? {
                switch kind {
                case .none: nil
                case .order: String(orderS2ID)
                case .activity: String(activities[1])
                case .wish: String(wishS2)
                case .project: String(f.projectS2.id!)
                case .export: String(exportOther)
                case .notification: String(noticeS2)
                case .volunteer: String(f.volunteerS2.id!)
                case .perk: String(f.perkS2.id!)
                case .signup: String(activities[1])
                case .certificate: certificateS2
                case .survey: String(surveyS2)
                }
            }
            var checked = 0
            for route in routes.sorted(by: { Self.key($0) < Self.key($1) }) {
                let key = Self.key(route)
                guard let c = Self.cases[key], !c.skip else { continue }
                // The request aimed at S2's thing.
                var path = "/" + route.path.map(\.description).joined(separator: "/")
                if let id = target(c.kind) {
                    path = path.replacingOccurrences(of: ":id", with: id).replacingOccurrences(of: ":number", with: id)
                        .replacingOccurrences(of: ":signup", with: String(signupS2)).replacingOccurrences(of: ":action", with: "claim")
                }
                var body = c.body
                if body == "team" { body = #"{"team_id":\#(f.teamS2.id!)}"# }
                if body == "response" { body = responseJSON(f.s2, "matrix-s2-0001") }
                if body == "complete" { body = #"{"volunteer_ids":[\#(f.volunteerS2.id!)],"hours_\#(f.volunteerS2.id!)":2}"# }
                switch c.query {
                case "station"?: body = #"{"menu_item_id":\#(f.menuS2.id!),"station_id":\#(f.s2.id!),"address":"二号站旁","contact_name":"李","contact_phone":"13800001111"}"#
                case "activity"?: body = ActivityFlowTests.activityJSON(w, slots: 5).replacingOccurrences(of: "\"site_id\":\(f.s1.id!)", with: "\"site_id\":\(f.s2.id!)")
                    .replacingOccurrences(of: "\"team_id\":\(f.teamS1.id!),", with: "")
                case "wish"?: body = #"{"title":"越界的心愿","site_id":\#(f.s2.id!)}"#
                case "survey"?: body = surveyJSON(f.s2, "越界的问卷")
                case let q? where q.hasPrefix("?"): path += q.replacingOccurrences(of: "{site}", with: String(f.s2.id!))
                default: break
                }
                for (who, client) in clients {
                    checked += 1
                    let r: TestingHTTPResponse
                    if var client {
                        r = try await client.call(route.method, path, route.method == .GET ? nil : (body ?? "{}"))
                    } else {
                        var web = WebClient(app)
                        r = try await web.send(route.method, path, json: route.method == .GET ? nil : (body ?? "{}"))
                    }
                    let label = "\(key) → S2 as \(who): \(r.status)"
                    if c.listsMarkers {
                        // Lists: S2's things never appear for someone at S1.
                        for marker in [orderS2Number, f.perkS2.title, "二号站的心愿", "二号站的问卷"] {
                            #expect(!r.text.contains(marker), "\(label) lists \(marker)")
                        }
                        continue
                    }
                    if c.publicRead { continue }
                    // Nobody signed in: 401. Signed in (so the token must still work): refused, never served.
                    let refusals: Set<Int> = client == nil ? [401] : [403, 404, 422]
                    #expect(refusals.contains(Int(r.status.code)), "\(label) \(r.text.prefix(200))")
                }
            }
            // The same requests aimed at S1's things do reach the people whose scope it is (the matrix
            // refuses for the right reason, not for every reason).
            var stationAdmin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            #expect(try await stationAdmin.call(.GET, "/api/v1/orders/\(orderS1ID)").status == .ok)
            #expect(try await stationAdmin.call(.GET, "/api/v1/orders").text.contains(orderS1["number"] as! String))
            #expect(try await stationAdmin.call(.GET, "/api/v1/assessment?site=\(f.s1.id!)").status == .ok)
            #expect(try await stationAdmin.call(.GET, "/api/v1/activities/\(activities[0])/signups").status == .ok)
            // Past the scope check to the activity's own rule (it has not started yet).
            #expect(try await stationAdmin.call(.POST, "/api/v1/activities/\(activities[0])/signups/\(signupS1)/confirm", "{}").status == .conflict)
            #expect(try await residentS1.call(.POST, "/api/v1/wishes/\(wishS1)/cancel").status == .ok)
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))
            #expect(try await practitioner.call(.GET, "/api/v1/surveys").text.contains("一号站的问卷"))
            #expect(try await practitioner.call(.POST, "/api/v1/surveys/\(surveyS1)/responses", responseJSON(f.s1, "matrix-s1-0001")).status == .created)
            #expect(try await stationAdmin.call(.GET, "/api/v1/surveys/\(surveyS1)/results").status == .ok)
            #expect(try await SurveyResponse.query(on: app.db).count() == 1)
            #expect(checked == (Self.cases.count - Self.cases.values.filter(\.skip).count) * clients.count)
        }
    }
}
