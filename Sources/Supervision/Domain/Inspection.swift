import Foundation
import Kernel

public enum InspectionResult: String, Codable, Sendable, CaseIterable {
    case pass
    /// Rectification ordered by a date; a follow-up task checks it.
    case rectify
    case violation

    public var label: String {
        switch self {
        case .pass: "合格"
        case .rectify: "责令整改"
        case .violation: "违法违规"
        }
    }
}

public struct ChecklistAnswer: Codable, Sendable, Equatable {
    public enum Answer: String, Codable, Sendable {
        case yes, no
        case notApplicable = "not-applicable"
    }

    public let id: String
    public let answer: Answer
    public let note: String?

    public init(id: String, answer: Answer, note: String?) {
        self.id = id
        self.answer = answer
        self.note = note
    }
}

/// What an inspector submits for a task.
public struct InspectionDraft: Codable, Sendable, Equatable {
    public let result: InspectionResult
    public let findings: String?
    public let rectifyBy: CivilDate?
    public let checklist: [ChecklistAnswer]?
    /// Uploaded photo file ids.
    public let photos: [String]?
    public let location: ScanLocation?

    public init(result: InspectionResult, findings: String?, rectifyBy: CivilDate? = nil, checklist: [ChecklistAnswer]? = nil,
                photos: [String]? = nil, location: ScanLocation? = nil) {
        self.result = result
        self.findings = findings
        self.rectifyBy = rectifyBy
        self.checklist = checklist
        self.photos = photos
        self.location = location
    }

    /// The rules an inspection must keep before it is recorded: findings for anything but a pass,
    /// a future rectification date for `rectify` and only then, checklist answers for the task's
    /// own checklist, and no `pass` over an item answered `no`.
    func validated(for task: SupervisionTask, today: CivilDate, maxRectificationDays: Int) throws(SupervisionError) -> (findings: String, checklist: [ChecklistAnswer]) {
        let findings = (self.findings ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if result != .pass, findings.isEmpty {
            throw .invalidField(field: "findings", message: "\(result.label)须写明检查发现的问题")
        }
        if findings.count > 2000 { throw .invalidField(field: "findings", message: "不能超过2000字") }
        switch (result, rectifyBy) {
        case (.rectify, nil):
            throw .invalidField(field: "rectifyBy", message: "责令整改须给出整改期限")
        case (.rectify, let date?) where date <= today:
            throw .invalidField(field: "rectifyBy", message: "整改期限应晚于今天 \(today)")
        case (.rectify, let date?) where date > today.adding(days: maxRectificationDays):
            throw .invalidField(field: "rectifyBy", message: "整改期限不能超过 \(maxRectificationDays) 天")
        case (.pass, .some), (.violation, .some):
            throw .invalidField(field: "rectifyBy", message: "只有责令整改可以给出整改期限")
        default: break
        }
        let known = Set(task.checklist.map(\.id))
        var seen = Set<String>()
        let answers = checklist ?? []
        for (index, answer) in answers.enumerated() {
            guard known.contains(answer.id) else {
                throw .invalidField(field: "checklist[\(index)].id", message: "检查项 \(answer.id) 不在本任务的检查清单中")
            }
            guard seen.insert(answer.id).inserted else {
                throw .invalidField(field: "checklist[\(index)].id", message: "检查项 \(answer.id) 重复")
            }
            if let note = answer.note, note.count > 500 {
                throw .invalidField(field: "checklist[\(index)].note", message: "不能超过500字")
            }
        }
        let mustBeViolation = Set(task.checklist.filter(\.failureIsViolation).map(\.id))
        if result != .violation, let outside = answers.firstIndex(where: { $0.answer == .no && mustBeViolation.contains($0.id) }) {
            throw .invalidField(field: "checklist[\(outside)].answer",
                                message: "检查项 \(answers[outside].id) 不符合，即超出许可范围施工，结果应为违法违规（violation）")
        }
        if result == .pass, let failed = answers.firstIndex(where: { $0.answer == .no }) {
            throw .invalidField(field: "checklist[\(failed)].answer", message: "检查项 \(answers[failed].id) 不符合，结果不能为合格")
        }
        if (photos ?? []).count > 20 { throw .invalidField(field: "photos", message: "照片不能超过20张") }
        return (findings, answers)
    }
}

/// An inspection as recorded.
public struct Inspection: Codable, Sendable, Equatable {
    public let id: String
    public let taskID: String
    public let certificateNumber: String
    public let at: Date
    public let inspector: TaskAssignee
    public let department: String
    public let region: String
    public let result: InspectionResult
    public let findings: String
    public let rectifyBy: CivilDate?
    public let checklist: [ChecklistAnswer]
    public let photos: [String]
    public let location: ScanLocation?
    /// The task opened to check the rectification this inspection ordered.
    public let followUpTaskID: String?
}
