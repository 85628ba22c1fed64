import Foundation

/// A time of day, `HH:MM`, as night windows are given.
public struct ClockTime: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Minutes after midnight, 0–1439.
    public let minutes: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), hours < 24, minutes < 60 else { return nil }
        self.minutes = hours * 60 + minutes
    }

    init(minutes: Int) {
        self.minutes = minutes
    }

    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        minutes = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// Minutes from this time forward to `later`, across midnight if need be.
    func minutes(until later: ClockTime) -> Int {
        (later.minutes - minutes + 1440) % 1440
    }

    public var description: String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = ClockTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "时间格式应为 HH:MM"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
