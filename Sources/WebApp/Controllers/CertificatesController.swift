import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

struct CertificatesController {
    let certificates: CertificateService
    let catalog: Catalog
    let publicURL: String

    struct StatusChangeRequest: Decodable, Sendable {
        let reason: String?
    }

    struct CertificateView: Encodable {
        let certificate: Certificate
        let status: CertificateStatus
        let qr: String
    }

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.get("certificates/:number") { _, context -> Response in
            try respond(try await certificates.certificate(try context.parameters.require("number"), for: context.actor))
        }
        router.get("certificates/:number/image") { _, context -> Response in
            try await image(try context.parameters.require("number"), for: context.actor)
        }
        for (step, change) in [("suspension", StatusChange.suspend), ("reinstatement", .reinstate), ("revocation", .revoke)] {
            router.post("certificates/:number/\(step)") { request, context -> Response in
                let input = try await JSON.decode(StatusChangeRequest.self, from: request)
                return try respond(try await certificates.change(try context.parameters.require("number"), change, reason: input.reason, by: context.actor))
            }
        }
    }

    /// The same image for a signed-in page, whose `<img>` carries the session cookie, not a bearer token.
    func register(pages: RouterGroup<SignedInPageContext>) {
        pages.get("certificates/:number/image") { _, context -> Response in
            try await image(try context.parameters.require("number"), for: context.actor)
        }
    }

    func image(_ number: String, for actor: Actor) async throws -> Response {
        let certificate = try await certificates.certificate(number, for: actor)
        let png = try await certificates.image(number, for: actor, qrText: "\(publicURL)/v/\(certificate.jws)",
                                               authority: catalog.authorityName(of: certificate.district))
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    func respond(_ certificate: Certificate) throws -> Response {
        try JSON.response(CertificateView(certificate: certificate, status: certificate.status(on: certificates.today),
                                          qr: "\(publicURL)/v/\(certificate.jws)"))
    }
}
