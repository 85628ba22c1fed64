import Foundation

/// Text that is printed on a certificate or shown on a page must read in the order it was signed:
/// no control characters, no bidirectional embeddings, overrides or isolates (U+202A–U+202E,
/// U+2066–U+2069), no zero-width or other invisible format characters (U+200B–U+200F, U+FEFF …),
/// no line or paragraph separators, private-use or unassigned code points.
public enum PrintableText {
    /// The first scalar that may not be printed, or nil. Multi-line text may hold line feeds and tabs.
    public static func firstForbidden(in text: String, multiline: Bool = false) -> Unicode.Scalar? {
        text.unicodeScalars.first { isForbidden($0, multiline: multiline) }
    }

    public static func isForbidden(_ scalar: Unicode.Scalar, multiline: Bool = false) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: !(multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r"))
        case .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: true
        default: false
        }
    }

    /// Names the character for people: `U+202E`.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        String(format: "U+%04X", scalar.value)
    }

    /// The message a refused field carries.
    public static func refusal(_ scalar: Unicode.Scalar) -> String {
        "含有不可打印或改变文字方向的字符 \(describe(scalar))，请删除后重新输入"
    }
}
