import Foundation

/// 志愿风采: completed services and activities that their leaders publish for the public. What is
/// published must not show residents' personal data nor minors' faces: the story is checked for
/// phone and ID numbers and for what the order knows about the resident; photos lose their
/// metadata (a phone's photo carries where it was taken: a resident's home); the publisher confirms
/// the photos show no minor's face.

public struct ShowcaseInput: Sendable, Equatable {
    public var title: String
    public var story: String
    /// The publisher's word that no photo shows a minor's face or a resident's personal data.
    public var photosChecked: Bool

    public static func read(_ r: inout FieldReader) -> ShowcaseInput? {
        let title = r.text("title", max: 60)
        let story = r.text("story", max: 1000, min: 10, multiline: true)
        let checked = r.bool("photos_checked")
        guard r.isValid, let title, let story else { return nil }
        return ShowcaseInput(title: title, story: story, photosChecked: checked)
    }
}

public enum ShowcaseRules {
    /// Where a text gives away personal data: a mobile or landline number, an ID number, or any of
    /// the `known` words (the resident's name, address, phone as the order has them). Returns the
    /// message key, or nil. The text is normalised first (`PersonalText`), so a number written with
    /// dots, spaces or full-width digits, or a name with a space inside, is still found.
    public static func personalData(in text: String, known: [String]) -> String? {
        if PersonalText.numberRuns(in: text).contains(where: { $0.count >= 7 }) { return "error.showcase.number" }
        let folded = PersonalText.folded(text)
        for word in known {
            let w = PersonalText.folded(word)
            // A one-character name would match anything; addresses and names of two or more do not.
            if w.count >= 2, folded.contains(w) { return "error.showcase.resident" }
        }
        return nil
    }
}

/// Text as a privacy check reads it.
public enum PersonalText {
    /// Full-width and other compatibility forms as their plain ones (`１３９` → `139`), lower case,
    /// and without whitespace, invisible characters and the separators people put inside names
    /// and numbers (`张 三`, `张·三`, `138.0013.8000`).
    public static func folded(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in text.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars where !isSeparator(u) {
            out.append(u)
        }
        return String(out)
    }

    static func isSeparator(_ u: Unicode.Scalar) -> Bool {
        if u.properties.isWhitespace { return true }
        switch u.properties.generalCategory {
        case .format, .control, .spaceSeparator, .dashPunctuation, .connectorPunctuation, .otherPunctuation,
             .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation:
            // Commas, 、, brackets, quotes, dots: anything people put between the parts of a number or a name.
            return true
        default: break
        }
        return ".·•・()（）/\\_~+'\"".unicodeScalars.contains(u)
    }

