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

    /// The name a certificate gives its holder: the applicant firm as the project registers it.
    func holderName(for firm: String) -> String {
        [builder, contractor].compactMap { $0 }.first { $0.uscc == firm }?.name ?? builder.name
    }

    /// A firm sees a project it registered, builds, or contracts.
    public func isVisible(to firm: String) -> Bool {
        ownerFirm == firm || builder.uscc == firm || contractor?.uscc == firm
    }
}

public struct NewProject: Codable, Sendable {
    public var code: String
    public var name: String
    public var district: String
    public var address: String
    public var category: String
    public var builder: Party
    public var contractor: Party?

    public init(code: String, name: String, district: String, address: String, category: String, builder: Party, contractor: Party? = nil) {
        self.code = code
        self.name = name
        self.district = district
        self.address = address
        self.category = category
        self.builder = builder
        self.contractor = contractor
    }
}
