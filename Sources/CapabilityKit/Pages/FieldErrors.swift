import Kernel

/// The reasons a GET form's fields were refused, each to show beside its field.
public struct FieldErrors: Error {
    public init() {}

    private(set) var messages: [String: String] = [:]

    public var isEmpty: Bool { messages.isEmpty }

    public subscript(field: String) -> String? { messages[field] }

    public mutating func add(_ field: String, _ message: String) {
        messages[field] = messages[field] ?? message
    }

    /// A date field (`2026-12-01`); empty is none, anything else is refused.
    public mutating func day(_ text: String?, field: String) -> CivilDate? {
        do {
            return try PostedForm.day(text, field: field)
        } catch {
            add(field, "请输入有效的日期（如 2026-12-01）")
            return nil
        }
    }

    /// One of an enumeration's values, or none when empty.
    public mutating func option<Value: RawRepresentable<String>>(_ text: String?, field: String) -> Value? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Value(rawValue: text) else {
            add(field, "未知取值 \(text)")
            return nil
        }
        return value
    }

    /// The later of two dates must not come first.
    public mutating func order(_ from: CivilDate?, _ to: CivilDate?, field: String) {
        if let from, let to, from > to { add(field, "开始日期不能晚于结束日期") }
    }
}
