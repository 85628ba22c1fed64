import Foundation

/// JSON as the service publishes it to its users (CONTRACT.md): keys sorted, slashes unescaped,
/// times in RFC 3339 at the bureau's offset. In Kernel rather than the HTTP layer because some
/// answers are kept already encoded, by the transaction that changes them (an application's list
/// row), and must read exactly as the ones encoded per request.
public enum PublishedJSON {
    public static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date, timeZone: timeZone))
        }
        return encoder
    }()

    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
