import CapabilityKit
import Certificates
import Foundation
import Kernel
import Supervision

/// How a certificate's check reads on a phone held up at a site gate or beside a truck: one word
/// in a band of colour, seen at arm's length and in sunlight. Valid is green; a certificate that
/// is genuine but not in force today (suspended, expired, superseded, not yet valid) is yellow with
/// black text; revoked or not genuine is red.
struct VerdictBanner {
    let tone: String
    let mark: String
    let word: String
    let explanation: String
    /// A vehicle's plate (a subject's certificate), to compare with the one in front of the inspector.
    let subject: String?

    init(_ response: VerificationResponse, page: VerificationPage) {
        word = page.verdict
        explanation = page.explanation
        subject = response.certificate?.subject.map(\.id)
        (tone, mark) = switch (response.reason, response.status) {
        case (nil, .valid?): ("ok", "✓")
        case (nil, .suspended?), (nil, .expired?), (nil, .superseded?), (nil, .notYetValid?): ("warn", "!")
        default: ("bad", "✕")
        }
    }
}

/// `/v/{jws}` for a signed-in inspector: the verdict banner, what the public sees plus what this
/// inspector may see (the site and whom to call, as the API decides), the vehicle and its route,
/// the record-scan form with the checkpoint the certificate needs, and the inspector's own open
/// tasks on this certificate.
struct InspectorVerificationPage {
    struct Choice {
        let value: String
        let label: String
        let checked: Bool
    }

    struct TaskLink {
        let href: String
        let title: String
        let due: String
        let overdue: Bool
    }

    let frame: PageFrame
    let account: String
    let banner: VerdictBanner
    let certificate: VerificationPage
    let subjectRows: [VerificationPage.Row]
    let route: String?
    let jws: String
    let checkpoints: [Choice]
    /// A permit on a route asks where along it the scan was made; any other is scanned on site.
    let choosesCheckpoint: Bool
    let siteCheckpoint: String?
    let tasks: [TaskLink]
    // Stored, not computed: templates read a model's stored properties only.
    let hasTasks: Bool
    let hasSubject: Bool
    let recorded: Bool
    let scanError: String?

    init(frame: PageFrame, actor: Actor, jws: String, response: VerificationResponse, tasks: [SupervisionTask], today: CivilDate,
         catalog: Catalog, recorded: Bool, scanError: String? = nil, postedCheckpoint: String? = nil) {
        self.frame = frame
        account = actor.id
        self.jws = jws
        certificate = VerificationPage(response, catalog: catalog, day: PageText.day)
        banner = VerdictBanner(response, page: certificate)
        let regionName = { (code: String) in catalog.regions[code]?.name ?? code }
        subjectRows = response.certificate?.subject.map { subject in
            [VerificationPage.Row(label: "车辆号牌", value: subject.id)] + subject.details.map { VerificationPage.Row(label: $0.label, value: $0.value) }
        } ?? []
        let path = response.certificate?.route
        route = path.map { route in
            (["出土 \(regionName(route.origin))"] + route.transit.map { "过境 \(regionName($0))" } + ["消纳 \(regionName(route.disposal))"])
                .joined(separator: " → ")
        }
        choosesCheckpoint = path != nil
        siteCheckpoint = path == nil ? Checkpoint.site.rawValue : nil
        let suggested = postedCheckpoint.flatMap(Checkpoint.init(rawValue:)) ?? Self.checkpoint(on: path, for: actor.region)
        checkpoints = path == nil ? [] : [Checkpoint.origin, .transit, .disposal].map {
            Choice(value: $0.rawValue, label: Self.label($0), checked: $0 == suggested)
        }
        self.tasks = tasks.map {
            TaskLink(href: "/inspector/tasks/\($0.id)", title: $0.title, due: "\(PageText.day($0.dueOn))前完成", overdue: $0.isOverdue(on: today))
        }
        hasTasks = !self.tasks.isEmpty
        hasSubject = !subjectRows.isEmpty
        self.recorded = recorded
        self.scanError = scanError
    }

    /// Where along the route an inspector of `region` most likely stands: its origin, its end, or
    /// on the way (also for a region off the route, where the vehicle should not be).
    static func checkpoint(on route: PermitRoute?, for region: String?) -> Checkpoint {
        guard let route else { return .site }
        if region == route.origin { return .origin }
        if region == route.disposal { return .disposal }
        return .transit
    }

    static func label(_ checkpoint: Checkpoint) -> String {
        switch checkpoint {
        case .site: "施工现场"
        case .origin: "出土点（起点）"
        case .transit: "途中检查"
        case .disposal: "消纳场（终点）"
        }
    }
}

