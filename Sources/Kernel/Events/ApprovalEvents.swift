import Foundation

public struct ApplicationSubmitted: DomainEvent {
    public static let name = "ApplicationSubmitted"
    public let applicationID: String
    public let projectID: String
    public let firm: String
    public let items: [String]
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, projectID: String, firm: String, items: [String]) {
        self.applicationID = applicationID
        self.projectID = projectID
        self.firm = firm
        self.items = items
    }
}

/// A condition set on an application before its issuance was met (another region's authority
/// confirmed its part).
public struct IssuanceConditionMet: DomainEvent {
    public static let name = "IssuanceConditionMet"
    public let applicationID: String
    public let condition: String
    public let metBy: String
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, condition: String, metBy: String) {
        self.applicationID = applicationID
        self.condition = condition
        self.metBy = metBy
    }
}

public struct ApplicationAccepted: DomainEvent {
    public static let name = "ApplicationAccepted"
    public let applicationID: String
    public let deferredMaterials: [String]
    public let supplementDue: CivilDate?
    public let promisedBy: CivilDate
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, deferredMaterials: [String], supplementDue: CivilDate?, promisedBy: CivilDate) {
        self.applicationID = applicationID
        self.deferredMaterials = deferredMaterials
        self.supplementDue = supplementDue
        self.promisedBy = promisedBy
    }
}

public struct ApplicationRefused: DomainEvent {
    public static let name = "ApplicationRefused"
    public let applicationID: String
    public let reason: String
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, reason: String) {
        self.applicationID = applicationID
        self.reason = reason
    }
}

public struct ItemReviewed: DomainEvent {
    public static let name = "ItemReviewed"
    public let applicationID: String
    public let item: String
    public let department: String
    /// `approve`, `deny`, `commitment` (decided on a 告知承诺) or `default` (超时默认).
    public let decision: String
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, item: String, department: String, decision: String) {
        self.applicationID = applicationID
        self.item = item
        self.department = department
        self.decision = decision
    }
}

public struct ApplicationDecided: DomainEvent {
    public static let name = "ApplicationDecided"
    public let applicationID: String
    /// `approved`, `partly-approved` or `denied`.
    public let outcome: String
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, outcome: String) {
        self.applicationID = applicationID
        self.outcome = outcome
    }
}

public struct ApplicationWithdrawn: DomainEvent {
    public static let name = "ApplicationWithdrawn"
    public let applicationID: String
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String) {
        self.applicationID = applicationID
    }
}

/// A fact a capability prints on a permit and signs into its QR (what, when and where the permit
/// allows): `key` short for the signed claims, `label` for people.
public struct PermitDetail: Codable, Sendable, Equatable {
    public let key: String
    public let label: String
    public let value: String

    public init(key: String, label: String, value: String) {
        self.key = key
        self.label = label
        self.value = value
    }
}

/// One approved item as issued: what `Certificates` numbers and `Supervision` routes.
public struct IssuedPermit: Codable, Sendable, Equatable {
    public let item: String
    public let name: String
    public let department: String
    public let certificateKind: String
    /// The certificate layout the catalog names (`Templates/certificates/<template>.yaml`).
    public let certificateTemplate: String
    public let validityDays: Int?
    /// What the permit allows, as the catalog words it for the certificate.
    public let scope: String?
    /// The last day, when the application itself sets it rather than the catalog's `validityDays`.
    public let validTo: CivilDate?
    /// The first day, when the application asks for one after the day of issue.
    public let validFrom: CivilDate?
    /// What a capability adds to the certificate about this permit.
    public let details: [PermitDetail]?
    /// The regions it is supervised in, when it moves along a route rather than staying at the project.
    public let route: PermitRoute?
    /// When the permit covers several things that each carry their own certificate (one per
    /// subject, numbered in one series), those things.
    public let subjects: [PermitSubject]?
    /// The layout of each subject's card, when the catalog gives one.
    public let subjectTemplate: String?

    public init(item: String, name: String, department: String, certificateKind: String, certificateTemplate: String, validityDays: Int?,
                scope: String? = nil, validTo: CivilDate? = nil, details: [PermitDetail]? = nil, route: PermitRoute? = nil,
                subjects: [PermitSubject]? = nil, subjectTemplate: String? = nil, validFrom: CivilDate? = nil) {
        self.validFrom = validFrom
        self.subjectTemplate = subjectTemplate
        self.route = route
        self.subjects = subjects
        self.scope = scope
        self.validTo = validTo
        self.details = details
        self.item = item
        self.name = name
        self.department = department
        self.certificateKind = certificateKind
        self.certificateTemplate = certificateTemplate
        self.validityDays = validityDays
    }
}

public struct PermitIssued: DomainEvent {
    public static let name = "PermitIssued"
    public let applicationID: String
    public let bundle: String?
    /// For an 增项 application: the original application, whose bundle certificate gains `permits`
    /// in a new version.
    public let amends: String?
    /// Applications whose certificates this issuance supersedes (by a capability's rule).
    public let supersedes: [String]
    /// Why they are superseded, as the capability that linked them words it.
    public let supersedeNote: String?
    public let projectID: String
    public let projectCode: String
    public let projectName: String
    /// The six-digit region the project (and so the certificate number) belongs to.
    public let district: String
    public let holderName: String
    public let holderUSCC: String
    public let permits: [IssuedPermit]
    public let issuedAt: Date
    /// The issuing day in the bureau's time zone, from which validity runs.
    public let issuedOn: CivilDate
    public var subject: String { "application/\(applicationID)" }

    public init(applicationID: String, bundle: String?, amends: String? = nil, supersedes: [String] = [], supersedeNote: String? = nil, projectID: String, projectCode: String, projectName: String,
                district: String, holderName: String, holderUSCC: String, permits: [IssuedPermit], issuedAt: Date, issuedOn: CivilDate) {
        self.applicationID = applicationID
        self.bundle = bundle
        self.amends = amends
        self.supersedes = supersedes
        self.supersedeNote = supersedeNote
        self.projectID = projectID
        self.projectCode = projectCode
        self.projectName = projectName
        self.district = district
        self.holderName = holderName
        self.holderUSCC = holderUSCC
        self.permits = permits
        self.issuedAt = issuedAt
        self.issuedOn = issuedOn
    }
}
