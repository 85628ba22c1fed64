import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel

/// What the firm's page and the bureau's page of one application both show: where it stands,
/// what each department decided, the materials, everything that happened and its certificates.
/// Rendered by the `application-*`, `certificate-cards` and `timeline` partials.
struct ApplicationSummary {
    struct ItemRow {
        let name: String
        let department: String
        let status: String
        let tone: String
        let opinion: String?
    }

    struct MaterialRow {
        let name: String
        let state: String
        let tone: String
        /// The uploaded file, for a reader the file store lets read it.
        let href: String?
    }

    struct CertificateCard {
        let number: String
        let status: String
        let valid: Bool
        let validity: String
        let permits: String
        let subject: String?
        let image: String
        let verify: String
    }

    let projectName: String
    let projectCode: String
    let address: String
    /// The applying firm, named on the bureau's pages (the firm knows itself).
    let applicant: String?
    let status: String
    let statusTone: String
    let submitted: String
    let accepted: String?
    let deadline: DeadlineView
    let legalBy: String?
    let helper: String?
    let refusalReason: String?
    let correction: String?
    let items: [ItemRow]
    let materials: [MaterialRow]
    let outstanding: [MaterialRow]
    let hasOutstanding: Bool
    let timeline: [TimelineRow]
    let certificates: [CertificateCard]
    let hasCertificates: Bool
    /// One certificate per vehicle can be hundreds: they page by the register's cursor.
    let certificatesPager: Pager

    /// `materialShown` picks the materials this reader is shown (a reviewer only its department's).
    init(details: ApplicationDetails, certificates issued: Page<Certificate>, paging: PageLinks, today: CivilDate, catalog: Catalog,
         applicant: String? = nil, materialShown: (SubmittedMaterial) -> Bool = { _ in true }) {
        let application = details.application
        projectName = details.project.name
        projectCode = details.project.code
        address = details.project.address
        self.applicant = applicant
        status = application.status.label
        statusTone = PageText.tone(of: application.status)
        submitted = PageText.day(CivilDate(application.submittedAt, in: catalog.calendar.timeZone))
        accepted = application.acceptedOn.map(PageText.day)
        deadline = DeadlineView(details.deadline)
        legalBy = application.legalBy.map(PageText.day)
        helper = application.helper?.name
        refusalReason = application.refusalReason
        correction = application.correction.map { "\($0.reason)（\(PageText.day($0.requestedOn))提出）" }
        items = application.items.map { item in
            let (label, tone) = PageText.itemStatus(item.status)
            return ItemRow(name: item.name, department: catalog.departments[item.department]?.name ?? item.department, status: label, tone: tone,
                           opinion: item.opinion)
        }
        let materialRow = { (material: SubmittedMaterial) in
            let (label, tone) = PageText.material(material)
            return MaterialRow(name: material.name, state: label, tone: tone, href: material.file.map { "/files/\($0)" })
        }
        materials = application.materials.filter(materialShown).map(materialRow)
        outstanding = application.outstandingDeficiencies.filter(materialShown).map(materialRow)
        hasOutstanding = !outstanding.isEmpty
        let text = TimelineText(catalog: catalog, application: application)
        timeline = details.timeline.map(text.row)
        certificates = issued.items.map { certificate in
            let status = certificate.status(on: today)
            return CertificateCard(number: certificate.number.description, status: status.label, valid: status == .valid,
                                   validity: "\(PageText.day(certificate.validFrom)) 至 \(certificate.validTo.map(PageText.day) ?? "项目竣工")",
                                   permits: certificate.permits.map(\.name).joined(separator: "、"), subject: certificate.subject?.id,
                                   image: "/certificates/\(certificate.number)/image", verify: "/v/\(certificate.jws)")
        }
        certificatesPager = paging.pager(below: issued)
        hasCertificates = !certificatesPager.isEmpty(certificates)
    }
}
