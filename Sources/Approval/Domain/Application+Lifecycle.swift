import Foundation
import Kernel

/// What a transition leaves behind besides the new state: audit records and domain events,
/// written in the same transaction.
public struct Effects: Sendable {
    var audit: [AuditEntry] = []
    var events: [any DomainEvent] = []
    /// Facts for the firm's credit record, such as a 容缺 material supplied on time or late.
    var credit: [CreditEntry] = []
    /// Short messages to people, sent in the same transaction.
    var messages: [OutgoingMessage] = []

    mutating func append(_ other: Effects) {
        audit += other.audit
        events += other.events
        credit += other.credit
        messages += other.messages
    }
}

/// The state machine: submitted → accepted | accepted-with-deficiencies | refused → under review →
/// approved | partly approved | denied → issued; withdrawal and correction (补正) along the way.
/// Pure: no I/O, so every rule is testable alone.
extension Application {
    func require(_ allowed: Set<ApplicationStatus>, to action: String) throws(ApprovalError) {
        guard allowed.contains(status) else { throw .invalidState(current: status, action: action) }
    }

    func entry(_ action: String, by actor: Actor, from before: ApplicationStatus, detail: [String: String]? = nil) -> AuditEntry {
        AuditEntry(actor: actor, action: action, subject: subject, before: ["status": before.rawValue], after: ["status": status.rawValue], detail: detail)
    }

    mutating func accept(deferred: [String], supplementDue: CivilDate?, by actor: Actor, at now: Date, calendar: WorkingDayCalendar) throws -> Effects {
        try require([.submitted], to: "受理")
        let before = status
        let today = calendar.today(at: now)
        for index in materials.indices where deferred.contains(materials[index].material) {
            materials[index].state = .deferred
            materials[index].due = supplementDue
        }
        status = deferred.isEmpty ? .accepted : .acceptedWithDeficiencies
        acceptedAt = now
        acceptedOn = today
        promisedBy = try calendar.date(addingWorkingDays: promisedDays, to: today)
        legalBy = try calendar.date(addingWorkingDays: legalDays, to: today)
        var detail = ["promisedBy": promisedBy!.description]
        if !deferred.isEmpty {
            detail["deferred"] = deferred.joined(separator: ",")
            detail["supplementDue"] = supplementDue?.description
        }
        var effects = Effects()
        effects.audit.append(entry("application.accepted", by: actor, from: before, detail: detail))
        effects.events.append(ApplicationAccepted(applicationID: id, deferredMaterials: deferred, supplementDue: supplementDue, promisedBy: promisedBy!))
        return effects
    }

    /// 告知承诺 and 即办 items are decided at acceptance, without a department review.
    mutating func decideAtAcceptance(_ codes: [(code: String, basis: DecisionBasis)], by actor: Actor, at now: Date) -> Effects {
        var effects = Effects()
        for (code, basis) in codes {
            guard let index = items.firstIndex(where: { $0.code == code }) else { continue }
            effects.append(decide(itemAt: index, approve: true, basis: basis, opinion: basis == .commitment ? "申请人已签署告知承诺书，当场作出许可决定" : "即办事项，当场办结", by: actor, at: now))
        }
        return effects
    }

    mutating func refuse(reason: String, by actor: Actor, at now: Date) throws -> Effects {
        try require([.submitted], to: "作出不予受理决定")
        let before = status
        status = .refused
        refusalReason = reason
        decidedAt = now
        var effects = Effects()
        effects.audit.append(entry("application.refused", by: actor, from: before, detail: ["reason": reason]))
        effects.events.append(ApplicationRefused(applicationID: id, reason: reason))
        return effects
    }

    mutating func review(item code: String, approve: Bool, opinion: String, by actor: Actor, at now: Date) throws -> Effects {
        try require([.accepted, .acceptedWithDeficiencies, .underReview], to: "审查")
        guard let index = items.firstIndex(where: { $0.code == code }) else {
            throw ApprovalError.invalidField(field: "item", message: "本申请不含事项 \(code)")
        }
        guard items[index].status == .pending else {
            throw ApprovalError.conflict(code: "item-already-decided", message: "事项 \(code) 已作出决定（\(items[index].status.rawValue)）")
        }
        if let survey, survey.awaits(items[index].department) {
            throw ApprovalError.conflict(code: "survey-pending", message: "请先录入本部门的联合踏勘意见（踏勘日期 \(survey.scheduledFor)）")
        }
        return decide(itemAt: index, approve: approve, basis: .review, opinion: opinion, by: actor, at: now)
    }

