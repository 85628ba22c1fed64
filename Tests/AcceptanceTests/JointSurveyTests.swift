import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("联合踏勘: one site visit for every department that needs one; the clock stops while it is open")
struct JointSurveyTests {
    @Test("the clerk schedules one survey for 住建 and 园林; each records findings before reviewing; the promised date moves by the days it took")
    func oneSurveyTwoDepartments() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let scheduled = try await client.request(.post, "/api/v1/applications/\(id)/survey", token: try await client.login("clerk"),
                                                     json: #"{"date":"2026-11-25","place":"崇仁路023地块项目现场东门"}"#)
            #expect(scheduled.status == .ok, "\(scheduled.text)")
            #expect(scheduled.body?["survey"]?["departments"]?.array.compactMap { $0["department"]?.string } == ["housing", "landscaping"])
            #expect(scheduled.body?["deadline"]?["state"]?.string == "paused")
            let early = try await client.request(.post, "/api/v1/applications/\(id)/survey-findings", token: try await client.login("reviewer-housing"),
                                                 json: #"{"findings":"现场已具备施工条件","meets":true}"#)
            #expect(early.body?["error"]?["code"]?.string == "survey-not-held")
            let review = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-housing"),
                                                  json: #"{"item":"ZJ-SGXK","decision":"approve"}"#)
            #expect(review.body?["error"]?["code"]?.string == "survey-pending")
            let application = id
            let promised = try #require(scheduled.body?["promisedBy"]?.string)

            app.clock.advance(days: 2)  // Wednesday 2026-11-25, the survey day
            let housing = try await client.login("reviewer-housing")
            let first = try await client.request(.post, "/api/v1/applications/\(application)/survey-findings", token: housing,
                                                 json: #"{"findings":"场地已平整，具备施工条件","meets":true}"#)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.body?["survey"]?["completedOn"] == nil)
            #expect(try await client.request(.post, "/api/v1/applications/\(application)/reviews", token: housing,
                                             json: #"{"item":"ZJ-SGXK","decision":"approve"}"#).status == .ok)
            let last = try await client.request(.post, "/api/v1/applications/\(application)/survey-findings", token: try await client.login("reviewer-landscaping"),
                                                json: #"{"findings":"占用绿地范围与申报一致，古树已设围护","meets":true}"#)
            #expect(last.body?["survey"]?["completedOn"]?.string == "2026-11-25")
            #expect(last.body?["deadline"]?["state"]?.string != "paused")
            let moved = try #require(last.body?["promisedBy"]?.string)
            #expect(moved > promised, "promised \(promised) → \(moved)")
            #expect(last.body?["timeline"]?.array.contains { $0["kind"]?.string == "survey.completed" && $0["detail"]?["pausedWorkingDays"]?.string == "2" } == true)
            let twice = try await client.request(.post, "/api/v1/applications/\(application)/survey-findings", token: housing,
                                                 json: #"{"findings":"再次录入","meets":true}"#)
            #expect(twice.status == .conflict)
        }
    }

    @Test("no survey for items that need none; only the clerk schedules and only a surveyed department records; dates are checked")
    func surveyRules() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let clerk = try await client.login("clerk")
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/survey", token: try await client.login("reviewer-housing"),
                                             json: #"{"date":"2026-11-25"}"#).status == .forbidden)
            let past = try await client.request(.post, "/api/v1/applications/\(id)/survey", token: clerk, json: #"{"date":"2026-11-20"}"#)
            #expect(past.body?["error"]?["field"]?.string == "date")
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/survey", token: clerk, json: #"{"date":"2026-11-23"}"#).status == .ok)
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/survey", token: clerk, json: #"{"date":"2026-11-24"}"#).status == .conflict)
            let outsider = try await client.request(.post, "/api/v1/applications/\(id)/survey-findings", token: try await client.login("reviewer-city-management"),
                                                    json: #"{"findings":"x","meets":true}"#)
            #expect(outsider.status == .notFound || outsider.status == .forbidden)
        }
    }
}
