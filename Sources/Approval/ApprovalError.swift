import Kernel

public enum ApprovalError: DomainError, Equatable {
    case invalidField(field: String, message: String)
    case ruleViolated(code: String, message: String, field: String?)
    case notFound(String)
    case forbidden(String)
    case invalidState(current: ApplicationStatus, action: String)
    case conflict(code: String, message: String)

    public var kind: DomainErrorKind {
        switch self {
        case .invalidField, .ruleViolated: .unprocessable
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .invalidState, .conflict: .conflict
        }
    }

    public var code: String {
        switch self {
        case .invalidField: "invalid-field"
        case .ruleViolated(let code, _, _): code
        case .notFound: "not-found"
        case .forbidden: "forbidden"
        case .invalidState: "invalid-state"
        case .conflict(let code, _): code
        }
    }

    public var message: String {
        switch self {
        case .invalidField(let field, let message): "字段 \(field) 无效：\(message)"
        case .ruleViolated(_, let message, _): message
        case .notFound(let what): "未找到\(what)"
        case .forbidden(let what): "无权操作：\(what)"
        case .invalidState(let current, let action): "申请当前状态为“\(current.label)”（\(current.rawValue)），不能\(action)"
        case .conflict(_, let message): message
        }
    }

    public var field: String? {
        switch self {
        case .invalidField(let field, _): field
        case .ruleViolated(_, _, let field): field
        default: nil
        }
    }
}
