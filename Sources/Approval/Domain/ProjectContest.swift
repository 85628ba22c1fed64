import Foundation

/// 项目代码异议: a firm says a project code was registered by a firm that does not build it. The
/// bureau checks and reassigns the project (upheld) or dismisses the contest.
public struct ProjectContest: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case open, upheld, dismissed
    }

    public let id: String
    public let projectId: String
    public let code: String
    /// The contesting firm's 统一社会信用代码.
    public let firm: String
    public let reason: String
    public let filedAt: Date
    public var status: Status
    public var resolvedAt: Date?
    public var resolution: String?
}

/// A firm's contest as it files it.
public struct NewProjectContest: Codable, Sendable {
    public var code: String?
    public var reason: String?

    public init(code: String?, reason: String?) {
        self.code = code
        self.reason = reason
    }
}

/// The bureau's correction of a project's parties: the firm that builds it (who then owns it)
/// and the contractor, if any, both registered firms.
public struct ProjectReassignment: Codable, Sendable {
    public var builder: String?
    public var contractor: String?
    public var reason: String?

    public init(builder: String?, contractor: String? = nil, reason: String?) {
        self.builder = builder
        self.contractor = contractor
        self.reason = reason
    }
}
