import Foundation
import Testing
@testable import Approval

@Suite("A form's answers keep the JSON type the firm sent")
struct FormValueTests {
    @Test("text stays text even when it reads like a number or a truth value; numbers and true/false stay what they are; each comes back out unchanged")
    func valuesKeepTheirTypes() throws {
        let json = #"{"a":"1","b":1,"c":true,"d":86500.5,"e":"true","f":0,"g":false,"h":"","i":"框架-剪力墙"}"#
        let form = try JSONDecoder().decode([String: FormValue].self, from: Data(json.utf8))
        #expect(form == ["a": .string("1"), "b": .number(1), "c": .bool(true), "d": .number(86500.5), "e": .string("true"), "f": .number(0),
                         "g": .bool(false), "h": .string(""), "i": .string("框架-剪力墙")])
        let again = try JSONDecoder().decode([String: FormValue].self, from: try JSONEncoder().encode(form))
        #expect(again == form)
    }
}
