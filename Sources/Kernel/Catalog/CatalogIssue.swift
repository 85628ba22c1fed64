/// One problem in a catalog folder, printed as `FILE:LINE: message`.
public struct CatalogIssue: Error, Sendable, Equatable, CustomStringConvertible, Comparable {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }

    public static func < (lhs: CatalogIssue, rhs: CatalogIssue) -> Bool {
        (lhs.file, lhs.line, lhs.message) < (rhs.file, rhs.line, rhs.message)
    }
}

/// Thrown when a catalog folder has problems; carries all of them, not just the first.
public struct InvalidCatalog: Error, CustomStringConvertible {
    public let issues: [CatalogIssue]

    public init(issues: [CatalogIssue]) {
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
