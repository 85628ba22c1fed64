import CGD
import Foundation

/// A palette image's rows written as PNG by our own encoder. libgd's writer (libpng, zlib's
/// default strategy) spent half of a subject's card's drawing time compressing; a certificate is
/// large flat areas, text, and a QR whose rows repeat module after module, so each row is stored
/// as its difference from the row above (PNG's "Up" filter: repeated rows become zeros) and
/// deflated run-length only (`Z_RLE`), which finds exactly those runs at a fraction of the cost.
enum PalettePNG {
    struct Failure: Error {
        let status: Int32
    }

    static func encode(rows: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, width: Int, height: Int,
                       palette: [(red: UInt8, green: UInt8, blue: UInt8)]) throws -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 3, 0, 0, 0])  // 8 bits per index, palette colour, deflate, adaptive filters, no interlace
        chunk("IHDR", header, into: &png)
        chunk("PLTE", Data(palette.flatMap { [$0.red, $0.green, $0.blue] }), into: &png)
        chunk("IDAT", try compressed(rows: rows, width: width, height: height), into: &png)
        chunk("IEND", Data(), into: &png)
        return png
    }

    /// Each row behind its filter byte: the first as it is, every later one as its difference
    /// from the row above, deflated in one stream.
    static func compressed(rows: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, width: Int, height: Int) throws -> Data {
        var stream = z_stream()
        var status = deflateInit2_(&stream, 1, Z_DEFLATED, 15, 8, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(status: status) }
        defer { deflateEnd(&stream) }
        let rowBytes = width + 1
        var filtered = [UInt8](repeating: 0, count: rowBytes)
        var output = Data(count: Int(deflateBound(&stream, UInt(rowBytes * height))))
        var written = 0
        try output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) in
            let base = out.bindMemory(to: UInt8.self).baseAddress!
            for y in 0..<height {
                let current = rows[y]!
                filtered.withUnsafeMutableBufferPointer { row in
                    if y == 0 {
                        row[0] = 0
                        (row.baseAddress! + 1).update(from: current, count: width)
                    } else {
                        let above = rows[y - 1]!
                        row[0] = 2
                        for x in 0..<width { row[x + 1] = current[x] &- above[x] }
                    }
                }
                status = filtered.withUnsafeMutableBufferPointer { row in
                    stream.next_in = row.baseAddress
                    stream.avail_in = UInt32(rowBytes)
                    stream.next_out = base + written
                    stream.avail_out = UInt32(out.count - written)
                    let status = deflate(&stream, y == height - 1 ? Z_FINISH : Z_NO_FLUSH)
                    written = out.count - Int(stream.avail_out)
                    return status
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure(status: status) }
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
