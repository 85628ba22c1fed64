/// 项目代码 as assigned by the national investment-project platform:
/// `YYMM-RRRRRR-II-TT-NNNNNN` (year and month, region code, industry, type, serial).
public struct ProjectCode: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init?(_ text: String) {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [4, 6, 2, 2, 6],
              groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let month = Int(groups[0].suffix(2)), (1...12).contains(month)
        else { return nil }
        value = text
    }

    /// The six-digit administrative region the project was registered in.
    public var regionCode: String { String(value.split(separator: "-")[1]) }

    public var description: String { value }
}
