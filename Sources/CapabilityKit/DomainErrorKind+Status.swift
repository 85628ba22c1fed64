import HTTPTypes
import Kernel

extension DomainErrorKind {
    /// The HTTP status every route and page answers this kind of refusal with.
    public var status: HTTPResponse.Status {
        switch self {
        case .malformed: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unprocessable: .unprocessableContent
        case .tooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        }
    }
}
