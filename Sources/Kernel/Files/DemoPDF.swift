import Foundation

/// A small, valid one-page PDF: what the demo data and the tests upload as a material, so that
/// uploads are judged by their bytes like a firm's real scans. The page shows `label` (ASCII, in
/// Helvetica); `title` (any text) is the document's title, as UTF-16.
public enum DemoPDF {
    public static func document(label: String, title: String) -> Data {
        let ascii = String(label.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && !"()\\".unicodeScalars.contains($0) })
        let stream = "BT /F1 18 Tf 72 720 Td (\(ascii)) Tj ET"
        let titleHex = "FEFF" + title.utf16.map { String(format: "%04X", $0) }.joined()
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Title <\(titleHex)> >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        pdf += offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 6 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }
}
