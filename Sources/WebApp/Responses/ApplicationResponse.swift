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

/// An application as the API answers it: its base view (`ApplicationBase`, the same encoding a
/// list row keeps), the items the asker may see, its deadline today, and what the one
/// application's answer adds: its form, timeline and certificates.
struct ApplicationResponse: Encodable {
    let base: ApplicationBase
    let items: [ApplicationItem]
    let deadline: Deadline
    let form: [String: FormValue]?
    let timeline: [TimelineEntry]?
    let certificates: [CertificateSummary]?

    enum CodingKeys: String, CodingKey {
        case items, deadline, form, timeline, certificates
    }

    init(_ application: Application, project: Project, deadline: Deadline, timeline: [AuditRecord]? = nil,
         certificates: [Certificate]? = nil, today: CivilDate? = nil, publicURL: String) {
        base = ApplicationBase(application, projectCode: project.code, projectName: project.name)
        items = application.items
        form = application.form
        self.deadline = deadline
        self.timeline = timeline?.map(TimelineEntry.init)
        self.certificates = certificates.map { list in list.map { CertificateSummary($0, publicURL: publicURL, today: today ?? $0.validFrom) } }
    }

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(deadline, forKey: .deadline)
        try container.encodeIfPresent(form, forKey: .form)
        try container.encodeIfPresent(timeline, forKey: .timeline)
        try container.encodeIfPresent(certificates, forKey: .certificates)
    }
}

/// A row of the applications list: the base view its last transaction kept, with the asker's
/// items and today's deadline set into it. Nothing is decoded; only the deadline is encoded.
enum ApplicationListRow {
    static func json(_ row: ListedApplication, deadline: Deadline) throws -> String {
        // By UTF-8 and appends only: a Substring of the row interpolated would count its
        // characters first, walking every Chinese name in it.
        guard row.base.utf8.first == UInt8(ascii: "{"), row.base.utf8.last == UInt8(ascii: "}"), row.items.utf8.first == UInt8(ascii: "[") else {
            throw ListRowDamaged(id: String(row.base.prefix(60)))
        }
        var json = row.base
        json.removeLast()
        json += #","deadline":"#
        json += try PublishedJSON.string(deadline)
        json += #","items":"#
        json += row.items
        json += "}"
        return json
    }

    /// A stored row that is not the JSON it was written as: the database was changed by hand.
    struct ListRowDamaged: Error {
        let id: String
    }
}
