import Approval
import CapabilityKit
import Foundation
import Kernel

/// The 一证制 wizard's form as a browser posts it: `project`, `items[]`, `form[<key>]`,
/// `materials[<material id>]` (a file id the page's script filled in after uploading), and
/// `commitment` when ticked. It becomes the same `NewApplication` the API's JSON body decodes to.
struct ApplyWizardForm: Decodable, Sendable {
    var project: String?
    var items: [String]?
    var form: [String: String]?
    var materials: [String: String]?
    var commitment: String?

    var chosenItems: [String] { items ?? [] }

    /// The value typed into a field, as posted.
    func value(_ key: String) -> String? {
        form?[key]
    }

    /// The uploaded files, by material id: the order the service's `materials[i]` refusals count in.
    var uploads: [MaterialUpload] { PostedForm.uploads(materials) }

    /// - Parameter fields: the merged form of the chosen items, for each value's type.
    func application(bundle: String, fields: [FormField]) -> NewApplication {
        var values: [String: FormValue] = [:]
        for (key, posted) in form ?? [:] {
            let field = fields.first { $0.key == key }
            // A blank optional field is left out; a blank required one is sent blank, so the service
            // asks for it even where an earlier application's value would otherwise fill it in.
            if posted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, field?.isRequired != true { continue }
            values[key] = PostedForm.value(posted, as: field?.type)
        }
        return NewApplication(projectId: project ?? "", bundle: bundle, items: chosenItems, form: values, materials: uploads,
                              commitment: commitment == "on")
    }
}
