import Foundation
import Kernel

/// Waste disposal's own failures; `WebApp` maps them with every other module's.
public enum WasteDisposalError: DomainError, Equatable {
    case invalidField(field: String, message: String)
    case notFound(String)
    case forbidden(String)

    public var kind: DomainErrorKind {
        switch self {
        case .invalidField: .unprocessable
        case .notFound: .notFound
        case .forbidden: .forbidden
        }
    }

    public var code: String {
        switch self {
        case .invalidField: "invalid-field"
        case .notFound: "not-found"
        case .forbidden: "forbidden"
        }
    }

    public var message: String {
        switch self {
        case .invalidField(let field, let message): "字段 \(field) 无效：\(message)"
        case .notFound(let what): "未找到\(what)"
        case .forbidden(let what): "无权操作：\(what)"
        }
    }

    public var field: String? {
        if case .invalidField(let field, _) = self { return field }
        return nil
    }
}
