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

/// A horizontal bar chart as HTML: each bar's label, its bar, and its value written beside it, in the
/// page's own text size (so it stays readable on a phone, in 长辈版 and in print). Bar lengths are
/// classes (`w0`…`w100`), never style attributes, so a strict Content-Security-Policy allows it.
public enum BarChart {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public init(label: String, value: Double) { self.label = label; self.value = value }
    }

    public static func html(_ bars: [Bar], title: String, unit: String = "", empty: String = "—") -> String {
        guard !bars.isEmpty else { return "<p class=\"chart-empty\">\(escape(empty))</p>" }
        let maxValue = max(bars.map(\.value).max() ?? 0, 1)
        var out = "<ol class=\"bar-chart\" aria-label=\"\(escape(title))\">"
        for bar in bars {
            let share = percent(bar.value, of: maxValue)
            out += "<li><span class=\"bar-label\">\(escape(bar.label))</span><span class=\"bar-track\">"
                + "<span class=\"bar w\(share)\"></span><span class=\"bar-value\">\(escape(format(bar.value) + unit))</span></span></li>"
        }
        return out + "</ol>"
    }

    /// A value's share of the largest, in whole percent; a value above zero shows at least 1 %.
    static func percent(_ value: Double, of maxValue: Double) -> Int {
        guard value.isFinite, value > 0 else { return 0 }
        return min(100, max(1, Int((value / maxValue * 100).rounded())))
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func escape(_ s: String) -> String { XMLText.escape(s) }
}

/// A column chart over time (one column per day, week or month) as HTML: the value on each column
/// when there is room for it, and a label under every few columns.
public enum ColumnChart {
    public static func html(_ points: [BarChart.Bar], title: String, empty: String = "—") -> String {
        guard !points.isEmpty else { return "<p class=\"chart-empty\">\(BarChart.escape(empty))</p>" }
        let maxValue = max(points.map(\.value).max() ?? 0, 1)
        let labelEvery = max(1, Int((Double(points.count) / 6).rounded(.up)))
        let values = points.count <= 12
        var out = "<div class=\"column-chart\" role=\"img\" aria-label=\"\(BarChart.escape(title))\"><span class=\"col-max\">\(BarChart.format(maxValue))</span><ol>"
        for (i, p) in points.enumerated() {
            out += "<li title=\"\(BarChart.escape(p.label + ": " + BarChart.format(p.value)))\"><span class=\"col-plot\">"
            if values { out += "<span class=\"col-value\">\(BarChart.format(p.value))</span>" }
            out += "<span class=\"col h\(BarChart.percent(p.value, of: maxValue))\"></span></span>"
            out += "<span class=\"col-label\">\(i % labelEvery == 0 ? BarChart.escape(p.label) : "")</span></li>"
        }
        return out + "</ol></div>"
    }
}

/// Order locations as dots over the sites they belong to, each site named where it is (longitude
/// across, latitude up). Positions are percentages of the drawing, so it fills any width without
/// shrinking its text; colours are classes (`g0`…`g8`) shared with the legend under it.
public enum ScatterChart {
    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double, group: String
        public init(x: Double, y: Double, group: String) { self.x = x; self.y = y; self.group = group }
    }
    public struct Place: Sendable, Equatable {
        public var x: Double, y: Double, name: String
        public init(x: Double, y: Double, name: String) { self.x = x; self.y = y; self.name = name }
    }

    static let colours = 9

    /// `groups` fixes the order of colours and the legend (label for each group key).
    public static func svg(_ points: [Point], places: [Place] = [], placesLabel: String = "", groups: [(key: String, label: String)], title: String) -> String {
        let xs = points.map(\.x) + places.map(\.x), ys = points.map(\.y) + places.map(\.y)
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 1, minY = ys.min() ?? 0, maxY = ys.max() ?? 1
        let spanX = max(maxX - minX, 0.01), spanY = max(maxY - minY, 0.01)
        // Five percent of margin on each side (ten at the top, for the labels above the marks).
        func px(_ x: Double) -> String { String(format: "%.2f%%", 5 + (x - minX) / spanX * 90) }
        func py(_ y: Double) -> String { String(format: "%.2f%%", 10 + (maxY - y) / spanY * 82) }
        func colour(_ key: String) -> Int { (groups.firstIndex { $0.key == key } ?? 0) % colours }
        var out = "<div class=\"map\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map-plot\" width=\"100%\" height=\"100%\" role=\"img\" aria-label=\"\(BarChart.escape(title))\">"
        out += "<title>\(BarChart.escape(title))</title>"
        for p in places {
            out += "<rect class=\"map-site\" x=\"\(px(p.x))\" y=\"\(py(p.y))\" width=\"10\" height=\"10\" transform=\"translate(-5 -5)\"/>"
        }
        for p in points {
            out += "<circle class=\"g\(colour(p.group))\" cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"4\"/>"
        }
        for p in places {
            // Names near an edge run inwards, so none is cut off.
            let share = (p.x - minX) / spanX
            let anchor = share > 0.7 ? "end" : share < 0.3 ? "start" : "middle"
            out += "<text class=\"map-label\" x=\"\(px(p.x))\" y=\"\(py(p.y))\" dy=\"-10\" text-anchor=\"\(anchor)\">\(BarChart.escape(p.name))</text>"
        }
        out += "</svg></div><ul class=\"legend\">"
        for g in groups where points.contains(where: { $0.group == g.key }) {
            out += "<li><span class=\"dot g\(colour(g.key))\"></span>\(BarChart.escape(g.label))</li>"
        }
        if !places.isEmpty, !placesLabel.isEmpty { out += "<li><span class=\"dot site\"></span>\(BarChart.escape(placesLabel))</li>" }
        return out + "</ul>"
    }
}
