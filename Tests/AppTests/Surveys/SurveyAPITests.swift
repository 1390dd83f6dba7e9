import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// Needs surveys over HTTP: designing through the API (messages per question), a phone's uploads
/// (201, then 200 with the stored one however often it is sent), the phone page's own upload and
/// its plain-form fallback, closing, and the results.
@Suite("Needs surveys: API and the phone page")
struct SurveyAPITests {
    static let design = #"{"site_id":SITE,"title":"入户问需","questions":[{"kind":"multiple","prompt":"想要哪些服务","options":[{"label":"文化","category_id":CAT},"其他"]},{"kind":"rating","prompt":"满意吗"},{"kind":"text","prompt":"还想要什么","required":false}]}"#

    static func design(_ w: LoopWorld) -> String {
        design.replacingOccurrences(of: "SITE", with: String(w.f.s1.id!)).replacingOccurrences(of: "CAT", with: String(w.f.category.id!))
    }

    static func answer(_ w: LoopWorld, _ client: String, _ at: Date, answers: String = #"{"1":[0],"2":4,"3":"想学手机"}"#) -> String {
        #"{"client_id":"\#(client)","station_id":\#(w.f.s1.id!),"household":"3组12号","collected_at":"\#(at.ISO8601Format())","answers":\#(answers)}"#
    }

