import Foundation
import Testing
@testable import DiandanCore

/// The maps' geometry: tiles where a tile service puts them, outlines around the sites.
@Suite("Site maps")
struct SiteMapTests {
    static let tianditu = "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY https://t0.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk=KEY"

    @Test func placesFallOnTheTilesTileServicesNumber() {
        // 天安门 at zoom 10 is tile 843/388 on every XYZ service (OpenStreetMap, 天地图 _w).
        #expect(Mercator.tile(longitude: 116.3913, latitude: 39.9075, zoom: 10) == (843, 388))
        #expect(Mercator.tile(longitude: -180, latitude: 85.05, zoom: 3) == (0, 0))
        #expect(Mercator.tile(longitude: 179.99, latitude: -85.05, zoom: 3) == (7, 7))
    }

    @Test func aTileSettingIsReadOrRefusedWithTheReason() throws {
        let map = try Basemap.parse(Self.tianditu, attribution: nil)
        #expect(map.layers.count == 2 && map.origins == ["https://t0.tianditu.gov.cn"] && map.attribution == "t0.tianditu.gov.cn")
        #expect(try Basemap.parse("http://10.0.0.5:8080/{z}/{x}/{y}.png", attribution: " 本县测绘 ").origins == ["http://10.0.0.5:8080"])
        #expect(try Basemap.parse("http://10.0.0.5:8080/{z}/{x}/{y}.png", attribution: " 本县测绘 ").attribution == "本县测绘")
        for bad in ["", "ftp://tiles.example/{z}/{x}/{y}", "https://tiles.example/{z}/{x}.png", "https://tiles.example/{z}/{x}/{y}.png';script-src",
                    "tiles.example/{z}/{x}/{y}.png", "https:///{z}/{x}/{y}"] {
            #expect(throws: Basemap.Problem.self, "\(bad)") { try Basemap.parse(bad, attribution: nil) }
        }
    }

    @Test func hullsHoldEverySiteAndOnlyTheCorners() {
        let square = Hull.convex([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0), (0, 0)])
        #expect(square.count == 4 && Set(square.map { "\($0.x),\($0.y)" }) == ["0.0,0.0", "2.0,0.0", "2.0,2.0", "0.0,2.0"])
        // One site is still an area around it; every corner keeps the radius away.
        let one = Hull.rounded([(5, 5)], radius: 1)
        #expect(one.count == 16 && one.allSatisfy { abs(hypot($0.x - 5, $0.y - 5) - 1) < 1e-9 })
    }

    /// Without tiles: the county shaded and its townships apart, under the sites; no image at all.
    @Test func withoutTilesTheMapDrawsTheOutlineOfTheSites() {
        let county: [ScatterChart.Coordinate] = [.init(longitude: 116.0, latitude: 25.8), .init(longitude: 116.2, latitude: 25.9), .init(longitude: 116.1, latitude: 26.1)]
        let svg = ScatterChart.svg([], places: [.init(x: 116.1, y: 26.0, name: "叶坪乡")], groups: [], title: "t",
                                   areas: [.init(sites: county), .init(sites: Array(county.prefix(2))), .init(sites: [county[2]])])
        #expect(svg.components(separatedBy: #"<polygon class="map-area""#).count == 2)
        #expect(svg.components(separatedBy: #"<polygon class="map-part""#).count == 3)
        #expect(!svg.contains("<image") && !svg.contains("tiled") && !svg.contains("map-credit"))
        // Outline first, then the sites and their names over it.
        #expect(svg.range(of: "map-area")!.lowerBound < svg.range(of: "map-site")!.lowerBound)
    }

    /// With tiles: the tiles under the place are drawn, at a zoom showing about three across, in
    /// a box of fixed proportions, with the service's credit; each layer in order.
    @Test func withTilesTheMapDrawsTheTilesUnderThePlaces() throws {
        let basemap = try Basemap.parse(Self.tianditu, attribution: "天地图 · 审图号 GS(2024)0568号")
        let places: [ScatterChart.Place] = [.init(x: 116.03, y: 25.87, name: "沙洲坝"), .init(x: 116.10, y: 25.95, name: "叶坪")]
        let svg = ScatterChart.svg([], places: places, groups: [], title: "t", basemap: basemap)
        #expect(svg.contains(#"<div class="map tiled ratio-wide">"#) && svg.contains(">天地图 · 审图号 GS(2024)0568号</p>"))
        let hrefs = svg.components(separatedBy: "<image href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(!hrefs.isEmpty && hrefs.count <= 40 && hrefs.allSatisfy { $0.hasPrefix("https://t0.tianditu.gov.cn/DataServer?T=") && $0.contains("&amp;tk=KEY") })
        let vec = hrefs.filter { $0.contains("T=vec_w") }, cva = hrefs.filter { $0.contains("T=cva_w") }
        #expect(vec.count == cva.count && svg.range(of: "T=vec_w")!.lowerBound < svg.range(of: "T=cva_w")!.lowerBound)
        let zoom = try #require(Int(vec[0].components(separatedBy: "&amp;l=")[1].prefix { $0.isNumber }))
        #expect((10...14).contains(zoom))
        for p in places {
            let t = Mercator.tile(longitude: p.x, latitude: p.y, zoom: zoom)
            #expect(vec.contains { $0.contains("x=\(t.x)&amp;y=\(t.y)&amp;l=\(zoom)&") }, "\(p.name)")
        }
        // On the big screen the box is square.
        #expect(ScatterChart.svg([], places: places, groups: [], title: "t", basemap: basemap, aspect: 1).contains(#"class="map tiled ratio-square""#))
    }

    /// Names never lie over one another: the second of two neighbours goes below its site, a third
    /// has no room and is named only on hover; names lose the network's common suffix.
    @Test func namesTakeTurnsAboveAndBelowAndNeverOverlap() {
        let near: [ScatterChart.Place] = ["红都社区", "金都社区", "西门社区"].enumerated().map { i, n in .init(x: 116.0 + Double(i) * 0.0001, y: 25.9, name: n) }
        let far = ScatterChart.Place(x: 116.3, y: 26.2, name: "壬田镇")
        let svg = ScatterChart.svg([], places: near + [far], groups: [], title: "t")
        let texts = svg.matches(of: /<text class="map-label" [^>]*dy="(-10|24)"[^>]*>([^<]+)</).map { (String($0.output.1), String($0.output.2)) }
        #expect(texts.count == 3 && texts.contains { $0 == ("-10", "壬田镇") })
        #expect(Set(texts.filter { $0.1 != "壬田镇" }.map(\.0)) == ["-10", "24"])
        #expect(svg.components(separatedBy: "<title>").count - 1 == 5 && svg.contains("<title>西门社区</title>"))
        #expect(SiteNames.short("象湖镇新时代文明实践所") == "象湖镇" && SiteNames.short("红都社区新时代文明实践站") == "红都社区")
        #expect(SiteNames.short("新时代文明实践中心") == "新时代文明实践中心" && SiteNames.short("妇联") == "妇联")
    }
}
