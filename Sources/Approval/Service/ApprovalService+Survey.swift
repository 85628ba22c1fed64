import Foundation
import Kernel

public struct SurveySchedule: Codable, Sendable {
    public var date: CivilDate
    public var place: String?

    public init(date: CivilDate, place: String? = nil) {
        self.date = date
        self.place = place
    }
}

public struct SurveyFindings: Codable, Sendable {
    public var findings: String
    /// Whether the site meets the department's conditions.
    public var meets: Bool

    public init(findings: String, meets: Bool) {
        self.findings = findings
        self.meets = meets
    }
}

extension ApprovalService {
    /// 联合踏勘: the clerk schedules one visit for every department whose items the catalog marks
    /// as needing a survey. Those departments review their items after recording their findings.
    public func scheduleSurvey(_ applicationID: String, _ input: SurveySchedule, by actor: Actor) async throws -> Application {
        try require(actor, is: .clerk, to: "只有受理人员可以安排联合踏勘")
        let place = try text(input.place, field: "place", required: false, max: 200)
        let (current, _) = try await visibleApplication(applicationID, to: actor)
        let departments = Array(Set(current.items.filter { catalog.items[$0.code]?.needsSurvey == true }.map(\.department))).sorted()
        let pauses = current.bundle.flatMap { catalog.bundles[$0]?.surveyPausesClock } ?? false
        let now = dependencies.now()
        let calendar = self.calendar
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            try application.scheduleSurvey(on: input.date, place: place, departments: departments, pausesClock: pauses, by: actor, at: now,
                                           calendar: calendar)
        }
    }

    /// A reviewer records its department's survey findings.
    public func recordSurvey(_ applicationID: String, _ input: SurveyFindings, by actor: Actor) async throws -> Application {
        try require(actor, is: .reviewer, to: "只有审查部门可以录入踏勘意见")
        guard let department = actor.department else { throw ApprovalError.forbidden("账号未关联部门") }
        let findings = try text(input.findings, field: "findings", max: 2000, multiline: true)!
        _ = try await visibleApplication(applicationID, to: actor)
        let now = dependencies.now()
        let calendar = self.calendar
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            try application.recordSurvey(department: department, findings: findings, meets: input.meets, by: actor, at: now, calendar: calendar)
        }
    }
}
