import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import DiandanCore

/// 派单大厅: server-sent events of the orders in a person's reach, resumed from the last one seen.
@Suite("Live dispatch board")
struct BoardTests {
    /// The events of a finished stream: id and the JSON of each.
    func events(_ text: String) throws -> [(id: Int, body: [String: Any])] {
        try text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard let id = lines.first(where: { $0.hasPrefix("id: ") }).flatMap({ Int($0.dropFirst(4)) }),
                  let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            #expect(lines.contains("event: order"))
            return (id, try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as! [String: Any])
        }
    }

    @Test func theStreamSendsWhatHappensInReachAndCatchesUpAfterADrop() async throws {
        try await withTestApp { app in
            // setup: the board as the centre admin opens it.
            let w = try await LoopWorld.make(app)
            var centre = WebClient(app)
            try await centre.login(Fixture.centreAdmin)
            let page = try await centre.send(.GET, "/board").text
            let after = try #require(page.components(separatedBy: "/board/events?after=").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) })
            var resident = try await APIClient.signIn(app, Fixture.user(.resident))
            var residentS2 = try await APIClient.signIn(app, "resident-s2")
            let s1 = try await resident.call(.POST, "/api/v1/orders", w.menuOrder()).json()["number"] as! String    // placed, dispatched
            let s2 = try await residentS2.call(.POST, "/api/v1/orders", w.offMenuOrder(station: w.f.s2)).json()["number"] as! String  // placed

            // MUT: one pass of the stream.
            let r = try await centre.send(.GET, "/board/events?after=\(after)&seconds=0")

            // validate
            #expect(r.status == .ok)
            #expect(r.headers.first(name: .contentType) == "text/event-stream; charset=utf-8")
            #expect(r.text.hasPrefix("retry: 2000\n\n"))
            let seen = try events(r.text)
            #expect(seen.map { $0.body["action"] as? String } == ["submit", "dispatch", "submit"])
            #expect(seen.map { $0.body["number"] as? String } == [s1, s1, s2])
            #expect((seen[0].body["text"] as? String)?.hasPrefix("点单：\(s1)") == true)
            // The moment in ISO 8601, and the time as the board shows it, in China time (it once came
            // as seconds since 2001, which the page read as milliseconds since 1970: "01-10 11:12").
            let at = try #require((seen[0].body["at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(at.timeIntervalSinceNow) < 300)
            #expect(seen[0].body["time"] as? String == BoardEvent.clock(at))
            #expect((seen[0].body["time"] as? String)?.wholeMatch(of: /\d{2}-\d{2} \d{2}:\d{2}/) != nil)
            // A browser that dropped after the first event comes back with its id and gets the rest.
            let resumed = try events(try await centre.send(.GET, "/board/events?seconds=0", headers: ["Last-Event-ID": String(seen[0].id)]).text)
            #expect(resumed.map(\.id) == seen.dropFirst().map(\.id))
            // S1's admin sees S1 only; a resident has no board.
            var s1Admin = WebClient(app)
            try await s1Admin.login(Fixture.user(.siteAdmin))
            let mine = try events(try await s1Admin.send(.GET, "/board/events?after=\(after)&seconds=0").text)
            #expect(mine.map { $0.body["number"] as? String } == [s1, s1])
            var web = WebClient(app)
            try await web.login(Fixture.user(.resident))
            #expect(try await web.send(.GET, "/board/events?seconds=0").status == .forbidden)
        }
    }
}
