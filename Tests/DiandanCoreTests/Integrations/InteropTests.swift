import Foundation
import Testing
@testable import DiandanCore

@Suite("Open311 and outward messages: the plain rules")
struct InteropRuleTests {
    @Test func documentsAreWrittenAlikeAsJSONAndXML() {
        let doc = GeoDoc.array(item: "request", [.object([
            ("service_request_id", .text("DD1")), ("description", .text("a<b & \"c\"\n\u{1}")), ("lat", .number(25.5)),
            ("people", .integer(3)), ("metadata", .bool(true)), ("media_url", .null),
        ])])
        #expect(doc.json() == #"[{"service_request_id":"DD1","description":"a\u003cb & \"c\"\n\u0001","lat":25.5,"people":3,"metadata":true,"media_url":null}]"#)
        #expect(doc.xml(root: "service_requests") == """
            <?xml version="1.0" encoding="utf-8"?>
            <service_requests><request><service_request_id>DD1</service_request_id><description>a&lt;b &amp; &quot;c&quot;
            </description><lat>25.5</lat><people>3</people><metadata>true</metadata><media_url/></request></service_requests>
            """)
        #expect(GeoDoc.number(116).json() == "116")
        #expect(GeoDoc.number(.nan).json() == "null")
    }

    @Test func serviceCodesStatesAndNames() {
        #expect(Open311.ServiceCode("M12") == .menuItem(12))
        #expect(Open311.ServiceCode("c3") == .category(3))
        for bad in ["", "M", "M0", "X1", "M-1", "M99999999999"] { #expect(Open311.ServiceCode(bad) == nil, "\(bad)") }
        #expect(OrderStatus.allCases.filter { Open311.status($0) == "open" } == [.submitted, .dispatched, .accepted, .inService])
        #expect(Open311.personName(first: "大爷", last: "王") == "王大爷")
        #expect(Open311.personName(first: "Ann", last: "Lee") == "Ann Lee")
        #expect(Open311.personName(first: nil, last: "王") == "王")
        #expect(Open311.personName(first: nil, last: nil) == nil)
        let fields = Open311.orderFields(["lat": ["25.1"], "long": ["116.2"], "attribute[notes]": ["带血压计"], "media_url": ["http://x/p.jpg"],
                                          "first_name": [" "], "attribute[people]": ["2"]], code: .category(4), stationID: 9)
        #expect(fields["category_id"] == .string("4"))
        #expect(fields["station_id"] == .string("9"))
        #expect(fields["channel"] == .string("open311"))
        #expect(fields["contact_name"] == nil)
        #expect(fields["people"] == .string("2"))
        // The photo's address is a field of its own, kept and given back (not folded into the notes).
        #expect(fields["notes"] == .string("带血压计"))
        #expect(fields["media_url"] == .string("http://x/p.jpg"))
    }

    @Test func searchesHaveTheSpecsWindowAndLimits() throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let plain = try Open311.search([:], now: now)
        #expect(plain.end == now && plain.start == now - 90 * 86_400)
        #expect(plain.pageSize == 1000 && plain.page == 1)
        let from = try Open311.search(["start_date": "2026-11-01"], now: now)
        #expect(Open311.W3C.format(from.start) == "2026-11-01T00:00:00+08:00")
        #expect(try Open311.search(["status": "open,closed"], now: now).statuses.count == OrderStatus.allCases.count)
        #expect(throws: Open311.SearchError.invalid("end_date", "open311.error.range_span")) {
            try Open311.search(["start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"], now: now)
        }
        #expect(throws: Open311.SearchError.invalid("end_date", "open311.error.range_order")) {
            try Open311.search(["start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"], now: now)
        }
        #expect(throws: Open311.SearchError.invalid("page_size", "open311.error.page_size")) { try Open311.search(["page_size": "0"], now: now) }
        #expect(Open311.W3C.parse("2026-11-23T09:30:00+08:00") == Open311.W3C.parse("2026-11-23T01:30:00Z"))
        #expect(Open311.W3C.parse("2026-11-23T01:30:00.250Z") != nil)
    }

    @Test func smsTemplatesEscapeForWhereTheValuesStand() throws {
        let get = try SMSTemplate(url: "http://gw/send?to={phone}&msg={text}", method: nil, body: nil, contentType: nil, header: "Authorization: Bearer t", topics: nil)
        #expect(get.method == .GET)
        #expect(get.render(phone: "13800138000", text: "订单 A&B 已派").url == "http://gw/send?to=13800138000&msg=%E8%AE%A2%E5%8D%95%20A%26B%20%E5%B7%B2%E6%B4%BE")
        #expect(get.header?.name == "Authorization" && get.header?.value == "Bearer t")
        #expect(get.topics == SMSTemplate.defaultTopics)
        let post = try SMSTemplate(url: "https://gw/api", method: nil, body: #"{"mobile":"{phone}","content":"{text}"}"#, contentType: nil, header: nil,
                                   topics: "order.dispatched, activity.tomorrow")
        #expect(post.method == .POST)
        #expect(post.render(phone: "1", text: "说\"好\"\n").body == #"{"mobile":"1","content":"说\"好\"\n"}"#)
        #expect(post.topics == [.dispatched, .activityTomorrow])
        #expect(throws: SMSTemplate.Invalid.self) { try SMSTemplate(url: "ftp://x/{phone}{text}", method: nil, body: nil, contentType: nil, header: nil, topics: nil) }
        #expect(throws: SMSTemplate.Invalid.self) { try SMSTemplate(url: "http://x/?to={phone}", method: nil, body: nil, contentType: nil, header: nil, topics: nil) }
        #expect(throws: SMSTemplate.Invalid.self) { try SMSTemplate(url: "http://x/?to={phone}&m={text}", method: "PUT", body: nil, contentType: nil, header: nil, topics: nil) }
        #expect(throws: SMSTemplate.Invalid.self) { try SMSTemplate(url: "http://x/?to={phone}&m={text}", method: nil, body: nil, contentType: nil, header: nil, topics: "order.lost") }
    }

    @Test func webhooksBackOffAndSignTheTimestampWithTheBody() {
        #expect((1...6).map { WebhookRules.retryDelay(afterAttempt: $0) } == [10, 40, 160, 640, 2560, 3600])
        #expect(WebhookRules.signedText(timestamp: 1700000000, body: "{}") == "1700000000.{}")
        #expect(WebhookRules.isValidURL("https://city.example.cn/hooks/diandan"))
        for bad in ["ftp://x", "http://", "http://u:p@x/", "http://x/a b", "javascript:alert(1)"] { #expect(!WebhookRules.isValidURL(bad), "\(bad)") }
        #expect(WebhookRules.forwards(.dispatched) && !WebhookRules.forwards(.activityTomorrow))
    }
}

@Suite("Multipart bodies the parser would trap on")
struct MultipartCheckTests {
    @Test func headerNamesMustBeASCII() {
        func body(_ header: [UInt8]) -> [UInt8] {
            Array("preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8) + header
                + Array("\r\n\r\nvalue é ünïcode: fine\r\n--xyz--\r\n".utf8)
        }
        #expect(MultipartCheck.headerNamesAreASCII(body(Array("Content-Type: text/plain; charset=é".utf8)), boundary: "xyz"))
        #expect(!MultipartCheck.headerNamesAreASCII(body(Array("Contént-Type: text/plain".utf8)), boundary: "xyz"))
        #expect(!MultipartCheck.headerNamesAreASCII(body([0xFF, 0xFE]), boundary: "xyz"))
        #expect(MultipartCheck.headerNamesAreASCII([], boundary: "xyz"))
    }
}
