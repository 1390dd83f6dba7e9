import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// Things people met that were wrong: each as they met it.
@Suite("What was wrong or broken")
struct WrongAndBrokenTests {
    /// An activity that has begun said "报名中" with no button and no reason.
    @Test func anActivitySaysWhereItStandsAndWhyNobodyCanSignUp() async throws {
        let clock = TestClock(Calendar.chinaStandard.date(from: DateComponents(year: 2030, month: 12, day: 3, hour: 9))!)
        try await withTestApp(clock: clock) { app in
            // setup: an activity at S1 from 2030-12-05 09:00; a volunteer of no team signs in as volunteer-s1.
            let w = try await LoopWorld.make(app)
            let id = try await ActivityFlowTests.published(app, w, slots: 5)
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == Fixture.user(.volunteer)).first())
            let v = try await VolunteerService.make(app).register(VolunteerRegistration(
                realName: "新志愿者", idNumber: try IDNumber.parse(IDNumber.compose(region: "360781", birth: "19900101", sequence: 77), today: Date()).get(),
                phone: PhoneNumber.parse("13600000077")!, skills: [], siteID: w.f.s1.id!))
            v.$account.id = account.id
            try await v.save(on: app.db)

            // Before it begins: someone not signed in is offered to sign in; the volunteer, the button.
            var anonymous = WebClient(app)
            let open = try await anonymous.send(.GET, Paths.activity(id)).text
            #expect(open.contains("报名中") && open.contains("id=\"signup-sign-in\"") && open.contains("登录后报名"))
            var volunteer = WebClient(app)
            try await volunteer.login(Fixture.user(.volunteer))
            #expect(try await volunteer.send(.GET, Paths.activity(id)).text.contains("id=\"do-signup\""))
            // A resident (not a volunteer) is told what it takes.
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            #expect(try await resident.send(.GET, Paths.activity(id)).text.contains("注册成为志愿者后才能报名活动"))

            // MUT: half an hour after it began.
            clock.advance(2 * 86_400 + 1_800)
            var late = WebClient(app)
            try await late.login(Fixture.user(.volunteer))
            let begun = try await late.send(.GET, Paths.activity(id)).text

            // validate
            #expect(begun.contains(">进行中<"))
            #expect(!begun.contains(">报名中<"))
            #expect(begun.contains("id=\"signup-closed\"") && begun.contains("活动已经开始，报名已截止"))
            #expect(!begun.contains("id=\"do-signup\""))
            clock.advance(86_400)
            #expect(try await late.send(.GET, Paths.activity(id)).text.contains(">已结束<"))
        }
    }

    /// Switching language on a page a form's POST answered led to a 404 (the link repeated the POST
    /// address as a GET), and an unknown address showed the signed-out header.
    @Test func switchingLanguageAfterAFormAndA404KeepThePersonWhereTheyAre() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)
            // A refused form re-renders from its POST: the language link leads back to the form's page.
            let token = try await web.csrf(from: "/admin/categories/new")
            let refused = try await web.send(.POST, "/admin/categories", form: [("_csrf", token), ("name", "")],
                                             headers: ["Referer": "http://localhost/admin/categories/new"])
            #expect(refused.status == .unprocessableEntity)
            let link = try #require(refused.text.firstMatch(of: /href="(\/lang\/en\?next=[^"]*)"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") })
            #expect(link.contains("next=%2Fadmin%2Fcategories%2Fnew") || link.contains("next=/admin/categories/new"))
            let switched = try await web.send(.GET, link)
            let target = try #require(switched.headers.first(name: .location))
            #expect(try await web.send(.GET, target).status == .ok)

            // An address nobody answers: 404, with the signed-in header (their name, sign-out).
            let missing = try await web.send(.GET, "/no-such-page")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains(Fixture.centreAdmin))
            var anonymous = WebClient(app)
            #expect(!(try await anonymous.send(.GET, "/no-such-page").text.contains(Fixture.centreAdmin)))
        }
    }

    /// A custom period the wrong way round blanked the assessment with "请修改标出的内容" and nothing marked.
    @Test func aPeriodThatCannotBeShowsThisMonthAndSaysWhatWasWrong() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            var web = WebClient(app)
            try await web.login(Fixture.centreAdmin)

            // MUT
            let r = try await web.send(.GET, "/assessment?period=custom&from=2026-12-01&to=2026-11-01")

            // validate
            #expect(r.status == .unprocessableEntity)
            #expect(r.text.contains("id=\"assessment-problem\"") && r.text.contains("不超过三年") && r.text.contains("下面是本月的数据"))
            #expect(r.text.contains("value=\"2026-12-01\"") && r.text.contains("value=\"2026-11-01\""))
            #expect(r.text.contains("aria-invalid=\"true\""))
            #expect(r.text.contains("id=\"assessment-cards\""))
            // A date that is not one is treated alike.
            let bad = try await web.send(.GET, "/assessment?period=custom&from=2026-13-45&to=2026-11-01")
            #expect(bad.status == .unprocessableEntity && bad.text.contains("id=\"assessment-problem\""))
        }
    }
}

