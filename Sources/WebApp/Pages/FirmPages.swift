import Approval
import Certificates
import Foundation
import Kernel

/// 我的申请: a page of the firm's applications, newest first, with the next page's address.
struct FirmApplicationsPage {
    struct Row {
        let href: String
        let projectName: String
        let items: String
        let status: String
        let statusTone: String
        let submitted: String
        let deadline: DeadlineView
    }

    let frame: PageFrame
    let rows: [Row]
    let empty: Bool
    let nextPage: String?
    let firstPage: String?

    init(frame: PageFrame, page: Page<(application: Application, deadline: Deadline)>, projects: [String: Project], paging: PageLinks,
         timeZone: TimeZone) {
        self.frame = frame
        rows = page.items.map { application, deadline in
            Row(href: "/firm/applications/\(application.id)", projectName: projects[application.projectID]?.name ?? "",
                items: application.items.map(\.name).joined(separator: "、"), status: application.status.label,
                statusTone: PageText.tone(of: application.status), submitted: PageText.day(CivilDate(application.submittedAt, in: timeZone)),
                deadline: DeadlineView(deadline))
        }
        empty = rows.isEmpty && paging.firstPage == nil
        nextPage = page.next.map(paging.address)
        firstPage = paging.firstPage
    }
}

/// 我的项目: a page of the projects the firm builds or contracts.
struct FirmProjectsPage {
    struct Row {
        let name: String
        let code: String
        let district: String
        let address: String
        let category: String
        let builder: String
        let contractor: String?
        let part: String
        let registered: String
    }

    let frame: PageFrame
    let rows: [Row]
    let empty: Bool
    let nextPage: String?
    let firstPage: String?

    init(frame: PageFrame, page: Page<Project>, firm: String, catalog: Catalog, paging: PageLinks) {
        self.frame = frame
        rows = page.items.map { project in
            Row(name: project.name, code: project.code, district: catalog.regions[project.district]?.name ?? project.district,
                address: project.address, category: project.category, builder: project.builder.name, contractor: project.contractor?.name,
                part: project.builder.uscc == firm ? "建设单位" : "施工总承包单位",
                registered: PageText.day(CivilDate(project.createdAt, in: catalog.calendar.timeZone)))
        }
        empty = rows.isEmpty && paging.firstPage == nil
        nextPage = page.next.map(paging.address)
        firstPage = paging.firstPage
    }
}

/// A list page's links: the next page's address carries its cursor (and the page size asked
/// for); a page after the first links back to the first.
struct PageLinks {
    let path: String
    let limit: String?
    let firstPage: String?

    init(path: String, limit: String?, cursor: String?) {
        self.path = path
        self.limit = limit.flatMap { Int($0) }.map(String.init)
        firstPage = cursor == nil ? nil : path + (self.limit.map { "?limit=\($0)" } ?? "")
    }

    func address(_ next: Cursor) -> String {
        path + "?" + (limit.map { "limit=\($0)&" } ?? "") + "cursor=\(next.token)"
    }
}

/// One application as its firm follows it: where it stands, what each department decided,
/// what is still to supply, everything that happened (inspections included) and its certificates.
struct FirmApplicationPage {
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
    }

    struct CertificateRow {
        let number: String
        let status: String
        let valid: Bool
        let validity: String
        let permits: String
        let subject: String?
        let image: String
        let verify: String
    }

    let frame: PageFrame
    let projectName: String
    let projectCode: String
    let address: String
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
    let certificates: [CertificateRow]
    let hasCertificates: Bool
    let withdrawAction: String?

    init(frame: PageFrame, details: ApplicationDetails, certificates issued: [Certificate], today: CivilDate, catalog: Catalog) {
        let application = details.application
        self.frame = frame
        projectName = details.project.name
        projectCode = details.project.code
        address = details.project.address
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
            return MaterialRow(name: material.name, state: label, tone: tone)
        }
        materials = application.materials.map(materialRow)
        outstanding = application.outstandingDeficiencies.map(materialRow)
        hasOutstanding = !outstanding.isEmpty
        let text = TimelineText(catalog: catalog, application: application)
        timeline = details.timeline.map(text.row)
        certificates = issued.map { certificate in
            let status = certificate.status(on: today)
            return CertificateRow(number: certificate.number.description, status: status.label, valid: status == .valid,
                                  validity: "\(PageText.day(certificate.validFrom)) 至 \(certificate.validTo.map(PageText.day) ?? "项目竣工")",
                                  permits: certificate.permits.map(\.name).joined(separator: "、"), subject: certificate.subject?.id,
                                  image: "/certificates/\(certificate.number)/image", verify: "/v/\(certificate.jws)")
        }
        hasCertificates = !certificates.isEmpty
        // Open while its clock has not closed: the states the lifecycle lets a firm withdraw from.
        withdrawAction = application.deadlineClock == .closed ? nil : "/firm/applications/\(application.id)/withdrawal"
    }
}
