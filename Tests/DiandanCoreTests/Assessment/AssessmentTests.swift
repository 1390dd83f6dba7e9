import Foundation
import Testing
@testable import DiandanCore

/// Every metric on a hand-made set of orders whose answers were worked out on paper.
@Suite("Assessment metrics")
struct AssessmentTests {
    let t0 = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 2, hour: 9))!
    func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

    var facts: [OrderFacts] {
        [
            // 1: dispatched after 2 min, accepted after 5, completed, rated 5.
            OrderFacts(id: 1, createdAt: t0, status: .rated, categoryID: 1, channel: "web", stationID: 10, teamID: 7,
                       firstDispatchAt: at(2), firstAcceptAt: at(5), completedAt: at(120), rating: 5),
            // 2: dispatched after 4, accepted after 30 — but escalated first; completed, rated 3.
            OrderFacts(id: 2, createdAt: t0, status: .closed, categoryID: 1, channel: "phone", stationID: 10, teamID: 7,
                       firstDispatchAt: at(4), firstAcceptAt: at(30), escalations: 1, escalatedBeforeAccept: true, completedAt: at(200), rating: 3),
            // 3: dispatched after 10, declined, never accepted; escalated twice.
            OrderFacts(id: 3, createdAt: t0, status: .submitted, categoryID: 2, channel: "web", stationID: 11,
                       firstDispatchAt: at(10), escalations: 2, escalatedBeforeAccept: true),
            // 4: claimed after 6 (dispatch and accept at once), in service.
            OrderFacts(id: 4, createdAt: t0, status: .inService, categoryID: 2, channel: "walk_in", stationID: 11, teamID: 8,
                       placedBy: 99, onBehalf: true, firstDispatchAt: at(6), firstAcceptAt: at(6)),
            // 5: cancelled while waiting.
            OrderFacts(id: 5, createdAt: t0, status: .cancelled, categoryID: 3, channel: "web", stationID: 10),
        ]
    }

    @Test func theHandCountedAnswers() {
        let a = Assessment.compute(facts, serviceHours: 12.5, activeVolunteers: 4)
        #expect(a.orders == 5)
        #expect(a.byStatus == ["rated": 1, "closed": 1, "submitted": 1, "in_service": 1, "cancelled": 1])
        #expect(a.byCategory == [1: 2, 2: 2, 3: 1])
        #expect(a.byChannel == ["web": 3, "phone": 1, "walk_in": 1])
        // Dispatch minutes 2, 4, 6, 10: median 5, p90 10.
        #expect(a.dispatchMinutesMedian == 5)
        #expect(a.dispatchMinutesP90 == 10)
        // Accept minutes 5, 6, 30: median 6, p90 30.
        #expect(a.acceptMinutesMedian == 6)
        #expect(a.acceptMinutesP90 == 30)
        // 3 accepted of 4 dispatched.
        #expect(a.acceptanceRate == 0.75)
        // Responded (accepted or escalated): 1, 2, 3, 4; on time: 1 and 4.
        #expect(a.onTimeResponseRate == 0.5)
        // Completed 2 of 3 accepted.
        #expect(a.completionRate == 2.0 / 3.0)
        #expect(a.ratings == 2)
        #expect(a.ratingMean == 4)
        #expect(a.ratingDistribution == [0, 0, 1, 0, 1])
        #expect(a.escalations == 3)
        #expect(a.serviceHours == 12.5)
        #expect(a.activeVolunteers == 4)
    }

    @Test func nothingToMeasureIsNotZero() {
        let a = Assessment.compute([], serviceHours: 0, activeVolunteers: 0)
        #expect(a.orders == 0)
        #expect(a.acceptanceRate == nil && a.ratingMean == nil && a.dispatchMinutesMedian == nil)
    }

    @Test func percentilesAndRanges() {
        #expect(Stats.median([3, 1, 2]) == 2)
        #expect(Stats.median([4, 1, 3, 2]) == 2.5)
        #expect(Stats.percentile(Array(1...10).map(Double.init), 90) == 9)
        #expect(Stats.percentile([7], 90) == 7)
        let day = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 8, day: 15, hour: 23))!
        let q = AssessmentRange.make("quarter", containing: day)!
        #expect(q.days == ("2026-07-01", "2026-09-30"))
        #expect(AssessmentRange.make("custom", containing: day, from: "2026-02-01", to: "2026-02-28")!.days == ("2026-02-01", "2026-02-28"))
        #expect(AssessmentRange.make("custom", containing: day, from: "2026-03-01", to: "2026-02-28") == nil)
        #expect(AssessmentRange.make("decade", containing: day) == nil)
    }
}

