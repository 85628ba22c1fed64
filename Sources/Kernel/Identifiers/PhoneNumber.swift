/// A mainland mobile number (11 digits, 13x–19x) or a landline with area code (027-8xxxxxxx).
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init?(_ text: String) {
        let compact = text.filter { $0 != " " }
        let digits = compact.filter(\.isASCIIDigit)
        let isMobile = compact.count == 11 && digits.count == 11 && compact.hasPrefix("1")
            && ("3"..."9").contains(String(compact.dropFirst().prefix(1)))
        let parts = compact.split(separator: "-", omittingEmptySubsequences: false)
        let isLandline = parts.count == 2 && parts[0].hasPrefix("0") && (3...4).contains(parts[0].count)
            && (7...8).contains(parts[1].count) && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
        guard isMobile || isLandline else { return nil }
        value = compact
    }

    /// The number as the public may see it: 138****5678.
    public var masked: String {
        guard value.count >= 7 else { return value }
        return String(value.prefix(3)) + "****" + String(value.suffix(4))
    }

    public var description: String { value }
}
