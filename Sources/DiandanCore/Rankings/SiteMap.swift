import Foundation

/// The tiles of a web map drawn under the sites: one or more address templates with `{z}`, `{x}` and
/// `{y}` (Web Mercator, numbered from the north-west as 天地图, OpenStreetMap and most services do),
/// drawn in order — e.g. 天地图's streets (`vec_w`) and then its names (`cva_w`).
public struct Basemap: Sendable, Equatable {
    public var layers: [String]
    /// Shown under the map (the tile service's terms usually ask for it).
    public var attribution: String

    public struct Problem: Error, Equatable { public var reason: String }

    /// Reads `DIANDAN_MAP_TILES` (templates separated by spaces) and `DIANDAN_MAP_ATTRIBUTION`.
    public static func parse(_ raw: String, attribution: String?) throws(Problem) -> Basemap {
        let layers = raw.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !layers.isEmpty, layers.count <= 4 else {
            throw Problem(reason: "DIANDAN_MAP_TILES must be one to four tile addresses separated by spaces, each with {z}, {x} and {y}, e.g. https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=YOUR-KEY")
        }
        for layer in layers {
            guard origin(of: layer) != nil, ["{z}", "{x}", "{y}"].allSatisfy(layer.contains),
                  !layer.contains(where: { "\"'<>\\`;".contains($0) }) else {
                throw Problem(reason: "DIANDAN_MAP_TILES: \"\(layer)\" is not a tile address starting with http:// or https:// with {z}, {x} and {y} in it, e.g. https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=YOUR-KEY")
            }
        }
        let hosts = layers.compactMap { URL(string: filled($0, z: 0, x: 0, y: 0))?.host }
        let named = attribution?.trimmingCharacters(in: .whitespaces) ?? ""
        return Basemap(layers: layers, attribution: named.isEmpty ? distinct(hosts).joined(separator: " · ") : named)
    }

    public init(layers: [String], attribution: String) { self.layers = layers; self.attribution = attribution }

    /// The origins the pages load tiles from (for the Content-Security-Policy's img-src).
    public var origins: [String] { Basemap.distinct(layers.compactMap(Basemap.origin(of:))) }

    static func distinct(_ xs: [String]) -> [String] { xs.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }

    static func origin(of template: String) -> String? {
        guard let url = URL(string: filled(template, z: 0, x: 0, y: 0)), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
        return scheme + "://" + host + (url.port.map { ":\($0)" } ?? "")
    }

    public static func filled(_ template: String, z: Int, x: Int, y: Int) -> String {
        template.replacingOccurrences(of: "{z}", with: String(z)).replacingOccurrences(of: "{x}", with: String(x)).replacingOccurrences(of: "{y}", with: String(y))
    }
}

/// Web Mercator in world units: x from 0 (180° W) to 1 (180° E), y from 0 (north) to 1 (south).
public enum Mercator {
    public static func project(longitude: Double, latitude: Double) -> (x: Double, y: Double) {
        let lat = min(max(latitude, -85.05112878), 85.05112878) * .pi / 180
        return ((longitude + 180) / 360, (1 - log(tan(lat) + 1 / cos(lat)) / .pi) / 2)
    }

    /// The tile holding a place at a zoom level (the numbering the templates use).
    public static func tile(longitude: Double, latitude: Double, zoom: Int) -> (x: Int, y: Int) {
        let p = project(longitude: longitude, latitude: latitude), n = Double(1 << zoom)
        return (min(Int(p.x * n), (1 << zoom) - 1), min(Int(p.y * n), (1 << zoom) - 1))
    }
}

