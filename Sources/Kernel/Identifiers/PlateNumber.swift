/// A mainland Chinese vehicle plate: province abbreviation, issuing-authority letter, then five
/// characters (ordinary) or six (new-energy, 8 characters in all, with D/F in the first or last place).
public struct PlateNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    static let provinces = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    /// Plates never use I or O, which read as 1 and 0.
    static let letters = Set("ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let digits = Set("0123456789")

    public init?(_ text: String) {
        let characters = Array(text.uppercased().filter { $0 != " " && $0 != "·" && $0 != "•" })
        guard characters.count == 7 || characters.count == 8,
              Self.provinces.contains(characters[0]),
              Self.letters.contains(characters[1])
        else { return nil }
        let serial = characters[2...]
        let alphanumeric = Self.letters.union(Self.digits)
        if characters.count == 7 {
            let lastAllowed = alphanumeric.union("挂学警港澳")
            guard serial.dropLast().allSatisfy(alphanumeric.contains), lastAllowed.contains(serial.last!) else { return nil }
        } else {
            let newEnergyMarks = Set("DABCEFGHJK")
            let smallCar = newEnergyMarks.contains(serial.first!) && serial.dropFirst().allSatisfy(alphanumeric.contains)
                && serial.suffix(4).allSatisfy(Self.digits.contains)
            let largeVehicle = serial.dropLast().allSatisfy(Self.digits.contains) && newEnergyMarks.contains(serial.last!)
            guard smallCar || largeVehicle else { return nil }
        }
        value = String(characters)
    }

    public var isNewEnergy: Bool { value.count == 8 }

    public var description: String { value }
}
