import Foundation
import Kernel

/// 一表申请: the fields of the chosen items merged, a shared key asked and checked once.
public enum MergedForm {
    /// A shared field is required when any chosen item requires it.
    public static func fields(for items: [CatalogItem]) -> [FormField] {
        let all = items.flatMap(\.fields)
        var seen = Set<String>()
        return all.filter { seen.insert($0.key).inserted }.map { field in
            FormField(key: field.key, label: field.label, type: field.type,
                      required: all.contains { $0.key == field.key && $0.isRequired }, options: field.options)
        }
    }

    /// Checks every value against its field's type; required fields must be present; keys that no
    /// chosen item asks for are refused, so nothing unasked is stored.
    public static func validate(_ form: [String: FormValue], against fields: [FormField], fieldPrefix: String = "form") throws(ApprovalError) {
        let known = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0) })
        for key in form.keys.sorted() where known[key] == nil {
            throw .invalidField(field: "\(fieldPrefix).\(key)", message: "所选事项不需要填写此项")
        }
        for field in fields {
            let path = "\(fieldPrefix).\(field.key)"
            guard let value = form[field.key], !value.text.trimmingCharacters(in: .whitespaces).isEmpty else {
                if field.isRequired { throw .invalidField(field: path, message: "请填写“\(field.label)”") }
                continue
            }
            if let problem = problem(with: value, for: field) {
                throw .invalidField(field: path, message: "“\(field.label)”\(problem)")
            }
        }
    }

    static func problem(with value: FormValue, for field: FormField) -> String? {
        let text = value.text.trimmingCharacters(in: .whitespaces)
        switch field.type {
        case .text:
            if let scalar = PrintableText.firstForbidden(in: text, multiline: true) { return PrintableText.refusal(scalar) }
            return text.count > 1000 ? "不能超过1000字" : nil
        case .number:
            return number(value) == nil ? "应为数字" : nil
        case .areaM2:
            guard let area = number(value), area > 0 else { return "应为大于0的面积（平方米）" }
            return nil
        case .moneyYuan:
            guard let amount = number(value), amount >= 0 else { return "应为不小于0的金额（元）" }
            return (amount * 100).rounded() == amount * 100 ? nil : "金额最多保留两位小数"
        case .date:
            return CivilDate(text) == nil ? "应为日期 YYYY-MM-DD" : nil
        case .uscc:
            do {
                _ = try UnifiedSocialCreditCode(text)
                return nil
            } catch {
                return "：\(error.message)"
            }
        case .phone:
            return PhoneNumber(text) == nil ? "应为手机号码或带区号的固定电话" : nil
        case .choice:
            let options = field.options ?? []
            return options.contains(text) ? nil : "应为以下之一：\(options.joined(separator: "、"))"
        }
    }

    static func number(_ value: FormValue) -> Double? {
        switch value {
        case .number(let number): number.isFinite ? number : nil
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        case .bool: nil
        }
    }
}
