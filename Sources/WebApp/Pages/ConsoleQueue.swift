import Approval
import CapabilityKit
import Foundation
import Kernel

/// A work queue of the bureau console: lists of applications, each one of the API's list filters
/// (`GET /api/v1/applications?status=`, `?deadline=`, `?pending=`), read through the same service call with
/// the signed-in actor, so a reviewer's lists hold only its department's applications.
struct ConsoleQueue: Sendable {
    struct List: Sendable {
        /// Names the list in `?list=`, when it is paged alone.
        let key: String
        let title: String
        let empty: String
        let filter: ApplicationFilter
    }

    let path: String
    let title: String
    /// Who works this queue; an administrator sees every queue but acts in none (the service's roles).
    let roles: Set<Role>
    let forbidden: String
    let lists: [List]

    /// 综合窗口: submitted applications to accept, then the bureau's running work past or near its
    /// promised date (限时办结 督办), which a clerk follows up with the departments.
    static let acceptance = ConsoleQueue(
        path: "/console/acceptance", title: "待受理", roles: [.clerk, .admin], forbidden: "受理队列仅供综合窗口受理人员使用",
        lists: [
            List(key: "submitted", title: "待受理申请", empty: "没有待受理的申请。", filter: ApplicationFilter(status: .submitted)),
            List(key: "overdue", title: "限时办结督办：已超期", empty: "没有超期未办结的申请。", filter: ApplicationFilter(deadline: .overdue)),
            List(key: "due-soon", title: "限时办结督办：即将到期", empty: "没有即将到期的申请。", filter: ApplicationFilter(deadline: .dueSoon)),
        ])

    /// 并联审批: the applications in which the department still has an item to review, most urgent
    /// first; then those whose items it has all decided while other departments still review theirs.
    static let reviews = ConsoleQueue(
        path: "/console/reviews", title: "待审查", roles: [.reviewer, .admin], forbidden: "审查队列仅供部门审查人员使用",
        lists: [
            List(key: "overdue", title: "已超期", empty: "没有超期的申请。", filter: ApplicationFilter(deadline: .overdue, pending: true)),
            List(key: "due-soon", title: "即将到期", empty: "没有即将到期的申请。", filter: ApplicationFilter(deadline: .dueSoon, pending: true)),
            List(key: "on-time", title: "审查中", empty: "没有其他待审查的申请。", filter: ApplicationFilter(deadline: .onTime, pending: true)),
            List(key: "reviewed", title: "已审结，待他部门", empty: "没有等待其他部门审查的申请。",
                 filter: ApplicationFilter(status: .underReview, pending: false)),
        ])

    /// 统一出证: decided applications with at least one item approved.
    static let issuance = ConsoleQueue(
        path: "/console/issuance", title: "待出证", roles: [.issuer, .admin], forbidden: "出证队列仅供出证人员使用",
        lists: [
            List(key: "approved", title: "准予许可，待出证", empty: "没有待出证的申请。", filter: ApplicationFilter(status: .approved)),
            List(key: "partly-approved", title: "部分准予许可，待出证", empty: "没有部分准予许可的申请。", filter: ApplicationFilter(status: .partlyApproved)),
        ])

    static let all = [acceptance, reviews, issuance]

    /// The queue an account works, which is also where it lands after signing in.
    static func home(of role: Role) -> ConsoleQueue? {
        all.first { $0.roles.contains(role) }
    }

    /// The lists as `actor` works them. A department's lists hold its own work; an administrator
    /// belongs to no department and sees the bureau's: an application whose clock runs always
    /// awaits some department's review, so it keeps the deadline lists without the department's
    /// filter and has no list of work done here.
    func lists(for actor: Actor) -> [List] {
        guard actor.department == nil else { return lists }
        return lists.compactMap { list in
            guard list.filter.pending != false else { return nil }
            var bureauWide = list.filter
            bureauWide.pending = nil
            return List(key: list.key, title: list.title, empty: list.empty, filter: bureauWide)
        }
    }

    func admit(_ actor: Actor) throws -> Actor {
        guard roles.contains(actor.role) else { throw KernelError.forbidden(forbidden) }
        return actor
    }
}

/// A console queue as a page: every list's first rows, or one list paged alone by the API's cursor.
struct ConsoleQueuePage {
    struct Row {
        let href: String
        let projectName: String
        let applicant: String
        let items: String
        let status: String
        let statusTone: String
        let submitted: String
        /// Nil once the clock has closed (an approved application waiting for its certificate).
        let deadline: DeadlineView?
        let decided: String?
        /// `overdue` or `due-soon`: the row is marked, whatever list it is in.
        let urgency: String?
    }

    struct Section {
        let title: String
        let rows: [Row]
        let empty: String?
        /// Where this list continues, paged alone.
        let more: String?
    }

    let frame: PageFrame
    let title: String
    let sections: [Section]
    /// Paged alone: back to the whole queue, to this list's first page, and its next page.
    let queuePath: String?
    let pager: Pager

    struct Shown {
        let list: ConsoleQueue.List
        let page: Page<(application: Application, deadline: Deadline)>
    }

    init(frame: PageFrame, queue: ConsoleQueue, shown: [Shown], alone: PageLinks?, projects: [String: Project], catalog: Catalog) {
        self.frame = frame
        title = queue.title
        let timeZone = catalog.calendar.timeZone
        sections = shown.map { list in
            let rows = list.page.items.map { application, deadline in
                let project = projects[application.projectID]
                let parties = [project?.builder, project?.contractor].compactMap { $0 }
                let urgency: String? = switch deadline.state {
                case .overdue: "overdue"
                case .dueSoon: "due-soon"
                default: nil
                }
                return Row(href: "/console/applications/\(application.id)", projectName: project?.name ?? "",
                           applicant: parties.first { $0.uscc == application.firm }?.name ?? application.firm,
                           items: application.items.map(\.name).joined(separator: "、"), status: application.status.label,
                           statusTone: PageText.tone(of: application.status), submitted: PageText.day(CivilDate(application.submittedAt, in: timeZone)),
                           deadline: deadline.state == .closed ? nil : DeadlineView(deadline),
                           decided: application.decidedAt.map { PageText.day(CivilDate($0, in: timeZone)) }, urgency: urgency)
            }
            let more = alone == nil ? list.page.next.map { "\(queue.path)?list=\(list.list.key)&cursor=\($0.token)" } : nil
            let pager = alone.map { $0.pager(below: list.page) } ?? Pager(firstPage: nil, nextPage: nil)
            return Section(title: list.list.title, rows: rows, empty: pager.isEmpty(rows) ? list.list.empty : nil, more: more)
        }
        queuePath = alone == nil ? nil : queue.path
        pager = alone.flatMap { links in shown.first.map { links.pager(below: $0.page) } } ?? Pager(firstPage: nil, nextPage: nil)
    }
}
