import Fluent
import Foundation
import DiandanCore

/// 跟进链接: an order taken by phone or at the door (代点单) is followed by the resident through a
/// signed link they are texted — its status, its steps and the rating, without an account. The link
/// names one order and is signed with the server's secret; it shows no phone number or address.
struct FollowService: MadeFromContext {
    let db: Database
    let now: Date
    let protector: DataProtector
    let localizer: Localizer
    let gateway: Bool

    init(_ c: ServiceContext) {
        db = c.db
        now = c.now
        protector = c.protector
        localizer = c.localizer
        gateway = c.settings.sms != nil
    }

    func token(orderID: Int) -> String { "\(orderID)-" + protector.sign("follow|\(orderID)") }

    /// The order a token names, when its signature holds.
    func order(token: String) async throws -> Order? {
        guard token.count <= 60, let dash = token.firstIndex(of: "-"), let id = Int(token[..<dash]), id > 0,
              protector.verify("follow|\(id)", signature: String(token[token.index(after: dash)...])) else { return nil }
        return try await Order.find(id, on: db)
    }

    struct Texted: Sendable { var link: String; var text: String; var sent: Bool }

    /// Texts the resident the order number and the follow link (in the linked account's language,
    /// else Chinese). Without a gateway nothing is sent: the text is returned for the development
    /// banner. Nil when the contact number is not a mobile one.
    func textFollowLink(_ o: Order, baseURL: String) async throws -> Texted? {
        guard let id = o.id, let phone = PhoneNumber.parse(try protector.open(o.contactPhoneSealed)), phone.isMobile else { return nil }
        let requester = try await o.$requester.id.asyncFlatMap { try await Account.find($0, on: db) }
        let locale = requester.flatMap { AppLocale(rawValue: $0.locale) } ?? .zhCN
        let link = baseURL + Paths.follow(token(orderID: id))
        let text = localizer.text("sms.order_follow", locale, ["number": o.number, "title": String(o.title.prefix(30)), "link": link])
        if gateway {
            let message = try TextMessages.delivery(to: phone.value, text: text, topic: "sms.order_follow", orderID: id, accountID: o.$requester.id,
                                                    now: now, protector: protector)
            try await db.writeTransaction { db in try await message.create(on: db) }
        }
        return Texted(link: link, text: text, sent: gateway)
    }
}
