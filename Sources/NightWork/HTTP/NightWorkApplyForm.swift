import Approval
import CapabilityKit
import Foundation
import Kernel

/// The night-work application as the page posts it (URL-encoded): the API's body in a form's
/// names, every value text until it is read.
struct NightWorkApplyForm: Decodable {
    var project: String?
    var firstNight: String?
    var lastNight: String?
    var start: String?
    var end: String?
    var reason: String?
    var measures: String?
    var responsibleName: String?
    var responsiblePhone: String?
    var receptors: [String]?
    var materials: [String: String]?

    /// The form's own fields, each with its place for a refusal.
    static let fields: Set = ["project", "firstNight", "lastNight", "start", "end", "reason", "receptors", "measures", "responsibleName",
                              "responsiblePhone"]

    /// The application form's keys the decision writes, by the page field each comes from.
    static let formKeys = [Form.reason: "reason", Form.firstNight: "firstNight", Form.lastNight: "lastNight", Form.start: "start",
                           Form.end: "end", Form.measures: "measures", Form.responsibleName: "responsibleName",
                           Form.responsiblePhone: "responsiblePhone", Form.receptors: "receptors"]

    /// The form's field a refusal names: the API's (`projectId` is `project`, `responsible.phone`
    /// is `responsiblePhone`) or the application form's (`form.nightWorkMeasures` is `measures`);
    /// none when it names no field of this form, for the top of the form.
    static func field(of refusal: FormRefusal) -> String? {
        let field: String? = switch refusal.field {
        case "projectId": "project"
        case "responsible": refusal.key == "phone" ? "responsiblePhone" : "responsibleName"
        case "form": refusal.key.flatMap { formKeys[$0] }
        case let field: field
        }
        return field.flatMap { fields.contains($0) ? $0 : nil }
    }

    /// The API's body. Dates are read here, as the API's decoder would read them; a site's
    /// responsible person is sent when either part is given, so a half-filled one is refused.
    func input() throws -> NightWorkApplicationInput {
        func night(_ text: String?, _ field: String, _ missing: String) throws -> CivilDate {
            guard let day = try PostedForm.day(text, field: field) else { throw NightWorkError.invalidField(field: field, message: missing) }
            return day
        }
        let name = Self.text(responsibleName), phone = Self.text(responsiblePhone)
        return NightWorkApplicationInput(
            projectId: Self.text(project) ?? "", firstNight: try night(firstNight, "firstNight", "请选择首个作业夜"),
            lastNight: try night(lastNight, "lastNight", "请选择最后一个作业夜"), start: Self.text(start) ?? "", end: Self.text(end) ?? "",
            reason: Self.text(reason) ?? "", measures: Self.text(measures),
            responsible: try responsible(name: name, phone: phone), receptors: receptors?.filter { !$0.isEmpty },
            materials: PostedForm.uploads(materials))
    }

    func responsible(name: String?, phone: String?) throws -> NightWorkApplicationInput.Responsible? {
        switch (name, phone) {
        case (nil, nil): nil
        case (nil, _): throw NightWorkError.invalidField(field: "responsibleName", message: "请填写现场负责人姓名")
        case (_, nil): throw NightWorkError.invalidField(field: "responsiblePhone", message: "请填写现场负责人电话")
        case let (name?, phone?): NightWorkApplicationInput.Responsible(name: name, phone: phone)
        }
    }

    static func text(_ posted: String?) -> String? {
        guard let text = posted?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
