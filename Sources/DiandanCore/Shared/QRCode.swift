/// A QR Code (ISO/IEC 18004, model 2) encoder for the check-in codes (二维码考勤). The package mirror
/// has no QR library, so this is ours: byte mode, versions 1–40, the four error-correction levels,
/// Reed–Solomon over GF(256), and the mask with the lowest penalty. Standard decoders read it (the
/// tests decode every code with zbarimg). The tables and the layout follow the standard; the
/// structure follows Project Nayuki's reference implementation.
public struct QRCode: Sendable, Equatable {
    public enum ErrorCorrection: Int, Sendable, CaseIterable {
        case low = 0, medium, quartile, high

        /// The two bits the format information uses for the level.
        var formatBits: Int { [1, 0, 3, 2][rawValue] }
    }

    public enum EncodingError: Error, Equatable, Sendable {
        case tooLong(bytes: Int)
    }

    public let version: Int
    public let size: Int
    public let errorCorrection: ErrorCorrection
    public let mask: Int
    /// `modules[y][x]`: true is dark.
    public let modules: [[Bool]]

    public func isDark(x: Int, y: Int) -> Bool { modules[y][x] }

    // MARK: Encoding

    public static func encode(_ text: String, errorCorrection ecl: ErrorCorrection = .medium) throws(EncodingError) -> QRCode {
        try encode(bytes: Array(text.utf8), errorCorrection: ecl)
    }

    public static func encode(bytes data: [UInt8], errorCorrection ecl: ErrorCorrection = .medium) throws(EncodingError) -> QRCode {
        // The smallest version the data fits in.
        var version = 0
        for v in 1...40 {
            let bits = 4 + (v <= 9 ? 8 : 16) + data.count * 8
            if data.count < (v <= 9 ? 256 : 65_536), bits <= dataCodewords(v, ecl) * 8 { version = v; break }
        }
        guard version > 0 else { throw .tooLong(bytes: data.count) }

        // Byte mode: mode indicator, character count, the bytes; then terminator and padding.
        var bits = BitBuffer()
        bits.append(0b0100, 4)
        bits.append(data.count, version <= 9 ? 8 : 16)
        for b in data { bits.append(Int(b), 8) }
        let capacity = dataCodewords(version, ecl) * 8
        bits.append(0, min(4, capacity - bits.count))
        bits.append(0, (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }

        var grid = Grid(version: version)
        grid.drawFunctionPatterns(ecl: ecl)
        grid.drawCodewords(addErrorCorrection(codewords, version: version, ecl: ecl))

        // Try all eight masks; keep the one with the lowest penalty.
        var best = 0, bestPenalty = Int.max
        for mask in 0..<8 {
            var trial = grid
            trial.applyMask(mask)
            trial.drawFormatBits(ecl: ecl, mask: mask)
            let p = trial.penalty()
            if p < bestPenalty { best = mask; bestPenalty = p }
        }
        grid.applyMask(best)
        grid.drawFormatBits(ecl: ecl, mask: best)
        return QRCode(version: version, size: grid.size, errorCorrection: ecl, mask: best, modules: grid.modules)
    }

    // MARK: Tables (ISO/IEC 18004 table 9), indexed [level][version]; index 0 is unused.

    static let eccCodewordsPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    static let errorCorrectionBlocks: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for data and error correction once the function patterns are drawn.
    static func rawDataModules(_ v: Int) -> Int {
        var result = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            result -= (25 * align - 10) * align - 55
            if v >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewords(_ v: Int, _ ecl: ErrorCorrection) -> Int {
        rawDataModules(v) / 8 - eccCodewordsPerBlock[ecl.rawValue][v] * errorCorrectionBlocks[ecl.rawValue][v]
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords, and interleaves.
    static func addErrorCorrection(_ data: [UInt8], version: Int, ecl: ErrorCorrection) -> [UInt8] {
        let blocks = errorCorrectionBlocks[ecl.rawValue][version]
        let eccLength = eccCodewordsPerBlock[ecl.rawValue][version]
        let raw = rawDataModules(version) / 8
        let shortBlocks = blocks - raw % blocks
        let shortLength = raw / blocks
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var all: [[UInt8]] = []
        var k = 0
        for i in 0..<blocks {
            let length = shortLength - eccLength + (i < shortBlocks ? 0 : 1)
            var block = Array(data[k..<k + length])
            k += length
            let ecc = ReedSolomon.remainder(block, divisor)
            if i < shortBlocks { block.append(0) }
            all.append(block + ecc)
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw)
        for i in 0..<all[0].count {
            for (j, block) in all.enumerated() where i != shortLength - eccLength || j >= shortBlocks {
                out.append(block[i])
            }
        }
        return out
    }
}

/// Reed–Solomon error correction over GF(2^8) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, _ length: Int) {
        guard length > 0 else { return }
        for i in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { acc, i in acc << 1 | (start + i < bits.count && bits[start + i] ? 1 : 0) }
        }
    }
}

