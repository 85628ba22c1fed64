import Approval
import Foundation
import Hummingbird
import Testing
import WebApp

/// Issue 11 §9: a 容缺 promise not kept by its day is noticed without anyone asking.
@Suite("容缺 deadlines: a material not supplied by its promised day is found by the sweep, told, and recorded once")
struct DeficiencyDeadlineTests {
    /// The comprehensive application with its tree-protection plan deferred until `due`.
    static func deferredApplication(_ client: TestApp.Client, firm: String, due: String) async throws -> String {
        let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
        let id = try await client.submittedApplication(projectID: projectID, firm: firm, without: ["tree-protection-plan"])
        let accepted = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"),
                                                json: #"{"decision":"accept","deferred":["tree-protection-plan"],"supplementDue":"\#(due)"}"#)
        #expect(accepted.body?["status"]?.string == "accepted-with-deficiencies", "\(accepted.text)")
        return id
    }

    static func brokenPromises(_ client: TestApp.Client, firm: String) async throws -> Int {
        let credit = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: firm)
        return credit.body?["records"]?.array.filter { $0["kind"]?.string == "commitment-broken" }.count ?? -1
    }

    @Test("past its day the sweep records the missing material as a broken commitment and tells the firm; again, nothing more; supplied late, still once")
    func overdueDeficiencyIsRecordedOnce() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let id = try await Self.deferredApplication(client, firm: try await client.login("chongren"), due: "2026-11-25")
            #expect(try await app.services.approval.recordOverdueDeficiencies() == 0, "not due yet")
            app.clock.advance(days: 2)
            #expect(try await app.services.approval.recordOverdueDeficiencies() == 0, "the promised day itself is still in time")

            app.clock.advance(days: 1)
            #expect(try await app.services.approval.recordOverdueDeficiencies() == 1)
            let firm = try await client.login("chongren")  // days later: a new session
            #expect(try await Self.brokenPromises(client, firm: firm) == 1)
            let inbox = try await client.request(.get, "/api/v1/notifications", token: firm).body?.array ?? []
            #expect(inbox.contains { $0["reason"]?.string == "deficiency-overdue" && $0["text"]?.string?.contains("树木清单及保护措施") == true }, "\(inbox)")
            let timeline = try await client.request(.get, "/api/v1/applications/\(id)", token: firm).body?["timeline"]?.array ?? []
            #expect(timeline.contains { $0["kind"]?.string == "materials.overdue" }, "\(timeline)")

            #expect(try await app.services.approval.recordOverdueDeficiencies() == 0, "recorded once")
            let plan = try await client.upload("树木保护方案", token: firm)
            let supplied = try await client.request(.post, "/api/v1/applications/\(id)/supplements", token: firm,
                                                    json: #"{"materials":[{"material":"tree-protection-plan","file":"\#(plan)"}]}"#)
            #expect(supplied.status == .ok, "\(supplied.text)")
            #expect(try await Self.brokenPromises(client, firm: firm) == 1, "supplied late after the sweep: not a second broken promise")
        }
    }
}
