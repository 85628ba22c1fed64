import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel

/// One application as the bureau works it: the summary every application page shows, the form
/// as filled in, the joint survey, and the one action the signed-in role may take in the
/// application's present state — the same states the service accepts, so no form is offered that
/// the service would refuse for its role or state.
struct ConsoleApplicationPage {
    struct Link {
        let title: String
        let href: String
    }

    struct FormValueRow {
        let label: String
        let value: String
    }

    struct SurveyView {
        struct Finding {
            let department: String
            let result: String
            let tone: String
            let note: String?
        }

        let scheduledFor: String
        let place: String?
        let state: String
        let findings: [Finding]
    }

    /// 安排联合踏勘 (clerks, an application under way whose items need a site visit and have none).
    struct SurveyScheduleView {
        let action: String
        let earliest: String
        let date: String
        let place: String
        let dateError: String?
        let placeError: String?
        let scheduleError: String?
    }

    /// 录入踏勘意见 (reviewers of a department the open survey still waits for).
    struct SurveyFindingsView {
        let action: String
        /// Why findings cannot be recorded yet: the visit has not taken place.
        let notYet: String?
        let findingsText: String
        let findingsError: String?
        let meetsError: String?
        let recordError: String?
    }

    /// 受理, 容缺受理 or 不予受理 (clerks, a submitted application).
    struct AcceptanceView {
        struct Choice {
            let id: String
            let name: String
            let checked: Bool
        }

        let action: String
        let choices: [Choice]
        let hasChoices: Bool
        let earliestDue: String
        let supplementDue: String
        let reasonText: String
        let acceptError: String?
        let deferredError: String?
        let dueError: String?
        let refuseError: String?
        let reasonError: String?
    }

    /// 准予 / 不予许可 of one of the reviewer's department's pending items.
    struct ReviewView {
        let item: String
        let itemName: String
        let action: String
        let opinionText: String
        let opinionError: String?
        let reviewError: String?
        /// Why the service would not take a review yet (the department's survey findings first).
        let reviewBlocked: String?
    }

    /// 出证 (issuers, an approved application).
    struct IssuanceView {
        let action: String
        let issueBlocked: String?
        let issueError: String?
    }

    let frame: PageFrame
    let back: Link?
    let summary: ApplicationSummary
    let formValues: [FormValueRow]
    let hasFormValues: Bool
    let survey: SurveyView?
    let surveyNeeded: Bool
    let surveySchedule: SurveyScheduleView?
    let surveyFindings: SurveyFindingsView?
    let acceptance: AcceptanceView?
    let reviews: [ReviewView]
    let hasReviews: Bool
    let issuance: IssuanceView?
    /// What the application's capability shows of it on pages of its own.
    let more: [PageLink]
    let hasMore: Bool