    /// After a denial, the firm corrects the denied item and its department reviews it again; the
    /// items already approved keep their decisions. The item's promised time runs again from today.
    mutating func resubmit(item: CatalogItem, note: String?, changes: [String: String], by actor: Actor, at now: Date,
                           calendar: WorkingDayCalendar) throws -> Effects {
        try require([.partlyApproved, .denied], to: "重新提交被驳回的事项")
        guard let index = items.firstIndex(where: { $0.code == item.code }) else {
            throw ApprovalError.invalidField(field: "item", message: "本申请不含事项 \(item.code)")
        }
        guard items[index].status == .denied else {
            throw ApprovalError.conflict(code: "item-not-denied", message: "事项 \(item.code) 未被驳回（\(items[index].status.rawValue)），无需重新提交")
        }
        let before = status
        var detail = changes.merging(["item": item.code, "previousOpinion": items[index].opinion ?? ""]) { _, new in new }
        if let note { detail["note"] = note }
        items[index].status = .pending
        items[index].basis = nil
        items[index].decidedAt = nil
        items[index].decidedBy = nil
        items[index].opinion = nil
        status = .underReview
        decidedAt = nil
        let due = try calendar.date(addingWorkingDays: item.promisedDays, to: calendar.today(at: now))
        if let promised = promisedBy, due > promised {
            promisedBy = due
            detail["promisedBy"] = due.description
        }
        return Effects(audit: [entry("item.resubmitted", by: actor, from: before, detail: detail)])
    }

    /// 超时默认: approves every pending item configured so, once the promised date has passed.
    mutating func approveByDefault(items codes: Set<String>, at now: Date) -> Effects {
        var effects = Effects()
        for index in items.indices where items[index].status == .pending && codes.contains(items[index].code) && status.isUnderWay {
            effects.append(decide(itemAt: index, approve: true, basis: .timeoutDefault, opinion: "承诺时限届满未作出决定，依规定默认准予许可", by: .system, at: now))
        }
        return effects
    }

    mutating func decide(itemAt index: Int, approve: Bool, basis: DecisionBasis, opinion: String, by actor: Actor, at now: Date) -> Effects {
        let before = status
        items[index].status = approve ? .approved : .denied
        items[index].basis = basis
        items[index].decidedAt = now
        items[index].decidedBy = actor.name
        items[index].opinion = opinion
        if status != .underReview { status = .underReview }
        var effects = Effects()
        effects.audit.append(entry("item.reviewed", by: actor, from: before, detail: [
            "item": items[index].code, "decision": approve ? "approve" : "deny", "basis": basis.rawValue, "opinion": opinion,
        ]))
        effects.events.append(ItemReviewed(applicationID: id, item: items[index].code, department: items[index].department,
                                           decision: basis == .review ? (approve ? "approve" : "deny") : basis.rawValue))
        if items.allSatisfy({ $0.status != .pending }) {
            effects.append(concludeReview(at: now))
        }
        return effects
    }

    private mutating func concludeReview(at now: Date) -> Effects {
        let before = status
        let approved = items.filter { $0.status == .approved }.count
        status = approved == items.count ? .approved : approved == 0 ? .denied : .partlyApproved
        decidedAt = now
        var effects = Effects()
        effects.audit.append(entry("application.decided", by: .system, from: before))
        effects.events.append(ApplicationDecided(applicationID: id, outcome: status.rawValue))
        return effects
    }

