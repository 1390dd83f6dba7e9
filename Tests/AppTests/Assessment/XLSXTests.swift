import Foundation
import Testing
@testable import App

@Suite("XLSX workbooks")
struct XLSXTests {
    @Test func theArchiveIsAValidZipWithTheWorkbookPartsEachDeflated() throws {
        let bytes = try XLSX.workbook(sheet: "考核评价", rows: [[.text("名称"), .text("订单数"), .text("接单率")],
                                                              [.text("甲镇 <实践所> & 乙"), .number(4), .percent(1.0 / 3.0)]])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("x-\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // Python's zipfile checks every entry's CRC and tells how each is stored (8 = deflate).
        let (status, text) = try runTool("python3", ["-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
            print(' '.join(i.filename for i in z.infolist())); print(' '.join(sorted({str(i.compress_type) for i in z.infolist()})))
            print(z.read('xl/worksheets/sheet1.xml').decode())
            """, file.path])
        #expect(status == 0)
        let lines = text.split(separator: "\n")
        let names = Set(lines.first.map { $0.split(separator: " ").map(String.init) } ?? [])
        #expect(names == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"])
        #expect(lines.dropFirst().first == "8")
        #expect(text.contains("甲镇 &lt;实践所&gt; &amp; 乙"))
        #expect(text.contains(#"<c r="C2" s="2"><v>0.3333333333333333</v></c>"#))
        #expect(XLSX.column(0) == "A" && XLSX.column(25) == "Z" && XLSX.column(26) == "AA" && XLSX.column(701) == "ZZ")
    }

    /// Rows go out to the scratch file as they come (never all held); past a sheet's limit they go on
    /// in the next sheet, under the same header; openpyxl reads the result, and a long table of
    /// repetitive rows takes a fraction of its XML's size.
    @Test func aLongTableStreamsIntoSeveralDeflatedSheets() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        let w = try XLSX.Writer(sheet: "订单明细", limit: 3, to: file)
        try w.header([.text("订单号"), .text("评分")])
        for i in 1...5 { try w.append([.text("DD\(i)"), .number(Double(i))]) }
        try w.finish()
        #expect(w.flushes >= 3)
        #expect(!FileManager.default.fileExists(atPath: w.scratch.path))
        let (status, text) = try runTool("python3", ["-c", """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            for ws in wb.worksheets:
                print(ws.title + ":" + ";".join(",".join(str(c.value) for c in row) for row in ws.iter_rows()))
            """, file.path])
        #expect(status == 0)
        #expect(text.split(separator: "\n") == ["订单明细 1:订单号,评分;DD1,1;DD2,2", "订单明细 2:订单号,评分;DD3,3;DD4,4", "订单明细 3:订单号,评分;DD5,5"])

        let big = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: big) }
        let b = try XLSX.Writer(sheet: "订单明细", to: big)
        try b.header([.text("订单号"), .text("站点"), .text("评分")])
        for i in 1...20_000 { try b.append([.text("DD2026\(100_000 + i)"), .text("城关镇新时代文明实践站"), .number(Double(i % 5 + 1))]) }
        try b.finish()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? Int)
        #expect(b.flushes > 5)
        #expect(size < 20_000 * 100 / 5, "the sheet's XML is about 100 bytes a row; deflated it is far less")
    }
}
