import CapabilityKit
import Foundation
import Kernel
import Supervision

/// The inspector's forms as posted, turned into the inputs the API's JSON bodies decode to
/// (`POST /scans`, `POST /supervision/tasks/{id}/inspections`). The page's script adds the phone's
/// position when the inspector allows it and a key of its own to each record, so a record kept
/// offline and sent again is stored once.
enum InspectorForms {
    /// Sent by the page's script when it replays a record kept offline: the answer is then a bare
    /// status (204 stored, 4xx with the reason as text) instead of a page to show.
    static let queuedFlag = "1"

    struct Scan: Decodable, Sendable {
        var qr: String?
        var checkpoint: String?
        var latitude: String?
        var longitude: String?
        var place: String?
        var idempotencyKey: String?
        var queued: String?

        func checkpointValue() throws -> Checkpoint {
            guard let checkpoint = checkpoint.flatMap(Checkpoint.init(rawValue:)) else {
                throw KernelError.invalidField(field: "checkpoint", message: "请选择检查地点")
            }
            return checkpoint
        }

        func location() throws -> ScanLocation? {
            try InspectorForms.location(latitude: latitude, longitude: longitude, place: place)
        }
    }

    /// `result`, `findings`, `rectifyBy`, one `checklist[<id>]` per answered entry (`yes`, `no`,
    /// `not-applicable`), and the place.
    struct Inspection: Decodable, Sendable {
        var result: String?
        var findings: String?
        var rectifyBy: String?
        var checklist: [String: String]?
        var latitude: String?
        var longitude: String?
        var place: String?
        var idempotencyKey: String?
        var queued: String?

        /// The draft the API would decode, its checklist answers in the task's own order (so the
        /// service's `checklist[i]` names the row shown i-th among the answered).
        func draft(for task: SupervisionTask) throws -> InspectionDraft {
            guard let result = result.flatMap(InspectionResult.init(rawValue:)) else {
                throw KernelError.invalidField(field: "result", message: "请选择检查结果")
            }
            let posted = (checklist ?? [:]).filter { !$0.value.isEmpty }
            let order = Dictionary(task.checklist.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            let answers = try posted.keys.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }.map { id in
                guard let answer = posted[id].flatMap(ChecklistAnswer.Answer.init(rawValue:)) else {
                    throw KernelError.invalidField(field: "checklist", message: "检查项的回答应为符合、不符合或不适用")
                }
                return ChecklistAnswer(id: id, answer: answer, note: nil)
            }
            let findings = findings?.trimmingCharacters(in: .whitespacesAndNewlines)
            return InspectionDraft(result: result, findings: findings?.isEmpty == false ? findings : nil,
                                   rectifyBy: try PostedForm.day(rectifyBy, field: "rectifyBy"),
                                   checklist: answers.isEmpty ? nil : answers,
                                   location: try InspectorForms.location(latitude: latitude, longitude: longitude, place: place))
        }

        func answer(to entry: String) -> String? {
            checklist?[entry]
        }
    }

    /// The position the script filled in (empty when the phone gave none) and the inspector's own
    /// words for the place; nothing at all is no location.
    static func location(latitude: String?, longitude: String?, place: String?) throws -> ScanLocation? {
        let number = { (text: String?, field: String) throws -> Double? in
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else {
                throw KernelError.invalidField(field: "location.\(field)", message: "手机定位无法识别，请重新定位或只填写位置说明")
            }
            return value
        }
        let (latitude, longitude) = (try number(latitude, "latitude"), try number(longitude, "longitude"))
        let place = place?.trimmingCharacters(in: .whitespacesAndNewlines)
        let description = place?.isEmpty == false ? place : nil
        guard latitude != nil || longitude != nil || description != nil else { return nil }
        return ScanLocation(latitude: latitude, longitude: longitude, description: description)
    }
}
