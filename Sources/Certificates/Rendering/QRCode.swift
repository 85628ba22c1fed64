import CQRencode

/// A QR code (level M, byte mode) as a square of modules. The one place libqrencode is called.
public struct QRCode: Sendable {
    public let version: Int
    /// Modules per side.
    public let size: Int
    private let dark: [Bool]

    public struct TooLong: Error {}

    public init(text: String) throws {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { throw TooLong() }
        defer { QRcode_free(code) }
        version = Int(code.pointee.version)
        size = Int(code.pointee.width)
        dark = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool { dark[y * size + x] }
}
