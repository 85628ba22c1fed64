import Certificates
import Foundation
import Kernel
import Testing

@Suite("Certificate images are drawn from the layouts in Templates/certificates")
struct RenderingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a missing layout stops start-up, naming it")
    func missingLayout() {
        #expect(throws: CertificateRenderer.MissingLayout.self) {
            try CertificateRenderer(directory: Self.root.appendingPathComponent("Templates/certificates"), templates: ["no-such-layout"],
                                    fontPath: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
        }
    }

    @Test("a holder name with markup and control characters is drawn without breaking the image")
    func hostileNames() async throws {
        let harness = try await CertificateHarness()
        let renderer = try CertificateRenderer(directory: Self.root.appendingPathComponent("Templates/certificates"), templates: ["waste-disposal"],
                                               fontPath: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
        let certificate = try await harness.issue()
        let hostile = try JSONDecoder().decode(Certificate.self, from: JSONEncoder().encode(certificate)
            .replacingName(certificate.holderName, with: "<b>武汉\u{0007}\u{202E}\u{0000}崇仁</b>\n置业"))
        let png = try renderer.render(hostile, qrText: "https://sg.example.cn/v/\(certificate.jws)", authority: "武汉市硚口区行政审批局")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 10_000)
    }

    @Test("QR codes use level M and grow with the text")
    func qrVersions() throws {
        let short = try QRCode(text: "https://sg.example.cn/v/abc")
        let certificateSized = try QRCode(text: String(repeating: "x", count: 455))
        #expect(short.version < certificateSized.version)
        #expect(certificateSized.version == 17)
        #expect(certificateSized.size == 85)
    }
}

extension Data {
    /// The same JSON with one string value swapped, to build a certificate with a hostile name.
    func replacingName(_ name: String, with replacement: String) throws -> Data {
        let escaped = String(data: try JSONEncoder().encode(replacement), encoding: .utf8)!
        let original = String(data: try JSONEncoder().encode(name), encoding: .utf8)!
        return Data(String(decoding: self, as: UTF8.self).replacingOccurrences(of: original, with: escaped).utf8)
    }
}