    init(frame: PageFrame, actor: Actor, details: ApplicationDetails, certificates: Page<Certificate>, paging: PageLinks, today: CivilDate,
         catalog: Catalog,
         more: [PageLink], attempt: ConsoleAttempt? = nil) {
        let application = details.application
        let project = details.project
        self.frame = frame
        self.more = more
        hasMore = !more.isEmpty
        back = ConsoleQueue.home(of: actor.role).map { Link(title: "← \($0.title)", href: $0.path) }
        // `details` already holds only a reviewer's own items; it reads the materials they ask for
        // (the rule the file store applies to its downloads) and the form fields they need.
        let visibleItems = application.items.compactMap { catalog.items[$0.code] }
        let asked = Set(visibleItems.flatMap { $0.materials.map(\.id) })
        let applicant = [project.builder, project.contractor].compactMap { $0 }.first { $0.uscc == application.firm }
        summary = ApplicationSummary(details: details, certificates: certificates, paging: paging, today: today, catalog: catalog,
                                     applicant: "\(applicant?.name ?? "")（\(application.firm)）",
                                     materialShown: { actor.role != .reviewer || asked.contains($0.material) })
        formValues = Self.formValues(application.form, fields: visibleItems.flatMap(\.fields))
        hasFormValues = !formValues.isEmpty
        survey = application.survey.map { Self.surveyView($0, catalog: catalog) }
        let underWay: Set<ApplicationStatus> = [.accepted, .acceptedWithDeficiencies, .underReview]
        surveyNeeded = application.survey == nil && underWay.contains(application.status) && visibleItems.contains(where: \.needsSurvey)
        let base = "/console/applications/\(application.id)"
        surveySchedule = actor.role == .clerk && surveyNeeded ? Self.surveySchedule(action: base + "/survey", today: today, attempt: attempt) : nil
        surveyFindings = application.survey.flatMap { survey in
            guard actor.role == .reviewer, let department = actor.department, survey.awaits(department) else { return nil }
            return Self.surveyFindings(survey, action: base + "/survey-findings", today: today, attempt: attempt)
        }

        if actor.role == .clerk, application.status == .submitted {
            var posted = ConsoleForms.Acceptance()
            var refusal: FormRefusal?
            if case .acceptance(let form, let refused) = attempt { (posted, refusal) = (form, refused) }
            let refusing = posted.decision == "refuse"
            let acceptRefusal = refusing ? nil : refusal
            let refuseRefusal = refusing ? refusal : nil
            let choices = application.materials.filter { $0.state == .missing }.map { material in
                // Every missing material must be deferred (or the application corrected), so all start ticked.
                AcceptanceView.Choice(id: material.material, name: material.name,
                                      checked: posted.decision == nil || (posted.deferred ?? []).contains(material.material))
            }
            acceptance = AcceptanceView(
                action: base + "/acceptance", choices: choices, hasChoices: !choices.isEmpty, earliestDue: today.adding(days: 1).description,
                supplementDue: posted.supplementDue ?? "", reasonText: posted.reason ?? "",
                acceptError: acceptRefusal?.general(besides: ["deferred", "supplementDue"]), deferredError: acceptRefusal?.beside("deferred"),
                dueError: acceptRefusal?.beside("supplementDue"), refuseError: refuseRefusal?.general(besides: ["reason"]),
                reasonError: refuseRefusal?.beside("reason"))
        } else {
            acceptance = nil
        }

        if actor.role == .reviewer, underWay.contains(application.status) {
            reviews = application.items.filter { $0.department == actor.department && $0.status == .pending }.map { item in
                var posted: ConsoleForms.Review?
                var refusal: FormRefusal?
                if case .review(let form, let refused) = attempt, form.item == item.code { (posted, refusal) = (form, refused) }
                let blocked = application.survey.flatMap { survey in
                    survey.awaits(item.department) ? "须先录入本部门的联合踏勘意见（踏勘日期 \(PageText.day(survey.scheduledFor))）后方可审查" : nil
                }
                return ReviewView(item: item.code, itemName: item.name, action: base + "/reviews", opinionText: posted?.opinion ?? "",
                                  opinionError: refusal?.beside("opinion"), reviewError: refusal?.general(besides: ["opinion"]), reviewBlocked: blocked)
            }
        } else {
            reviews = []
        }
        hasReviews = !reviews.isEmpty

        if actor.role == .issuer, [.approved, .partlyApproved].contains(application.status) {
            var refusal: FormRefusal?
            if case .issuance(let refused) = attempt { refusal = refused }
            // What `issue` itself checks first, said before the issuer tries.
            let waiting = application.unmetConditions.map(\.title) + application.outstandingDeficiencies.map { "容缺材料“\($0.name)”" }
            issuance = IssuanceView(action: base + "/issuance",
                                    issueBlocked: waiting.isEmpty ? nil : "尚待：\(waiting.joined(separator: "、"))，暂不能出证",
                                    issueError: refusal?.message)
        } else {
            issuance = nil
        }
    }

    /// The form's values under the catalog's labels, each field once, in the items' order.
    static func formValues(_ form: [String: FormValue], fields: [FormField]) -> [FormValueRow] {
        var seen: Set<String> = []
        return fields.compactMap { field in
            guard seen.insert(field.key).inserted, let value = form[field.key] else { return nil }
            return FormValueRow(label: field.label, value: text(value, as: field.type))
        }
    }

    static func text(_ value: FormValue, as type: FormField.FieldType) -> String {
        switch value {
        case .string(let text): type == .date ? PageText.day(text) : text
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "是" : "否"
        }
    }

    static func surveySchedule(action: String, today: CivilDate, attempt: ConsoleAttempt?) -> SurveyScheduleView {
        var posted = ConsoleForms.Survey()
        var refusal: FormRefusal?
        if case .survey(let form, let refused) = attempt { (posted, refusal) = (form, refused) }
        return SurveyScheduleView(action: action, earliest: today.description, date: posted.date ?? "", place: posted.place ?? "",
                                  dateError: refusal?.beside("date"), placeError: refusal?.beside("place"),
                                  scheduleError: refusal?.general(besides: ["date", "place"]))
    }

    static func surveyFindings(_ survey: JointSurvey, action: String, today: CivilDate, attempt: ConsoleAttempt?) -> SurveyFindingsView {
        var posted = ConsoleForms.SurveyFindings()
        var refusal: FormRefusal?
        if case .surveyFindings(let form, let refused) = attempt { (posted, refusal) = (form, refused) }
        return SurveyFindingsView(action: action,
                                  notYet: today < survey.scheduledFor ? "联合踏勘安排在\(PageText.day(survey.scheduledFor))，踏勘后录入本部门意见" : nil,
                                  findingsText: posted.findings ?? "", findingsError: refusal?.beside("findings"), meetsError: refusal?.beside("meets"),
                                  recordError: refusal?.general(besides: ["findings", "meets"]))
    }

    static func surveyView(_ survey: JointSurvey, catalog: Catalog) -> SurveyView {
        SurveyView(
            scheduledFor: PageText.day(survey.scheduledFor), place: survey.place,
            state: survey.completedOn.map { "已于\(PageText.day($0))完成" } ?? "待各部门录入踏勘意见",
            findings: survey.departments.map { finding in
                let (result, tone) = switch finding.meets {
                case true?: ("符合条件", "ok")
                case false?: ("不符合条件", "bad")
                case nil: ("待录入", "")
                }
                return SurveyView.Finding(department: catalog.departments[finding.department]?.name ?? finding.department, result: result, tone: tone,
                                          note: finding.findings)
            })
    }
}
