import Foundation

/// Office Open XML spreadsheets (.xlsx) for exports: text and numbers, percentages with a percent
/// format, the first row of each sheet bold. Written by our own code — a ZIP of stored entries — so no
/// library is needed; Excel, LibreOffice and openpyxl read it. Rows are written as they come, so an
/// export of a million orders never sits in memory; past Excel's 1,048,576 rows a sheet, the rows go
/// on in the next sheet under the same header.
public enum XLSX {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A ratio shown as a percentage with one decimal (0.333 → 33.3%).
        case percent(Double)
        case empty
    }

    /// The whole workbook in memory (small tables).
    public static func workbook(sheet: String, rows: [[Cell]]) -> [UInt8] {
        var out: [UInt8] = []
        let w = Writer(sheet: sheet) { out += $0 }
        if let first = rows.first { try? w.header(first) }
        for row in rows.dropFirst() { try? w.append(row) }
        try? w.finish()
        return out
    }

    /// Writes a workbook a row at a time to `sink`.
    public final class Writer {
        public static let rowsPerSheet = 1_048_576
        let zip: Zip.Stream
        let sheet: String
        let limit: Int
        var headerRow: [Cell] = []
        var sheets = 0
        var row = 0
        var buffer = ""

        /// `limit` is the rows a sheet holds (the header included); Excel's own limit unless testing.
        public init(sheet: String, limit: Int = rowsPerSheet, sink: @escaping ([UInt8]) throws -> Void) {
            zip = Zip.Stream(sink: sink)
            self.sheet = sheet
            self.limit = max(2, limit)
        }

        static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

        /// The header row, repeated at the top of every sheet.
        public func header(_ cells: [Cell]) throws {
            headerRow = cells
            try startSheet()
        }

        public func append(_ cells: [Cell]) throws {
            if sheets == 0 || row >= limit { try startSheet() }
            add(cells, style: nil)
            if buffer.utf8.count > 1 << 16 { try flush() }
        }

        func startSheet() throws {
            if sheets > 0 { try endSheet() }
            sheets += 1
            row = 0
            try zip.begin("xl/worksheets/sheet\(sheets).xml")
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
            try zip.write(Array(buffer.utf8))
            buffer = ""
        }

        func endSheet() throws {
            buffer += "</sheetData></worksheet>"
            try flush()
            try zip.end()
        }

        /// The workbook parts that name the sheets, then the archive's directory.
        public func finish() throws {
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
                try zip.add(path, Array(text.utf8))
            }
            try zip.finish()
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

    public static func number(_ n: Double) -> String {
        n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
    }

    /// Sheet names: at most 31 characters, none of []:*?/\.
    static func sheetName(_ s: String) -> Substring {
        s.filter { !"[]:*?/\\".contains($0) }.prefix(31)
    }

    static func escape(_ s: String) -> String { XMLText.escape(s) }
}

public enum XMLText {
    /// Text for XML 1.0: markup characters escaped, characters XML cannot carry dropped.
    public static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = u.value
                if v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000 {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// A ZIP archive of stored (uncompressed) entries with UTF-8 names.
public enum Zip {
    public static func archive(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        let z = Stream { out += $0 }
        for (name, data) in entries { try? z.add(name, data) }
        try? z.finish()
        return out
    }

    /// Writes an archive front to back: an entry whose size is not known in advance is followed by a
    /// data descriptor with its CRC and size (general purpose flag bit 3), as streaming writers do.
    public final class Stream {
        let sink: ([UInt8]) throws -> Void
        var offset = 0
        var central: [UInt8] = []
        var entries = 0
        var current: (name: [UInt8], start: Int, crc: UInt32, size: Int)?
        // 1980-01-01 00:00, the earliest DOS time: the content, not the clock, makes the file.
        let time: UInt16 = 0, date: UInt16 = (0 << 9) | (1 << 5) | 1

        public init(sink: @escaping ([UInt8]) throws -> Void) { self.sink = sink }

        func emit(_ bytes: [UInt8]) throws {
            try sink(bytes)
            offset += bytes.count
        }

        /// An entry whose bytes are all at hand.
        public func add(_ name: String, _ data: [UInt8]) throws {
            let nameBytes = Array(name.utf8)
            let crc = PNG.crc32(data)
            let start = offset
            try emit(le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(0) + le16(time) + le16(date)
                     + le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0) + nameBytes)
            try emit(data)
            record(nameBytes, flags: 0x0800, crc: crc, size: data.count, at: start)
        }

        public func begin(_ name: String) throws {
            let nameBytes = Array(name.utf8)
            current = (nameBytes, offset, 0, 0)
            try emit(le32(0x0403_4B50) + le16(20) + le16(0x0808) + le16(0) + le16(time) + le16(date)
                     + le32(0) + le32(0) + le32(0) + le16(UInt16(nameBytes.count)) + le16(0) + nameBytes)
        }

        public func write(_ bytes: [UInt8]) throws {
            guard var c = current else { return }
            c.crc = PNG.crc32(update: c.crc, bytes)
            c.size += bytes.count
            current = c
            try emit(bytes)
        }

        public func end() throws {
            guard let c = current else { return }
            current = nil
            try emit(le32(0x0807_4B50) + le32(c.crc) + le32(UInt32(c.size)) + le32(UInt32(c.size)))
            record(c.name, flags: 0x0808, crc: c.crc, size: c.size, at: c.start)
        }

        func record(_ name: [UInt8], flags: UInt16, crc: UInt32, size: Int, at start: Int) {
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(flags) + le16(0) + le16(time) + le16(date)
            central += le32(crc) + le32(UInt32(size)) + le32(UInt32(size)) + le16(UInt16(name.count))
            central += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(start)) + name
            entries += 1
        }

        public func finish() throws {
            let centralOffset = offset
            let size = central.count
            try emit(central)
            try emit(le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries)) + le16(UInt16(entries))
                     + le32(UInt32(size)) + le32(UInt32(centralOffset)) + le16(0))
        }
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
}
