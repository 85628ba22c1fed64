import CGD
import Foundation

/// A palette image's rows written as PNG by our own encoder. libgd's writer (libpng, zlib's
/// default strategy) spent half of a subject's card's drawing time compressing; a certificate is
/// large flat areas, text, and a QR whose rows repeat module after module, so each row is stored
/// as its difference from the row above (PNG's "Up" filter: repeated rows become zeros) and
/// deflated run-length only (`Z_RLE`), which finds exactly those runs at a fraction of the cost.
/// Two pixels share a byte (4-bit indices): half the bytes to deflate and checksum.
enum PalettePNG {
    struct Failure: Error {
        let status: Int32
    }

    static let colors = 16

    static func encode(rows: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, width: Int, height: Int, palette: [Canvas.RGB]) throws -> Data {
        let (indices, colors) = reduced(palette)
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [4, 3, 0, 0, 0])  // 4 bits per index, palette colour, deflate, adaptive filters, no interlace
        chunk("IHDR", header, into: &png)
        chunk("PLTE", Data(colors.flatMap { [$0.red, $0.green, $0.blue] }), into: &png)
        chunk("IDAT", try compressed(rows: rows, width: width, height: height, indices: indices), into: &png)
        chunk("IEND", Data(), into: &png)
        return png
    }

    /// At most 16 colours: while there are more, the two closest become one, the later taking
    /// the earlier's place. A certificate's palette is a few inks, allocated first, and libgd's
    /// antialiasing tints of each (seven apiece); the tints merged are a few shades apart.
    /// Returns each old index's new one, and the colours.
    static func reduced(_ palette: [Canvas.RGB]) -> (indices: [UInt8], colors: [Canvas.RGB]) {
        var target = Array(palette.indices)
        var alive = Array(palette.indices)
        func distance(_ a: Canvas.RGB, _ b: Canvas.RGB) -> Int {
            [(a.red, b.red), (a.green, b.green), (a.blue, b.blue)].reduce(0) { $0 + (Int($1.0) - Int($1.1)) * (Int($1.0) - Int($1.1)) }
        }
        while alive.count > colors {
            var closest = (distance: Int.max, kept: 0, merged: 0)
            for (position, kept) in alive.enumerated() {
                for merged in alive[(position + 1)...] where distance(palette[kept], palette[merged]) < closest.distance {
                    closest = (distance(palette[kept], palette[merged]), kept, merged)
                }
            }
            alive.removeAll { $0 == closest.merged }
            for index in target.indices where target[index] == closest.merged { target[index] = closest.kept }
        }
        let renumbered = Dictionary(uniqueKeysWithValues: alive.enumerated().map { ($1, UInt8($0)) })
        var indices = [UInt8](repeating: 0, count: 256)
        for (old, kept) in target.enumerated() { indices[old] = renumbered[kept]! }
        return (indices, alive.map { palette[$0] })
    }

    /// The byte two neighbouring pixels pack into, by the two indices read as one little-endian
    /// 16-bit number: one lookup per byte instead of two, and shifts, per pixel.
    static func pairTable(_ indices: [UInt8]) -> [UInt8] {
        var pairs = [UInt8](repeating: 0, count: 1 << 16)
        for second in 0..<256 {
            for first in 0..<256 { pairs[second << 8 | first] = indices[first] << 4 | indices[second] }
        }
        return pairs
    }

    /// Each row packed two pixels a byte behind its filter byte: the first as it is, every later
    /// one as its difference from the row above, deflated in one stream.
    static func compressed(rows: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, width: Int, height: Int, indices: [UInt8]) throws -> Data {
        var stream = z_stream()
        var status = deflateInit2_(&stream, 1, Z_DEFLATED, 15, 8, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(status: status) }
        defer { deflateEnd(&stream) }
        let packedBytes = (width + 1) / 2
        let line = UnsafeMutablePointer<UInt8>.allocate(capacity: packedBytes + 1)
        var (packed, above) = (UnsafeMutablePointer<UInt8>.allocate(capacity: packedBytes), UnsafeMutablePointer<UInt8>.allocate(capacity: packedBytes))
        defer {
            line.deallocate()
            packed.deallocate()
            above.deallocate()
        }
        var output = Data(count: Int(deflateBound(&stream, UInt((packedBytes + 1) * height))))
        var written = 0
        try output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) in
            let base = out.bindMemory(to: UInt8.self).baseAddress!
            let pairs = pairTable(indices)
            try pairs.withUnsafeBufferPointer { pair in
                for y in 0..<height {
                    let pixels = UnsafeRawPointer(rows[y]!)
                    for x in 0..<width / 2 {
                        packed[x] = pair[Int(pixels.loadUnaligned(fromByteOffset: 2 * x, as: UInt16.self).littleEndian)]
                    }
                    if width % 2 == 1 { packed[packedBytes - 1] = pair[Int(pixels.load(fromByteOffset: width - 1, as: UInt8.self))] & 0xF0 }
                    line[0] = y == 0 ? 0 : 2
                    if y == 0 {
                        (line + 1).update(from: packed, count: packedBytes)
                    } else {
                        for x in 0..<packedBytes { line[x + 1] = packed[x] &- above[x] }
                    }
                    swap(&packed, &above)
                    stream.next_in = line
                    stream.avail_in = UInt32(packedBytes + 1)
                    stream.next_out = base + written
                    stream.avail_out = UInt32(out.count - written)
                    status = deflate(&stream, y == height - 1 ? Z_FINISH : Z_NO_FLUSH)
                    written = out.count - Int(stream.avail_out)
                    guard status == Z_OK || status == Z_STREAM_END else { throw Failure(status: status) }
                }
            }
        }
        guard status == Z_STREAM_END else { throw Failure(status: status) }
        return output.prefix(written)
    }

    static func chunk(_ type: String, _ data: Data, into png: inout Data) {
        png.appendBigEndian(UInt32(data.count))
        var body = Data(type.utf8)
        body.append(data)
        let crc = body.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: UInt8.self).baseAddress, UInt32($0.count))) }
        png.append(body)
        png.appendBigEndian(crc)
    }
}

extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }
}
