import Foundation
import Kernel

extension JSON {
    /// Every string of a request body, keys included, must be printable text (`PrintableText`):
    /// checked once here, before any service sees the request, so no name, reason or form value
    /// can carry a direction override onto a certificate or a page. Line feeds and tabs are left
    /// to the services that take single-line text.
    static func refuseUnprintable(in body: Data) throws {
        guard mayHoldUnprintable(body), let document = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { return }
        if let (path, scalar) = firstUnprintable(in: document, at: "") {
            throw KernelError.invalidField(field: path.isEmpty ? "body" : path, message: PrintableText.refusal(scalar))
        }
    }

    /// Plain ASCII without escapes holds nothing to refuse (JSON forbids raw control characters
    /// in strings), which spares the common body a second parse.
    static func mayHoldUnprintable(_ body: Data) -> Bool {
        var previous: UInt8 = 0
        for byte in body {
            if byte >= 0x80 || (previous == UInt8(ascii: "\\") && byte == UInt8(ascii: "u")) { return true }
            previous = previous == UInt8(ascii: "\\") && byte == UInt8(ascii: "\\") ? 0 : byte
        }
        return false
    }

    static func firstUnprintable(in value: Any, at path: String) -> (String, Unicode.Scalar)? {
        switch value {
        case let text as String:
            return PrintableText.firstForbidden(in: text, multiline: true).map { (path, $0) }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = firstUnprintable(in: element, at: "\(path)[\(index)]") { return found }
            }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let scalar = PrintableText.firstForbidden(in: key) { return (child, scalar) }
                if let found = firstUnprintable(in: object[key]!, at: child) { return found }
            }
        default:
            break
        }
        return nil
    }
}
