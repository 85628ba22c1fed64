import Foundation
import Kernel

public struct Party: Codable, Sendable, Equatable {
    public let name: String
    public let uscc: String

    public init(name: String, uscc: String) {
        self.name = name
        self.uscc = uscc
    }
}

/// Where a project is and who builds it: the part of a project an inspector on site is shown,
/// read without decoding the whole project.
public struct ProjectSite: Sendable, Equatable {
    /// Six-digit region code of the site.
    public let district: String
    public let address: String
    public let builder: Party
    public let contractor: Party?
}

/// A construction project as registered by a firm; applications are filed against it.
public struct Project: Codable, Sendable, Equatable {
    public let id: String
    public let code: String
    public let name: String
    /// Six-digit region code of the site.
    public let district: String
    public let address: String
    public let category: String
    public let builder: Party
    public let contractor: Party?
    /// The firm that registered the project.
    public let ownerFirm: String
    public let createdAt: Date

    /// The name a certificate gives its holder: the applicant firm as a party of the project (its
    /// registered name), or nil when the firm is neither builder nor contractor.
    func holderName(for firm: String) -> String? {
        [builder, contractor].compactMap { $0 }.first { $0.uscc == firm }?.name
    }

    /// A firm sees, and applies for, a project it builds or contracts.
    public func isVisible(to firm: String) -> Bool {
        builder.uscc == firm || contractor?.uscc == firm
    }

    /// The same project with other parties, as the bureau reassigns it; the builder owns it.
    func reassigned(builder: Party, contractor: Party?) -> Project {
        Project(id: id, code: code, name: name, district: district, address: address, category: category, builder: builder,
                contractor: contractor, ownerFirm: builder.uscc, createdAt: createdAt)
    }
}

/// A party as a firm names it when registering a project: the code, and optionally the name,
/// which must then be the registered one (a firm not yet registered is named by it).
public struct NewParty: Codable, Sendable {
    public var name: String?
    public var uscc: String

    public init(name: String? = nil, uscc: String) {
        self.name = name
        self.uscc = uscc
    }
}

public struct NewProject: Codable, Sendable {
    public var code: String
    public var name: String
    public var district: String
    public var address: String
    public var category: String
    public var builder: NewParty
    public var contractor: NewParty?

    public init(code: String, name: String, district: String, address: String, category: String, builder: NewParty, contractor: NewParty? = nil) {
        self.code = code
        self.name = name
        self.district = district
        self.address = address
        self.category = category
        self.builder = builder
        self.contractor = contractor
    }
}
