import Foundation
import Kernel

public struct ApplicationItem: Codable, Sendable, Equatable {
    public let code: String
    public let name: String
    public let department: String
    public var status: ItemStatus
    public var basis: DecisionBasis?
    public var decidedAt: Date?
    public var decidedBy: String?
    public var opinion: String?
}

/// A material as the application holds it: uploaded, fetched electronically, or deferred (容缺).
public struct SubmittedMaterial: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case submitted
        /// Fetched from the electronic licence system.
        case electronic
        /// Deferrable and not submitted: the clerk must defer it at acceptance.
        case missing
        /// Deferred under 容缺 until `due`.
        case deferred
        /// Deferred, then supplied.
        case supplied
    }

    public let material: String
    public let name: String
    public var state: State
    public var file: String?
    /// For a deferred material: the date the applicant promised to supply it by.
    public var due: CivilDate?
    public var suppliedAt: Date?
    /// Supplied after its due date: a broken 容缺 commitment.
    public var late: Bool?
    /// Found still missing after its due date by the sweep, and recorded as a broken commitment.
    public var overdue: Bool?
}

public struct Helper: Codable, Sendable, Equatable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A message between the firm and its helper about one application.
public struct ApplicationMessage: Codable, Sendable, Equatable {
    public let id: String
    public let applicationID: String
    public let at: Date
    public let fromName: String
    public let fromRole: Role
    public let text: String

    public init(id: String, applicationID: String, at: Date, fromName: String, fromRole: Role, text: String) {
        self.id = id
        self.applicationID = applicationID
        self.at = at
        self.fromName = fromName
        self.fromRole = fromRole
        self.text = text
    }
}

public struct CorrectionRequest: Codable, Sendable, Equatable {
    public let reason: String
    public let requestedBy: String
    public let requestedOn: CivilDate
    /// The status to return to once the applicant has corrected.
    public let resumeStatus: ApplicationStatus
}

/// What a capability keeps with an application beyond the catalog's form (a route, a list of
/// things the permit covers): JSON only that capability reads, stored with the application in the
/// submitting transaction.
public struct Annex: Codable, Sendable, Equatable {
    /// The capability's name (`Modules/<name>/`).
    public let capability: String
    public let document: String

    public init(capability: String, document: String) {
        self.capability = capability
        self.document = document
    }

    public init(capability: String, encoding value: some Encodable) throws {
        self.init(capability: capability, document: try StoredJSON.encode(value))
    }

    /// The document as `T`, when it is `capability`'s.
    public func decode<T: Decodable>(_ type: T.Type, for capability: String) throws -> T? {
        guard capability == self.capability else { return nil }
        return try StoredJSON.decode(type, from: document)
    }
}

/// A condition a capability sets on an application that must be met before it is issued, by an
/// account of `department` in `region` (another region's authority confirming its part), by `dueOn`.
public struct IssuanceCondition: Codable, Sendable, Equatable {
    public let id: String
    public let title: String
    public let department: String
    public let region: String
    public let dueOn: CivilDate
    public var metBy: String?
    public var metAt: Date?
    public var metOn: CivilDate?

    public init(id: String, title: String, department: String, region: String, dueOn: CivilDate) {
        self.id = id
        self.title = title
        self.department = department
        self.region = region
        self.dueOn = dueOn
    }
}

/// An application for one or more catalog items on one project: the aggregate the lifecycle
/// changes as a whole, in one transaction.
public struct Application: Codable, Sendable, Equatable {
    public let id: String
    public let projectID: String
    public let firm: String
    public let submittedBy: String
    public let bundle: String?
    /// For an application that adds items to an issued bundle certificate (增项): the original
    /// application, whose certificate the new version replaces.
    public let amends: String?
    /// Applications a capability linked to this one whose certificates its issuance supersedes.
    public let supersedes: [String]?
    /// Why, in the capability's words, shown on the superseded certificates.
    public var supersedeNote: String?
    public let commitment: Bool
    public var status: ApplicationStatus
    public internal(set) var items: [ApplicationItem]
    public var form: [String: FormValue]
    public var materials: [SubmittedMaterial]
    public let submittedAt: Date
    public var acceptedAt: Date?
    public var acceptedOn: CivilDate?
    public let promisedDays: Int
    public let legalDays: Int
    public var promisedBy: CivilDate?
    public var legalBy: CivilDate?
    public var correction: CorrectionRequest?
    /// 联合踏勘, once scheduled.
    public var survey: JointSurvey?
    /// 一人帮办: the clerk who accompanies a bundle application from submission to issuance.
    public var helper: Helper?
    /// 智能审批: what a capability's rules decided at submission, with their reasons.
    public var rules: RuleDecision?
    /// What the capability the application was made through keeps with it beyond the form.
    public var annex: Annex?
    /// What must be met, by someone outside the reviewing departments, before it may be issued.
    public var conditions: [IssuanceCondition]?
    public var refusalReason: String?
    public var decidedAt: Date?
    public var issuedAt: Date?

    public var departments: [String] { Array(Set(items.map(\.department))).sorted() }

    public var outstandingDeficiencies: [SubmittedMaterial] { materials.filter { $0.state == .deferred } }

    public var unmetConditions: [IssuanceCondition] { (conditions ?? []).filter { $0.metAt == nil } }

    public var subject: String { "application/\(id)" }
}
