import Fluent
import Foundation
import DiandanCore

/// A needs questionnaire (问需) of a site: its stations' practitioners carry it to households.
final class Survey: Model, @unchecked Sendable {
    static let schema = "surveys"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Parent(key: "site_id") var site: Site
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    /// open (answers accepted) or closed.
    @Field(key: "status") var status: String
    /// The questions as JSON (`[SurveyQuestion]`), fixed once answers come in.
    @Field(key: "questions") var questionsJSON: String
    @OptionalParent(key: "created_by_account_id") var createdBy: Account?

    init() {}

    var questions: [SurveyQuestion] {
        (try? JSONDecoder().decode([SurveyQuestion].self, from: Data(questionsJSON.utf8))) ?? []
    }

    enum Status: String, Sendable, CaseIterable { case open, closed }
}

/// One household's answers, as a practitioner collected them.
final class SurveyResponse: Model, @unchecked Sendable {
    static let schema = "survey_responses"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Parent(key: "survey_id") var survey: Survey
    /// The station whose area the household is in.
    @Parent(key: "station_id") var station: Site
    /// The id the phone gave the response when it was filled in (a UUID): an upload sent again is
    /// the same response.
    @Field(key: "client_id") var clientID: String
    /// How the practitioner names the household (e.g. "3组12号"); no one's name or number.
    @OptionalField(key: "household") var household: String?
    @OptionalParent(key: "collected_by_account_id") var collectedBy: Account?
    /// When it was filled in, on the phone (perhaps offline, long before it arrived).
    @Field(key: "collected_at") var collectedAt: Date
    @Field(key: "received_at") var receivedAt: Date
    /// `[question id: SurveyAnswer]` as JSON.
    @Field(key: "answers") var answersJSON: String

    init() {}

    var answers: [Int: SurveyAnswer] {
        guard let raw = try? JSONDecoder().decode([String: SurveyAnswer].self, from: Data(answersJSON.utf8)) else { return [:] }
        return Dictionary(uniqueKeysWithValues: raw.compactMap { k, v in Int(k).map { ($0, v) } })
    }
}
