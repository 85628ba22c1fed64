import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

/// The registers the console exports for Excel: their filters as the query strings carry them
/// (the API list's own names), and each record's cells. Dates are written 2026-12-01, which
/// Excel reads as a date, and states in Chinese.
enum ConsoleExport {
    /// The applications list's filters: `status`, `department`, `deadline`, `submittedFrom`, `submittedTo`.
    struct ApplicationsForm {
        var status = ""
        var department = ""
        var deadline = ""
        var submittedFrom = ""
        var submittedTo = ""

        init() {}

        init(_ query: Parameters) {
            status = query.get("status") ?? ""
            department = query.get("department") ?? ""
            deadline = query.get("deadline") ?? ""
            submittedFrom = query.get("submittedFrom") ?? ""
            submittedTo = query.get("submittedTo") ?? ""
        }

        func filter(in catalog: Catalog) -> Result<ApplicationFilter, FieldErrors> {
            var errors = FieldErrors()
            let status: ApplicationStatus? = errors.option(status, field: "status")
            let deadline: Deadline.State? = errors.option(deadline, field: "deadline")
            if !department.isEmpty, catalog.departments[department] == nil { errors.add("department", "未知部门 \(department)") }
            let (from, to) = (errors.day(submittedFrom, field: "submittedFrom"), errors.day(submittedTo, field: "submittedTo"))
            errors.order(from, to, field: "submittedFrom")
            guard errors.isEmpty else { return .failure(errors) }
            return .success(ApplicationFilter(status: status, deadline: deadline, department: department.isEmpty ? nil : department,
                                              submittedFrom: from, submittedTo: to))
        }
    }

    /// The certificates register's period: `issuedFrom`, `issuedTo`.
    struct CertificatesForm {
        var issuedFrom = ""
        var issuedTo = ""

        init() {}

        init(_ query: Parameters) {
            issuedFrom = query.get("issuedFrom") ?? ""
            issuedTo = query.get("issuedTo") ?? ""
        }

        func period() -> Result<(from: CivilDate?, to: CivilDate?), FieldErrors> {
            var errors = FieldErrors()
            let (from, to) = (errors.day(issuedFrom, field: "issuedFrom"), errors.day(issuedTo, field: "issuedTo"))
            errors.order(from, to, field: "issuedFrom")
            return errors.isEmpty ? .success((from, to)) : .failure(errors)
        }
    }

    static let applicationHeader = ["申请编号", "项目代码", "项目名称", "申请单位", "申请单位统一社会信用代码", "申请事项", "状态", "提交日期", "受理日期",
                                    "承诺办结日期", "办结时限", "审批决定日期", "出证日期"]

    static func applicationRow(_ application: Approval.Application, deadline: Deadline, project: Project?, timeZone: TimeZone) -> [String] {
        let parties = [project?.builder, project?.contractor].compactMap { $0 }
        func day(_ instant: Date?) -> String { instant.map { CivilDate($0, in: timeZone).description } ?? "" }
        return [application.id, project?.code ?? "", project?.name ?? "", parties.first { $0.uscc == application.firm }?.name ?? "", application.firm,
                application.items.map(\.name).joined(separator: "、"), application.status.label, day(application.submittedAt),
                day(application.acceptedAt), application.promisedBy?.description ?? "", DeadlineView(deadline).text, day(application.decidedAt),
                day(application.issuedAt)]
    }

    static let certificateHeader = ["证照编号", "状态", "持证单位", "统一社会信用代码", "项目代码", "项目名称", "所含许可", "有效期自", "有效期至", "出证日期",
                                    "申请编号"]

    static func certificateRow(_ certificate: Certificate, today: CivilDate, timeZone: TimeZone) -> [String] {
        [certificate.number.description, certificate.status(on: today).label, certificate.holderName, certificate.holderUSCC, certificate.projectCode,
         certificate.projectName, certificate.permits.map(\.name).joined(separator: "、"), certificate.validFrom.description,
         certificate.validTo?.description ?? "", CivilDate(certificate.issuedAt, in: timeZone).description, certificate.applicationID]
    }
}

/// The export page: both registers' forms, with the refused field's reason beside it.
struct ConsoleExportPage {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    let frame: PageFrame
    let applications: ConsoleExport.ApplicationsForm
    let certificates: ConsoleExport.CertificatesForm
    let statuses: [Option]
    let departments: [Option]
    /// A reviewer's lists hold its own department's applications only.
    let departmentFixed: Bool
    let deadlines: [Option]
    let statusError: String?
    let departmentError: String?
    let deadlineError: String?
    let submittedFromError: String?
    let submittedToError: String?
    let issuedFromError: String?
    let issuedToError: String?

    static let deadlineLabels: [(Deadline.State, String)] = [
        (.notStarted, "待受理"), (.onTime, "办理中，未到期"), (.dueSoon, "即将到期"), (.overdue, "已超期"), (.paused, "计时暂停"), (.closed, "已办结"),
    ]

    init(frame: PageFrame, actor: Actor, catalog: Catalog, applications: ConsoleExport.ApplicationsForm = .init(),
         certificates: ConsoleExport.CertificatesForm = .init(), errors: FieldErrors = FieldErrors()) {
        self.frame = frame
        self.applications = applications
        self.certificates = certificates
        statuses = [Option(value: "", label: "全部状态", selected: applications.status.isEmpty)]
            + ApplicationStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: applications.status == $0.rawValue) }
        let fixed = actor.role == .reviewer
        departmentFixed = fixed
        let shown = catalog.departments.values.filter { !fixed || $0.id == actor.department }.sorted { $0.id < $1.id }
        departments = (fixed ? [] : [Option(value: "", label: "全部部门", selected: applications.department.isEmpty)])
            + shown.map { Option(value: $0.id, label: $0.name, selected: applications.department == $0.id || fixed) }
        deadlines = [Option(value: "", label: "不限", selected: applications.deadline.isEmpty)]
            + Self.deadlineLabels.map { Option(value: $0.0.rawValue, label: $0.1, selected: applications.deadline == $0.0.rawValue) }
        statusError = errors["status"]
        departmentError = errors["department"]
        deadlineError = errors["deadline"]
        submittedFromError = errors["submittedFrom"]
        submittedToError = errors["submittedTo"]
        issuedFromError = errors["issuedFrom"]
        issuedToError = errors["issuedTo"]
    }
}
