import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import DiandanCore

@Suite("Showcase: personal data kept out")
struct ShowcaseTests {
    @Test func storiesWithNumbersOrTheResidentsDetailsAreRefused() {
        let known = ["钟秀英", "叶坪村3组12号", "13800001234"]
        #expect(ShowcaseRules.personalData(in: "队员们为独居老人理发，老人笑得很开心。", known: known) == nil)
        #expect(ShowcaseRules.personalData(in: "2026-11-20 上午，3组的老人们排队理发，来了12位。", known: known) == nil)
        #expect(ShowcaseRules.personalData(in: "有需要请打13900001111联系", known: known) == "error.showcase.number")
        #expect(ShowcaseRules.personalData(in: "电话 0797-2345678", known: known) == "error.showcase.number")
        #expect(ShowcaseRules.personalData(in: "身份证36078119850101123X", known: known) == "error.showcase.number")
        #expect(ShowcaseRules.personalData(in: "为钟秀英奶奶理发", known: known) == "error.showcase.resident")
        #expect(ShowcaseRules.personalData(in: "来到叶坪村3组12号", known: known) == "error.showcase.resident")
        // A one-character word would match every story: it is not looked for.
        #expect(ShowcaseRules.personalData(in: "王师傅来了", known: ["王"]) == nil)
    }

    /// Found by probing: numbers written with dots, spaces or full-width digits and a name with a
    /// space in it passed the check. The text is normalised before it is matched.
    @Test func numbersAndNamesWrittenDifferentlyAreStillFound() {
        let known = ["钟秀英", "叶坪村3组12号", "13800138000"]
        for story in ["有事打138.0013.8000找我们", "电话 139 0000 1111", "电话１３９００００１１１１", "打 138-0013-8000",
                      "身份证 3607 8119 8501 0112 3X", "座机0797 123 4567", "号码一三九〇〇〇〇一一一一", "电话\u{200B}13900001111",
                      "号码138，0013，8000", "号码138、0013、8000", "(138)0013-8000"] {
            #expect(ShowcaseRules.personalData(in: story, known: known) == "error.showcase.number", "\(story)")
        }
        for story in ["为钟 秀英奶奶理发", "为钟·秀英奶奶理发", "为钟,秀英奶奶理发", "为钟、秀英奶奶理发", "为“钟秀英”奶奶理发", "为钟\u{3000}秀\u{200B}英奶奶理发", "来到叶坪村 3 组 12 号"] {
            #expect(ShowcaseRules.personalData(in: story, known: known) == "error.showcase.resident", "\(story)")
        }
        // Dates, times and ordinary counts are not anybody's number.
        for story in ["2026.11.20 上午 9:30，3组的老人们排队理发，来了12位。", "2026年11月20日，服务3.5小时，12 人参加。",
                      "2026-11-20 14:00 至 16:30 在村部活动室"] {
            #expect(ShowcaseRules.personalData(in: story, known: known) == nil, "\(story)")
        }
    }

