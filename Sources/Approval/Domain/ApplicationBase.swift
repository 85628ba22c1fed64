import Foundation
import Kernel

/// What every view of an application holds (openapi's `ApplicationBase`) but its items and its
/// deadline: the items depend on who asks (a reviewer sees its department's), the deadline on the
/// day. A list row is this, kept encoded by the transaction that changes the application, with
/// the asker's items and today's deadline set beside it when read.
public struct ApplicationBase: Encodable, Sendable {
    public struct ProjectName: Encodable, Sendable {
        public let id: String
        public let code: String
        public let name: String
    }

    public let id: String
    public let status: ApplicationStatus
    public let statusLabel: String
    public let project: ProjectName
    public let firm: String
    public let bundle: String?
    public let amends: String?
    public let supersedes: [String]?
    public let commitment: Bool
    public let materials: [SubmittedMaterial]
    public let submittedAt: Date
    public let acceptedOn: CivilDate?
    public let promisedBy: CivilDate?
    public let legalBy: CivilDate?
    public let correction: CorrectionRequest?
    public let survey: JointSurvey?
    public let helper: Helper?
    /// 智能审批: what a capability's rules decided at submission, and why.
    public let rules: RuleDecision?
    public let refusalReason: String?

    public init(_ application: Application, projectCode: String, projectName: String) {
        id = application.id
        status = application.status
        statusLabel = application.status.label
        project = ProjectName(id: application.projectID, code: projectCode, name: projectName)
        firm = application.firm
        bundle = application.bundle
        amends = application.amends
        supersedes = application.supersedes
        commitment = application.commitment
        materials = application.materials
        submittedAt = application.submittedAt
        acceptedOn = application.acceptedOn
        promisedBy = application.promisedBy
        legalBy = application.legalBy
        correction = application.correction
        survey = application.survey
        helper = application.helper
        rules = application.rules
        refusalReason = application.refusalReason
    }
}
