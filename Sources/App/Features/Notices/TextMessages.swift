import Fluent
import Foundation
import DiandanCore

/// A text message to one phone number, queued for `DeliverySender` in the caller's transaction (the
/// number sealed). Without a gateway nothing is queued: the caller shows what would have been sent
/// in development (`Settings.developmentLike`) and offers no texting path in production. The number
/// and the text (a sign-in code, a follow link) are both sealed.
enum TextMessages {
    static func delivery(to phone: String, text: String, topic: String, orderID: Int? = nil, accountID: Int? = nil,
                         now: Date, protector: DataProtector) throws -> Delivery {
        let d = Delivery()
        d.createdAt = now
        d.channel = Delivery.Channel.sms.rawValue
        d.topic = topic
        d.eventKey = "sms_" + TokenDigest.random(bytes: 12)
        // The text holds a sign-in code or a follow link: sealed like the number until it is sent.
        d.payload = OrderService.json(["phone_sealed": try protector.seal(phone), "text_sealed": try protector.seal(text)]) ?? "{}"
        d.status = Delivery.Status.pending.rawValue
        d.attempts = 0
        d.nextAttemptAt = now
        d.orderID = orderID
        d.accountID = accountID
        return d
    }
}
