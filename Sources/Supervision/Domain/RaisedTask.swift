import Foundation
import Kernel

/// A task for an inspector that no permit's routing opened: a capability raises it when a resident
/// complains or a monitor alerts, naming the queue and what to check.
public struct RaisedTask: Sendable {
    public let id: String
    /// The permitted item the task is about.
    public let item: String
    public let department: String
    public let region: String
    public let kind: String
    public let title: String
    public let dueDays: Int
    public let checklist: [ChecklistEntry]
    public let suspendsOnViolation: Bool
    /// What raised it, in words for the inspector.
    public let raisedBy: String
    public let evidence: [String]

    public init(id: String, item: String, department: String, region: String, kind: String, title: String, dueDays: Int,
                checklist: [ChecklistEntry], suspendsOnViolation: Bool, raisedBy: String, evidence: [String]) {
        self.id = id
        self.item = item
        self.department = department
        self.region = region
        self.kind = kind
        self.title = title
        self.dueDays = dueDays
        self.checklist = checklist
        self.suspendsOnViolation = suspendsOnViolation
        self.raisedBy = raisedBy
        self.evidence = evidence
    }
}