    /// The runs of digits in a text once separators between digits are dropped (an ID number may end
    /// in X). Dates (`2026-11-20`, `2026.11.20`, `2026年11月20日`) and times (`10:30`) are taken out
    /// first: they are not anybody's number.
    public static func numberRuns(in text: String) -> [String] {
        var t = text.precomposedStringWithCompatibilityMapping
        for pattern in [#"(?<![0-9])(19|20)[0-9]{2}\s*[-./年]\s*[0-9]{1,2}\s*[-./月]\s*[0-9]{1,2}(\s*日)?(?![0-9])"#,
                        #"(?<![0-9])(19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月"#,
                        #"(?<![0-9])[0-9]{1,2}\s*[:：]\s*[0-9]{2}(?![0-9])"#] {
            t = t.replacingOccurrences(of: pattern, with: "；", options: .regularExpression)
        }
        // A number may be written in Chinese numerals (一三八〇〇一三…).
        let chinese: [Character: Character] = ["〇": "0", "零": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
                                               "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"]
        t = String(t.map { chinese[$0] ?? $0 })
        var runs: [String] = []
        var current = ""
        for u in t.unicodeScalars {
            if ("0"..."9").contains(u) || ((u == "X" || u == "x") && current.count == 17) {
                current.unicodeScalars.append(u)
            } else if !current.isEmpty, isSeparator(u) {
                // Separators between digits (`138 0013 8000`, `138.0013.8000`, `0797-1234567`) join them.
                continue
            } else {
                if !current.isEmpty { runs.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

/// Removes what a photo says about itself: EXIF (with the GPS position and the phone), XMP, IPTC,
/// comments and text chunks. A JPEG keeps only its orientation, so it still shows the right way up.
public enum ImageMetadata {
    public static func strip(_ bytes: [UInt8], _ kind: ImageKind) -> [UInt8]? {
        switch kind {
        case .jpeg: jpeg(bytes)
        case .png: png(bytes)
        case .webp: webp(bytes)
        }
    }

    static func u16(_ b: [UInt8], _ i: Int, big: Bool = true) -> Int {
        big ? Int(b[i]) << 8 | Int(b[i + 1]) : Int(b[i + 1]) << 8 | Int(b[i])
    }

    static func u32(_ b: [UInt8], _ i: Int, big: Bool = true) -> Int {
        big ? (u16(b, i) << 16 | u16(b, i + 2)) : (u16(b, i + 2, big: false) << 16 | u16(b, i, big: false))
    }

    static func jpeg(_ b: [UInt8]) -> [UInt8]? {
        guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var out: [UInt8] = [0xFF, 0xD8]
        var orientation: Int?
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xDA || marker == 0xD9 {
                // Start of the image data: the rest is pixels, kept as they are; the orientation goes in
                // right after SOI and APP0, before the tables.
                return insertOrientation(out, orientation) + Array(b[i...])
            }
            let length = u16(b, i + 2)
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            let segment = Array(b[i..<(i + 2 + length)])
            switch marker {
            case 0xE1:
                if segment.count > 10, segment[4..<10].elementsEqual(Array("Exif".utf8) + [0, 0]) { orientation = exifOrientation(Array(segment[10...])) }
            case 0xED, 0xFE, 0xE3...0xEC, 0xEF:
                break   // IPTC, comments and vendors' application data: dropped.
            default:
                out += segment
            }
            i += 2 + length
        }
        return nil
    }

    /// The orientation segment goes after SOI (and APP0 if present), not at the end of the headers.
    static func insertOrientation(_ headers: [UInt8], _ orientation: Int?) -> [UInt8] {
        guard let orientation, orientation != 1 else { return headers }
        let segment = orientationSegment(orientation)
        var rest = headers
        var at = 2
        if rest.count > 4, rest[2] == 0xFF, rest[3] == 0xE0 { at = 4 + u16(rest, 4) }
        rest.insert(contentsOf: segment, at: at)
        return rest
    }

    /// The Orientation tag (0x0112) of IFD0 in an EXIF TIFF block.
    static func exifOrientation(_ t: [UInt8]) -> Int? {
        guard t.count >= 8 else { return nil }
        let big: Bool
        if t[0] == 0x4D, t[1] == 0x4D { big = true } else if t[0] == 0x49, t[1] == 0x49 { big = false } else { return nil }
        let ifd = u32(t, 4, big: big)
        guard ifd + 2 <= t.count else { return nil }
        let count = u16(t, ifd, big: big)
        for k in 0..<count {
            let e = ifd + 2 + k * 12
            guard e + 12 <= t.count else { return nil }
            if u16(t, e, big: big) == 0x0112 {
                let v = u16(t, e + 8, big: big)
                return (1...8).contains(v) ? v : nil
            }
        }
        return nil
    }

    /// A minimal EXIF segment holding only the orientation.
    static func orientationSegment(_ orientation: Int) -> [UInt8] {
        let tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8,     // big-endian TIFF, IFD0 at 8
                             0, 1,                                    // one entry
                             0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, UInt8(orientation), 0, 0,
                             0, 0, 0, 0]                              // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    static func png(_ b: [UInt8]) -> [UInt8]? {
        guard b.count > 8 else { return nil }
        var out = Array(b[0..<8])
        var i = 8
        let dropped: Set<String> = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]
        while i + 12 <= b.count {
            let length = u32(b, i)
            guard i + 12 + length <= b.count else { return nil }
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            if !dropped.contains(type) { out += b[i..<(i + 12 + length)] }
            i += 12 + length
            if type == "IEND" { return out }
        }
        return nil
    }

    static func webp(_ b: [UInt8]) -> [UInt8]? {
        guard b.count > 12 else { return nil }
        var body: [UInt8] = Array("WEBP".utf8)
        var i = 12
        while i + 8 <= b.count {
            let type = String(decoding: b[i..<(i + 4)], as: UTF8.self)
            let length = u32(b, i + 4, big: false)
            let padded = length + (length & 1)
            guard i + 8 + length <= b.count else { return nil }
            var chunk = Array(b[i..<min(b.count, i + 8 + padded)])
            if type == "VP8X", chunk.count > 8 { chunk[8] &= ~UInt8(0x0C) }   // no EXIF, no XMP any more
            if type != "EXIF" && type != "XMP " { body += chunk }
            i += 8 + padded
        }
        let size = body.count
        return Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24 & 0xFF)] + body
    }
}

/// An Atom 1.0 feed (RFC 4287).
public enum AtomFeed {
    public struct Entry: Sendable {
        public var id: String
        public var title: String
        public var link: String
        public var published: Date
        public var updated: Date
        public var author: String
        public var summary: String
        /// HTML, escaped into the feed.
        public var html: String

        public init(id: String, title: String, link: String, published: Date, updated: Date, author: String, summary: String, html: String) {
            self.id = id
            self.title = title
            self.link = link
            self.published = published
            self.updated = updated
            self.author = author
            self.summary = summary
            self.html = html
        }
    }

    public static func xml(id: String, title: String, selfLink: String, htmlLink: String, author: String, language: String,
                           updated: Date, entries: [Entry]) -> String {
        func t(_ s: String) -> String { XMLText.escape(s) }
        func d(_ date: Date) -> String { date.formatted(.iso8601) }
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(t(language))\">\n"
        out += "<id>\(t(id))</id>\n<title>\(t(title))</title>\n<updated>\(d(updated))</updated>\n"
        out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(t(selfLink))\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"\(t(htmlLink))\"/>\n"
        out += "<author><name>\(t(author))</name></author>\n<generator>Diandan</generator>\n"
        for e in entries {
            out += "<entry>\n<id>\(t(e.id))</id>\n<title>\(t(e.title))</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"\(t(e.link))\"/>\n"
            out += "<published>\(d(e.published))</published>\n<updated>\(d(e.updated))</updated>\n<author><name>\(t(e.author))</name></author>\n"
            out += "<summary type=\"text\">\(t(e.summary))</summary>\n<content type=\"html\">\(t(e.html))</content>\n</entry>\n"
        }
        return out + "</feed>\n"
    }
}
