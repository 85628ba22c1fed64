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

    @Test("a vehicle's card with a long holder name and route keeps every line inside its frame, its QR shrinking to make room")
    func longCardFitsItsFrame() async throws {
        let harness = try await CertificateHarness()
        let renderer = try CertificateRenderer(directory: Self.root.appendingPathComponent("Templates/certificates"), templates: ["waste-vehicle"],
                                               fontPath: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                                               regionNames: ["420104": "硚口区", "420112": "东西湖区", "420984": "汉川市", "420105": "汉阳区"])
        let short = try await harness.issueVehicleCard(holder: "武汉崇仁置业有限公司", route: PermitRoute(origin: "420104", transit: [], disposal: "420112"))
        let long = try await harness.issueVehicleCard(holder: "武汉市硚口区崇仁路城市更新建设投资发展集团有限责任公司第三工程分公司",
                                                      route: PermitRoute(origin: "420104", transit: ["420105", "420112"], disposal: "420984"))
        for certificate in [short, long] {
            let rows = try PaletteRows(png: try renderer.render(certificate, qrText: "https://sg.example.cn/v/\(certificate.jws)",
                                                                authority: "武汉市硚口区行政审批局"))
            // The frame's outer edge is 20 pixels in: nothing is drawn beyond it.
            #expect((rows.count - 20..<rows.count).allSatisfy { rows.isBlank($0) }, "text below the frame of \(certificate.holderName)")
        }
        let module = { (certificate: Certificate) throws -> Int in
            let rows = try PaletteRows(png: try renderer.render(certificate, qrText: "https://sg.example.cn/v/\(certificate.jws)", authority: "审批局"))
            // The QR's first row below the plate crosses its top-left finder pattern: seven modules dark.
            guard let top = (300..<rows.count).first(where: { rows.inkedWidth(row: $0, within: 40..<960) > 0 }) else { return 0 }
            return rows.firstRun(row: top, within: 40..<960) / 7
        }
        let (shortModule, longModule) = (try module(short), try module(long))
        #expect(longModule < shortModule)
        #expect(longModule >= 6, "a module of the QR stays 6 pixels or more: 3 when the card is printed at half size")
    }

    @Test("a card's palette keeps its inks exact and fits 16 colours, the seal's red included")
    func paletteKeepsInks() async throws {
        let harness = try await CertificateHarness()
        let renderer = try CertificateRenderer(directory: Self.root.appendingPathComponent("Templates/certificates"), templates: ["waste-vehicle"],
                                               fontPath: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
        let card = try await harness.issueVehicleCard(holder: "武汉崇仁置业有限公司", route: PermitRoute(origin: "420104", transit: [], disposal: "420112"))
        let rows = try PaletteRows(png: try renderer.render(card, qrText: "https://sg.example.cn/v/\(card.jws)", authority: "武汉市硚口区行政审批局"))
        #expect(rows.colors.count <= 16)
        #expect(rows.colors.first == [255, 255, 255])
        #expect(rows.colors.contains([20, 20, 20]) && rows.colors.contains([100, 100, 100]) && rows.colors.contains([200, 30, 30]))
        let seal = rows.rows[1290][780 - 140...780 + 140]
        #expect(seal.contains { rows.colors[Int($0)] == [200, 30, 30] }, "the seal is laid where it belongs")
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