/// 监管任务: a page of the inspector's queue, most urgent first (the API's order), overdue work
/// marked, with the next page's address.
struct InspectorTasksPage {
    struct Row {
        let href: String
        let title: String
        let projectName: String
        let holderName: String
        let certificateNumber: String
        let status: String
        let statusTone: String
        let due: DueView
        let claimedBy: String?
    }

    let frame: PageFrame
    let account: String
    let rows: [Row]
    let empty: Bool
    let pager: Pager

    init(frame: PageFrame, actor: Actor, page: Page<SupervisionTask>, today: CivilDate, paging: PageLinks) {
        self.frame = frame
        account = actor.id
        rows = page.items.map { task in
            Row(href: "/inspector/tasks/\(task.id)", title: task.title, projectName: task.projectName, holderName: task.holderName,
                certificateNumber: task.certificateNumber, status: task.status.label, statusTone: task.status == .claimed ? "ok" : "",
                due: DueView(task, today: today), claimedBy: task.claimedBy.map { $0.id == actor.id ? "我" : $0.name })
        }
        pager = paging.pager(below: page)
        empty = pager.isEmpty(rows)
    }
}

/// A task's due day in words and how urgent it is: `overdue` past it, `due-soon` on it.
struct DueView {
    let text: String
    let tone: String
    let urgency: String

    init(_ task: SupervisionTask, today: CivilDate) {
        let left = task.dueOn.dayNumber - today.dayNumber
        let day = PageText.day(task.dueOn)
        (text, tone, urgency) = switch left {
        case _ where !task.isActive: ("应于\(day)前完成", "", "")
        case ..<0: ("已逾期 \(-left) 天（应于\(day)前完成）", "bad", "overdue")
        case 0: ("今日到期（\(day)）", "warn", "due-soon")
        default: ("还剩 \(left) 天，\(day)前完成", "ok", "")
        }
    }
}

/// One task whole for its inspector: what to check and why, who has it, what was recorded, and
/// the claim, release and inspection forms the task's state allows. A form the service refused
/// comes back with what was posted and the reason beside its field.
struct InspectorTaskPage {
    struct ChecklistRow {
        let id: String
        let text: String
        let violationIfNo: Bool
        let yes: Bool
        let no: Bool
        let notApplicable: Bool
        let rowError: String?
    }

    struct ResultChoice {
        let value: String
        let label: String
        let checked: Bool
    }

    /// Named apart from the form's fields (`findings`, `rectifyBy`, `place`): a nil here must not
    /// climb to the form's posted value.
    struct InspectionRow {
        let at: String
        let inspector: String
        let result: String
        let resultTone: String
        let found: String?
        let rectifyDay: String?
        let spot: String?
        let answers: [String]
    }

    let frame: PageFrame
    let account: String
    let id: String
    let title: String
    let status: String
    let statusTone: String
    let due: DueView
    let overdue: Bool
    let facts: [VerificationPage.Row]
    let raisedBy: String?
    let evidence: [String]
    let hasEvidence: Bool
    let checklistTexts: [String]
    let mayClaim: Bool
    let mayRelease: Bool
    let mayInspect: Bool
    let inspections: [InspectionRow]
    let hasInspections: Bool
    let followUp: String?
    // The inspection form, as posted when the service refused it.
    let results: [ResultChoice]
    let checklist: [ChecklistRow]
    let hasChecklist: Bool
    let findings: String
    let rectifyBy: String
    let place: String
    let idempotencyKey: String
    let resultError: String?
    let findingsError: String?
    let rectifyByError: String?
    let checklistError: String?
    let placeError: String?
    let formError: String?
    let minRectifyBy: String

    static let formFields: Set<String> = ["result", "findings", "rectifyBy", "checklist", "location"]