/// The module grid while it is being drawn: which modules are dark, and which belong to function
/// patterns (and so are neither data nor masked).
struct Grid {
    let version: Int
    let size: Int
    var modules: [[Bool]]
    var isFunction: [[Bool]]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        modules = Array(repeating: Array(repeating: false, count: size), count: size)
        isFunction = modules
    }

    mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y][x] = dark
        isFunction[y][x] = true
    }

    mutating func drawFunctionPatterns(ecl: QRCode.ErrorCorrection) {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        drawFinder(3, 3)
        drawFinder(size - 4, 3)
        drawFinder(3, size - 4)
        let align = alignmentPositions
        let n = align.count
        for i in 0..<n {
            for j in 0..<n where !(i == 0 && j == 0) && !(i == 0 && j == n - 1) && !(i == n - 1 && j == 0) {
                drawAlignment(align[i], align[j])
            }
        }
        drawFormatBits(ecl: ecl, mask: 0)  // reserves the area; redrawn once the mask is chosen
        drawVersion()
    }

    private mutating func drawFinder(_ x: Int, _ y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let dist = max(abs(dx), abs(dy))
                let xx = x + dx, yy = y + dy
                if (0..<size).contains(xx), (0..<size).contains(yy) { set(xx, yy, dist != 2 && dist != 4) }
            }
        }
    }

    private mutating func drawAlignment(_ x: Int, _ y: Int) {
        for dy in -2...2 {
            for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
        }
    }

    var alignmentPositions: [Int] {
        guard version > 1 else { return [] }
        let n = version / 7 + 2
        let step = (version * 8 + n * 3 + 5) / (n * 4 - 4) * 2
        var result = [Int](repeating: 0, count: n)
        result[0] = 6
        var pos = size - 7
        for i in stride(from: n - 1, through: 1, by: -1) {
            result[i] = pos
            pos -= step
        }
        return result
    }

    mutating func drawFormatBits(ecl: QRCode.ErrorCorrection, mask: Int) {
        let data = ecl.formatBits << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (data << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)  // the dark module
    }

    private mutating func drawVersion() {
        guard version >= 7 else { return }
        var rem = version
        for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
        let bits = version << 12 | rem
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            set(a, b, dark)
            set(b, a, dark)
        }
    }

    /// Places the codewords in the zigzag of two-module columns, right to left, skipping the timing column.
    mutating func drawCodewords(_ data: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vert in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    if !isFunction[y][x], i < data.count * 8 {
                        modules[y][x] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y][x] {
                let invert: Bool
                switch mask {
                case 0: invert = (x + y) % 2 == 0
                case 1: invert = y % 2 == 0
                case 2: invert = x % 3 == 0
                case 3: invert = (x + y) % 3 == 0
                case 4: invert = (x / 3 + y / 2) % 2 == 0
                case 5: invert = x * y % 2 + x * y % 3 == 0
                case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if invert { modules[y][x].toggle() }
            }
        }
    }

    /// The standard's four penalty rules: long runs, 2×2 blocks, finder-like patterns, imbalance.
    func penalty() -> Int {
        var score = 0
        func lines(_ columns: Bool) -> [[Bool]] {
            columns ? (0..<size).map { x in (0..<size).map { y in modules[y][x] } } : modules
        }
        let finderLike: [[Bool]] = [
            [true, false, true, true, true, false, true, false, false, false, false],
            [false, false, false, false, true, false, true, true, true, false, true],
        ]
        for columns in [false, true] {
            for line in lines(columns) {
                var run = 1
                for i in 1...size {
                    if i < size, line[i] == line[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += 3 + (run - 5) }
                        run = 1
                    }
                }
                if size >= 11 {
                    for start in 0...(size - 11) {
                        for pattern in finderLike where (0..<11).allSatisfy({ line[start + $0] == pattern[$0] }) { score += 40 }
                    }
                }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = modules[y][x]
                if c == modules[y][x + 1], c == modules[y + 1][x], c == modules[y + 1][x + 1] { score += 3 }
            }
        }
        let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
        let total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        score += max(0, k) * 10
        return score
    }
}

// MARK: Drawing

extension QRCode {
    /// An SVG image: one path of dark modules on a white square, with the four-module quiet zone.
    public func svg(moduleSize: Int = 8, border: Int = 4) -> String {
        let total = size + border * 2
        var path = ""
        for y in 0..<size {
            for x in 0..<size where modules[y][x] { path += "M\(x + border),\(y + border)h1v1h-1z" }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(total) \(total)" width="\(total * moduleSize)" height="\(total * moduleSize)" shape-rendering="crispEdges">\
            <rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// A PNG image (1-bit greyscale), `scale` pixels per module, with the quiet zone.
    public func png(scale: Int = 8, border: Int = 4) -> [UInt8] {
        let side = (size + border * 2) * scale
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        for py in 0..<side {
            raw.append(0)  // filter: none
            var row = [UInt8](repeating: 0xFF, count: rowBytes)
            let my = py / scale - border
            if (0..<size).contains(my) {
                for px in 0..<side {
                    let mx = px / scale - border
                    if (0..<size).contains(mx), modules[my][mx] { row[px / 8] &= ~(0x80 >> UInt8(px % 8)) }
                }
            }
            raw += row
        }
        return PNG.encode(width: side, height: side, bitDepth: 1, colorType: 0, scanlines: raw)
    }
}

/// Just enough PNG: IHDR, one IDAT holding a zlib stream of stored (uncompressed) deflate blocks, IEND.
enum PNG {
    static func encode(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, scanlines: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += be32(width) + be32(height)
        header += [bitDepth, colorType, 0, 0, 0]
        out += chunk("IHDR", header)
        out += chunk("IDAT", zlibStored(scanlines))
        out += chunk("IEND", [])
        return out
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(crc32(body)))
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65_535, data.count - i)
            let last: UInt8 = i + n >= data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[i..<i + n]
            i += n
        } while i < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be32(Int(b << 16 | a))
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