@Suite("Trends by day, week and month")
struct TrendTests {
    let cal = Calendar.chinaStandard
    func d(_ m: Int, _ day: Int, _ h: Int = 12) -> Date { cal.date(from: DateComponents(year: 2026, month: m, day: day, hour: h))! }

    @Test func bucketsCoverTheRangeAndCountEachDateOnce() {
        let q = AssessmentRange.make("quarter", containing: d(11, 22))!
        let dates = [d(10, 1, 0), d(10, 1, 23), d(11, 30), d(12, 31, 23), d(9, 30, 23)]
        let months = TrendGrain.month.series(dates, over: q)
        #expect(months.map(\.label) == ["2026-10", "2026-11", "2026-12"])
        #expect(months.map(\.count) == [2, 1, 1])
        let weeks = TrendGrain.week.series(dates, over: q)
        #expect(weeks.first?.label == "2026-W40")     // Thursday 1 October lies in ISO week 40
        #expect(weeks.last?.label == "2026-W53")      // 31 December 2026 is in week 53 of 2026
        #expect(weeks.map(\.count).reduce(0, +) == 4)
        let days = TrendGrain.day.series(dates, over: AssessmentRange.make("month", containing: d(10, 5))!)
        #expect(days.count == 31 && days[0] == ("10-01", 2))
        #expect(TrendGrain.suggested(for: q) == .week)
        #expect(TrendGrain.suggested(for: AssessmentRange.make("year", containing: d(5, 1))!) == .week)
        #expect(TrendGrain.suggested(for: AssessmentRange.make("month", containing: d(5, 1))!) == .day)
    }
}

/// Tallies add up, period codes split ranges, and medians read from counts agree with the plain ones.
@Suite("Tallies and rollup keys")
struct TallyTests {
    let cal = Calendar.chinaStandard
    func day(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0) -> Date { cal.date(from: DateComponents(year: y, month: m, day: d, hour: h))! }

    @Test func minutesAreWholeAndRoundedUp() {
        let t0 = day(2026, 11, 2, 9)
        #expect(Minutes.between(t0, t0) == 0)
        #expect(Minutes.between(t0, t0.addingTimeInterval(0.4)) == 0)
        #expect(Minutes.between(t0, t0.addingTimeInterval(1)) == 1)
        #expect(Minutes.between(t0, t0.addingTimeInterval(60)) == 1)
        #expect(Minutes.between(t0, t0.addingTimeInterval(61)) == 2)
        #expect(Minutes.between(t0, t0.addingTimeInterval(-30)) == 0)
    }

    @Test func aTallyOfOrdersGivesTheSameAssessmentAsTheirSumAndTakingOneAwayUndoesIt() {
        let t0 = day(2026, 11, 2, 9)
        let a = OrderFacts(id: 1, createdAt: t0, status: .rated, categoryID: 1, channel: "web", stationID: 3, teamID: 7,
                           firstDispatchAt: t0.addingTimeInterval(120), firstAcceptAt: t0.addingTimeInterval(300), completedAt: t0, rating: 5)
        let b = OrderFacts(id: 2, createdAt: t0, status: .submitted, categoryID: 2, channel: "phone", stationID: 3, escalations: 2, escalatedBeforeAccept: true)
        var t = Tally(a)
        t.add(b)
        #expect(t[.orders] == 2)
        #expect(t[.status(.rated)] == 1 && t[.status(.submitted)] == 1)
        #expect(t[.channel(.web)] == 1 && t[.channel(.phone)] == 1)
        #expect(t[.dispatched] == 1 && t[.dispatchMinutes] == 2 && t[.accepted] == 1 && t[.acceptMinutes] == 5)
        #expect(t[.responded] == 2 && t[.onTime] == 1 && t[.escalations] == 2 && t[.rating(5)] == 1)
        #expect(Assessment.make(t, serviceHours: 0, activeVolunteers: 0) == Assessment.compute([a, b], serviceHours: 0, activeVolunteers: 0))
        t.add(b, sign: -1)
        #expect(t.normalized == Tally(a))
        // The step of the loop moves the facts as the timeline would.
        let placed = OrderFacts(id: 3, createdAt: t0, status: .submitted, categoryID: 1, channel: "web", stationID: 3, dispatchMinutes: nil, acceptMinutes: nil, completed: false)
        let escalated = placed.advanced(by: .escalate, at: t0.addingTimeInterval(600), status: .submitted, teamID: nil, completed: false, rating: nil)
        let claimed = escalated.advanced(by: .claim, at: t0.addingTimeInterval(725), status: .accepted, teamID: 9, completed: false, rating: nil)
        #expect(claimed.escalations == 1 && claimed.escalatedBeforeAccept)
        #expect(claimed.dispatchMinutes == 13 && claimed.acceptMinutes == 13 && claimed.teamID == 9)
        let again = claimed.advanced(by: .dispatch, at: t0.addingTimeInterval(3_600), status: .dispatched, teamID: 8, completed: false, rating: nil)
        #expect(again.dispatchMinutes == 13)
    }