/// 查看并拨打: the leader serving an order (and the admins over it) see the resident's number on the
/// order's page once they give a reason, which the audit trail keeps; then it is a number to tap.
@Suite("Calling the resident")
struct CallTheResidentTests {
    @Test func theServingLeaderGivesAReasonAndGetsANumberToTap() async throws {
        try await withTestApp { app in
            // setup: an order S1's team has taken (the item dispatches itself to leader-s1's team).
            let w = try await LoopWorld.make(app)
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try #require(try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["id"] as? Int)
            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            let page = try await leader.send(.GET, Paths.order(id)).text
            #expect(page.contains("id=\"order-contact-ask\"") && page.contains("查看并拨打") && page.contains("核对服务地址"))
            #expect(!page.contains("13800001234"))
            let token = try await leader.csrf(from: Paths.order(id))

            // Without a reason: nothing shown, nothing written, and the person is told why.
            let none = try await leader.send(.POST, Paths.order(id) + "/contact", form: [("_csrf", token), ("reason", "其他（请在下面填写）"), ("reason_other", "")])
            #expect(none.status == .unprocessableEntity && none.text.contains("请选择或填写查看原因"))
            #expect(!none.text.contains("13800001234"))
            #expect(try await AuditRecord.query(on: app.db).filter(\.$action == "personal.order_contact").count() == 0)

            // MUT
            let shown = try await leader.send(.POST, Paths.order(id) + "/contact", form: [("_csrf", token), ("reason", "核对服务地址")])

            // validate
            #expect(shown.status == .ok)
            #expect(shown.text.contains("href=\"tel:13800001234\""))
            let entries = try await AuditRecord.query(on: app.db).filter(\.$action == "personal.order_contact").all()
            #expect(entries.count == 1 && entries.first?.reason == "核对服务地址" && entries.first?.username == w.leaderS1)
            // A reason written out serves as well.
            let written = try await leader.send(.POST, Paths.order(id) + "/contact", form: [("_csrf", token), ("reason", "其他（请在下面填写）"), ("reason_other", "居民说门牌号有变")])
            #expect(written.status == .ok && written.text.contains("tel:13800001234"))
            #expect(try await AuditRecord.query(on: app.db).filter(\.$reason == "居民说门牌号有变").count() == 1)

            // The resident who ordered is not offered it, and may not ask.
            var own = WebClient(app)
            try await own.login(Fixture.user(.resident))
            #expect(!(try await own.send(.GET, Paths.order(id)).text.contains("order-contact-ask")))
            let refused = try await own.send(.POST, Paths.order(id) + "/contact", form: [("_csrf", try await own.csrf(from: Paths.order(id))), ("reason", "核对服务地址")])
            #expect(refused.status == .forbidden)
        }
    }
}

