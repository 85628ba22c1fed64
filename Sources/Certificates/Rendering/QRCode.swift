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

    /// The code as SVG (one path, a 4-module quiet zone), for pages that print it sharp at any size.
    public var svg: String {
        var path = ""
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                path += "M\(x + 4) \(y + 4)h1v1h-1z"
            }
        }
        let side = size + 8
        return ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(side) \##(side)" shape-rendering="crispEdges">"##
            + ##"<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="\##(path)"/></svg>"##
    }
}
