import Foundation
import Hummingbird
import Testing
import WebApp

/// Reads the QR codes in a PNG with zbarimg (Debian's zbar-tools), as a phone camera would.
func decodeQR(_ png: Data) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png")
    try png.write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
    process.arguments = ["--quiet", "--raw", file.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("A certificate can be downloaded as a PNG whose QR code reads back to its verification address")
struct CertificateImageTests {
    @Test("the holder downloads the image; its QR decodes to the certificate's QR text; the second download is the cached one")
    func imageRoundTrip() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (firm, _, certificate) = try await client.issuedCertificate()
            let number = try #require(certificate["number"]?.string)
            let png = try await client.raw("/api/v1/certificates/\(number)/image", token: firm)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(try decodeQR(png) == certificate["qr"]?.string)
            let again = try await client.raw("/api/v1/certificates/\(number)/image", token: firm)
            #expect(again == png)
            let cached = try FileManager.default.contentsOfDirectory(atPath: app.configuration.imagesDirectory.path)
            #expect(cached.count == 1)

            let other = try await client.login("hanxi")
            #expect(try await client.request(.get, "/api/v1/certificates/\(number)/image", token: other).status == .notFound)
        }
    }
}