/// Convex hulls, for the outline of an area from its sites.
public enum Hull {
    /// Andrew's monotone chain: the hull's corners anticlockwise (y up), without repeats.
    public static func convex(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let sorted = points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        var unique: [(x: Double, y: Double)] = []
        for p in sorted where unique.last.map({ $0.x != p.x || $0.y != p.y }) ?? true { unique.append(p) }
        guard unique.count > 2 else { return unique }
        func cross(_ o: (x: Double, y: Double), _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [(x: Double, y: Double)] = [], upper: [(x: Double, y: Double)] = []
        for p in unique {
            while lower.count >= 2, cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in unique.reversed() {
            while upper.count >= 2, cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }

    /// The hull of round marks of `radius` around each point: an outline that keeps its distance
    /// from every site, and is still an area for one site or two.
    public static func rounded(_ points: [(x: Double, y: Double)], radius: Double) -> [(x: Double, y: Double)] {
        // Only the hull's corners can bear on the result: round those, not every site.
        let around = convex(points).flatMap { p in (0..<16).map { k in
            let a = Double(k) * .pi / 8
            return (x: p.x + radius * cos(a), y: p.y + radius * sin(a))
        } }
        return convex(around)
    }
}

/// Order locations as dots over the sites they belong to, each site named where it is, over the
/// outline of the area's sites (the county, its townships shaded apart) or, when tiles are
/// configured, over a basemap. Positions are percentages of the drawing, so it fills any width
/// without shrinking its text; colours are classes (`g0`…`g8`) shared with the legend under it.
public enum ScatterChart {
    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double, group: String
        public init(x: Double, y: Double, group: String) { self.x = x; self.y = y; self.group = group }
    }
    public struct Place: Sendable, Equatable {
        public var x: Double, y: Double, name: String
        public init(x: Double, y: Double, name: String) { self.x = x; self.y = y; self.name = name }
    }
    /// Where an area's sites are (longitude, latitude): the first is the whole, the rest its parts.
    public struct Area: Sendable, Equatable {
        public var sites: [Coordinate]
        public init(sites: [Coordinate]) { self.sites = sites }
    }
    public struct Coordinate: Sendable, Equatable {
        public var longitude: Double, latitude: Double
        public init(longitude: Double, latitude: Double) { self.longitude = longitude; self.latitude = latitude }
    }

    static let colours = 9

    struct Label { var x: Double, y: Double, dy: String, anchor: String, name: String }

    /// Names placed above their site, or below it when that is taken, or left off (the site's hover
    /// names it) when neither has room: never one over another. Sizes are judged for a drawing
    /// `room` px wide (22rem tall, or `aspect` with tiles) in 16 px text times `textScale` (1.25 in 长辈版).
    static func labels(_ places: [(x: Double, y: Double, name: String)], room: Double, aspect: Double?, textScale: Double = 1) -> [Label] {
        let height = aspect.map { room / $0 } ?? 352 * textScale
        var taken: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var out: [Label] = []
        for p in places.sorted(by: { $0.y < $1.y }) {
            let px = p.name.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 16 : 9) } * textScale
            let w = px / room * 100, h = 18 * textScale / height * 100
            let share = p.x / 100
            let anchor = share > 0.7 ? "end" : share < 0.3 ? "start" : "middle"
            let x0 = anchor == "start" ? p.x : anchor == "end" ? p.x - w : p.x - w / 2
            let above = (y0: p.y - (10 + 18 * textScale) / height * 100, dy: "-10"), below = (y0: p.y + 8 / height * 100, dy: String(Int((8 + 16 * textScale).rounded())))
            for spot in [above, below] {
                let box = (x0: x0, y0: spot.y0, x1: x0 + w, y1: spot.y0 + h)
                guard box.y0 >= 0, box.y1 <= 100, !taken.contains(where: { $0.x0 < box.x1 && box.x0 < $0.x1 && $0.y0 < box.y1 && box.y0 < $0.y1 }) else { continue }
                taken.append(box)
                out.append(Label(x: p.x, y: p.y, dy: spot.dy, anchor: anchor, name: p.name))
                break
            }
        }
        return out
    }

