import Foundation
import Testing
@testable import DiandanCore

/// Our QR codes must read in standard decoders: each is written as PNG and SVG and decoded with
/// zbarimg (Debian's zbar-tools, installed by scripts/test).
@Suite("QR codes decode with a standard reader")
struct QRCodeTests {
    static func zbarimg(_ file: URL) throws -> String {
        var text = try runTool("zbarimg", ["-q", "--raw", "-Sdisable", "-Sqrcode.enable", file.path]).output
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// SVG through a real renderer (librsvg's rsvg-convert) to PNG, then the decoder.
    static func decodeSVG(_ svg: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory
        let svgFile = dir.appendingPathComponent("qr-\(UUID().uuidString).svg"), pngFile = svgFile.appendingPathExtension("png")
        try Data(svg.utf8).write(to: svgFile)
        defer { try? FileManager.default.removeItem(at: svgFile); try? FileManager.default.removeItem(at: pngFile) }
        _ = try runTool("rsvg-convert", ["-o", pngFile.path, svgFile.path])
        return try zbarimg(pngFile)
    }

    static func decode(_ bytes: [UInt8], ext: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).\(ext)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try zbarimg(file)
    }

    static let samples: [String] = [
        "1",
        "https://diandan.example.cn/activities/42/check-in?t=1795305600.abcdefghij0123456789",
        "https://ruijin.diandan.example.cn/activities/123456/check-out?token=" + String(repeating: "Zx9-", count: 30),
        "志愿服务 点单 派单 接单 评单 奖单 — 新时代文明实践 " + String(repeating: "瑞金", count: 40),
    ]

    @Test(arguments: samples) func everyLevelDecodesToTheExactTextAsPNG(_ text: String) throws {
        for level in QRCode.ErrorCorrection.allCases {
            let qr = try QRCode.encode(text, errorCorrection: level)
            #expect(qr.size == qr.version * 4 + 17)
            #expect(try Self.decode(qr.png(scale: 4), ext: "png") == text, "level \(level), version \(qr.version)")
        }
    }

    @Test func theSVGDecodesToo() throws {
        let url = Self.samples[1]
        let qr = try QRCode.encode(url)
        let svg = qr.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(try Self.decodeSVG(svg) == url)
    }

    @Test func largerVersionsCarryVersionInformationAndStillDecode() throws {
        // 400 bytes at level H needs version 18 or so: alignment grid and version blocks included.
        let text = String((0..<400).map { Character(UnicodeScalar(UInt8(65 + $0 % 26))) })
        let qr = try QRCode.encode(text, errorCorrection: .high)
        #expect(qr.version >= 7)
        #expect(try Self.decode(qr.png(scale: 3), ext: "png") == text)
    }

    @Test func tooMuchDataIsRefused() {
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 3000)) { try QRCode.encode(bytes: Array(repeating: 0x41, count: 3000), errorCorrection: .high) }
    }

    @Test func theFinderPatternsSitInThreeCorners() throws {
        let qr = try QRCode.encode("diandan")
        let n = qr.size
        for (x, y) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            #expect(qr.isDark(x: x, y: y) && qr.isDark(x: x + 6, y: y + 6) && !qr.isDark(x: x + 1, y: y + 1) && qr.isDark(x: x + 3, y: y + 3))
        }
        // The timing pattern alternates between the finders, on row and column 6.
        #expect((8..<(n - 8)).allSatisfy { qr.isDark(x: $0, y: 6) == ($0 % 2 == 0) && qr.isDark(x: 6, y: $0) == ($0 % 2 == 0) })
    }
}
