import Foundation
import Hummingbird
import Kernel

/// What every signed-in page's form shares, as a browser posts it (URL-encoded).
enum PostedForm {
    /// A date field as a browser's date input sends it (`2026-12-01`); empty is none.
    static func day(_ text: String?, field: String) throws -> CivilDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let date = CivilDate(text) else { throw KernelError.invalidField(field: field, message: "请选择有效的日期（如 2026-12-01）") }
        return date
    }

    /// The posted body, within the limit `CSRFGuard` read it under.
    static func decode<Form: Decodable>(_ type: Form.Type, from request: Request) async throws -> Form {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: CSRFGuard.bodyLimit))
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: body)
        } catch {
            throw KernelError.invalidField(field: "form", message: "表单内容无法识别，请返回页面刷新后重试")
        }
    }
}
