import Foundation
import Testing
@testable import DiandanCore

/// The rules of the codes a phone sign-in sends.
@Suite("Sign-in codes by text message")
struct SignInCodeTests {
    let t0 = Date(timeIntervalSince1970: 2_000_000_000)
    func digest(_ s: String) -> String { "d:" + s }

    @Test func codesAreSixDigitsLeadingZerosKept() {
        struct Fixed: RandomNumberGenerator { var value: UInt64; mutating func next() -> UInt64 { value } }
        // A generator whose draw lands low: 2⁵⁴ of 2⁶⁴ is 976 of a million, written with its zeros.
        var low = Fixed(value: 1 << 54)
        #expect(SignInCodeRules.newCode(using: &low) == "000976")
        for _ in 0..<200 {
            let c = SignInCodeRules.newCode()
            #expect(c.count == 6 && c.allSatisfy { $0.isASCII && $0.isNumber })
        }
        #expect(SignInCodeRules.normalized(" 012 345 ") == "012345")
        #expect(SignInCodeRules.normalized("０１２３４５") == "012345")
        #expect(SignInCodeRules.normalized("12345") == nil && SignInCodeRules.normalized("1234567") == nil && SignInCodeRules.normalized("12a456") == nil)
        #expect(SignInCodeRules.normalized("一二三四五六") == nil)
    }

    @Test func aCodeIsGoodOnceForFiveMinutesAndFiveTries() {
        let stored = SignInCodeRules.Stored(digest: digest("123456"), createdAt: t0)
        #expect(SignInCodeRules.judge("123456", against: stored, now: t0.addingTimeInterval(299), digest: digest) == .accepted)
        #expect(SignInCodeRules.judge("123456", against: stored, now: t0.addingTimeInterval(300), digest: digest) == .expired)
        var used = stored
        used.usedAt = t0.addingTimeInterval(10)
        #expect(SignInCodeRules.judge("123456", against: used, now: t0.addingTimeInterval(20), digest: digest) == .used)
        var tried = stored
        #expect(SignInCodeRules.judge("654321", against: tried, now: t0, digest: digest) == .wrong(triesLeft: 4))
        tried.tries = 4
        #expect(SignInCodeRules.judge("654321", against: tried, now: t0, digest: digest) == .exhausted)
        tried.tries = 5
        // After five tries even the right code is refused.
        #expect(SignInCodeRules.judge("123456", against: tried, now: t0, digest: digest) == .exhausted)
    }

    @Test func aPhoneIsSentOneCodeAMinuteFiveAnHourAndAnAddressTwenty() {
        let rules = SignInCodeRules.self
        #expect(rules.refusal(now: t0, phoneRequests: [], addressRequests: []) == nil)
        #expect(rules.refusal(now: t0, phoneRequests: [t0.addingTimeInterval(-20)], addressRequests: []) == .tooSoon(seconds: 40))
        #expect(rules.refusal(now: t0, phoneRequests: [t0.addingTimeInterval(-61)], addressRequests: []) == nil)
        let five = (1...5).map { t0.addingTimeInterval(Double(-$0 * 600)) }
        #expect(rules.refusal(now: t0, phoneRequests: five, addressRequests: []) == .phoneHourly)
        // Older than an hour no longer counts.
        #expect(rules.refusal(now: t0.addingTimeInterval(1200), phoneRequests: five, addressRequests: []) == nil)
        let twenty = (1...20).map { t0.addingTimeInterval(Double(-$0 * 60)) }
        #expect(rules.refusal(now: t0, phoneRequests: [], addressRequests: twenty) == .addressHourly)
        #expect(rules.refusal(now: t0, phoneRequests: [], addressRequests: Array(twenty.prefix(19))) == nil)
    }
}
