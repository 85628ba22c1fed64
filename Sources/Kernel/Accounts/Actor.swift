/// The roles of CONTRACT.md.
public enum Role: String, Codable, Sendable, CaseIterable {
    case applicant, clerk, reviewer, issuer, inspector, admin

    public var isStaff: Bool { self != .applicant }
}

/// Who is acting: an authenticated account, or the system itself (timeouts, defaults).
public struct Actor: Codable, Sendable, Equatable {
    public let id: String
    public let username: String
    public let name: String
    public let role: Role
    /// The firm's 统一社会信用代码, for applicants.
    public let firm: String?
    /// For reviewers and inspectors.
    public let department: String?
    /// For inspectors.
    public let region: String?

    public init(id: String, username: String, name: String, role: Role, firm: String? = nil, department: String? = nil, region: String? = nil) {
        self.id = id
        self.username = username
        self.name = name
        self.role = role
        self.firm = firm
        self.department = department
        self.region = region
    }

    /// Automatic decisions (超时默认, deadline sweeps) are recorded under this actor.
    public static let system = Actor(id: "system", username: "system", name: "系统", role: .admin)

    /// Decisions made at submission by a capability's rules (智能审批) and the issuance that
    /// follows them under the bureau's electronic seal (自动用印).
    public static let rules = Actor(id: "rules", username: "rules", name: "智能审批", role: .admin)
}
