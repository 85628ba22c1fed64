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

/// One permit inside a certificate reached the end of its own validity while the certificate goes
/// on (a 综合许可证 lists permits of different lengths): the work that follows that permit ends.
public struct PermitExpired: DomainEvent {
    public static let name = "PermitExpired"
    public let number: String
    public let applicationID: String
    public let item: String
    public let validTo: CivilDate
    public var subject: String { "certificate/\(number)" }

    public init(number: String, applicationID: String, item: String, validTo: CivilDate) {
        self.number = number
        self.applicationID = applicationID
        self.item = item
        self.validTo = validTo
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
    /// The regions along the permit's route, when it has one; supervision opens tasks in each.
    public let route: PermitRoute?
    public var subject: String { "certificate/\(number)" }

    public init(number: String, applicationID: String, holderName: String, holderUSCC: String, projectCode: String, projectName: String,
                district: String, items: [String], issuedOn: CivilDate, route: PermitRoute? = nil) {
        self.route = route
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

/// A permit changed (增项): a new version of a bundle certificate, under a new number, lists the
/// added permits beside the earlier ones and replaces `previousNumber`. Queues follow their work to
/// the new version and open tasks for the added permits only.
public struct PermitChanged: DomainEvent {
    public static let name = "PermitChanged"
    public let previousNumber: String
    public let number: String
    /// The application whose issuance added the permits.
    public let applicationID: String
    public let addedItems: [String]
    public let holderName: String
    public let holderUSCC: String
    public let projectCode: String
    public let projectName: String
    public let district: String
    public let issuedOn: CivilDate
    public var subject: String { "certificate/\(previousNumber)" }

    public init(previousNumber: String, number: String, applicationID: String, addedItems: [String], holderName: String, holderUSCC: String,
                projectCode: String, projectName: String, district: String, issuedOn: CivilDate) {
        self.previousNumber = previousNumber
        self.number = number
        self.applicationID = applicationID
        self.addedItems = addedItems
        self.holderName = holderName
        self.holderUSCC = holderUSCC
        self.projectCode = projectCode
        self.projectName = projectName
        self.district = district
        self.issuedOn = issuedOn
    }
}
