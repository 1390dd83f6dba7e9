import Foundation
import Testing
@testable import DiandanCore

/// The small rules that keep outside input from doing harm, as found by probing.
@Suite("Safety rules")
struct SafetyTests {
    @Test func onlyPathsOnThisSiteAreFollowed() {
        for good in ["/", "/admin", "/orders/3?tab=a", "/showcase/2/feed.atom", "/lang/en?next=%2Fadmin"] {
            #expect(LocalPath.isSafe(good), "\(good)")
        }
        // Browsers drop tabs and line breaks before reading a URL: "/\t/evil" is "//evil" to them.
        for bad in ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil", "/\\evil.example", "/\\\\evil", "/ /evil", "/a//b",
                    "https://evil.example", "evil.example", "", "/\u{0}x", "/\u{200B}/evil", "/\u{3000}/evil", "/%09/evil".removingPercentEncoding!] {
            #expect(!LocalPath.isSafe(bad), "\(bad.debugDescription)")
        }
    }

    @Test func cellsASpreadsheetWouldRunAreNeutralised() {
        #expect(CSVCell.neutralised("=HYPERLINK(\"http://evil\",\"点我\")") == "'=HYPERLINK(\"http://evil\",\"点我\")")
        #expect(CSVCell.neutralised("@SUM(1,2)") == "'@SUM(1,2)")
        #expect(CSVCell.neutralised("+1+2") == "'+1+2")
        #expect(CSVCell.neutralised("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(CSVCell.neutralised("\t=1") == "'\t=1")
        #expect(CSVCell.neutralised("\r=1") == "'\r=1")
        // Numbers stay numbers; ordinary text is untouched.
        #expect(CSVCell.neutralised("-3") == "-3")
        #expect(CSVCell.neutralised("-0.5") == "-0.5")
        #expect(CSVCell.neutralised("叶坪村服务队") == "叶坪村服务队")
        #expect(CSVCell.field("=1,2") == "\"'=1,2\"")
        #expect(CSVCell.line(["a", "=b"]) == "a,'=b\r\n")
    }

    @Test func internalAddressesAreRecognised() {
        for inside in ["127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                       "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                       "64:ff9b::7f00:1", "2002:7f00:1::", "[::1]", "not an address", "2001:db8::1"] {
            #expect(NetworkAddress.isInternal(inside), "\(inside)")
        }
        for outside in ["8.8.8.8", "114.114.114.114", "172.32.0.1", "192.169.0.1", "2400:3200::1", "::ffff:8.8.8.8", "100.128.0.1"] {
            #expect(!NetworkAddress.isInternal(outside), "\(outside)")
        }
        #expect(NetworkAddress.ipv6("2001:db8::1") == [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        #expect(NetworkAddress.ipv4("01.2.3.400") == nil)
        #expect(!WebhookRules.hostIsAllowed("http://127.0.0.1:8080/x", allowPrivate: false))
        #expect(!WebhookRules.hostIsAllowed("http://LOCALHOST/x", allowPrivate: false))
        #expect(!WebhookRules.hostIsAllowed("http://0x7f000001/x", allowPrivate: false))
        #expect(!WebhookRules.hostIsAllowed("http://0177.0.0.1/x", allowPrivate: false))
        #expect(WebhookRules.hostIsAllowed("https://cafe.example.cn/x", allowPrivate: false))
        #expect(WebhookRules.hostIsAllowed("https://city.example.cn/hook", allowPrivate: false))
        #expect(WebhookRules.hostIsAllowed("http://127.0.0.1:8080/x", allowPrivate: true))
    }

    @Test func commonPasswordsAreRefused() {
        for weak in ["password1", "aaaaaaa1", "Password1", "qwerty123", "woaini1314", "abc123456"] {
            #expect(PasswordPolicy.problem(weak, username: "zhang") == "error.password.common", "\(weak)")
        }
        #expect(PasswordPolicy.problem("zhang2026x", username: "zhang") == "error.password.username")
        #expect(PasswordPolicy.problem("abcdefgh", username: "zhang") == "error.password.simple")
        #expect(PasswordPolicy.problem("ab1", username: "zhang") == "error.password.short")
        #expect(PasswordPolicy.problem("Yeping-station-7", username: "zhang") == nil)
        #expect(PasswordPolicy.common.count > 5000)
    }

    @Test func signInFailuresLockTheAddressAndOnlySlowTheAccount() {
        let t = LoginThrottle()
        #expect(t.lockDuration(afterFailures: 4) == 0)
        #expect(t.lockDuration(afterFailures: 5) == 30)
        #expect(t.lockDuration(afterFailures: 6) == 60)
        #expect(t.lockDuration(afterFailures: 40) == 900)
        #expect(t.addressLockDuration(afterFailures: 49) == 0)
        #expect(t.addressLockDuration(afterFailures: 50) == 60)
        #expect(t.addressLockDuration(afterFailures: 100) == 3600)
        #expect(t.slowDown(afterFailures: 9) == 0)
        #expect(t.slowDown(afterFailures: 10) == 0.25)
        #expect(t.slowDown(afterFailures: 12) == 1)
        #expect(t.slowDown(afterFailures: 1000) == 5, "slowed, never locked")
        let k = LoginThrottle.keys(username: "Admin", address: "203.0.113.5")
        #expect(k.username == LoginThrottle.keys(username: "admin", address: "198.51.100.7").username)
        #expect(k.pair != LoginThrottle.keys(username: "admin", address: "198.51.100.7").pair)
    }
}
