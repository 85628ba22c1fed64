import Approval
import CapabilityKit
import Foundation
import Kernel

/// What the firm answers on its application's page: a correction the bureau asked for (补正) and
/// the materials it promised to supply later (容缺补交). Each form is offered only in the states
/// the lifecycle takes it in, and after a refusal comes back as posted with the reason beside its field.
extension FirmApplicationPage {
    /// A material the firm may upload a file for: `materials[<id>]`, filled in by the page's script.
    struct MaterialFile {
        let id: String
        /// The file input's id, unique on the page (two forms may offer the same material).
        let inputID: String
        let name: String
        /// The file the application holds now, to look at before replacing it.
        let current: String?
        let dueBy: String?
        let dueLeft: String?
        let dueTone: String
        let fileID: String
        let uploaded: Bool
        let refusal: String?
    }

    /// 补正: what was asked, by whom and when, the form's values to correct and each material's file to replace.
    struct CorrectionView {
        let action: String
        let reason: String
        let requestedBy: String
        let requestedOn: String
        let fields: [ApplyFormPage.FieldInput]
        let materials: [MaterialFile]
        let generalError: String?
    }

    /// 容缺补交: each deferred material, its promised day and the working days left.
    struct SupplementView {
        let action: String
        let materials: [MaterialFile]
        let generalError: String?
    }

    /// 重新提交: a denied item, the reason it was denied, and the note the firm sends with it.
    struct ResubmissionView {
        let action: String
        let item: String
        let name: String
        let opinion: String?
        let byRules: Bool
        let note: String
        let error: String?
    }

    /// The states `Application.supplement` takes deferred materials in.
    static let supplementable: Set<ApplicationStatus> = [.acceptedWithDeficiencies, .underReview, .approved, .partlyApproved, .correctionRequested]

    static func correctionView(_ application: Application, attempt: FirmAttempt?, catalog: Catalog) -> CorrectionView? {
        guard application.status == .correctionRequested, let correction = application.correction else { return nil }
        var posted: FirmForms.Correction?
        var refusal: FormRefusal?
        if case .correction(let form, let refused) = attempt { (posted, refusal) = (form, refused) }
        var placed = false
        let fields = MergedForm.fields(for: application.items.compactMap { catalog.items[$0.code] }).map { field in
            let shown = posted?.form?[field.key] ?? application.form[field.key].map(ApplyFormPage.inputText) ?? ""
            let input = ApplyFormPage.FieldInput(field, value: shown, refusal: refusal)
            placed = placed || input.error != nil
            return input
        }
        let uploads = posted?.uploads ?? []
        let refusedUpload = refusal?.field == "materials" ? refusal?.listIndex.flatMap { uploads.indices.contains($0) ? uploads[$0].material : nil } : nil
        let materials = application.materials.filter { $0.state != .electronic }.map { material in
            let file = uploads.first { $0.material == material.material }?.file ?? ""
            let error = refusedUpload == material.material ? refusal?.message : nil
            placed = placed || error != nil
            return MaterialFile(id: material.material, inputID: "correction-\(material.material)", name: material.name,
                                  current: material.file.map { "/files/\($0)" }, dueBy: nil, dueLeft: nil, dueTone: "", fileID: file,
                                  uploaded: !file.isEmpty, refusal: error)
        }
        return CorrectionView(action: "/firm/applications/\(application.id)/corrections", reason: correction.reason,
                              requestedBy: correction.requestedBy, requestedOn: PageText.day(correction.requestedOn), fields: fields,
                              materials: materials, generalError: placed ? nil : refusal?.message)
    }

    static func supplementView(_ application: Application, attempt: FirmAttempt?, today: CivilDate, calendar: WorkingDayCalendar) -> SupplementView? {
        let deferred = application.outstandingDeficiencies
        guard !deferred.isEmpty, supplementable.contains(application.status) else { return nil }
        var posted: FirmForms.Supplement?
        var refusal: FormRefusal?
        if case .supplement(let form, let refused) = attempt { (posted, refusal) = (form, refused) }
        let uploads = posted?.uploads ?? []
        let refusedUpload = refusal?.listIndex.flatMap { uploads.indices.contains($0) ? uploads[$0].material : nil }
        var placed = false
        let materials = deferred.map { material in
            let file = uploads.first { $0.material == material.material }?.file ?? ""
            let error = refusedUpload == material.material ? refusal?.message : nil
            placed = placed || error != nil
            let (left, tone) = material.due.map { dueLeft($0, today: today, calendar: calendar) } ?? (nil, "")
            return MaterialFile(id: material.material, inputID: "supplement-\(material.material)", name: material.name, current: nil,
                                  dueBy: material.due.map(PageText.day), dueLeft: left, dueTone: tone, fileID: file, uploaded: !file.isEmpty,
                                  refusal: error)
        }
        return SupplementView(action: "/firm/applications/\(application.id)/supplements", materials: materials,
                              generalError: placed ? nil : refusal?.message)
    }

    /// Each denied item, while the lifecycle takes it back (`Application.resubmit`).
    static func resubmissionViews(_ application: Application, attempt: FirmAttempt?) -> [ResubmissionView] {
        guard [.partlyApproved, .denied].contains(application.status) else { return [] }
        var posted: FirmForms.Resubmission?
        var refusal: FormRefusal?
        if case .resubmission(let form, let refused) = attempt { (posted, refusal) = (form, refused) }
        return application.items.filter { $0.status == .denied }.map { item in
            let attempted = posted?.item == item.code
            return ResubmissionView(action: "/firm/applications/\(application.id)/resubmissions", item: item.code, name: item.name,
                                    opinion: item.opinion, byRules: item.basis == .rules, note: attempted ? posted?.note ?? "" : "",
                                    error: attempted ? refusal?.message : nil)
        }
    }

    /// A promised day in working days from today: "还剩 3 个工作日", due today, or past.
    static func dueLeft(_ due: CivilDate, today: CivilDate, calendar: WorkingDayCalendar) -> (text: String?, tone: String) {
        if due < today { return ("已过补交期限", "bad") }
        if due == today { return ("今日到期", "warn") }
        // A day beyond the working-day calendar is shown by its date alone.
        guard let left = try? calendar.workingDays(after: today, through: due) else { return (nil, "") }
        return ("还剩 \(left) 个工作日", left <= 1 ? "warn" : "ok")
    }
}
