import Foundation

/// A reporting period, as the day strings (`yyyy-MM-dd`, China time) it runs from and to, inclusive.
public enum Period: String, Sendable, CaseIterable, Codable {
    case month, quarter, year, all

    public func range(containing day: Date) -> (from: String, to: String)? {
        let c = Calendar.chinaStandard.dateComponents([.year, .month], from: day)
        guard let y = c.year, let m = c.month else { return nil }
        func d(_ y: Int, _ m: Int, _ d: Int) -> String { String(format: "%04d-%02d-%02d", y, m, d) }
        switch self {
        case .month: return (d(y, m, 1), d(y, m, 31))
        case .quarter:
            let first = (m - 1) / 3 * 3 + 1
            return (d(y, first, 1), d(y, first + 2, 31))
        case .year: return (d(y, 1, 1), d(y, 12, 31))
        case .all: return nil
        }
    }
}

/// A horizontal bar chart drawn as SVG (attributes only, so a strict Content-Security-Policy allows it).
public enum BarChart {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public init(label: String, value: Double) { self.label = label; self.value = value }
    }

    public static func svg(_ bars: [Bar], title: String, unit: String = "", width: Int = 640) -> String {
        let rowHeight = 26, labelWidth = 190, top = 8
        let height = top * 2 + max(1, bars.count) * rowHeight
        let maxValue = max(bars.map(\.value).max() ?? 0, 1)
        let barSpace = Double(width - labelWidth - 70)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(escape(title))\">"
        out += "<title>\(escape(title))</title>"
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            let w = max(1, Int((bar.value / maxValue * barSpace).rounded()))
            let value = bar.value.rounded() == bar.value ? String(Int(bar.value)) : String(format: "%.1f", bar.value)
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\" fill=\"#222\">\(escape(String(bar.label.prefix(14))))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(w)\" height=\"18\" rx=\"3\" fill=\"#c0392b\"/>"
            out += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 17)\" font-size=\"12\" fill=\"#444\">\(escape(value + unit))</text>"
        }
        return out + "</svg>"
    }

    static func escape(_ s: String) -> String { XMLText.escape(s) }
}

/// A column chart over time (one column per day, week or month), drawn as SVG.
public enum ColumnChart {
    public static func svg(_ points: [BarChart.Bar], title: String, width: Int = 640, height: Int = 180) -> String {
        let left = 36, bottom = 24, top = 10
        let plotW = Double(width - left - 8), plotH = Double(height - top - bottom)
        let maxValue = max(points.map(\.value).max() ?? 0, 1)
        let step = points.isEmpty ? plotW : plotW / Double(points.count)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(BarChart.escape(title))\">"
        out += "<title>\(BarChart.escape(title))</title>"
        out += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 8)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
        out += "<text x=\"\(left - 4)\" y=\"\(top + 10)\" text-anchor=\"end\" font-size=\"11\" fill=\"#666\">\(Int(maxValue))</text>"
        let labelEvery = max(1, points.count / 8)
        for (i, p) in points.enumerated() {
            let h = p.value / maxValue * plotH
            let x = Double(left) + Double(i) * step
            out += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c0392b\">", x + step * 0.1, Double(height - bottom) - h, max(1, step * 0.8), h)
                + "<title>\(BarChart.escape("\(p.label): \(Int(p.value))"))</title></rect>"
            if i % labelEvery == 0 {
                out += "<text x=\"\(String(format: "%.1f", x + step / 2))\" y=\"\(height - 8)\" text-anchor=\"middle\" font-size=\"10\" fill=\"#666\">\(BarChart.escape(p.label))</text>"
            }
        }
        return out + "</svg>"
    }
}

/// Order locations as dots on a plane (longitude across, latitude up), coloured by group.
public enum ScatterChart {
    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double, group: String
        public init(x: Double, y: Double, group: String) { self.x = x; self.y = y; self.group = group }
    }

    static let palette = ["#c0392b", "#2e7d32", "#1565c0", "#f39c12", "#6a1b9a", "#00838f", "#795548", "#607d8b", "#d81b60"]

    /// `groups` fixes the order of colours and the legend (label for each group key).
    public static func svg(_ points: [Point], groups: [(key: String, label: String)], title: String, width: Int = 640, height: Int = 360) -> String {
        let pad = 16.0, legend = 22.0
        let xs = points.map(\.x), ys = points.map(\.y)
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 1, minY = ys.min() ?? 0, maxY = ys.max() ?? 1
        let spanX = max(maxX - minX, 0.01), spanY = max(maxY - minY, 0.01)
        let plotW = Double(width) - 2 * pad, plotH = Double(height) - 2 * pad - legend
        func colour(_ key: String) -> String { palette[(groups.firstIndex { $0.key == key } ?? 0) % palette.count] }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(BarChart.escape(title))\">"
        out += "<title>\(BarChart.escape(title))</title><rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#fbfaf8\"/>"
        for p in points {
            let cx = pad + (p.x - minX) / spanX * plotW, cy = pad + legend + (maxY - p.y) / spanY * plotH
            out += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill-opacity=\"0.75\" ", cx, cy) + "fill=\"\(colour(p.group))\"/>"
        }
        var lx = pad
        for g in groups where points.contains(where: { $0.group == g.key }) {
            out += String(format: "<circle cx=\"%.1f\" cy=\"12\" r=\"5\" ", lx + 5) + "fill=\"\(colour(g.key))\"/>"
            out += String(format: "<text x=\"%.1f\" y=\"16\" font-size=\"12\" fill=\"#333\">", lx + 14) + BarChart.escape(g.label) + "</text>"
            lx += 24 + Double(g.label.count) * 12
        }
        return out + "</svg>"
    }
}
