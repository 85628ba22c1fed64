import Foundation

/// A certificate's status changed: suspended (reversible), reinstated, or revoked (final).
/// Supervision queues and external systems follow certificates through this one event.
public struct CertificateStatusChanged: DomainEvent {
    public static let name = "CertificateStatusChanged"
    public let number: String
    public let applicationID: String
    public let from: String
    public let to: String
    public let reason: String
    public var subject: String { "certificate/\(number)" }

    public init(number: String, applicationID: String, from: String, to: String, reason: String) {
        self.number = number
        self.applicationID = applicationID
        self.from = from
        self.to = to
        self.reason = reason
    }
}