/// The completion form lost every tick and hour when the server refused it, and said "应在0.0到24.0之间"
/// (the form's minimum is half an hour) without naming the row.
@Suite("A refused completion keeps what was typed")
struct CompletionFormTests {
    @Test func everyTickHourAndNoteIsKeptAndTheRowIsNamed() async throws {
        try await withTestApp { app in
            // setup: an order S1's team is serving; its leader on the order's page.
            let w = try await LoopWorld.make(app)
            let (id, _) = try await w.orderInService(app)
            let v = try #require(w.f.volunteerS1.id)
            var leader = WebClient(app)
            try await leader.login(w.leaderS1)
            let token = try await leader.csrf(from: Paths.order(id))
            func complete(_ hours: String) async throws -> TestingHTTPResponse {
                try await leader.sendMultipart(Paths.order(id) + "/complete?_csrf=" + token,
                                               fields: [("_csrf", token), ("volunteer_ids[]", String(v)), ("hours_\(v)", hours), ("notes", "送了米和油")], files: [])
            }

            // MUT
            let r = try await complete("30")

            // validate
            #expect(r.status == .unprocessableEntity)
            #expect(r.text.contains("id=\"served-\(v)\" checked"))
            #expect(r.text.contains("id=\"hours-\(v)\" value=\"30\""))
            #expect(r.text.contains("一号志愿者：服务时长应在0.5到24小时之间"))
            #expect(r.text.contains(">送了米和油</textarea>"))
            #expect(!r.text.contains("0.0到24.0"))
            let quarter = try await complete("0.25")
            #expect(quarter.status == .unprocessableEntity && quarter.text.contains("服务时长应在0.5到24小时之间"))
            #expect(try await Order.find(id, on: app.db)?.status == .inService)
            // Half an hour is within the form's limits, and goes through.
            let ok = try await complete("0.5")
            #expect(ok.status == .seeOther)
            #expect(try await Order.find(id, on: app.db)?.status == .completed)
            // The page after says what was done, once.
            let after = try await leader.send(.GET, Paths.order(id)).text
            #expect(after.contains("id=\"order-notice\"") && after.contains("已完成"))
            #expect(!(try await leader.send(.GET, Paths.order(id)).text.contains("id=\"order-notice\"")))
        }
    }

    /// Placing an order led to its page with no word that it had worked or what came next.
    @Test func placingAnOrderSaysItWorkedAndWhatHappensNext() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            let token = try await resident.csrf(from: Paths.orderNew(station: w.f.s1.id!))

            // MUT: an order off the menu (it waits for the station to dispatch it).
            let r = try await resident.send(.POST, "/orders", form: [("_csrf", token), ("category_id", String(w.f.category.id!)), ("details", "想听一场党史宣讲"),
                                                                     ("station_id", String(w.f.s1.id!)), ("address", "一号站旁"), ("contact_name", "李阿姨"),
                                                                     ("contact_phone", "13800005678"), ("people", "1"), ("form_id", "f1")])

            // validate
            #expect(r.status == .seeOther)
            let page = try await resident.send(.GET, try #require(r.headers.first(name: .location))).text
            let order = try #require(try await Order.query(on: app.db).first())
            #expect(page.contains("点单成功！订单号 \(order.number)"))
            #expect(page.contains("站点会在 \(DateText.minute(order.responseDeadline)) 前把它派给志愿服务队"))
        }
    }
}

