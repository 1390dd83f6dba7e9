import Foundation
import Testing
@testable import DiandanCore

/// The certificate PDF is read back with poppler's pdfinfo and pdftotext (Debian's poppler-utils).
@Suite("Record certificate PDF")
struct CertificatePDFTests {
    static let labels = CertificateLabels(
        title: "志愿服务记录证明", body: "兹证明 {name}（身份证号 {id}，志愿者编号 {number}）在{site}参加志愿服务，累计 {hours} 小时。",
        date: "日期", activity: "活动或订单", hours: "时长", organisation: "组织单位", total: "合计 {count} 条记录，{hours} 小时。",
        issued: "出具单位：{site}\n证明编号：{number}\n出具日期：{date}", verify: "查验：{url}", page: "第 {page} 页 / 共 {pages} 页")

    static func run(_ tool: String, _ args: [String]) throws -> String {
        let (status, output) = try runTool(tool, args)
        #expect(status == 0, "\(tool) failed")
        return output
    }

    @Test func aRealReaderOpensItAndFindsEveryRecord() throws {
        var records: [CertificateContent.Record] = []
        for i in 1...40 {
            let date = String(format: "2026-%02d-%02d", 1 + i % 12, 1 + i % 28)
            let hours: Double = i % 2 == 0 ? 2 : 1.5
            records.append(CertificateContent.Record(date: date, title: "敬老院义剪第\(i)次", hours: hours, organisation: "叶坪村红马甲志愿服务队"))
        }
        let content = CertificateContent(number: "ZM2026-ABCDEFGHJK", name: "钟秀英", idMasked: "360***********1234", volunteerNumber: "ZY20250000018",
                                         site: "叶坪村新时代文明实践站", issuedOn: "2026-11-22", records: records)
        let bytes = CertificatePDF.render(content, labels: Self.labels, verifyURL: "https://zyfw.example.cn/certificates/verify?number=ZM2026-ABCDEFGHJK")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID().uuidString).pdf")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let info = try Self.run("pdfinfo", [file.path])
        #expect(info.contains("Pages:           2"))
        #expect(info.contains("Title:           志愿服务记录证明 ZM2026-ABCDEFGHJK"))
        let text = try Self.run("pdftotext", ["-layout", file.path, "-"])
        #expect(text.contains("志愿服务记录证明"))
        #expect(text.contains("钟秀英"))
        #expect(text.contains("360***********1234"))
        #expect(text.contains("ZY20250000018"))
        for i in 1...40 { #expect(text.contains("敬老院义剪第\(i)次"), "record \(i)") }
        #expect(text.contains("合计 40 条记录，70 小时。"))
        #expect(text.contains("第 2 页 / 共 2 页"))
    }

    @Test func longTextsAreCutToTheirColumn() {
        #expect(PDFPage.fit("一二三四五六七八九十", size: 10, width: 50) == "一二三四…")
        #expect(PDFPage.fit("short", size: 10, width: 50) == "short")
        #expect(PDFPage.wrap(String(repeating: "字", count: 25), size: 10, width: 100).map(\.count) == [10, 10, 5])
        #expect(CertificateContent.newNumber(year: 2026).hasPrefix("ZM2026-"))
        #expect(CertificateContent.newNumber(year: 2026) != CertificateContent.newNumber(year: 2026))
    }
}
