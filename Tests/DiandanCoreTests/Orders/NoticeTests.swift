import Testing
@testable import DiandanCore

@Suite("Notices: who hears about each step")
struct NoticeTests {
    @Test func eachStepTellsTheSideThatMustActNext() {
        // setup / MUT / validate in one table: the step, and who hears.
        let cases: [(OrderAction, Bool, Bool, NoticeTopic?, Set<Audience>)] = [
            (.submit, true, false, .submitted, [.siteAdmins]),
            (.submit, false, false, nil, []),
            (.dispatch, false, false, .dispatched, [.teamLeaders]),
            (.escalate, false, false, .escalated, [.siteAdmins, .requester]),
            (.escalate, false, true, .overdue, [.siteAdmins]),
            (.accept, false, false, .accepted, [.requester]),
            (.claim, false, false, .accepted, [.requester]),
            (.decline, false, false, .declined, [.siteAdmins]),
            (.complete, false, false, .completed, [.requester]),
            (.message, false, false, .message, [.requester, .teamLeaders, .siteAdmins]),
            (.start, false, false, nil, []),
            (.close, false, false, nil, []),
        ]
        for (action, queued, overdue, topic, audiences) in cases {
            let t = NoticeRules.topic(for: action, queued: queued, overdue: overdue)
            #expect(t == topic, "\(action)")
            if let t { #expect(NoticeRules.audiences(of: t) == audiences, "\(action)") }
        }
    }

    @Test func nobodyIsToldOfTheirOwnStepOrToldTwice() {
        // A leader who is also the requester writes a message: the others hear it once each.
        let r = NoticeRules.recipients(.message, requester: [7, 3], teamLeaders: [3, 9], siteAdmins: [9, 11], actor: 3)
        #expect(r == [7, 9, 11])
        // An escalation tells the new site's admins and the requester, not the team.
        #expect(NoticeRules.recipients(.escalated, requester: [1], teamLeaders: [2], siteAdmins: [5], actor: nil) == [1, 5])
    }

    @Test func failedDeliveriesWaitLongerEachTimeUpToAnHour() {
        #expect(NoticeRules.retryDelay(afterAttempt: 1) == 30)
        #expect(NoticeRules.retryDelay(afterAttempt: 2) == 60)
        #expect(NoticeRules.retryDelay(afterAttempt: 3) == 120)
        #expect(NoticeRules.retryDelay(afterAttempt: 20) == 3600)
    }
}
