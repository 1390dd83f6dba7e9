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
        // At most five labels along the bottom (a month: the 1st, 8th, 15th, 22nd, 29th), so they never run together.
        let labelEvery = max(1, Int((Double(points.count) / 5).rounded(.up)))
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

