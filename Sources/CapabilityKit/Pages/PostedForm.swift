import Approval
import Foundation
import Hummingbird
import Kernel

/// What every signed-in page's form shares, as a browser posts it (URL-encoded).
public enum PostedForm {
    /// The most a form's body may hold; `CSRFGuard` reads it under this limit before its handler.
    public static let bodyLimit = 65_536

    /// A date field as a browser's date input sends it (`2026-12-01`); empty is none.
    public static func day(_ text: String?, field: String) throws -> CivilDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let date = CivilDate(text) else { throw KernelError.invalidField(field: field, message: "请选择有效的日期（如 2026-12-01）") }
        return date
    }

    /// A form field's posted text as the API's JSON would carry it: a number field's figures as a
    /// number, anything else (and figures that are no number, for the service to refuse) as text.
    public static func value(_ posted: String, as type: FormField.FieldType?) -> FormValue {
        let text = posted.trimmingCharacters(in: .whitespacesAndNewlines)
        return switch type {
        case .number?, .areaM2?, .moneyYuan?: Double(text).map(FormValue.number) ?? .string(text)
        default: .string(text)
        }
    }

    /// `materials[<material id>]` as posted (a file id the page's script filled in after uploading),
    /// blank ones left out, in material order: the order the service's `materials[i]` refusals count in.
    public static func uploads(_ materials: [String: String]?) -> [MaterialUpload] {
        (materials ?? [:]).filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { MaterialUpload(material: $0.key, file: $0.value) }
    }

    /// The posted body, within `bodyLimit`.
    public static func decode<Form: Decodable>(_ type: Form.Type, from request: Request) async throws -> Form {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: bodyLimit))
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: body)
        } catch {
            throw KernelError.invalidField(field: "form", message: "表单内容无法识别，请返回页面刷新后重试")
        }
    }
}

/// Why the service refused a form: the form's own field it names (`deferred[1]` is the `deferred`
/// choice, `location.latitude` the place), for a list field the position it names
/// (`checklist[2].answer`: 2), for a map field the key it names (`form.contactPhone`:
/// contactPhone), and the message without the API's "字段 … 无效" frame, since it stands beside
/// the field.
public struct FormRefusal: Sendable {
    public let field: String?
    public let listIndex: Int?
    public let key: String?
    public let message: String

    public init(_ error: any DomainError) {
        field = error.field.map { String($0.prefix { $0 != "[" && $0 != "." }) }
        listIndex = error.field?.firstMatch(of: /^[^\[.]+\[(\d+)\]/).flatMap { Int($0.1) }
        key = error.field?.firstMatch(of: /^[^\[.]+\.([^\[.]+)/).map { String($0.1) }
        message = error.messageBesideField
    }

    /// The message when it belongs beside `name`.
    public func beside(_ name: String) -> String? {
        field == name ? message : nil
    }

    /// The message when it names none of the form's own fields: shown at the top of the form.
    public func general(besides fields: Set<String>) -> String? {
        field.map(fields.contains) == true ? nil : message
    }
}
