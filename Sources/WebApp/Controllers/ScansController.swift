import CapabilityKit
import Approval
import Certificates
import Foundation
import Hummingbird
import Kernel
import Supervision

/// 扫码检查: an inspector scans a QR on site or on a truck; the scan is verified, recorded and
/// answered with the certificate as that inspector may see it.
struct ScansController {
    let scans: ScanService
    let approval: ApprovalService
    let catalog: Catalog

    struct ScanRequest: Decodable, Sendable {
        let qr: String
        let checkpoint: Checkpoint
        let location: ScanLocation?
    }

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("scans") { request, context -> Response in
            let input = try await JSON.decode(ScanRequest.self, from: request)
            let result = try await scans.record(qr: input.qr, checkpoint: input.checkpoint, location: input.location,
                                                idempotencyKey: request.headers[.init("Idempotency-Key")!], by: context.actor)
            var site: SiteContact?
            if result.inspectorMaySeeDetails, let certificate = result.verification.certificate {
                site = try await approval.siteContact(applicationID: certificate.applicationID, for: context.actor,
                                                      routeRegions: certificate.route?.regions ?? [])
            }
            var response = try JSON.response(ScanResponse(scan: result.scan, verification: VerificationResponse(result.verification, catalog: catalog, site: site)),
                                             status: .created)
            if result.replayed { response.headers[.init("Idempotent-Replayed")!] = "true" }
            return response
        }
    }
}
