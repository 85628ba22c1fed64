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

/// A certificate was created for an issued application: what supervision queues open their tasks
/// from, since a task points at the certificate an inspector will scan on site.
public struct CertificateIssued: DomainEvent {
    public static let name = "CertificateIssued"
    public let number: String
    public let applicationID: String
    public let holderName: String
    public let holderUSCC: String
    public let projectCode: String
    public let projectName: String
    /// The six-digit region of the project.
    public let district: String
    /// The catalog items the certificate permits.
    public let items: [String]
    public let issuedOn: CivilDate
    public var subject: String { "certificate/\(number)" }

    public init(number: String, applicationID: String, holderName: String, holderUSCC: String, projectCode: String, projectName: String,
                district: String, items: [String], issuedOn: CivilDate) {
        self.number = number
        self.applicationID = applicationID
        self.holderName = holderName
        self.holderUSCC = holderUSCC
        self.projectCode = projectCode
        self.projectName = projectName
        self.district = district
        self.items = items
        self.issuedOn = issuedOn
    }
}
