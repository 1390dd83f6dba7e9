import Foundation

/// 志愿服务记录证明: what a record certificate says. It is fixed when issued (the records are copied
/// in), so a certificate reprinted or verified later says exactly what it said that day.
public struct CertificateContent: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var date: String
        public var title: String
        public var hours: Double
        public var organisation: String

        public init(date: String, title: String, hours: Double, organisation: String) {
            self.date = date
            self.title = title
            self.hours = hours
            self.organisation = organisation
        }
    }

    public var number: String
    public var name: String
    public var idMasked: String
    public var volunteerNumber: String
    public var site: String
    public var issuedOn: String
    public var records: [Record]
    /// Trainings attended (培训信息), listed on their own: their hours are not service hours. Absent
    /// from certificates issued before trainings were recorded.
    public var trainings: [Record]?

    public var totalHours: Double { records.reduce(0) { $0 + $1.hours } }
    public var trainingHours: Double { (trainings ?? []).reduce(0) { $0 + $1.hours } }

    public init(number: String, name: String, idMasked: String, volunteerNumber: String, site: String, issuedOn: String, records: [Record],
                trainings: [Record] = []) {
        self.trainings = trainings
        self.number = number
        self.name = name
        self.idMasked = idMasked
        self.volunteerNumber = volunteerNumber
        self.site = site
        self.issuedOn = issuedOn
        self.records = records
    }

    public static func hoursText(_ h: Double) -> String { h.rounded() == h ? String(Int(h)) : String(format: "%.1f", h) }

    /// A certificate number nobody can guess: "ZM" + year + ten characters without look-alikes.
    public static func newNumber(year: Int) -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        return "ZM\(year)-" + String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }
}

/// The printed words of a certificate, in the reader's language (from the catalogue).
public struct CertificateLabels: Sendable {
    public var title: String
    /// With {name}, {id}, {number}, {site}, {hours}.
    public var body: String
    public var date: String, activity: String, hours: String, organisation: String
    public var total: String
    /// With {site}, {number}, {date}.
    public var issued: String
    /// With {url}.
    public var verify: String
    /// With {page}, {pages}.
    public var page: String
    /// The trainings' heading and columns, and their total (with {count}, {hours}).
    public var training: String, trainingTitle: String, trainer: String, trainingTotal: String

    public init(title: String, body: String, date: String, activity: String, hours: String, organisation: String, total: String,
                issued: String, verify: String, page: String,
                training: String = "", trainingTitle: String = "", trainer: String = "", trainingTotal: String = "") {
        self.training = training
        self.trainingTitle = trainingTitle
        self.trainer = trainer
        self.trainingTotal = trainingTotal
        self.title = title
        self.body = body
        self.date = date
        self.activity = activity
        self.hours = hours
        self.organisation = organisation
        self.total = total
        self.issued = issued
        self.verify = verify
        self.page = page
    }
}

/// Draws the certificate as a PDF: A4 pages, the record table split across pages, page numbers.
public enum CertificatePDF {
    /// What goes down a page: a table's column heads, a row, a section's heading, a total.
    enum Line {
        case columns([String])
        case row(CertificateContent.Record)
        case heading(String)
        case total(String)

        var height: Double {
            switch self {
            case .columns: 22
            case .row: 18
            case .heading: 30
            case .total: 26
            }
        }
    }

    public static func render(_ c: CertificateContent, labels l: CertificateLabels, verifyURL: String) -> [UInt8] {
        func fill(_ s: String, _ args: [String: String]) -> String {
            args.reduce(s) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        let left = 56.0, right = 539.0
        let columns: [(x: Double, width: Double)] = [(left, 80), (left + 84, 196), (left + 284, 70), (left + 358, 125)]
        // The service records, then — on their own — the trainings.
        let serviceHeads = [l.date, l.activity, l.hours, l.organisation]
        var lines: [Line] = [.columns(serviceHeads)] + c.records.map(Line.row)
        lines.append(.total(fill(l.total, ["hours": CertificateContent.hoursText(c.totalHours), "count": String(c.records.count)])))
        let trainings = c.trainings ?? []
        if !trainings.isEmpty {
            lines.append(.heading(l.training))
            lines.append(.columns([l.date, l.trainingTitle, l.hours, l.trainer]))
            lines += trainings.map(Line.row)
            lines.append(.total(fill(l.trainingTotal, ["hours": CertificateContent.hoursText(c.trainingHours), "count": String(trainings.count)])))
        }
        // Pages: the first has the title and the statement above its table; the last the issuer below.
        var pages: [[Line]] = [[]]
        var room = 560.0
        var heads = serviceHeads
        for line in lines {
            if case .columns(let h) = line { heads = h }
            if line.height > room {
                pages.append([])
                room = 700
                // A table going on to the next page repeats its column heads.
                if case .row = line { pages[pages.count - 1].append(.columns(heads)); room -= 22 }
            }
            pages[pages.count - 1].append(line)
            room -= line.height
        }
        if room < 110 { pages.append([]) }

        var pdf = PDFWriter()
        for (index, content) in pages.enumerated() {
            var page = PDFPage()
            var y = 780.0
            if index == 0 {
                page.text(l.title, x: PDFPage.centred(l.title, size: 22, left: left, right: right), y: y, size: 22)
                y -= 44
                let body = fill(l.body, ["name": c.name, "id": c.idMasked, "number": c.volunteerNumber, "site": c.site,
                                         "hours": CertificateContent.hoursText(c.totalHours)])
                for line in PDFPage.wrap(body, size: 12, width: right - left) {
                    page.text(line, x: left, y: y, size: 12)
                    y -= 20
                }
                y -= 8
            }
            for line in content {
                switch line {
                case .columns(let labels):
                    for (i, label) in labels.enumerated() { page.text(label, x: columns[i].x, y: y, size: 11) }
                    page.line(x1: left, y1: y - 6, x2: right, y2: y - 6)
                case .row(let r):
                    let cells = [r.date, r.title, CertificateContent.hoursText(r.hours), r.organisation]
                    for (i, cell) in cells.enumerated() {
                        page.text(PDFPage.fit(cell, size: 10, width: columns[i].width), x: columns[i].x, y: y, size: 10)
                    }
                case .heading(let text):
                    y -= 6
                    page.text(text, x: left, y: y, size: 14)
                    y += 6
                case .total(let text):
                    page.line(x1: left, y1: y + 10, x2: right, y2: y + 10)
                    page.text(text, x: left, y: y - 6, size: 12)
                }
                y -= line.height
            }
            if index == pages.count - 1 {
                y -= 10
                let issued = fill(l.issued, ["site": c.site, "number": c.number, "date": c.issuedOn]).split(separator: "\n")
                for line in issued.flatMap({ PDFPage.wrap(String($0), size: 11, width: right - left) }) {
                    page.text(line, x: left, y: y, size: 11)
                    y -= 18
                }
                for line in PDFPage.wrap(fill(l.verify, ["url": verifyURL]), size: 9, width: right - left) {
                    page.text(line, x: left, y: y, size: 9)
                    y -= 14
                }
            }
            let footer = fill(l.page, ["page": String(index + 1), "pages": String(pages.count)]) + "  " + c.number
            page.text(footer, x: PDFPage.centred(footer, size: 9, left: left, right: right), y: 40, size: 9)
            pdf.pages.append(page)
        }
        return pdf.render(title: l.title + " " + c.number)
    }
}

/// One page's drawing operations.
public struct PDFPage: Sendable {
    var operations: [String] = []

