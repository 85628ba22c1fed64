import Approval
import CapabilityKit
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
    let pager: Pager
    /// 办理新申请: each kind of application the firm can start.
    let starts: [PageLink]
    let hasStarts: Bool

    init(frame: PageFrame, page: Page<(application: Application, deadline: Deadline)>, projects: [String: Project], paging: PageLinks,
         starts: [PageLink], timeZone: TimeZone) {
        self.frame = frame
        self.starts = starts
        hasStarts = !starts.isEmpty
        rows = page.items.map { application, deadline in
            Row(href: "/firm/applications/\(application.id)", projectName: projects[application.projectID]?.name ?? "",
                items: application.items.map(\.name).joined(separator: "、"), status: application.status.label,
                statusTone: PageText.tone(of: application.status), submitted: PageText.day(CivilDate(application.submittedAt, in: timeZone)),
                deadline: DeadlineView(deadline))
        }
        pager = paging.pager(below: page)
        empty = pager.isEmpty(rows)
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
        /// Each kind of application the firm can start, with this project chosen.
        let starts: [PageLink]
        let hasStarts: Bool
    }

    let frame: PageFrame
    let rows: [Row]
    let empty: Bool
    let pager: Pager
    /// The project just registered from the form, when this page lists it.
    let justRegistered: String?

    init(frame: PageFrame, page: Page<Project>, firm: String, catalog: Catalog, paging: PageLinks, starts: [PageLink], registered: String? = nil) {
        self.frame = frame
        justRegistered = page.items.first { $0.id == registered }?.name
        rows = page.items.map { project in
            Row(name: project.name, code: project.code, district: catalog.regions[project.district]?.name ?? project.district,
                address: project.address, category: project.category, builder: project.builder.name, contractor: project.contractor?.name,
                part: project.builder.uscc == firm ? "建设单位" : "施工总承包单位",
                registered: PageText.day(CivilDate(project.createdAt, in: catalog.calendar.timeZone)),
                starts: starts.map { PageLink(title: $0.title, href: $0.href(project: project.id), roles: $0.roles) }, hasStarts: !starts.isEmpty)
        }
        pager = paging.pager(below: page)
        empty = pager.isEmpty(rows)
    }
}


/// One application as its firm follows it: the summary every application page shows, the
/// correction or deferred materials it has to answer, its conversation with the helper, and
/// withdrawal while it is open.
struct FirmApplicationPage {
    let frame: PageFrame
    let summary: ApplicationSummary
    let correction: CorrectionView?
    let supplement: SupplementView?
    let resubmissions: [ResubmissionView]
    /// Why a form was refused when the application no longer offers it (answered meanwhile, say).
    let stepError: String?
    /// A form on the page uploads files: the page carries the upload script.
    let uploads: Bool
    let messages: String
    let withdrawAction: String?
    /// What the application's capability shows of it on pages of its own.
    let more: [PageLink]
    let hasMore: Bool

    init(frame: PageFrame, details: ApplicationDetails, certificates issued: Page<Certificate>, paging: PageLinks, today: CivilDate, catalog: Catalog,
         more: [PageLink], attempt: FirmAttempt? = nil) {
        self.frame = frame
        self.more = more
        hasMore = !more.isEmpty
        summary = ApplicationSummary(details: details, certificates: issued, paging: paging, today: today, catalog: catalog)
        correction = Self.correctionView(details.application, attempt: attempt, catalog: catalog)
        supplement = Self.supplementView(details.application, attempt: attempt, today: today, calendar: catalog.calendar)
        resubmissions = Self.resubmissionViews(details.application, attempt: attempt)
        stepError = switch attempt {
        case .correction(_, let refusal)? where correction == nil: refusal.message
        case .supplement(_, let refusal)? where supplement == nil: refusal.message
        case .resubmission(let form, let refusal)? where !resubmissions.contains(where: { $0.item == form.item }): refusal.message
        default: nil
        }
        uploads = correction != nil || supplement != nil
        messages = "/firm/applications/\(details.application.id)/messages"
        // Open while its clock has not closed: the states the lifecycle lets a firm withdraw from.
        withdrawAction = details.application.deadlineClock == .closed ? nil : "/firm/applications/\(details.application.id)/withdrawal"
    }
}
