import Foundation

/// Office Open XML spreadsheets (.xlsx) for exports: one sheet, text and numbers, percentages with a
/// percent format. Written by our own code — a ZIP of stored entries — so no library is needed; Excel,
/// LibreOffice and openpyxl read it.
public enum XLSX {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A ratio shown as a percentage with one decimal (0.333 → 33.3%).
        case percent(Double)
        case empty
    }

    public static func workbook(sheet: String, rows: [[Cell]]) -> [UInt8] {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let types = header + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """
        let rootRels = header + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """
        let workbook = header + """
            <workbook xmlns="\(main)" xmlns:r="\(rel)"><sheets><sheet name="\(escape(String(sheetName(sheet))))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let workbookRels = header + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(rel)/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="\(rel)/styles" Target="styles.xml"/></Relationships>
            """
        // Style 0: general; 1: bold (the header row); 2: 0.0%.
        let styles = header + """
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
        var sheetXML = header + "<worksheet xmlns=\"\(main)\"><sheetData>"
        for (r, row) in rows.enumerated() {
            sheetXML += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = column(c) + String(r + 1)
                let style = r == 0 ? " s=\"1\"" : ""
                switch cell {
                case .text(let s): sheetXML += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(s))</t></is></c>"
                case .number(let n): sheetXML += "<c r=\"\(ref)\"\(style)><v>\(number(n))</v></c>"
                case .percent(let n): sheetXML += "<c r=\"\(ref)\" s=\"2\"><v>\(number(n))</v></c>"
                case .empty: break
                }
            }
            sheetXML += "</row>"
        }
        sheetXML += "</sheetData></worksheet>"
        return Zip.archive([
            ("[Content_Types].xml", Array(types.utf8)), ("_rels/.rels", Array(rootRels.utf8)), ("xl/workbook.xml", Array(workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8)), ("xl/styles.xml", Array(styles.utf8)),
            ("xl/worksheets/sheet1.xml", Array(sheetXML.utf8)),
        ])
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

    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 has no place for most control characters.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A ZIP archive of stored (uncompressed) entries with UTF-8 names.
public enum Zip {
    public static func archive(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        // 1980-01-01 00:00, the earliest DOS time: the content, not the clock, makes the file.
        let time: UInt16 = 0, date: UInt16 = (0 << 9) | (1 << 5) | 1
        for (name, data) in entries {
            let nameBytes = Array(name.utf8)
            let crc = PNG.crc32(data)
            let offset = out.count
            out += le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(0) + le16(time) + le16(date)
            out += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
            out += nameBytes + data
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(time) + le16(date)
            central += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count))
            central += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(offset)) + nameBytes
        }
        let centralOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(UInt32(centralOffset)) + le16(0)
        return out
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
}
