import Approval
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
    var uploads: [MaterialUpload] {
        (materials ?? [:]).filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { MaterialUpload(material: $0.key, file: $0.value) }
    }

    /// - Parameter fields: the merged form of the chosen items, for each value's type.
    func application(bundle: String, fields: [FormField]) -> NewApplication {
        var values: [String: FormValue] = [:]
        for (key, posted) in form ?? [:] {
            let text = posted.trimmingCharacters(in: .whitespacesAndNewlines)
            let field = fields.first { $0.key == key }
            // A blank optional field is left out; a blank required one is sent blank, so the service
            // asks for it even where an earlier application's value would otherwise fill it in.
            if text.isEmpty, field?.isRequired != true { continue }
            values[key] = switch field?.type {
            case .number?, .areaM2?, .moneyYuan?: Double(text).map(FormValue.number) ?? .string(text)
            default: .string(text)
            }
        }
        return NewApplication(projectId: project ?? "", bundle: bundle, items: chosenItems, form: values, materials: uploads,
                              commitment: commitment == "on")
    }
}
