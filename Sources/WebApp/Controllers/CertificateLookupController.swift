import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel
import Mustache

/// 证照查验 for anyone: a certificate's number as printed, or its QR's text pasted from a
/// scanner, leads to the same `/v/…` page the QR opens, with its live status.
struct CertificateLookupController {
    static let longestQuery = 4_000

    let certificates: CertificateService
    let templates: MustacheLibrary

    struct LookupPage {
        let query: String
        let error: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("public/certificates") { request, _ -> Response in
            let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { return try page(LookupPage(query: "", error: nil), status: .ok) }
            guard query.count <= Self.longestQuery else {
                return try page(LookupPage(query: "", error: "查验内容过长：请输入证照编号或二维码内容"), status: .unprocessableContent)
            }
            if let signed = Self.signedText(in: query) {
                return Self.verification(of: signed)
            }
            guard let signed = try await certificates.signedText(ofNumber: query.uppercased()) else {
                return try page(LookupPage(query: query, error: "未找到编号为“\(query)”的证照，请核对证照上的编号"), status: .notFound)
            }
            return Self.verification(of: signed)
        }
    }

    /// A QR's text is its `/v/…` address, or the bare signed text some scanners give.
    static func signedText(in query: String) -> String? {
        let candidate = query.range(of: "/v/").map { String(query[$0.upperBound...].prefix { !"?#/".contains($0) }) } ?? query
        let parts = candidate.split(separator: ".", omittingEmptySubsequences: false)
        let base64URL = /[A-Za-z0-9_-]+/
        guard parts.count == 3, parts.allSatisfy({ (try? base64URL.wholeMatch(in: $0)) != nil }) else { return nil }
        return candidate
    }

    static func verification(of signed: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/v/\(signed)"])
    }

    func page(_ model: LookupPage, status: HTTPResponse.Status) throws -> Response {
        try GuideController.publicPage("certificate-lookup", model, status: status, templates: templates)
    }
}
