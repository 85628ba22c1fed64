import Kernel
import Testing

@Suite("Identifiers hold only valid values")
struct IdentifierTests {
    /// Builds a valid code by computing the check character, so the tests do not trust a literal.
    static func validCode(_ prefix: String) -> String {
        prefix + String(UnifiedSocialCreditCode.checkCharacter(for: prefix)!)
    }

    @Test("a credit code with the right check character is accepted")
    func acceptsValidCreditCode() throws {
        let text = Self.validCode("91420104MA4KX1234")
        #expect(try UnifiedSocialCreditCode(text).value == text)
    }

    @Test("a known published credit code is accepted and lower case is normalised")
    func acceptsPublishedCode() throws {
        // 91110000100006485K is the code printed on a state enterprise's public licence.
        #expect(try UnifiedSocialCreditCode("91110000100006485k").value == "91110000100006485K")
    }

    @Test("a credit code with a wrong check character, a forbidden letter or a wrong length is refused with the reason")
    func refusesInvalidCreditCodes() {
        let valid = Self.validCode("91420104MA4KX1234")
        let wrongCheck = String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
        #expect(throws: UnifiedSocialCreditCode.Problem.checkCharacter) { try UnifiedSocialCreditCode(wrongCheck) }
        #expect(throws: UnifiedSocialCreditCode.Problem.character) { try UnifiedSocialCreditCode("91420104MA4KXI2345") }
        #expect(throws: UnifiedSocialCreditCode.Problem.length) { try UnifiedSocialCreditCode("9142010") }
        #expect(throws: UnifiedSocialCreditCode.Problem.regionCode) { try UnifiedSocialCreditCode(Self.validCode("914201A4MA4KX1234")) }
    }

    @Test("ordinary and eight-character new-energy plates are accepted; malformed ones are not",
          arguments: [("鄂A12345", true), ("鄂AD12345", true), ("鄂A12345D", true), ("鄂A·5B88X", true), ("鄂A1234", false),
                      ("鄂AI2345", false), ("XA12345", false), ("鄂AZ1234D5", false), ("鄂AX12345", false)])
    func plates(text: String, valid: Bool) {
        #expect((PlateNumber(text) != nil) == valid)
    }

    @Test("project codes follow the national platform's YYMM-region-industry-type-serial form",
          arguments: [("2401-420104-04-01-318562", true), ("2413-420104-04-01-318562", false), ("2401-42010-04-01-318562", false),
                      ("2401-420104-04-01-31856A", false)])
    func projectCodes(text: String, valid: Bool) {
        #expect((ProjectCode(text) != nil) == valid)
    }

    @Test("mobile and landline numbers are accepted and masked for the public")
    func phones() {
        #expect(PhoneNumber("13871234567")?.masked == "138****4567")
        #expect(PhoneNumber("027-85551234") != nil)
        #expect(PhoneNumber("12871234567") == nil)
        #expect(PhoneNumber("1387123456") == nil)
    }
}
