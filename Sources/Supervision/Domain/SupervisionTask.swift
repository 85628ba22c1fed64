import Foundation
import Kernel

public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case open
    /// An inspector has taken it; others see who.
    case claimed
    /// An inspection was recorded.
    case closed
    /// The certificate was revoked, superseded or expired before anyone inspected.
    case cancelled

    public var label: String {
        switch self {
        case .open: "待领取"
        case .claimed: "已领取"
        case .closed: "已完成"
        case .cancelled: "已取消"
        }
    }
}

public struct TaskAssignee: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
}

/// One piece of supervision work in a department's queue for a region: what to check, on which
/// certificate, by when.
public struct SupervisionTask: Codable, Sendable, Equatable {
    public let id: String
    /// Moves to the new version when a permit changes (增项).
    public internal(set) var certificateNumber: String
    public let applicationID: String
    public let item: String
    public let projectCode: String
    public let projectName: String
    public let holderName: String
    public let holderUSCC: String
    public let department: String
    public let region: String
    /// The catalog's task kind, e.g. `first-inspection`.
    public let kind: String
    public let title: String
    public let checklist: [ChecklistEntry]
    public let openedAt: Date
    public let openedOn: CivilDate
    public let dueOn: CivilDate
    public let firstInspection: Bool
    public let suspendsOnViolation: Bool
    /// The task whose inspection ordered the rectification this one checks.
    public let followUpOf: String?
    /// The 双随机 draw that created the task.
    public var drawID: String?
    /// What raised the task when no permit's routing did (a resident's complaint, a monitor's
    /// alert), in words for the inspector, with the evidence attached.
    public var raisedBy: String?
    public var evidence: [String]?
    public internal(set) var status: TaskStatus
    public internal(set) var claimedBy: TaskAssignee?
    public internal(set) var closedAt: Date?
    public internal(set) var closedOn: CivilDate?
    public internal(set) var result: InspectionResult?
    /// The certificate's status as the queue last heard it, so an inspector sees a suspension.
    public internal(set) var certificateStatus: String
    public internal(set) var cancelReason: String?

    public var isActive: Bool { status == .open || status == .claimed }

    public func isOverdue(on today: CivilDate) -> Bool { isActive && dueOn < today }

    mutating func claim(by inspector: TaskAssignee) throws(SupervisionError) {
        switch status {
        case .open:
            status = .claimed
            claimedBy = inspector
        case .claimed where claimedBy?.id == inspector.id:
            return
        case .claimed:
            throw .taskConflict(status: status, message: "已由 \(claimedBy?.name ?? "他人") 领取")
        case .closed, .cancelled:
            throw .taskConflict(status: status, message: "不能领取")
        }
    }

    mutating func release(by inspector: TaskAssignee) throws(SupervisionError) {
        guard status == .claimed else { throw .taskConflict(status: status, message: "不能退回") }
        guard claimedBy?.id == inspector.id else { throw .taskConflict(status: status, message: "只有领取人 \(claimedBy?.name ?? "") 可以退回") }
        status = .open
        claimedBy = nil
    }

    /// An inspection closes the task; one claimed by somebody else is theirs to record.
    mutating func close(with result: InspectionResult, by inspector: TaskAssignee, at date: Date, on day: CivilDate) throws(SupervisionError) {
        switch status {
        case .open: break
        case .claimed where claimedBy?.id == inspector.id: break
        case .claimed: throw .taskConflict(status: status, message: "已由 \(claimedBy?.name ?? "他人") 领取，请由其记录检查")
        case .closed, .cancelled: throw .taskConflict(status: status, message: "不能再记录检查")
        }
        status = .closed
        claimedBy = claimedBy ?? inspector
        closedAt = date
        closedOn = day
        self.result = result
    }

    /// The task that checks a rectification this task's inspection ordered: same queue, same
    /// checklist, due on the rectification date.
    func followUp(id: String, dueOn: CivilDate, openedAt: Date, openedOn: CivilDate) -> SupervisionTask {
        SupervisionTask(id: id, certificateNumber: certificateNumber, applicationID: applicationID, item: item, projectCode: projectCode,
                        projectName: projectName, holderName: holderName, holderUSCC: holderUSCC, department: department, region: region,
                        kind: kind, title: "整改复查：\(title)", checklist: checklist, openedAt: openedAt, openedOn: openedOn, dueOn: dueOn,
                        firstInspection: false, suspendsOnViolation: suspendsOnViolation, followUpOf: self.id,
                        status: .open, claimedBy: nil, closedAt: nil, closedOn: nil, result: nil, certificateStatus: certificateStatus,
                        cancelReason: nil)
    }

    mutating func cancel(reason: String) {
        guard isActive else { return }
        status = .cancelled
        cancelReason = reason
    }

    mutating func move(to number: String) {
        certificateNumber = number
    }

    mutating func follow(certificateStatus: String) {
        self.certificateStatus = certificateStatus
    }
}