    mutating func issue(project: Project, catalog: Catalog, terms: [String: PermitTerms], by actor: Actor, at now: Date) throws -> Effects {
        try require([.approved, .partlyApproved], to: "出证")
        let unmet = unmetConditions
        guard unmet.isEmpty else {
            throw ApprovalError.conflict(code: "conditions-unmet", message: "尚待确认：\(unmet.map(\.title).joined(separator: "、"))，暂不能出证")
        }
        let missing = outstandingDeficiencies
        guard missing.isEmpty else {
            throw ApprovalError.conflict(code: "deficiencies-outstanding",
                                         message: "容缺材料尚未补齐：\(missing.map(\.name).joined(separator: "、"))，暂不能出证")
        }
        guard let holderName = project.holderName(for: firm) else {
            throw ApprovalError.conflict(code: "holder-not-party", message: "申请单位已不是该项目的建设单位或施工总承包单位，不能以其名义出证")
        }
        let before = status
        status = .issued
        issuedAt = now
        let permits = items.filter { $0.status == .approved }.compactMap { item -> IssuedPermit? in
            guard let spec = catalog.items[item.code] else { return nil }
            return IssuedPermit(item: item.code, name: item.name, department: item.department, certificateKind: spec.certificate.kind,
                                certificateTemplate: spec.certificate.template, validityDays: spec.certificate.validityDays,
                                scope: spec.certificate.scope, validTo: terms[item.code]?.validTo, details: terms[item.code]?.details,
                                route: terms[item.code]?.route, subjects: terms[item.code]?.subjects,
                                subjectTemplate: spec.certificate.subjectTemplate, validFrom: terms[item.code]?.validFrom)
        }
        var effects = Effects()
        effects.audit.append(entry("application.issued", by: actor, from: before, detail: ["permits": permits.map(\.item).joined(separator: ",")]))
        effects.events.append(PermitIssued(applicationID: id, bundle: bundle, amends: amends, supersedes: supersedes ?? [], supersedeNote: supersedeNote,
                                           projectID: project.id, projectCode: project.code,
                                           projectName: project.name, district: project.district, holderName: holderName,
                                           holderUSCC: firm, permits: permits, issuedAt: now, issuedOn: catalog.calendar.today(at: now)))
        return effects
    }

    mutating func withdraw(by actor: Actor, at now: Date) throws -> Effects {
        try require([.submitted, .accepted, .acceptedWithDeficiencies, .underReview, .correctionRequested], to: "撤回")
        let before = status
        status = .withdrawn
        decidedAt = now
        var effects = Effects()
        effects.audit.append(entry("application.withdrawn", by: actor, from: before))
        effects.events.append(ApplicationWithdrawn(applicationID: id))
        return effects
    }

    /// 补正: pauses the clock until the applicant corrects.
    mutating func requestCorrection(reason: String, by actor: Actor, at now: Date, calendar: WorkingDayCalendar) throws -> Effects {
        try require([.submitted, .accepted, .acceptedWithDeficiencies, .underReview], to: "要求补正")
        let before = status
        correction = CorrectionRequest(reason: reason, requestedBy: actor.name, requestedOn: calendar.today(at: now), resumeStatus: status)
        status = .correctionRequested
        return Effects(audit: [entry("application.correction-requested", by: actor, from: before, detail: ["reason": reason])])
    }

    /// The applicant's correction: the clock resumes, the deadlines move by the working days it was paused.
    mutating func resumeAfterCorrection(by actor: Actor, at now: Date, calendar: WorkingDayCalendar, changes: [String: String]) throws -> Effects {
        try require([.correctionRequested], to: "提交补正")
        guard let correction else { throw ApprovalError.invalidState(current: status, action: "提交补正") }
        let before = status
        let today = calendar.today(at: now)
        var detail = changes
        if acceptedOn != nil, let promised = promisedBy, let legal = legalBy {
            let paused = try calendar.workingDays(after: correction.requestedOn, through: today)
            promisedBy = try calendar.date(addingWorkingDays: paused, to: promised)
            legalBy = try calendar.date(addingWorkingDays: paused, to: legal)
            detail["pausedWorkingDays"] = String(paused)
            detail["promisedBy"] = promisedBy!.description
        }
        status = correction.resumeStatus
        self.correction = nil
        return Effects(audit: [entry("application.corrected", by: actor, from: before, detail: detail)])
    }