    @Test func histogramsGiveTheSameMedianAndPercentileAsTheValues() {
        var rng = SplitMix64(seed: 7)
        for n in [1, 2, 3, 10, 11, 100] {
            let values = (0..<n).map { _ in Int.random(in: 0...40, using: &rng) }
            let h = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +)
            #expect(Stats.median(histogram: h) == Stats.median(values.map(Double.init)))
            for p in [50.0, 90, 99] { #expect(Stats.percentile(histogram: h, p) == Stats.percentile(values.map(Double.init), p)) }
        }
        #expect(Stats.median(histogram: [:]) == nil)
        #expect(Stats.median(histogram: [3: 0]) == nil)
    }

    @Test func periodsSplitIntoWholeMonthsAndEdges() {
        #expect(PeriodCode.day(day(2026, 12, 31, 23)) == 20261231)
        #expect(PeriodCode.month(day(2026, 12, 31, 23)) == 202612)
        #expect(PeriodCode.quarter(day(2026, 12, 31, 23)) == 20264)
        #expect(PeriodCode.year(day(2027, 1, 1)) == 2027)
        #expect(PeriodCode.presence(day: 20260815) == [202608, 20263, 2026])
        let now = day(2026, 8, 15, 10)
        #expect(PeriodCode.exact(AssessmentRange.make("month", containing: now)!) == 202608)
        #expect(PeriodCode.exact(AssessmentRange.make("quarter", containing: now)!) == 20263)
        #expect(PeriodCode.exact(AssessmentRange.make("year", containing: now)!) == 2026)
        #expect(PeriodCode.exact(AssessmentRange.make("custom", containing: now, from: "2026-07-01", to: "2026-08-31")!) == nil)
        let year = PeriodCode.split(AssessmentRange.make("year", containing: now)!)
        #expect(year.months == (1...12).map { 202600 + $0 } && year.edges.isEmpty)
        let custom = AssessmentRange.make("custom", containing: now, from: "2026-01-20", to: "2026-04-05")!
        let split = PeriodCode.split(custom)
        #expect(split.months == [202602, 202603])
        #expect(split.edges == [AssessmentRange(from: day(2026, 1, 20), to: day(2026, 2, 1)), AssessmentRange(from: day(2026, 4, 1), to: day(2026, 4, 6))])
        let short = AssessmentRange.make("custom", containing: now, from: "2026-03-03", to: "2026-03-09")!
        #expect(PeriodCode.split(short).months.isEmpty && PeriodCode.split(short).edges == [short])
    }

    @Test func anOrderCountsAtEverySiteOnItsPathAndTheWhole() {
        let t0 = day(2026, 11, 2, 9)
        let f = OrderFacts(id: 1, createdAt: t0, status: .submitted, categoryID: 4, channel: "web", stationID: 3, dispatchMinutes: nil, acceptMinutes: nil, completed: false)
        let d = Rollup.delta(from: nil, to: f, path: [1, 2, 3])
        #expect(Set(d.counters.keys) == [.init(site: 0, period: 202611), .init(site: 1, period: 202611), .init(site: 2, period: 202611),
                                         .init(site: 3, period: 202611), .init(site: 0, period: 20261102)])
        #expect(d.dists == [.init(period: 202611, measure: .category, value: 4): 1])
        // A step that changes nothing the assessment sees changes no row.
        let same = Rollup.delta(from: f, to: f, path: [1, 2, 3])
        #expect(same.changes.counters.isEmpty && same.changes.dists.isEmpty)
        let dispatched = f.advanced(by: .dispatch, at: t0.addingTimeInterval(300), status: .dispatched, teamID: 5, completed: false, rating: nil)
        let step = Rollup.delta(from: f, to: dispatched, path: [1, 2, 3]).changes
        #expect(step.counters.count == 5)
        #expect(step.dists.map(\.0) == [.init(period: 202611, measure: .dispatch, value: 5)])
        let row = step.counters[0].1
        #expect(row[Tally.columns.firstIndex(of: "s_submitted")!] == -1 && row[Tally.columns.firstIndex(of: "s_dispatched")!] == 1)
    }
}
