import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// A register as a CSV file for Excel: UTF-8 with a byte-order mark (without it Excel reads
/// Chinese as the local code page), RFC 4180 quoting, CRLF line ends. The body is written page
/// by page as the list's keyset pages are read, so a city's years of rows never sit in memory.
enum CSVDownload {
    static let byteOrderMark = "\u{FEFF}"

    /// One record: every cell quoted as it needs, ended by CRLF.
    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// A cell quoted when it holds a comma, a quote or a line break, its quotes doubled. A cell
    /// that a spreadsheet would read as a formula (=, +, -, @, or a tab or CR before one) is
    /// prefixed with an apostrophe, so a name a firm typed is shown and never run.
    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, formulaStarts.contains(first) { text = "'" + text }
        guard text.unicodeScalars.contains(where: { needsQuotes.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    private static let needsQuotes: Set<Unicode.Scalar> = [",", "\"", "\n", "\r"]

    /// The download: the header and the first page at once, then each next page as `next` reads it
    /// from the cursor the page before ended at. The first page is read before answering, so a
    /// refusal is still an error page, not a broken file.
    static func response(filename: String, header: [String], first: Page<[String]>,
                         next: @escaping @Sendable (Cursor) async throws -> Page<[String]>) -> Response {
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: byteOrderMark + line(header) + first.items.map(line).joined()))
            var cursor = first.next
            while let after = cursor {
                let page = try await next(after)
                try await writer.write(ByteBuffer(string: page.items.map(line).joined()))
                cursor = page.next
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"",
                                               .cacheControl: "no-store"], body: body)
    }
}