    /// 容缺: the applicant supplies deferred materials; once none is outstanding the application
    /// is fully accepted.
    mutating func supplement(_ supplied: [(material: String, file: String)], by actor: Actor, at now: Date, calendar: WorkingDayCalendar) throws -> Effects {
        try require([.acceptedWithDeficiencies, .underReview, .approved, .partlyApproved, .correctionRequested], to: "补交容缺材料")
        let before = status
        let today = calendar.today(at: now)
        var late: [String] = []
        var credit: [CreditEntry] = []
        for (material, file) in supplied {
            guard let index = materials.firstIndex(where: { $0.material == material && $0.state == .deferred }) else {
                throw ApprovalError.invalidField(field: "materials", message: "材料 \(material) 不是待补交的容缺材料")
            }
            materials[index].state = .supplied
            materials[index].file = file
            materials[index].suppliedAt = now
            let isLate = materials[index].due.map { today > $0 } ?? false
            if isLate {
                materials[index].late = true
                late.append(material)
            }
            // A promise already recorded broken when it fell due is not recorded again.
            if materials[index].overdue == true { continue }
            let promise = "容缺材料“\(materials[index].name)”承诺于 \(materials[index].due?.description ?? "")前补交"
            credit.append(CreditEntry(firm: firm, kind: isLate ? .commitmentBroken : .commitmentKept, at: now, on: today, subject: subject,
                                      source: "material/\(material)", note: isLate ? "\(promise)，逾期补交" : "\(promise)，按期补交"))
        }
        if status == .acceptedWithDeficiencies, outstandingDeficiencies.isEmpty {
            status = .accepted
        }
        var detail = ["materials": supplied.map(\.material).joined(separator: ",")]
        if !late.isEmpty { detail["late"] = late.joined(separator: ",") }
        return Effects(audit: [entry("materials.supplemented", by: actor, from: before, detail: detail)], credit: credit)
    }
}

extension Application {
    /// 增项 asks for an item once: none of `codes` may be in an application of the lineage that is
    /// still open. Checked at submission, and again in the inserting transaction, where two
    /// amendments sent at once meet.
    static func refusePending(_ codes: [String], in lineage: [Application]) throws(ApprovalError) {
        let settled: Set<ApplicationStatus> = [.issued, .refused, .withdrawn, .denied]
        for open in lineage where !settled.contains(open.status) {
            for (index, code) in codes.enumerated() where open.items.contains(where: { $0.code == code }) {
                throw .ruleViolated(code: "item-pending", message: "事项 \(code) 已在增项申请 \(open.id) 中办理", field: "items[\(index)]")
            }
        }
    }
}

extension Application {
    /// 容缺 promises that fell due: each deferred material not supplied by its day is recorded
    /// once as a broken commitment on the firm's credit, and the firm is told. Supplying it later
    /// still counts as supplied, not as a second broken promise.
    mutating func recordOverdueDeficiencies(on today: CivilDate, at now: Date) -> Effects {
        var overdue: [SubmittedMaterial] = []
        for index in materials.indices where materials[index].state == .deferred && materials[index].overdue == nil {
            guard let due = materials[index].due, today > due else { continue }
            materials[index].overdue = true
            overdue.append(materials[index])
        }
        guard !overdue.isEmpty else { return Effects() }
        let names = overdue.map { "“\($0.name)”（承诺 \($0.due?.description ?? "") 前补交）" }.joined(separator: "、")
        let credit = overdue.map { material in
            CreditEntry(firm: firm, kind: .commitmentBroken, at: now, on: today, subject: subject, source: "material/\(material.material)",
                        note: "容缺材料“\(material.name)”承诺于 \(material.due?.description ?? "")前补交，逾期未补交")
        }
        let message = OutgoingMessage(reason: "deficiency-overdue", subject: subject,
                                      text: "【审批局】贵单位申请的容缺材料\(names)已逾期未补交，已记入信用记录，请尽快补交。",
                                      recipients: Recipients(role: .applicant, firm: firm),
                                      onceKey: "deficiency-overdue/\(id)/\(overdue.map(\.material).joined(separator: ","))")
        return Effects(audit: [entry("materials.overdue", by: .system, from: status, detail: ["materials": overdue.map(\.material).joined(separator: ",")])],
                       credit: credit, messages: [message])
    }
}