    init(frame: PageFrame, actor: Actor, task: SupervisionTask, inspections: [Inspection], today: CivilDate, catalog: Catalog,
         posted: InspectorForms.Inspection? = nil, refusal: FormRefusal? = nil) {
        self.frame = frame
        account = actor.id
        id = task.id
        title = task.title
        status = task.status.label
        statusTone = switch task.status {
        case .open: ""
        case .claimed: "ok"
        case .closed: "ok"
        case .cancelled: "bad"
        }
        due = DueView(task, today: today)
        overdue = task.isOverdue(on: today)
        let claimed = task.claimedBy.map { $0.id == actor.id ? "\($0.name)（我）" : $0.name }
        facts = [
            VerificationPage.Row(label: "项目", value: "\(task.projectName)（\(task.projectCode)）"),
            VerificationPage.Row(label: "持证单位", value: task.holderName),
            VerificationPage.Row(label: "证照编号", value: task.certificateNumber),
            VerificationPage.Row(label: "许可事项", value: catalog.items[task.item]?.name ?? task.item),
            VerificationPage.Row(label: "队列", value: "\(catalog.regions[task.region]?.name ?? task.region) \(catalog.departments[task.department]?.name ?? task.department)"),
            VerificationPage.Row(label: "派发时间", value: PageText.moment(task.openedAt, in: catalog.calendar.timeZone)),
        ] + (claimed.map { [VerificationPage.Row(label: "领取人", value: $0)] } ?? [])
            + (task.certificateStatus == CertificateStatus.valid.rawValue ? [] :
                [VerificationPage.Row(label: "证照状态", value: CertificateStatus(rawValue: task.certificateStatus)?.label ?? task.certificateStatus)])
            + (task.result.map { [VerificationPage.Row(label: "检查结果", value: $0.label)] } ?? [])
            + (task.cancelReason.map { [VerificationPage.Row(label: "取消原因", value: $0)] } ?? [])
        raisedBy = task.raisedBy
        evidence = task.evidence ?? []
        hasEvidence = !evidence.isEmpty
        checklistTexts = task.checklist.map(\.text)
        let mine = task.claimedBy?.id == actor.id
        mayClaim = task.status == .open
        mayRelease = task.status == .claimed && mine
        mayInspect = task.status == .open || (task.status == .claimed && mine)
        let texts = Dictionary(task.checklist.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        let timeZone = catalog.calendar.timeZone
        self.inspections = inspections.map { inspection in
            InspectionRow(at: PageText.moment(inspection.at, in: timeZone), inspector: inspection.inspector.name, result: inspection.result.label,
                          resultTone: inspection.result == .pass ? "ok" : inspection.result == .rectify ? "warn" : "bad",
                          found: inspection.findings.isEmpty ? nil : inspection.findings, rectifyDay: inspection.rectifyBy.map(PageText.day),
                          spot: Self.place(inspection.location),
                          answers: inspection.checklist.map { "\(texts[$0.id] ?? $0.id)：\(Self.answer($0.answer))" })
        }
        hasInspections = !inspections.isEmpty
        followUp = inspections.compactMap(\.followUpTaskID).last.map { "/inspector/tasks/\($0)" }

        let chosen = posted?.result
        results = InspectionResult.allCases.map { ResultChoice(value: $0.rawValue, label: $0.label, checked: $0.rawValue == chosen) }
        // The service names a checklist answer by its place among those answered, in the task's order.
        let answered = task.checklist.filter { posted?.answer(to: $0.id)?.isEmpty == false }.map(\.id)
        let refusedRow = (refusal?.field == "checklist" ? refusal?.listIndex : nil).flatMap { answered.indices.contains($0) ? answered[$0] : nil }
        checklist = task.checklist.map { entry in
            let answer = posted?.answer(to: entry.id)
            return ChecklistRow(id: entry.id, text: entry.text, violationIfNo: entry.failureIsViolation, yes: answer == "yes", no: answer == "no",
                                notApplicable: answer == "not-applicable",
                                rowError: refusedRow == entry.id ? refusal?.message.replacingOccurrences(of: "检查项 \(entry.id) ", with: "") : nil)
        }
        hasChecklist = !checklist.isEmpty
        findings = posted?.findings ?? ""
        rectifyBy = posted?.rectifyBy ?? ""
        place = posted?.place ?? ""
        idempotencyKey = posted?.idempotencyKey ?? ""
        resultError = refusal?.beside("result")
        findingsError = refusal?.beside("findings")
        rectifyByError = refusal?.beside("rectifyBy")
        checklistError = refusedRow == nil ? refusal?.beside("checklist") : nil
        placeError = refusal?.beside("location")
        formError = refusal?.general(besides: Self.formFields)
        minRectifyBy = today.adding(days: 1).description
    }

    static func place(_ location: ScanLocation?) -> String? {
        guard let location else { return nil }
        let position = location.latitude.flatMap { latitude in
            location.longitude.map { String(format: "手机定位 %.5f, %.5f", latitude, $0) }
        }
        let text = [location.description, position].compactMap { $0 }.joined(separator: "；")
        return text.isEmpty ? nil : text
    }

    static func answer(_ answer: ChecklistAnswer.Answer) -> String {
        switch answer {
        case .yes: "符合"
        case .no: "不符合"
        case .notApplicable: "不适用"
        }
    }
}
