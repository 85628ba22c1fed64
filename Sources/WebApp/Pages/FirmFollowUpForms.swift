import Approval
import CapabilityKit
import Foundation
import Kernel

/// The firm's follow-up forms as posted, turned into the same inputs the API's JSON bodies decode
/// to. A posted form the service refuses is kept, to show again with the refusal beside its field.
enum FirmForms {
    /// 补正: `form[<key>]` for each of the application's fields, and `materials[<material id>]` for
    /// each file the page's script uploaded to replace one.
    struct Correction: Decodable, Sendable {
        var form: [String: String]?
        var materials: [String: String]?

        var uploads: [MaterialUpload] { PostedForm.uploads(materials) }

        /// Only the values the firm changed go to the service, so the record of the correction names
        /// what was corrected; a value cleared is sent blank, for the service to ask for it again if
        /// it is required.
        func input(current: [String: FormValue], fields: [FormField]) -> CorrectedApplication {
            var changed: [String: FormValue] = [:]
            for (key, posted) in form ?? [:] {
                let text = posted.trimmingCharacters(in: .whitespacesAndNewlines)
                guard text != (current[key].map(ApplyFormPage.inputText) ?? "") else { continue }
                changed[key] = PostedForm.value(text, as: fields.first { $0.key == key }?.type)
            }
            return CorrectedApplication(form: changed.isEmpty ? nil : changed, materials: uploads.isEmpty ? nil : uploads)
        }
    }

    /// 容缺补交: `materials[<material id>]` for each deferred material whose file was uploaded.
    struct Supplement: Decodable, Sendable {
        var materials: [String: String]?

        var uploads: [MaterialUpload] { PostedForm.uploads(materials) }

        func input() -> Approval.Supplement {
            Approval.Supplement(materials: uploads)
        }
    }

    /// 重新提交: a denied `item` sent back to its department with the firm's `note` (what it
    /// changed, or why the decision should be looked at again by a person).
    struct Resubmission: Decodable, Sendable {
        var item: String?
        var note: String?

        func input() -> ItemResubmission {
            ItemResubmission(item: item ?? "", note: note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 })
        }
    }

    /// A message to the application's helper: `text`.
    struct Message: Decodable, Sendable {
        var text: String?

        func input() -> NewMessage {
            NewMessage(text: text ?? "")
        }
    }
}

/// The form on the firm's application page that the service refused, with what was posted.
enum FirmAttempt: Sendable {
    case correction(FirmForms.Correction, FormRefusal)
    case supplement(FirmForms.Supplement, FormRefusal)
    case resubmission(FirmForms.Resubmission, FormRefusal)
}
