import Foundation
import Kernel

/// An earlier application a capability links to a new one: its answers and files are reused
/// (nothing asked twice) and, when `supersededOnIssue`, issuing the new application supersedes its
/// certificates, for the reason `note` gives.
public struct LinkedApplication: Sendable, Equatable {
    public let id: String
    public let form: [String: FormValue]
    public let files: [String: String]
    public let supersededOnIssue: Bool
    public let note: String?

    public init(id: String, form: [String: FormValue], files: [String: String], supersededOnIssue: Bool, note: String? = nil) {
        self.id = id
        self.form = form
        self.files = files
        self.supersededOnIssue = supersededOnIssue
        self.note = note
    }

    /// An application's form and the files of its submitted materials.
    public init(_ application: Application, supersededOnIssue: Bool, note: String? = nil) {
        self.init(id: application.id, form: application.form,
                  files: Dictionary(application.materials.compactMap { material in material.file.map { (material.material, $0) } },
                                    uniquingKeysWith: { _, newer in newer }),
                  supersededOnIssue: supersededOnIssue, note: note)
    }
}

/// The hook through which a capability links applications without the core knowing its rules.
public protocol LinkedApplicationSource: Sendable {
    func linked(to items: [CatalogItem], project: Project, firm: String, store: any ApprovalStore) async throws -> [LinkedApplication]
}

/// The hook through which a capability assigns a helper to a new application (一人帮办).
public protocol HelperAssigner: Sendable {
    func helper(for application: Application, store: any ApprovalStore) async throws -> Helper?
}

/// What a capability's rules know when they decide an application at submission.
public struct SubmissionContext: Sendable {
    public let project: Project
    /// The applicant firm's credit today.
    public let credit: CreditStanding
    /// Earlier applications the capability linked (the site's last permit of the same kind).
    public let linked: [LinkedApplication]
    public let now: Date
    public let today: CivilDate
    public let store: any ApprovalStore
}

/// 智能审批: rules that decide an application the moment it is submitted — approve (and so
/// issue at once), send to a reviewer, or deny — each with the reasons the firm sees.
public protocol SubmissionRules: Sendable {
    /// Nil when none of the application's items is the capability's to decide.
    func decide(_ application: Application, in context: SubmissionContext) async throws -> RuleDecision?
}

/// The hook through which a capability puts its own terms on a permit it issues: the last day of
/// validity, the facts printed on the certificate and signed into its QR, the regions along its
/// route, and the subjects that each get a certificate.
public protocol PermitTermsSource: Sendable {
    func terms(of item: ApplicationItem, in application: Application) -> PermitTerms?
}

public struct PermitTerms: Sendable, Equatable {
    /// The first day, when later than the day of issue.
    public let validFrom: CivilDate?
    public let validTo: CivilDate?
    public let details: [PermitDetail]
    /// The regions the permit is supervised in, when it moves along a route.
    public let route: PermitRoute?
    /// The things it covers that each carry a certificate of their own.
    public let subjects: [PermitSubject]?

    public init(validFrom: CivilDate? = nil, validTo: CivilDate?, details: [PermitDetail], route: PermitRoute? = nil,
                subjects: [PermitSubject]? = nil) {
        self.validFrom = validFrom
        self.validTo = validTo
        self.details = details
        self.route = route
        self.subjects = subjects
    }
}

/// 自动用印 after people's review: a capability whose permits the bureau seals as soon as every
/// reviewing department has approved (and every condition is met), with no issuer in the loop.
public protocol SealOnApproval: Sendable {
    func sealsOnApproval(_ application: Application) -> Bool
}

/// Every capability's hooks into the lifecycle, merged: `WebApp` gathers them from its list of
/// capabilities, and Approval calls them without knowing whose they are.
public struct ApprovalHooks: Sendable {
    public var linkedSources: [any LinkedApplicationSource]
    public var helperAssigners: [any HelperAssigner]
    public var submissionRules: [any SubmissionRules]
    public var permitTerms: [any PermitTermsSource]
    public var sealOnApproval: [any SealOnApproval]

    public init(linkedSources: [any LinkedApplicationSource] = [], helperAssigners: [any HelperAssigner] = [],
                submissionRules: [any SubmissionRules] = [], permitTerms: [any PermitTermsSource] = [], sealOnApproval: [any SealOnApproval] = []) {
        self.sealOnApproval = sealOnApproval
        self.linkedSources = linkedSources
        self.helperAssigners = helperAssigners
        self.submissionRules = submissionRules
        self.permitTerms = permitTerms
    }

    public static func + (lhs: ApprovalHooks, rhs: ApprovalHooks) -> ApprovalHooks {
        ApprovalHooks(linkedSources: lhs.linkedSources + rhs.linkedSources, helperAssigners: lhs.helperAssigners + rhs.helperAssigners,
                      submissionRules: lhs.submissionRules + rhs.submissionRules, permitTerms: lhs.permitTerms + rhs.permitTerms,
                      sealOnApproval: lhs.sealOnApproval + rhs.sealOnApproval)
    }

    func sealsOnApproval(_ application: Application) -> Bool {
        sealOnApproval.contains { $0.sealsOnApproval(application) }
    }

    /// Each approved item's terms, by item code, from the first capability that sets them.
    func terms(for application: Application) -> [String: PermitTerms] {
        var terms: [String: PermitTerms] = [:]
        for item in application.items {
            terms[item.code] = permitTerms.lazy.compactMap { $0.terms(of: item, in: application) }.first
        }
        return terms
    }
}
