/// How a failure should be understood by a caller; `WebApp` maps each kind to one HTTP status.
public enum DomainErrorKind: Sendable, Equatable {
    /// The request cannot be read (bad JSON, wrong type).
    case malformed
    /// No identity, or an expired or unknown one.
    case unauthenticated
    /// The identity may not do this.
    case forbidden
    /// The thing does not exist, or is not the caller's to see.
    case notFound
    /// The thing is in a state that does not allow this.
    case conflict
    /// Well-formed but breaks a rule.
    case unprocessable
    /// Too large to accept.
    case tooLarge
    /// Too many requests from one source; try again later.
    case tooManyRequests
}

/// Every module's error type conforms, so the HTTP layer maps all of them in one place.
/// `code` is stable for programs; `message` is Chinese, for people.
public protocol DomainError: Error, Sendable {
    var kind: DomainErrorKind { get }
    var code: String { get }
    var message: String { get }
    var field: String? { get }
}

extension DomainError {
    public var field: String? { nil }
}

/// Errors raised by the shared kernel: input validation, authentication, uploads.
public enum KernelError: DomainError, Equatable {
    case invalidField(field: String, message: String)
    case missingField(String)
    case unauthenticated
    case forbidden(String)
    case notFound(String)
    case fileTooLarge(limit: Int)

    public var kind: DomainErrorKind {
        switch self {
        case .invalidField, .missingField: .unprocessable
        case .unauthenticated: .unauthenticated
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .fileTooLarge: .tooLarge
        }
    }

    public var code: String {
        switch self {
        case .invalidField: "invalid-field"
        case .missingField: "missing-field"
        case .unauthenticated: "unauthenticated"
        case .forbidden: "forbidden"
        case .notFound: "not-found"
        case .fileTooLarge: "file-too-large"
        }
    }

    public var message: String {
        switch self {
        case .invalidField(let field, let message): "字段 \(field) 无效：\(message)"
        case .missingField(let field): "缺少必填字段 \(field)"
        case .unauthenticated: "未登录或登录已过期"
        case .forbidden(let what): "无权操作：\(what)"
        case .notFound(let what): "未找到\(what)"
        case .fileTooLarge(let limit): "文件超过大小限制（\(limit / 1_048_576) MB）"
        }
    }

    public var field: String? {
        switch self {
        case .invalidField(let field, _), .missingField(let field): field
        default: nil
        }
    }
}
