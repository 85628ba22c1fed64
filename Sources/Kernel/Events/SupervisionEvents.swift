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
