import CGD
import Foundation

/// The pixel rows of a palette PNG as `PalettePNG` writes them (4-bit indices, rows unfiltered or
/// filtered "Up"), read back so tests can look at what was drawn where.
struct PaletteRows {
    struct Unreadable: Error {
        let reason: String
    }

    let width: Int
    let rows: [[UInt8]]
    /// The palette, three bytes a colour.
    let colors: [[UInt8]]
    var count: Int { rows.count }

    init(png: Data) throws {
        let bytes = [UInt8](png)
        var offset = 8, width = 0, height = 0
        var compressed: [UInt8] = []
        var colors: [[UInt8]] = []
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let body = bytes[offset + 8..<offset + 8 + length]
            if type == "IHDR" {
                width = body.prefix(4).reduce(0) { $0 << 8 | Int($1) }
                height = body.dropFirst(4).prefix(4).reduce(0) { $0 << 8 | Int($1) }
            }
            if type == "IDAT" { compressed += body }
            if type == "PLTE" { colors = stride(from: body.startIndex, to: body.endIndex, by: 3).map { Array(body[$0..<$0 + 3]) } }
            offset += 12 + length
        }
        let rowBytes = (width + 1) / 2
        var inflated = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        var size = uLongf(inflated.count)
        let status = uncompress(&inflated, &size, compressed, uLong(compressed.count))
        guard status == Z_OK, Int(size) == inflated.count else { throw Unreadable(reason: "inflate: \(status)") }
        var packed: [[UInt8]] = []
        for y in 0..<height {
            let line = inflated[y * (rowBytes + 1)..<(y + 1) * (rowBytes + 1)]
            let bytes = Array(line.dropFirst())
            switch line.first {
            case 0: packed.append(bytes)
            case 2: packed.append(zip(bytes, packed[y - 1]).map { $0 &+ $1 })
            default: throw Unreadable(reason: "row \(y): filter \(line.first ?? 255)")
            }
        }
        let rows = packed.map { row in (0..<width).map { x in x.isMultiple(of: 2) ? row[x / 2] >> 4 : row[x / 2] & 0x0F } }
        self.width = width
        self.rows = rows
        self.colors = colors
    }

    /// Only the background colour (palette index 0) in row `y`.
    func isBlank(_ y: Int) -> Bool { rows[y].allSatisfy { $0 == 0 } }

    /// From the first to the last pixel drawn in row `y` between the columns `within`.
    func inkedWidth(row y: Int, within columns: Range<Int>) -> Int {
        let part = rows[y][columns]
        guard let first = part.firstIndex(where: { $0 != 0 }), let last = part.lastIndex(where: { $0 != 0 }) else { return 0 }
        return last - first + 1
    }

    /// The length of the first run of drawn pixels in row `y` between the columns `within`.
    func firstRun(row y: Int, within columns: Range<Int>) -> Int {
        let part = rows[y][columns]
        guard let first = part.firstIndex(where: { $0 != 0 }) else { return 0 }
        return part[first...].prefix { $0 != 0 }.count
    }
}
