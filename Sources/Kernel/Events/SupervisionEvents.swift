import Foundation

/// An inspector scanned a certificate's QR code on site, at a road check or at a disposal site.
public struct ScanRecorded: DomainEvent {
    public static let name = "ScanRecorded"
    public let scanID: String
    /// Empty when the scanned text was not a genuine certificate.
    public let certificateNumber: String?
    public let applicationID: String?
    public let valid: Bool
    public let checkpoint: String
    public let inspector: String
    public let department: String
    public let region: String
    public var subject: String { certificateNumber.map { "certificate/\($0)" } ?? "scan/\(scanID)" }

    public init(scanID: String, certificateNumber: String?, applicationID: String?, valid: Bool, checkpoint: String, inspector: String,
                department: String, region: String) {
        self.scanID = scanID
        self.certificateNumber = certificateNumber
        self.applicationID = applicationID
        self.valid = valid
        self.checkpoint = checkpoint
        self.inspector = inspector
        self.department = department
        self.region = region
    }
}

/// A supervision task entered a department's queue: from an issued permit's catalog routing, or as
/// the follow-up of an inspection that ordered rectification.
public struct SupervisionTaskOpened: DomainEvent {
    public static let name = "SupervisionTaskOpened"
    public let taskID: String
    public let certificateNumber: String
    public let applicationID: String
    public let item: String
    public let department: String
    public let region: String
    public let kind: String
    public let title: String
    public let dueOn: CivilDate
    public var subject: String { "certificate/\(certificateNumber)" }

    public init(taskID: String, certificateNumber: String, applicationID: String, item: String, department: String, region: String,
                kind: String, title: String, dueOn: CivilDate) {
        self.taskID = taskID
        self.certificateNumber = certificateNumber
        self.applicationID = applicationID
        self.item = item
        self.department = department
        self.region = region
        self.kind = kind
        self.title = title
        self.dueOn = dueOn
    }
}

/// An inspector recorded what a task's inspection found: what `Approval` shows on the
/// application's timeline and counts in the firm's credit, and what may suspend the certificate.
public struct InspectionRecorded: DomainEvent {
    public static let name = "InspectionRecorded"
    public let inspectionID: String
    public let taskID: String
    public let taskTitle: String
    public let certificateNumber: String
    public let applicationID: String
    public let item: String
    /// The 统一社会信用代码 of the certificate's holder.
    public let firm: String
    public let department: String
    public let region: String
    public let inspectorID: String
    public let inspectorName: String
    /// `pass`, `rectify` or `violation`.
    public let result: String
    public let findings: String
    public let rectifyBy: CivilDate?
    /// The task checked an earlier order to rectify, so its result says whether that was done.
    public let followUp: Bool
    /// The catalog routes a violation found by this task to suspend the certificate.
    public let suspendsCertificate: Bool
    public let recordedAt: Date
    public var subject: String { "certificate/\(certificateNumber)" }

    public init(inspectionID: String, taskID: String, taskTitle: String, certificateNumber: String, applicationID: String, item: String,
                firm: String, department: String, region: String, inspectorID: String, inspectorName: String, result: String,
                findings: String, rectifyBy: CivilDate?, followUp: Bool, suspendsCertificate: Bool, recordedAt: Date) {
        self.inspectionID = inspectionID
        self.taskID = taskID
        self.taskTitle = taskTitle
        self.certificateNumber = certificateNumber
        self.applicationID = applicationID
        self.item = item
        self.firm = firm
        self.department = department
        self.region = region
        self.inspectorID = inspectorID
        self.inspectorName = inspectorName
        self.result = result
        self.findings = findings
        self.rectifyBy = rectifyBy
        self.followUp = followUp
        self.suspendsCertificate = suspendsCertificate
        self.recordedAt = recordedAt
    }
}
