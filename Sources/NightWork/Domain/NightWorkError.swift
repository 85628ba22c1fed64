import Foundation
import Kernel

/// Night work's own failures; `WebApp` maps them with every other module's.
public enum NightWorkError: DomainError, Equatable {
    case invalidField(field: String, message: String)
    case notFound(String)
    case forbidden(String)
    case unauthenticated
    /// Too many complaints from one phone: it may complain again after `retryAfter`.
    case tooManyComplaints(limit: Int, retryAfter: String)

    public var kind: DomainErrorKind {
        switch self {
        case .invalidField: .unprocessable
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unauthenticated: .unauthenticated
        case .tooManyComplaints: .tooManyRequests
        }
    }

    public var code: String {
        switch self {
        case .invalidField: "invalid-field"
        case .notFound: "not-found"
        case .forbidden: "forbidden"
        case .unauthenticated: "unauthenticated"
        case .tooManyComplaints: "too-many-complaints"
        }
    }

    public var message: String {
        switch self {
        case .invalidField(let field, let message): "字段 \(field) 无效：\(message)"
        case .notFound(let what): "未找到\(what)"
        case .forbidden(let what): "无权操作：\(what)"
        case .unauthenticated: "监测设备令牌无效或已注销"
        case .tooManyComplaints(let limit, let retryAfter): "同一电话24小时内最多投诉 \(limit) 次，请于 \(retryAfter) 后再试"
        }
    }

    public var field: String? {
        if case .invalidField(let field, _) = self { return field }
        return nil
    }
}
