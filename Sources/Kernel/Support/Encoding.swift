import Crypto
import Foundation

extension Sequence<UInt8> {
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }
}

extension Digest {
    public var hexString: String { Array(makeIterator()).hexString }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5), safe in URLs and headers.
    public var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}

/// Times as CONTRACT.md wants them: RFC 3339 with the service's offset (`+08:00`).
public struct RFC3339 {
    public static func string(from date: Date, timeZone: TimeZone) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone))
    }
}
