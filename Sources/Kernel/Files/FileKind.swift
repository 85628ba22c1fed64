/// What an uploaded file is, judged by its bytes, never by the type its sender declares: the
/// formats a bureau accepts as materials and photos.
public enum FileKind: String, Sendable, CaseIterable {
    case pdf, jpeg, png, ofd

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .ofd: "application/ofd"
        }
    }

    public var isImage: Bool { self == .jpeg || self == .png }

    /// The kind whose signature opens `prefix`; an OFD (版式文档, GB/T 33190) is a ZIP package
    /// holding `OFD.xml`, so a ZIP counts as one only when that entry was seen.
    static func detect(prefix: [UInt8], holdsOFDEntry: Bool) -> FileKind? {
        func starts(_ signature: [UInt8]) -> Bool { prefix.starts(with: signature) }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0x50, 0x4B, 0x03, 0x04]), holdsOFDEntry { return .ofd }
        return nil
    }

    static let ofdEntry = Array("OFD.xml".utf8)
}

/// Finds a byte sequence across the chunks of a stream, keeping only the tail it needs.
struct SignatureScanner {
    let signature: [UInt8]
    private var tail: [UInt8] = []
    private(set) var found = false

    init(_ signature: [UInt8]) {
        self.signature = signature
    }

    mutating func scan(_ bytes: [UInt8]) {
        guard !found else { return }
        let window = tail + bytes
        found = window.count >= signature.count && (0...(window.count - signature.count)).contains { start in
            window[start..<(start + signature.count)].elementsEqual(signature)
        }
        tail = Array(window.suffix(signature.count - 1))
    }
}