    /// A JPEG as a phone writes it: APP1 EXIF with the orientation and a GPS block, a comment, the
    /// tables, then the image data.
    static func phoneJPEG() -> [UInt8] {
        let gps = Array("GPSLatitude 25.8801 GPSLongitude 116.0201".utf8)
        // Little-endian TIFF with two IFD0 entries: Orientation = 6, and a tag standing for the GPS pointer.
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 2, 0,
                             0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,
                             0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0,
                             0, 0, 0, 0]
        tiff += gps
        let exif = Array("Exif".utf8) + [0, 0] + tiff
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((exif.count + 2) >> 8), UInt8((exif.count + 2) & 0xFF)] + exif
        let app0: [UInt8] = [0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        let comment = Array("张大爷家 叶坪村3组".utf8)
        let com: [UInt8] = [0xFF, 0xFE, UInt8((comment.count + 2) >> 8), UInt8((comment.count + 2) & 0xFF)] + comment
        let dqt: [UInt8] = [0xFF, 0xDB, 0, 4, 0, 1]
        let scan: [UInt8] = [0xFF, 0xDA, 0, 4, 1, 2, 0x11, 0x22, 0x33, 0xFF, 0xD9]
        return [0xFF, 0xD8] + app0 + app1 + com + dqt + scan
    }

    @Test func photosLoseTheirMetadataButKeepTheirOrientation() throws {
        let original = Self.phoneJPEG()
        let clean = try #require(ImageMetadata.strip(original, .jpeg))
        let text = String(decoding: clean, as: UTF8.self)
        #expect(!text.contains("GPS") && !text.contains("叶坪村"))
        #expect(clean.starts(with: [0xFF, 0xD8, 0xFF, 0xE0]))
        #expect(Array(clean.suffix(11)) == [0xFF, 0xDA, 0, 4, 1, 2, 0x11, 0x22, 0x33, 0xFF, 0xD9])
        // The orientation survives in a minimal EXIF block after APP0.
        let exifAt = try #require((0..<clean.count - 1).first { clean[$0] == 0xFF && clean[$0 + 1] == 0xE1 })
        #expect(exifAt == 2 + 18)
        #expect(ImageMetadata.exifOrientation(Array(clean[(exifAt + 10)...])) == 6)
        #expect(ImageKind.sniff(clean) == .jpeg)

        // PNG: text chunks go, the image chunks stay.
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let n = data.count
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", Array(repeating: 1, count: 13))
            + chunk("tEXt", Array("Location\u{0}叶坪村".utf8)) + chunk("IDAT", [1, 2, 3]) + chunk("IEND", [])
        let cleanPNG = try #require(ImageMetadata.strip(png, .png))
        #expect(!String(decoding: cleanPNG, as: UTF8.self).contains("Location"))
        #expect(cleanPNG.count == png.count - (12 + Array("Location\u{0}叶坪村".utf8).count))

        // WebP: the EXIF chunk goes, the flags say so, the RIFF size is right.
        let exifData = Array("GPS 25.88 116.02".utf8)
        let vp8x: [UInt8] = Array("VP8X".utf8) + [10, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        let body = Array("WEBP".utf8) + vp8x + Array("VP8 ".utf8) + [4, 0, 0, 0, 9, 9, 9, 9] + Array("EXIF".utf8) + [UInt8(exifData.count), 0, 0, 0] + exifData
        let webp = Array("RIFF".utf8) + [UInt8(body.count), 0, 0, 0] + body
        let cleanWebP = try #require(ImageMetadata.strip(webp, .webp))
        #expect(!String(decoding: cleanWebP, as: UTF8.self).contains("GPS"))
        #expect(cleanWebP[20] == 0 && Int(cleanWebP[4]) == cleanWebP.count - 8)
        #expect(ImageKind.sniff(cleanWebP) == .webp)
    }

    @Test func theFeedIsWellFormedAtom() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let xml = AtomFeed.xml(id: "https://zyfw.example.cn/showcase/7", title: "叶坪村 · 志愿风采", selfLink: "https://zyfw.example.cn/showcase/7/feed.atom",
                               htmlLink: "https://zyfw.example.cn/showcase/7", author: "叶坪村新时代文明实践站", language: "zh-CN", updated: date,
                               entries: [.init(id: "https://zyfw.example.cn/showcase/posts/1", title: "理发 & <探访>", link: "https://zyfw.example.cn/showcase/posts/1",
                                               published: date, updated: date, author: "红马甲服务队", summary: "为老人理发", html: "<p>为老人理发</p><img src=\"x.jpg\">")])
        final class Titles: NSObject, XMLParserDelegate {
            var titles: [String] = [], current = "", inTitle = false
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) { inTitle = e == "title"; current = "" }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inTitle { current += s } }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) { if e == "title" { titles.append(current); inTitle = false } }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let delegate = Titles()
        parser.delegate = delegate
        #expect(parser.parse(), "\(parser.parserError.map { String(describing: $0) } ?? "")")
        #expect(delegate.titles == ["叶坪村 · 志愿风采", "理发 & <探访>"])
        #expect(xml.contains("<updated>2026-11-18T") && xml.contains("&lt;img src=&quot;x.jpg&quot;&gt;"))
    }
}
