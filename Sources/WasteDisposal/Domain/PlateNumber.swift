import Foundation

/// A Chinese vehicle plate (GA 36): a province abbreviation, an issuing-office letter, then five
/// characters for a fuel vehicle (`鄂A12345`) or six for a new-energy one, whose first or last is
/// D or F (`鄂AD12345`, `鄂A12345F`). Letters I and O never occur.
public struct PlateNumber: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init?(_ text: String, provinces: String) {
        let characters = Array(text.trimmingCharacters(in: .whitespaces).uppercased())
        guard characters.count == 7 || characters.count == 8, provinces.contains(characters[0]),
              let office = characters[1].asciiValue, Self.isLetter(office) else { return nil }
        let serial = characters[2...].map { $0.asciiValue }
        guard serial.allSatisfy({ $0.map { Self.isLetter($0) || Self.isDigit($0) } ?? false }) else { return nil }
        if characters.count == 8 {
            let energy: Set<Character> = ["D", "F"]
            guard energy.contains(characters[2]) || energy.contains(characters[7]) else { return nil }
        }
        description = String(characters)
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) && byte != UInt8(ascii: "I") && byte != UInt8(ascii: "O")
    }
}
