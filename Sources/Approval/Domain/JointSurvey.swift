import Foundation
import Kernel

/// 联合踏勘: one site visit for every department whose items need one, each recording its own
/// findings.
public struct JointSurvey: Codable, Sendable, Equatable {
    public struct Finding: Codable, Sendable, Equatable {
        public let department: String
        public var findings: String?
        /// Whether the site meets that department's conditions.
        public var meets: Bool?
        public var recordedBy: String?
        public var recordedAt: Date?
    }

    public let scheduledFor: CivilDate
    public let place: String?
    public let scheduledBy: String
    public let scheduledOn: CivilDate
    public internal(set) var departments: [Finding]
    /// The clock stops while the survey is open, when the bundle says so.
    public let pausesClock: Bool
    public internal(set) var completedOn: CivilDate?

    public var isOpen: Bool { completedOn == nil }

    public func awaits(_ department: String) -> Bool {
        isOpen && departments.contains { $0.department == department && $0.recordedAt == nil }
    }
}

extension Application {
    mutating func scheduleSurvey(on date: CivilDate, place: String?, departments: [String], pausesClock: Bool, by actor: Actor, at now: Date,
                                 calendar: WorkingDayCalendar) throws -> Effects {
        try require([.accepted, .acceptedWithDeficiencies, .underReview], to: "安排联合踏勘")
        guard !departments.isEmpty else {
            throw ApprovalError.ruleViolated(code: "no-survey-needed", message: "本申请的事项均无需现场踏勘", field: nil)
        }
        if let survey, survey.isOpen {
            throw ApprovalError.conflict(code: "survey-open", message: "联合踏勘已安排在 \(survey.scheduledFor)，尚未完成")
        }
        let today = calendar.today(at: now)
        guard date >= today else { throw ApprovalError.invalidField(field: "date", message: "踏勘日期不能早于今天 \(today)") }
        guard date <= today.adding(days: 60) else { throw ApprovalError.invalidField(field: "date", message: "踏勘日期应在60天内") }
        survey = JointSurvey(scheduledFor: date, place: place, scheduledBy: actor.name, scheduledOn: today,
                             departments: departments.map { JointSurvey.Finding(department: $0) }, pausesClock: pausesClock)
        var detail = ["date": date.description, "departments": departments.joined(separator: ",")]
        if let place { detail["place"] = place }
        return Effects(audit: [entry("survey.scheduled", by: actor, from: status, detail: detail)])
    }

    /// A department's findings; the last one completes the survey and, if it paused the clock,
    /// moves the deadlines by the working days it was open.
    mutating func recordSurvey(department: String, findings: String, meets: Bool, by actor: Actor, at now: Date,
                               calendar: WorkingDayCalendar) throws -> Effects {
        guard var current = survey, current.isOpen else {
            throw ApprovalError.conflict(code: "no-survey", message: "本申请没有待完成的联合踏勘")
        }
        guard let index = current.departments.firstIndex(where: { $0.department == department }) else {
            throw ApprovalError.forbidden("联合踏勘不包括本部门")
        }
        guard current.departments[index].recordedAt == nil else {
            throw ApprovalError.conflict(code: "survey-findings-recorded", message: "本部门已录入踏勘意见")
        }
        let today = calendar.today(at: now)
        guard today >= current.scheduledFor else {
            throw ApprovalError.conflict(code: "survey-not-held", message: "联合踏勘安排在 \(current.scheduledFor)，尚未进行")
        }
        current.departments[index].findings = findings
        current.departments[index].meets = meets
        current.departments[index].recordedBy = actor.name
        current.departments[index].recordedAt = now
        var detail = ["department": department, "meets": meets ? "yes" : "no", "findings": findings]
        if current.departments.allSatisfy({ $0.recordedAt != nil }) {
            current.completedOn = today
            if current.pausesClock, let promised = promisedBy, let legal = legalBy {
                let paused = try calendar.workingDays(after: current.scheduledOn, through: today)
                promisedBy = try calendar.date(addingWorkingDays: paused, to: promised)
                legalBy = try calendar.date(addingWorkingDays: paused, to: legal)
                detail["pausedWorkingDays"] = String(paused)
                detail["promisedBy"] = promisedBy!.description
            }
        }
        survey = current
        return Effects(audit: [entry(current.isOpen ? "survey.findings-recorded" : "survey.completed", by: actor, from: status, detail: detail)])
    }
}
