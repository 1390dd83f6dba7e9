import Foundation

import Foundation
import DiandanCore
import ZIPFoundation

/// Office Open XML spreadsheets (.xlsx) for exports: text and numbers, percentages with a percent
/// format, the first row of each sheet bold. The sheets' XML is ours; the archive is ZIPFoundation's,
/// every part deflated. Rows are written as they come to a scratch file beside the archive and each
/// sheet is compressed into it when it is full, so an export of a million orders never sits in
/// memory; past Excel's 1,048,576 rows a sheet, the rows go on in the next sheet under the same header.
enum XLSX {
    enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A ratio shown as a percentage with one decimal (0.333 → 33.3%).
        case percent(Double)
        case empty
    }

    /// The whole workbook in memory (small tables).
    static func workbook(sheet: String, rows: [[Cell]]) throws -> [UInt8] {
        let w = try Writer(sheet: sheet, to: nil)
        if let first = rows.first { try w.header(first) }
        for row in rows.dropFirst() { try w.append(row) }
        try w.finish()
        return w.bytes
    }

    /// Writes a workbook a row at a time, into the file at `url` (which must not exist yet), or in
    /// memory when `url` is nil (read `bytes` after `finish`).
    final class Writer {
        static let rowsPerSheet = 1_048_576
        /// Every part carries this time: the content, not the clock, makes the file.
        static let stamp = Date(timeIntervalSince1970: 946_684_800)
        let archive: Archive
        let scratch: URL
        var sheetFile: FileHandle?
        var sheetSize: Int64 = 0
        /// How many times rows went out to the scratch file (they do not wait for the sheet's end).
        private(set) var flushes = 0
        let sheet: String
        let limit: Int
        var headerRow: [Cell] = []
        var sheets = 0
        var row = 0
        var buffer = ""

        /// `limit` is the rows a sheet holds (the header included); Excel's own limit unless testing.
        init(sheet: String, limit: Int = rowsPerSheet, to url: URL?) throws {
            archive = try url.map { try Archive(url: $0, accessMode: .create) } ?? Archive(accessMode: .create)
            scratch = (url?.deletingLastPathComponent() ?? FileManager.default.temporaryDirectory)
                .appendingPathComponent(".sheet-\(UUID().uuidString).xml")
            self.sheet = sheet
            self.limit = max(2, limit)
        }

        deinit {
            try? sheetFile?.close()
            try? FileManager.default.removeItem(at: scratch)
        }

        /// The archive, once finished, when written in memory.
        var bytes: [UInt8] { archive.data.map { [UInt8]($0) } ?? [] }

        static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

        /// The header row, repeated at the top of every sheet.
        func header(_ cells: [Cell]) throws {
            headerRow = cells
            try startSheet()
        }

        func append(_ cells: [Cell]) throws {
            if sheets == 0 || row >= limit { try startSheet() }
            add(cells, style: nil)
            if buffer.utf8.count > 1 << 16 { try flush() }
        }

        func startSheet() throws {
            if sheets > 0 { try endSheet() }
            sheets += 1
            row = 0
            guard FileManager.default.createFile(atPath: scratch.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            sheetFile = try FileHandle(forWritingTo: scratch)
            sheetSize = 0
            buffer = Self.header + "<worksheet xmlns=\"\(Self.main)\"><sheetData>"
            if !headerRow.isEmpty { add(headerRow, style: 1) }
        }

        func add(_ cells: [Cell], style: Int?) {
            row += 1
            buffer += "<row r=\"\(row)\">"
            let s = style.map { " s=\"\($0)\"" } ?? ""
            for (c, cell) in cells.enumerated() {
                let ref = column(c) + String(row)
                switch cell {
                case .text(let t): buffer += "<c r=\"\(ref)\" t=\"inlineStr\"\(s)><is><t xml:space=\"preserve\">\(escape(t))</t></is></c>"
                case .number(let n): buffer += "<c r=\"\(ref)\"\(s)><v>\(number(n))</v></c>"
                case .percent(let n): buffer += "<c r=\"\(ref)\" s=\"2\"><v>\(number(n))</v></c>"
                case .empty: break
                }
            }
            buffer += "</row>"
        }

        func flush() throws {
            let data = Data(buffer.utf8)
            try sheetFile?.write(contentsOf: data)
            sheetSize += Int64(data.count)
            flushes += 1
            buffer = ""
        }

        /// The sheet's scratch file, deflated into the archive a chunk at a time.
        func endSheet() throws {
            buffer += "</sheetData></worksheet>"
            try flush()
            try sheetFile?.close()
            sheetFile = nil
            let reader = try FileHandle(forReadingFrom: scratch)
            defer { try? reader.close() }
            try archive.addEntry(with: "xl/worksheets/sheet\(sheets).xml", type: .file, uncompressedSize: sheetSize,
                                 modificationDate: Self.stamp, compressionMethod: .deflate) { position, size in
                try reader.seek(toOffset: UInt64(position))
                return try reader.read(upToCount: size) ?? Data()
            }
            try FileManager.default.removeItem(at: scratch)
        }

        func add(part path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.stamp,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }

        /// The workbook parts that name the sheets, then the archive's directory.
        func finish() throws {
            if sheets == 0 { try startSheet() }
            try endSheet()
            let h = Self.header, main = Self.main, rel = Self.rel
            let name = String(sheetName(sheet))
            let names = (1...sheets).map { sheets == 1 ? name : String(sheetName("\(name.prefix(26)) \($0)")) }
            let types = h + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + (1...sheets).map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined()
                + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
            let rootRels = h + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            let workbook = h + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
                + names.enumerated().map { "<sheet name=\"\(escape($1))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined()
                + "</sheets></workbook>"
            let workbookRels = h + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + (1...sheets).map { "<Relationship Id=\"rId\($0)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>" }.joined()
                + "<Relationship Id=\"rId\(sheets + 1)\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>"
            // Style 0: general; 1: bold (the header row); 2: 0.0%.
            let styles = h + """
                <styleSheet xmlns="\(main)"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>\
                <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
                <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                """
            for (path, text) in [("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/styles.xml", styles),
                                 ("_rels/.rels", rootRels), ("[Content_Types].xml", types)] {
                try add(part: path, text)
            }
        }
    }

    /// A, B, … Z, AA, AB …
    static func column(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    static func number(_ n: Double) -> String {
        n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
    }

    /// Sheet names: at most 31 characters, none of []:*?/\.
    static func sheetName(_ s: String) -> Substring {
        s.filter { !"[]:*?/\\".contains($0) }.prefix(31)
    }

    static func escape(_ s: String) -> String { XMLText.escape(s) }
}
