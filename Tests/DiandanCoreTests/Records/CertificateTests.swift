import Foundation
import Testing
@testable import DiandanCore

/// The certificate PDF is read back with poppler's pdfinfo and pdftotext (Debian's poppler-utils).
@Suite("Record certificate PDF")
struct CertificatePDFTests {
    static let labels = CertificateLabels(
        title: "志愿服务记录证明", body: "兹证明 {name}（身份证号 {id}，志愿者编号 {number}）在{site}参加志愿服务，累计 {hours} 小时。",
        date: "日期", activity: "活动或订单", hours: "时长", organisation: "组织单位", total: "合计 {count} 条记录，{hours} 小时。",
        issued: "出具单位：{site}\n证明编号：{number}\n出具日期：{date}", verify: "查验：{url}", page: "第 {page} 页 / 共 {pages} 页",
        training: "培训记录", trainingTitle: "培训主题", trainer: "授课人", trainingTotal: "参加培训 {count} 次，{hours} 小时（不计入志愿服务时长）。")

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

    /// Training is its own part of the record (培训信息): its own table and total after the service
    /// records, never added to the service hours the statement and the total give.
    @Test func trainingsAreListedApartFromServiceHours() throws {
        let records = (1...3).map { CertificateContent.Record(date: "2026-10-0\($0)", title: "义诊第\($0)次", hours: 2, organisation: "红马甲服务队") }
        let trainings = (1...30).map { CertificateContent.Record(date: "2026-09-\(String(format: "%02d", $0))", title: "急救培训第\($0)课", hours: 1.5, organisation: "李医生") }
        let content = CertificateContent(number: "ZM2026-TRAINING01", name: "钟秀英", idMasked: "360***********1234", volunteerNumber: "ZY20250000018",
                                         site: "叶坪村新时代文明实践站", issuedOn: "2026-11-22", records: records, trainings: trainings)
        #expect(content.totalHours == 6 && content.trainingHours == 45)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID().uuidString).pdf")
        try Data(CertificatePDF.render(content, labels: Self.labels, verifyURL: "https://zyfw.example.cn/v")).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try Self.run("pdftotext", ["-layout", file.path, "-"])
        #expect(text.contains("累计 6 小时") && text.contains("合计 3 条记录，6 小时。"))
        #expect(text.contains("参加培训 30 次，45 小时（不计入志愿服务时长）。"))
        for i in 1...30 { #expect(text.contains("急救培训第\(i)课"), "training \(i)") }
        // The trainings come after the service total, under their own heading (on the next page too).
        let total = try #require(text.range(of: "合计 3 条记录")), heading = try #require(text.range(of: "培训记录"))
        #expect(total.upperBound < heading.lowerBound)
        #expect(text.components(separatedBy: "培训主题").count - 1 == 2, "the training table's heads on both pages")
        #expect(try Self.run("pdfinfo", [file.path]).contains("Pages:           2"))
    }

    @Test func longTextsAreCutToTheirColumn() {
        #expect(PDFPage.fit("一二三四五六七八九十", size: 10, width: 50) == "一二三四…")
        #expect(PDFPage.fit("short", size: 10, width: 50) == "short")
        #expect(PDFPage.wrap(String(repeating: "字", count: 25), size: 10, width: 100).map(\.count) == [10, 10, 5])
        #expect(CertificateContent.newNumber(year: 2026).hasPrefix("ZM2026-"))
        #expect(CertificateContent.newNumber(year: 2026) != CertificateContent.newNumber(year: 2026))
    }
}