    public init() {}

    /// Text in the CJK font: each UTF-16 unit as a two-byte code (UniGB-UCS2-H).
    mutating func text(_ s: String, x: Double, y: Double, size: Double) {
        let hex = s.utf16.map { String(format: "%04X", $0) }.joined()
        operations.append(String(format: "BT /F1 %.1f Tf %.2f %.2f Td ", size, x, y) + "<\(hex)> Tj ET")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double) {
        operations.append(String(format: "0.5 w %.2f %.2f m %.2f %.2f l S", x1, y1, x2, y2))
    }

    /// Advance widths: full-width for CJK, half for ASCII (the font's proportional Latin is close).
    static func width(_ s: String, size: Double) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 0.5 : 1.0) } * size
    }

    static func centred(_ s: String, size: Double, left: Double, right: Double) -> Double {
        left + (right - left - width(s, size: size)) / 2
    }

    static func fit(_ s: String, size: Double, width limit: Double) -> String {
        guard width(s, size: size) > limit else { return s }
        var out = ""
        for ch in s {
            if width(out + String(ch) + "…", size: size) > limit { break }
            out.append(ch)
        }
        return out + "…"
    }

    static func wrap(_ s: String, size: Double, width limit: Double) -> [String] {
        var lines: [String] = [], current = ""
        for ch in s {
            if width(current + String(ch), size: size) > limit {
                lines.append(current)
                current = ""
            }
            current.append(ch)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// A minimal PDF 1.4 writer: one CJK font (Adobe's STSong-Light, which every PDF reader supplies,
/// with a ToUnicode map so text can be searched and copied), A4 pages, an exact cross-reference table.
public struct PDFWriter: Sendable {
    public var pages: [PDFPage] = []

    public init() {}

    public func render(title: String) -> [UInt8] {
        var objects: [String] = []   // object n is objects[n - 1]
        func add(_ body: String) -> Int {
            objects.append(body)
            return objects.count
        }
        let catalog = add("")          // filled in below
        let pagesID = add("")
        let toUnicode = """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange
            1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end
            """
        let cmap = add("<< /Length \(toUnicode.utf8.count) >>\nstream\n\(toUnicode)\nendstream")
        let descriptor = add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
        let cidFont = add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor \(descriptor) 0 R /DW 1000 /W [1 95 500] >>")
        let font = add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [\(cidFont) 0 R] /ToUnicode \(cmap) 0 R >>")
        var pageIDs: [Int] = []
        for page in pages {
            let content = page.operations.joined(separator: "\n")
            let stream = add("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
            pageIDs.append(add("<< /Type /Page /Parent \(pagesID) 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 \(font) 0 R >> >> /Contents \(stream) 0 R >>"))
        }
        objects[pagesID - 1] = "<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pageIDs.count) >>"
        objects[catalog - 1] = "<< /Type /Catalog /Pages \(pagesID) 0 R >>"
        let titleHex = "FEFF" + title.utf16.map { String(format: "%04X", $0) }.joined()
        let info = add("<< /Title <\(titleHex)> /Producer (Diandan) >>")

        var out: [UInt8] = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { table += String(format: "%010d 00000 n \n", o) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(catalog) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return out
    }
}

extension Masking {
    /// A name as a public page may show it: 钟秀英 → 钟*英, 王五 → 王*.
    public static func name(_ s: String) -> String {
        let chars = Array(s)
        switch chars.count {
        case 0: return ""
        case 1: return s
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }
}
