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
    var retryAfterSeconds: Int? { get }
}

extension DomainError {
    public var field: String? { nil }
    /// For `tooManyRequests`: seconds until a retry may succeed (the `Retry-After` header).
    public var retryAfterSeconds: Int? { nil }

    /// The message as it reads beside its field on a page: without the "字段 … 无效：" the API
    /// puts before a field's refusal, since the field is right there.
    public var messageBesideField: String {
        guard let field, message.hasPrefix("字段 \(field) 无效：") else { return message }
        return String(message.dropFirst("字段 \(field) 无效：".count))
    }
}

/// Errors raised by the shared kernel: input validation, authentication, uploads.
public enum KernelError: DomainError, Equatable {
    case invalidField(field: String, message: String)
    case missingField(String)
    case unauthenticated
    case forbidden(String)
    case notFound(String)
    case fileTooLarge(limit: Int)
    /// Sign-in refused for a while after repeated failures; `until` is for people.
    case signInLocked(until: String, seconds: Int)
    /// The password was right but an administrator has disabled the account.
    case accountDisabled
    /// The firm's uploads together would pass its quota.
    case quotaExceeded(quota: Int)

    public var kind: DomainErrorKind {
        switch self {
        case .invalidField, .missingField: .unprocessable
        case .signInLocked: .tooManyRequests
        case .accountDisabled: .forbidden
        case .unauthenticated: .unauthenticated
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .fileTooLarge, .quotaExceeded: .tooLarge
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
        case .signInLocked: "sign-in-locked"
        case .accountDisabled: "account-disabled"
        case .quotaExceeded: "quota-exceeded"
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
        case .signInLocked(let until, _): "登录失败次数过多，请于 \(until) 后重试"
        case .accountDisabled: "账号已停用，请联系管理员"
        case .quotaExceeded(let quota): "本单位上传的文件已达空间上限（\(quota / 1_048_576) MB），请联系审批局"
        }
    }

    public var retryAfterSeconds: Int? {
        if case .signInLocked(_, let seconds) = self { seconds } else { nil }
    }

    public var field: String? {
        switch self {
        case .invalidField(let field, _), .missingField(let field): field
        default: nil
        }
    }
}
