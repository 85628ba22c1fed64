/// 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17.
/// An instance always holds a valid code.
public struct UnifiedSocialCreditCode: Hashable, Sendable, CustomStringConvertible, Codable {
    public let value: String

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let registrationAuthorities = Set("123456789ABCDEFGNY")

    public enum Problem: Error, Equatable, Sendable {
        case length, character, registrationAuthority, regionCode, checkCharacter

        public var message: String {
            switch self {
            case .length: "统一社会信用代码应为18位"
            case .character: "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）"
            case .registrationAuthority: "统一社会信用代码第1位（登记管理部门代码）无效"
            case .regionCode: "统一社会信用代码第3至8位应为行政区划码"
            case .checkCharacter: "统一社会信用代码校验位不正确"
            }
        }
    }

    public init(_ text: String) throws(Problem) {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else { throw .length }
        var indices: [Int] = []
        for character in characters {
            guard let index = Self.alphabet.firstIndex(of: character) else { throw .character }
            indices.append(index)
        }
        guard Self.registrationAuthorities.contains(characters[0]) else { throw .registrationAuthority }
        guard characters[2..<8].allSatisfy(\.isASCIIDigit) else { throw .regionCode }
        guard Self.checkIndex(for: indices[0..<17]) == indices[17] else { throw .checkCharacter }
        value = String(characters)
    }

    /// The check character for 17 leading characters (used to build test and sample codes).
    public static func checkCharacter(for prefix: String) -> Character? {
        let indices = prefix.uppercased().compactMap { alphabet.firstIndex(of: $0) }
        guard indices.count == 17, prefix.count == 17 else { return nil }
        return alphabet[checkIndex(for: indices[...])]
    }

    static func checkIndex(for indices: ArraySlice<Int>) -> Int {
        let sum = zip(indices, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (31 - sum % 31) % 31
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
