/// A construction stage permitted ahead of the full permit (分阶段施工许可), as data in
/// `Modules/staged-permit/`: its item, and the full-permit items whose issuance for the same
/// project reuses its data and supersedes it, for the reason `supersededNote` gives.
public struct Stage: Codable, Sendable, Equatable {
    public let code: String
    public let name: String
    public let item: String
    public let supersededBy: [String]
    public let supersededNote: String?

    public init(code: String, name: String, item: String, supersededBy: [String], supersededNote: String?) {
        self.code = code
        self.name = name
        self.item = item
        self.supersededBy = supersededBy
        self.supersededNote = supersededNote
    }
}