/// Cancelling, rejecting, declining, revoking a key and asking to be deleted were done at one tap.
@Suite("Asked before what cannot be undone")
struct ConfirmationTests {
    @Test func cancellingAnOrderIsAskedFirstAndTheReasonIsCarried() async throws {
        try await withTestApp { app in
            // setup: an order waiting at S1, its requester on its page.
            let w = try await LoopWorld.make(app)
            var api = try await APIClient.signIn(app, Fixture.user(.resident))
            let id = try #require(try await api.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as? Int)
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            let page = try await resident.send(.GET, Paths.order(id)).text
            #expect(page.contains("data-confirm=\"确定取消订单"))
            let token = try await resident.csrf(from: Paths.order(id))

            // MUT: the first post (no script: the page asks).
            let asked = try await resident.send(.POST, Paths.order(id) + "/cancel", form: [("_csrf", token), ("reason", "家里人来帮忙了")])

            // validate
            #expect(asked.status == .ok)
            #expect(asked.text.contains("确定取消订单") && asked.text.contains("id=\"confirm-yes\""))
            #expect(asked.text.contains("name=\"reason\" value=\"家里人来帮忙了\"") && asked.text.contains("name=\"confirmed\" value=\"1\""))
            #expect(try await Order.find(id, on: app.db)?.status == .submitted)
            let done = try await resident.send(.POST, Paths.order(id) + "/cancel", form: [("_csrf", token), ("reason", "家里人来帮忙了"), ("confirmed", "1")])
            #expect(done.status == .seeOther)
            #expect(try await Order.find(id, on: app.db)?.status == .cancelled)
            // The API is not asked (a program decides for itself).
            let other = try #require(try await api.call(.POST, "/api/v1/orders", w.offMenuOrder()).json()["id"] as? Int)
            #expect(try await api.call(.POST, "/api/v1/orders/\(other)/cancel", #"{"reason":"不需要了"}"#).status == .ok)
        }
    }
}

/// A session that ended while the person typed an order showed "403 页面已过期" and the text was lost.
@Suite("An order typed as the session ends")
struct KeptOrderTests {
    @Test func theTypedOrderComesBackAfterSigningInAgain() async throws {
        try await withTestApp { app in
            // setup: a resident on the order form, whose session then ends (signed out everywhere).
            let w = try await LoopWorld.make(app)
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            let token = try await resident.csrf(from: Paths.orderNew(station: w.f.s1.id!))
            try await (app.db as! SQLDatabase).raw("DELETE FROM web_sessions").run()

            // MUT: the form is sent.
            let r = try await resident.send(.POST, "/orders", form: [("_csrf", token), ("category_id", String(w.f.category.id!)), ("details", "想听一场党史宣讲"),
                                                                     ("station_id", String(w.f.s1.id!)), ("address", "一号站旁"), ("contact_name", "李阿姨"),
                                                                     ("contact_phone", "13800005678"), ("people", "1"), ("form_id", "kept1")])

            // validate: asked to sign in, with what was typed carried (never the old token), nothing ordered yet.
            #expect(r.status == .unauthorized)
            #expect(r.text.contains("登录已过期") && r.text.contains("name=\"kept:details\" value=\"想听一场党史宣讲\""))
            #expect(!r.text.contains("kept:_csrf"))
            #expect(try await Order.query(on: app.db).count() == 0)
            let fresh = try #require(r.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.output.1) })
            let kept = r.text.matches(of: /name="(kept:[^"]+)" value="([^"]*)"/).map { (String($0.output.1), String($0.output.2)) }
            #expect(kept.count >= 8)
            let signedIn = try await resident.send(.POST, "/login", form: [("_csrf", fresh), ("username", Fixture.user(.resident)), ("password", Fixture.password),
                                                                            ("next", Paths.orderNewForm)] + kept)
            #expect(signedIn.headers.first(name: .location) == Paths.orderNewForm)
            let form = try await resident.send(.GET, Paths.orderNewForm)
            #expect(form.status == .ok)
            #expect(form.text.contains("id=\"order-kept\"") && form.text.contains("想听一场党史宣讲") && form.text.contains("value=\"李阿姨\""))
            // Once: the next visit starts afresh.
            #expect(!(try await resident.send(.GET, Paths.orderNew(station: w.f.s1.id!)).text.contains("id=\"order-kept\"")))
        }
    }
}
