import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel

struct ActorSummary: Encodable {
    let name: String
    let role: String
}

struct TimelineEntry: Encodable {
    let at: Date
    let kind: String
    let actor: ActorSummary
    let before: [String: String]?
    let after: [String: String]?
    let detail: [String: String]?

    init(_ record: AuditRecord) {
        at = record.at
        kind = record.action
        actor = ActorSummary(name: record.actorName, role: record.actorRole)
        before = record.before
        after = record.after
        detail = record.detail
    }
}

struct CertificateSummary: Encodable {
    let number: String
    let kind: String
    let status: String
    /// The QR code's text: the public verification address with the signed certificate.
    let qr: String
    let url: String
    let permits: [CertifiedPermit]
    let validFrom: CivilDate
    let validTo: CivilDate?
    /// For one subject's certificate of a permit: the subject, also under its own kind's name
    /// (`"plate": "鄂A12345"`).
    let subject: PermitSubject?
    let route: PermitRoute?

    enum CodingKeys: String, CodingKey {
        case number, kind, status, qr, url, permits, validFrom, validTo, subject, route
    }

    struct SubjectKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(kind, forKey: .kind)
        try container.encode(status, forKey: .status)
        try container.encode(qr, forKey: .qr)
        try container.encode(url, forKey: .url)
        try container.encode(permits, forKey: .permits)
        try container.encode(validFrom, forKey: .validFrom)
        try container.encodeIfPresent(validTo, forKey: .validTo)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encodeIfPresent(route, forKey: .route)
        if let subject, CodingKeys(stringValue: subject.kind) == nil {
            var named = encoder.container(keyedBy: SubjectKey.self)
            try named.encode(subject.id, forKey: SubjectKey(stringValue: subject.kind))
        }
    }

    init(_ certificate: Certificate, publicURL: String, today: CivilDate) {
        subject = certificate.subject
        route = certificate.route
        number = certificate.number.description
        kind = certificate.kind
        status = certificate.status(on: today).rawValue
        qr = "\(publicURL)/v/\(certificate.jws)"
        url = "\(publicURL)/api/v1/certificates/\(certificate.number)"
        permits = certificate.permits
        validFrom = certificate.validFrom
        validTo = certificate.validTo
    }
}

struct ProjectSummary: Encodable {
    let id: String
    let code: String
    let name: String
}

struct ApplicationResponse: Encodable {
    let id: String
    let status: ApplicationStatus
    let statusLabel: String
    let project: ProjectSummary
    let firm: String
    let bundle: String?
    let amends: String?
    let supersedes: [String]?
    let commitment: Bool
    let items: [ApplicationItem]
    let form: [String: FormValue]?
    let materials: [SubmittedMaterial]
    let submittedAt: Date
    let acceptedOn: CivilDate?
    let promisedBy: CivilDate?
    let legalBy: CivilDate?
    let deadline: Deadline
    let correction: CorrectionRequest?
    let survey: JointSurvey?
    let helper: Helper?
    /// 智能审批: what a capability's rules decided at submission, and why.
    let rules: RuleDecision?
    let refusalReason: String?
    let timeline: [TimelineEntry]?
    let certificates: [CertificateSummary]?

    init(_ application: Application, project: Project, deadline: Deadline, timeline: [AuditRecord]? = nil,
         certificates: [Certificate]? = nil, today: CivilDate? = nil, publicURL: String, includeForm: Bool = true) {
        id = application.id
        status = application.status
        statusLabel = application.status.label
        self.project = ProjectSummary(id: project.id, code: project.code, name: project.name)
        firm = application.firm
        bundle = application.bundle
        rules = application.rules
        amends = application.amends
        supersedes = application.supersedes
        commitment = application.commitment
        items = application.items
        form = includeForm ? application.form : nil
        materials = application.materials
        submittedAt = application.submittedAt
        acceptedOn = application.acceptedOn
        promisedBy = application.promisedBy
        legalBy = application.legalBy
        self.deadline = deadline
        correction = application.correction
        survey = application.survey
        helper = application.helper
        refusalReason = application.refusalReason
        self.timeline = timeline?.map(TimelineEntry.init)
        self.certificates = certificates.map { list in list.map { CertificateSummary($0, publicURL: publicURL, today: today ?? $0.validFrom) } }
    }
}