    @Test func aSurveyIsDesignedAndAnsweredOnceThroughTheAPI() async throws {
        try await withTestApp { app in
            // setup
            let w = try await LoopWorld.make(app)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            var practitioner = try await APIClient.signIn(app, Fixture.user(.practitioner))

            // A design with a prompt missing and an empty option: every problem named by its place, nothing written.
            let bad = try await admin.call(.POST, "/api/v1/surveys",
                #"{"site_id":\#(w.f.s1.id!),"title":"问需","questions":[{"kind":"single","options":["甲","乙"]},{"kind":"multiple","prompt":"想要","options":[{"label":""},"乙"]},{"kind":"sometimes","prompt":"?"}]}"#)
            #expect(bad.status == .unprocessableEntity)
            let fields = try bad.json()["fields"] as? [String: String] ?? [:]
            #expect(Set(fields.keys) == ["questions.1.prompt", "questions.2.options.1.label", "questions.3.kind"], "\(fields)")
            #expect(fields["questions.1.prompt"] == "此项必填。")
            #expect(try await Survey.query(on: app.db).count() == 0)
            // A practitioner does not design.
            #expect(try await practitioner.call(.POST, "/api/v1/surveys", Self.design(w)).status == .forbidden)

            // MUT: the design, then one household sent three times.
            let created = try await admin.call(.POST, "/api/v1/surveys", Self.design(w))
            #expect(created.status == .created)
            let survey = try created.json()["id"] as! Int
            let questions = try created.json()["questions"] as! [[String: Any]]
            #expect(questions.map { $0["id"] as? Int } == [1, 2, 3] && questions[2]["required"] as? Bool == false)
            let now = app.clock.now()
            let first = try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0001", now.addingTimeInterval(-60)))
            #expect(first.status == .created, "\(first.text)")
            let retries = try await race(Array(repeating: practitioner, count: 6), .POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0001", now.addingTimeInterval(-60)))
            #expect(retries.allSatisfy { $0 == .ok }, "\(retries)")
            #expect(try await SurveyResponse.query(on: app.db).count() == 1)

            // Answers that do not fit: named by question; a time in the future; no time at all.
            let wrong = try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0002", now, answers: #"{"1":"文化","2":9,"7":1}"#))
            #expect(wrong.status == .unprocessableEntity)
            #expect(Set((try wrong.json()["fields"] as? [String: String] ?? [:]).keys) == ["answers.1", "answers.7"], "\(wrong.text)")
            let rating = try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0002", now, answers: #"{"1":[0],"2":9}"#))
            #expect((try rating.json()["fields"] as? [String: String])?.keys.sorted() == ["answers.2"])
            #expect(try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0002", now.addingTimeInterval(86_400))).status == .unprocessableEntity)
            #expect(try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses",
                                                #"{"client_id":"phone-0002","station_id":\#(w.f.s1.id!),"answers":{"2":3}}"#).status == .unprocessableEntity)
            #expect(try await SurveyResponse.query(on: app.db).count() == 1)

            // Results: one household, its option, its score.
            let results = try await admin.call(.GET, "/api/v1/surveys/\(survey)/results").json()
            #expect(results["responses"] as? Int == 1)
            let q = results["questions"] as! [[String: Any]]
            #expect((q[0]["options"] as? [[String: Any]])?.map { $0["count"] as? Int } == [1, 0])
            #expect(q[1]["ratings"] as? [Int] == [0, 0, 0, 1, 0] && q[2]["texts"] as? Int == 1)
            let needs = results["needs"] as! [[String: Any]]
            #expect(needs.map { $0["category_id"] as? Int } == [w.f.category.id!])
            #expect(try await practitioner.call(.GET, "/api/v1/surveys/\(survey)/results").status == .forbidden)
            // A site outside the survey's names nothing it has: not found.
            #expect(try await admin.call(.GET, "/api/v1/surveys/\(survey)/results?site=\(w.f.s2.id!)").status == .notFound)

            // Closed: no new household, but a phone's late retry of one already stored still hears 200.
            #expect(try await admin.call(.POST, "/api/v1/surveys/\(survey)/status", #"{"status":"closed"}"#).json()["status"] as? String == "closed")
            #expect(try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0003", now)).status == .conflict)
            #expect(try await practitioner.call(.POST, "/api/v1/surveys/\(survey)/responses", Self.answer(w, "phone-0001", now.addingTimeInterval(-60))).status == .ok)
            #expect(try await SurveyResponse.query(on: app.db).count() == 1)
        }
    }

    /// The phone page: its script sends `answers` as JSON text and asks for JSON; without the script
    /// the form's own fields arrive. Either way one household is one response; a lapsed session is a
    /// 401 the script can read, not a redirect to the login page that would look like success.
    @Test func thePhonePageStoresEachHouseholdOnce() async throws {
        try await withTestApp { app in
            // setup
            let w = try await LoopWorld.make(app)
            var admin = try await APIClient.signIn(app, Fixture.user(.siteAdmin))
            let survey = try await admin.call(.POST, "/api/v1/surveys", Self.design(w)).json()["id"] as! Int
            var phone = WebClient(app)
            try await phone.login(Fixture.user(.practitioner))
            let page = try await phone.send(.GET, "/surveys/\(survey)/collect")
            #expect(page.status == .ok && page.text.contains("想要哪些服务") && page.text.contains(#"name="a1[]""#))
            let token = try await phone.csrf(from: "/surveys/\(survey)/collect")
            let json: HTTPHeaders = ["Accept": "application/json"]
            let scripted: [(String, String)] = [("_csrf", token), ("client_id", "4b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11"), ("station_id", String(w.f.s1.id!)),
                                                ("household", "5组2号"), ("collected_at", app.clock.now().addingTimeInterval(-60).ISO8601Format()),
                                                ("answers", #"{"1":[0,1],"2":5}"#)]
            // MUT: the script's upload, twice.
            let sent = try await phone.send(.POST, "/surveys/\(survey)/responses", form: scripted, headers: json)
            #expect(sent.status == .created, "\(sent.text)")
            #expect(try sent.json()["client_id"] as? String == "4b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11")
            #expect(try await phone.send(.POST, "/surveys/\(survey)/responses", form: scripted, headers: json).status == .ok)
            // Refused answers come back as JSON the script shows, per question.
            var refused = scripted
            refused[1] = ("client_id", "5b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11")
            refused[5] = ("answers", #"{"2":5}"#)
            let no = try await phone.send(.POST, "/surveys/\(survey)/responses", form: refused, headers: json)
            let noFields = try no.json()["fields"] as? [String: String]
            #expect(no.status == .unprocessableEntity && noFields?["answers.1"] != nil, "\(no.text)")

            // Without the script: the form's fields, answered with the page again.
            let plain: [(String, String)] = [("_csrf", token), ("client_id", "6b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11"), ("station_id", String(w.f.s1.id!)),
                                             ("household", ""), ("a1[]", "1"), ("a2", "3"), ("a3", "  ")]
            let posted = try await phone.send(.POST, "/surveys/\(survey)/responses", form: plain)
            #expect(posted.status == .seeOther && posted.headers.first(name: .location) == "/surveys/\(survey)/collect?saved=1")
            #expect(try await phone.send(.POST, "/surveys/\(survey)/responses", form: plain).status == .seeOther)
            let missing = try await phone.send(.POST, "/surveys/\(survey)/responses", form: [plain[0], ("client_id", "7b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11"),
                                                                                             plain[2], ("a2", "3")])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("第1题"))
            let stored = try await SurveyResponse.query(on: app.db).sort(\.$id).all()
            #expect(stored.map(\.clientID) == ["4b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11", "6b7f7d0e-8a51-4d43-9a53-0f3e7d1c2b11"])
            #expect(stored[1].answers == [1: .choice([1]), 2: .rating(3)])

            // Signed out while the phone was away: a 401 in JSON.
            var lapsed = WebClient(app)
            let lapsedToken = try await lapsed.csrf()
            var late = scripted
            late[0] = ("_csrf", lapsedToken)
            let signin = try await lapsed.send(.POST, "/surveys/\(survey)/responses", form: late, headers: json)
            #expect(signin.status == .unauthorized && signin.headers.contentType == .json)
            #expect(try await SurveyResponse.query(on: app.db).count() == 2)
        }
    }

    /// The designer's blocks become the questions: empty blocks left out, options typed one per line,
    /// taken from every category, or picked from the menu; a message goes back to its block.
    @Test func theDesignerPageMakesTheQuestions() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            let menu = MenuService(db: app.db, grants: [Grant(role: .siteAdmin, siteID: w.f.s1.id!, sitePath: w.f.s1.sitePath, siteKind: .station)])
            let haircut = try await menu.create(MenuItemInput(categoryID: w.f.category.id!, siteID: w.f.s1.id!, title: "上门理发", description: "",
                                                              teamIDs: [w.f.teamS1.id!], siteIDs: [w.f.s1.id!], autoAccept: false, active: true))
            var web = WebClient(app)
            try await web.login(Fixture.user(.siteAdmin))
            let base: [(String, String)] = [("site_id", String(w.f.s1.id!)), ("title", "入户问需"),
                                            ("q1_kind", "single"), ("q1_prompt", "常来活动吗"), ("q1_required", "on"), ("q1_source", "own"), ("q1_options", "经常\r\n\r\n偶尔\r\n"),
                                            ("q3_kind", "multiple"), ("q3_prompt", "想要哪类服务"), ("q3_source", "categories"), ("q3_options", ""),
                                            ("q4_kind", "multiple"), ("q4_prompt", "想要哪项服务"), ("q4_source", "menu"),
                                            ("q4_items[]", String(w.f.menuS1.id!)), ("q4_items[]", String(haircut.id!))]
            // A one-option question is sent back with its message in its own block.
            let bad = try await web.submit("/admin/surveys", base + [("q5_kind", "single"), ("q5_prompt", "只有一个选项"), ("q5_options", "甲")], tokenFrom: "/admin/surveys/new")
            #expect(bad.status == .unprocessableEntity && bad.text.contains(#"id="err-q5""#), "\(bad.status)")
            #expect(try await Survey.query(on: app.db).count() == 0)
            // MUT
            let made = try await web.submit("/admin/surveys", base, tokenFrom: "/admin/surveys/new")
            #expect(made.status == .seeOther, "\(made.text.components(separatedBy: "class=\"error\"").dropFirst().map { $0.prefix(120) })")
            let survey = try #require(try await Survey.query(on: app.db).first())
            let q = survey.questions
            try #require(q.count == 3)
            #expect(q.map(\.prompt) == ["常来活动吗", "想要哪类服务", "想要哪项服务"])
            #expect(q[0].options.map(\.label) == ["经常", "偶尔"] && q[0].required)
            let categories = try await Category.query(on: app.db).filter(\.$active == true).count()
            #expect(q[1].options.count == categories && q[1].options.allSatisfy { $0.categoryID != nil } && !q[1].required)
            #expect(q[2].options.map(\.menuItemID) == [w.f.menuS1.id!, haircut.id!] && q[2].options.map(\.label) == [w.f.menuS1.title, "上门理发"])
            // Its page shows the results and links each need to a new menu item filled in from it.
            let page = try await web.send(.GET, "/admin/surveys/\(survey.id!)")
            #expect(page.status == .ok && page.text.contains("常来活动吗"))
            let form = try await web.send(.GET, "/admin/menu/new?category_id=\(w.f.category.id!)&title=%E5%8A%A9%E8%80%81&site_ids=\(w.f.s1.id!)")
            #expect(form.text.contains(#"value="助老""#) && form.text.contains(#"<option value="\#(w.f.category.id!)" selected>"#))
            // Or a project, filled in the same way.
            let project = try await web.send(.GET, "/admin/projects/new?category_id=\(w.f.category.id!)&title=%E5%8A%A9%E8%80%81%E9%A1%B9%E7%9B%AE")
            #expect(project.text.contains(#"value="助老项目""#) && project.text.contains(#"<option value="\#(w.f.category.id!)" selected>"#))
        }
    }
}
