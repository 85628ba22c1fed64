import Kernel

public enum SupervisionError: DomainError, Equatable {
    case forbidden(String)
    case notFound(String)
    case invalidField(field: String, message: String)
    /// The task is not in a state that allows this; `status` names the one it is in.
    case taskConflict(status: TaskStatus, message: String)
    case idempotencyKeyReused
    /// Not possible in the current state of something other than a task.
    case conflict(code: String, message: String)

    public var kind: DomainErrorKind {
        switch self {
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalidField, .idempotencyKeyReused: .unprocessable
        case .taskConflict, .conflict: .conflict
        }
    }

    public var code: String {
        switch self {
        case .forbidden: "forbidden"
        case .notFound: "not-found"
        case .invalidField: "invalid-field"
        case .taskConflict: "invalid-state"
        case .idempotencyKeyReused: "idempotency-key-reused"
        case .conflict(let code, _): code
        }
    }

    public var message: String {
        switch self {
        case .forbidden(let what): "无权操作：\(what)"
        case .notFound(let what): "未找到\(what)"
        case .invalidField(let field, let message): "字段 \(field) 无效：\(message)"
        case .taskConflict(let status, let message): "任务当前状态为 \(status.rawValue)（\(status.label)），\(message)"
        case .idempotencyKeyReused: "同一 Idempotency-Key 已用于内容不同的检查记录"
        case .conflict(_, let message): message
        }
    }

    public var field: String? {
        switch self {
        case .invalidField(let field, _): field
        case .idempotencyKeyReused: "Idempotency-Key"
        default: nil
        }
    }
}
