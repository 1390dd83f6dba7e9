import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import DiandanCore

/// 代点单: an order taken by phone or at the door in one short form, linked to the resident's
/// account when the phone has one, and followed (and rated) by the resident through a signed link.
@Suite("Orders taken by phone and the follow link")
struct ProxyOrderTests {
    static func link(in text: String) -> String? {
        guard let r = text.range(of: #"/follow/[0-9]+-[A-Za-z0-9_-]+"#, options: .regularExpression) else { return nil }
        return String(text[r])
    }

    @Test func aPractitionerTakesACallTheResidentIsTextedFollowsAndRates() async throws {
        try await withTestApp(settings: ["DIANDAN_SMS_URL": "http://127.0.0.1:9/send?to={phone}&msg={text}"]) { app in
            let w = try await LoopWorld.make(app)
            var clerk = WebClient(app)
            try await clerk.login(Fixture.user(.practitioner))
            // The landing page offers it; the form is short.
            let home = try await clerk.send(.GET, Paths.home).text
            #expect(home.contains("href=\"\(Paths.orderByPhone)\""))
            let form = try await clerk.send(.GET, Paths.orderByPhone).text
            for field in ["f-channel", "f-contact_name", "f-contact_phone", "f-address", "f-station_id", "f-menu_item_id"] { #expect(form.contains("id=\"\(field)\"")) }
            #expect(form.contains("上门"))

            let token = try await clerk.csrf(from: Paths.orderByPhone)
            let fields: [(String, String)] = [("_csrf", token), ("form_id", "call-1"), ("channel", "phone"), ("contact_name", "张奶奶"),
                                              ("contact_phone", "13900008888"), ("station_id", String(w.f.s1.id!)),
                                              ("menu_item_id", String(w.f.menuS1.id!)), ("category_id", ""), ("details", "腿脚不便，上午在家")]
            // No address: refused next to the field, everything typed kept.
            let refused = try await clerk.send(.POST, Paths.orderByPhone, form: fields + [("address", "")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("id=\"err-address\"") && refused.text.contains("张奶奶")
                    && refused.text.contains("腿脚不便，上午在家"))
            #expect(try await Order.query(on: app.db).count() == 0)

            let placed = try await clerk.send(.POST, Paths.orderByPhone, form: fields + [("address", "幸福路8号")])
            #expect(placed.status == .seeOther || placed.status == .found)
            let order = try #require(try await Order.query(on: app.db).first())
            #expect(order.channel == OrderChannel.phone.rawValue && order.onBehalf && order.$requester.id == nil && order.contactName == "张奶奶")
            let shown = try await clerk.send(.GET, Paths.order(order.id!)).text
            #expect(shown.contains("已给 139****8888 发短信"))
            // Sent again (a double tap): one order, one text.
            _ = try await clerk.send(.POST, Paths.orderByPhone, form: fields + [("address", "幸福路8号")])
            #expect(try await Order.query(on: app.db).count() == 1)
            let texts = try await Delivery.query(on: app.db).filter(\.$topic == "sms.order_follow").all()
            #expect(texts.count == 1)
            struct Payload: Decodable { let phone_sealed: String; let text_sealed: String }
            let payload = try JSONDecoder().decode(Payload.self, from: Data(texts[0].payload.utf8))
            #expect(try app.protector.open(payload.phone_sealed) == "13900008888")
            let text = try app.protector.open(payload.text_sealed)
            #expect(text.contains(order.number) && !texts[0].payload.contains("/follow/"))
            let followPath = try #require(Self.link(in: text))

            // The resident follows the link without an account: the status and steps, no phone, no address, no scoring.
            var resident = WebClient(app)
            let follow = try await resident.send(.GET, followPath)
            #expect(follow.status == .ok && follow.text.contains(order.number) && follow.text.contains("id=\"follow-status\""))
            #expect(!follow.text.contains("13900008888") && !follow.text.contains("139****8888") && !follow.text.contains("幸福路8号"))
            #expect(!follow.text.contains("负荷") && !follow.text.contains("id=\"follow-rate\""))
            // A link changed by hand opens nothing.
            let forged = followPath.replacingOccurrences(of: "/follow/\(order.id!)-", with: "/follow/\(order.id! + 1)-")
            #expect(try await resident.send(.GET, forged).status == .notFound)

            // The team serves it; the link now asks for a rating, nothing preselected.
            var leader = try await APIClient.signIn(app, w.leaderS1)
            try await leader.call(.POST, "/api/v1/orders/\(order.id!)/accept")
            try await leader.call(.POST, "/api/v1/orders/\(order.id!)/start")
            let vid = w.f.volunteerS1.id!
            #expect(try await leader.call(.POST, "/api/v1/orders/\(order.id!)/complete", #"{"volunteer_ids":[\#(vid)],"hours_\#(vid)":2}"#).status == .ok)
            let ready = try await resident.send(.GET, followPath).text
            #expect(ready.contains("id=\"follow-rate\"") && !ready.contains("checked"))
            let rateToken = try await resident.csrf(from: followPath)
            let noStars = try await resident.send(.POST, followPath + "/rate", form: [("_csrf", rateToken), ("comment", "很及时")])
            #expect(noStars.status == .unprocessableEntity && noStars.text.contains("请点选几颗星") && noStars.text.contains("很及时"))
            let rated = try await resident.send(.POST, followPath + "/rate", form: [("_csrf", rateToken), ("score", "5"), ("comment", "很及时")])
            #expect(rated.headers.first(name: .location) == followPath + "?rated=1")
            let after = try #require(try await Order.find(order.id!, on: app.db))
            #expect(after.status == .rated && after.rating == 5 && after.ratingComment == "很及时" && !after.ratedByProxy)
            let thanks = try await resident.send(.GET, followPath + "?rated=1").text
            #expect(thanks.contains("id=\"follow-thanks\"") && thanks.contains("★★★★★") && !thanks.contains("id=\"follow-rate\""))
            // Once rated, not again.
            let twice = try await resident.send(.POST, followPath + "/rate", form: [("_csrf", rateToken), ("score", "1")])
            #expect(twice.status == .conflict)
            #expect(try await Order.find(order.id!, on: app.db)?.rating == 5)
        }
    }

    /// When the phone belongs to a resident's account, the order is theirs too.
    @Test func anOrderForAPhoneWithAnAccountIsLinkedToIt() async throws {
        try await withTestApp { app in
            let w = try await LoopWorld.make(app)
            // The resident opened an account by phone.
            var phone = WebClient(app)
            let sent = try await PhoneSignInTests.ask(&phone, "13900001111")
            let code = try #require(PhoneSignInTests.code(in: sent.text))
            let welcome = try await PhoneSignInTests.type(&phone, "13900001111", code).text
            let token = try await phone.csrf(from: "/login")
            _ = try await phone.send(.POST, Paths.loginWelcome, form: [("_csrf", token), ("phone", "13900001111"),
                                                                      ("expires", PhoneSignInTests.hidden("expires", in: welcome)!),
                                                                      ("ticket", PhoneSignInTests.hidden("ticket", in: welcome)!),
                                                                      ("display_name", "赵大爷"), ("station_id", String(w.f.s1.id!))])
            let account = try #require(try await Account.query(on: app.db).filter(\.$displayName == "赵大爷").first())

            var admin = WebClient(app)
            try await admin.login(Fixture.user(.siteAdmin))
            let csrf = try await admin.csrf(from: Paths.orderByPhone)
            _ = try await admin.send(.POST, Paths.orderByPhone, form: [("_csrf", csrf), ("form_id", "door-1"), ("channel", "walk_in"), ("contact_name", "赵大爷"),
                                                                       ("contact_phone", "13900001111"), ("address", "东门口"), ("station_id", String(w.f.s1.id!)),
                                                                       ("menu_item_id", ""), ("category_id", String(w.f.category.id!)), ("details", "家里灯坏了")])
            let order = try #require(try await Order.query(on: app.db).first())
            #expect(order.$requester.id == account.id && order.channel == OrderChannel.walkIn.rawValue && order.$placedBy.id != account.id)
            // It is in their own orders; in development without a gateway the page shows the text that would have gone.
            #expect(try await phone.send(.GET, Paths.myOrders).text.contains(order.number))
            let page = try await admin.send(.GET, Paths.order(order.id!)).text
            #expect(page.contains("id=\"dev-text\"") && page.contains("开发环境") && page.contains("id=\"dev-text-link\""))
            // Only at the stations the clerk serves: another station, posted by hand, is refused next to the field.
            var clerk = WebClient(app)
            try await clerk.login(Fixture.user(.practitioner))
            let token2 = try await clerk.csrf(from: Paths.orderByPhone)
            let elsewhere = try await clerk.send(.POST, Paths.orderByPhone, form: [("_csrf", token2), ("form_id", "far-1"), ("channel", "phone"),
                ("contact_name", "钱先生"), ("contact_phone", "13900002121"), ("address", "二号站旁"), ("station_id", String(w.f.s2.id!)),
                ("menu_item_id", ""), ("category_id", String(w.f.category.id!)), ("details", "修水管")])
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.text.contains("id=\"err-station_id\""))
            #expect(try await Order.query(on: app.db).count() == 1)
            // Residents and volunteers do not take orders for others.
            var resident = WebClient(app)
            try await resident.login(Fixture.user(.resident))
            #expect(try await resident.send(.GET, Paths.orderByPhone).status == .forbidden)
        }
    }
}