    /// `groups` fixes the order of colours and the legend (label for each group key). With a
    /// basemap the drawing keeps `aspect` (width / height; the page gives the box the same), since
    /// tiles may not be stretched; without one it fills the box it is given.
    public static func svg(_ points: [Point], places: [Place] = [], placesLabel: String = "", groups: [(key: String, label: String)], title: String,
                           areas: [Area] = [], frame: [Coordinate] = [], basemap: Basemap? = nil, aspect: Double = 1.5, room: Double = 340,
                           textScale: Double = 1) -> String {
        let projected = { (lon: Double, lat: Double) in Mercator.project(longitude: lon, latitude: lat) }
        // The window: every order and site shown, and `frame` (all the sites of the place in view);
        // the outline of the county around may run on past its edges.
        let framing = points.map { projected($0.x, $0.y) } + places.map { projected($0.x, $0.y) } + frame.map { projected($0.longitude, $0.latitude) }
        let xs = framing.map(\.x), ys = framing.map(\.y)
        let minX = xs.min() ?? 0.5, maxX = xs.max() ?? 0.5, minY = ys.min() ?? 0.5, maxY = ys.max() ?? 0.5
        // Smallest window about two kilometres; margins for the marks and the outline round them,
        // more at the top for the names.
        let least = 0.00005
        var x0: Double, y0: Double, w: Double, h: Double
        if basemap != nil {
            w = max(maxX - minX, least) / 0.8
            h = max(maxY - minY, least) / 0.72
            if w / h < aspect { w = h * aspect } else { h = w / aspect }
            x0 = (minX + maxX) / 2 - w / 2
            y0 = (minY + maxY) / 2 - h * 0.54
        } else {
            w = max(maxX - minX, least) / 0.86
            h = max(maxY - minY, least) / 0.82
            x0 = minX - w * 0.07
            y0 = minY - h * 0.10
        }
        func fx(_ x: Double) -> Double { (x - x0) / w * 100 }
        func fy(_ y: Double) -> Double { (y - y0) / h * 100 }
        func pc(_ v: Double) -> String { String(format: "%.2f%%", v) }
        func colour(_ key: String) -> Int { (groups.firstIndex { $0.key == key } ?? 0) % colours }

        var out = "<div class=\"map\(basemap == nil ? "" : " tiled ratio-\(aspect >= 1.25 ? "wide" : "square")")\">"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map-plot\" width=\"100%\" height=\"100%\" role=\"img\" aria-label=\"\(BarChart.escape(title))\">"
        out += "<title>\(BarChart.escape(title))</title>"
        if let basemap {
            // About one tile per 256 px of the drawing (at least two across): sharp, and few to load.
            let zoom = min(18, max(1, Int(log2(max(2, room / 256) / w).rounded())))
            let n = 1 << zoom, size = 1 / Double(n)
            let firstX = Int((x0 * Double(n)).rounded(.down)), lastX = Int(((x0 + w) * Double(n)).rounded(.down))
            let firstY = max(0, Int((y0 * Double(n)).rounded(.down))), lastY = min(n - 1, Int(((y0 + h) * Double(n)).rounded(.down)))
            out += "<g class=\"map-tiles\">"
            for layer in basemap.layers {
                for ty in firstY...max(firstY, lastY) {
                    for tx in firstX...max(firstX, lastX) {
                        let url = Basemap.filled(layer, z: zoom, x: ((tx % n) + n) % n, y: ty)
                        // A hair wider than the tile, so no seam shows between neighbours.
                        out += "<image href=\"\(BarChart.escape(url))\" x=\"\(pc(fx(Double(tx) * size)))\" y=\"\(pc(fy(Double(ty) * size)))\""
                            + " width=\"\(pc(size / w * 100 + 0.08))\" height=\"\(pc(size / h * 100 + 0.08))\" preserveAspectRatio=\"none\"/>"
                    }
                }
            }
            out += "</g>"
        }
        if let whole = areas.first, !whole.sites.isEmpty {
            // In a drawing of 1000 × 1000 stretched over the box, as the percentages are.
            func outline(_ area: Area, radius: Double) -> String {
                Hull.rounded(area.sites.map { c in let p = projected(c.longitude, c.latitude); return (x: fx(p.x) * 10, y: fy(p.y) * 10) }, radius: radius)
                    .map { String(format: "%.1f,%.1f", $0.x, $0.y) }.joined(separator: " ")
            }
            out += "<svg class=\"map-areas\" x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" viewBox=\"0 0 1000 1000\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
            out += "<polygon class=\"map-area\" points=\"\(outline(whole, radius: 45))\" vector-effect=\"non-scaling-stroke\"/>"
            for part in areas.dropFirst() where !part.sites.isEmpty {
                out += "<polygon class=\"map-part\" points=\"\(outline(part, radius: 25))\" vector-effect=\"non-scaling-stroke\"/>"
            }
            out += "</svg>"
        }
        for p in places {
            // Every site is named on hover too, since a name that has no room is left off the drawing.
            let q = projected(p.x, p.y)
            out += "<rect class=\"map-site\" x=\"\(pc(fx(q.x)))\" y=\"\(pc(fy(q.y)))\" width=\"10\" height=\"10\" transform=\"translate(-5 -5)\"><title>\(BarChart.escape(p.name))</title></rect>"
        }
        for p in points {
            let q = projected(p.x, p.y)
            out += "<circle class=\"g\(colour(p.group))\" cx=\"\(pc(fx(q.x)))\" cy=\"\(pc(fy(q.y)))\" r=\"4\"/>"
        }
        for label in labels(places.map { p in let q = projected(p.x, p.y); return (fx(q.x), fy(q.y), p.name) }, room: room, aspect: basemap == nil ? nil : aspect, textScale: textScale) {
            out += "<text class=\"map-label\" x=\"\(pc(label.x))\" y=\"\(pc(label.y))\" dy=\"\(label.dy)\" text-anchor=\"\(label.anchor)\">\(BarChart.escape(label.name))</text>"
        }
        out += "</svg></div>"
        if let basemap { out += "<p class=\"map-credit\">\(BarChart.escape(basemap.attribution))</p>" }
        out += "<ul class=\"legend\">"
        for g in groups where points.contains(where: { $0.group == g.key }) {
            out += "<li><span class=\"dot g\(colour(g.key))\"></span>\(BarChart.escape(g.label))</li>"
        }
        if !places.isEmpty, !placesLabel.isEmpty { out += "<li><span class=\"dot site\"></span>\(BarChart.escape(placesLabel))</li>" }
        return out + "</ul>"
    }
}
