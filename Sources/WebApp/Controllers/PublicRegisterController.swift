import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel
import Mustache

/// 定期公告: the register of issued certificates, newest first, for anyone — as JSON and as a
/// page by district — each with the public facts and live status its QR shows on `/v/…`.
struct PublicRegisterController {
    let certificates: CertificateService
    let catalog: Catalog
    let templates: MustacheLibrary

    func register(on router: Router<AppRequestContext>) {
        router.get("api/v1/public/certificates") { request, _ -> Response in
            let found = try await certificates.published(district: try district(in: request),
                                                         page: try request.pageRequest(keyCount: CertificateRegistry.publishedOrder.keyCount))
            let today = certificates.today
            return try JSON.response(found.map { certificate in
                PublicCertificate(certificate, status: certificate.status(on: today), today: today,
                                  authority: catalog.authorityName(of: certificate.district, withCity: false))
            }, for: request)
        }
        router.get("public/register") { request, _ -> Response in
            let district = try district(in: request)
            let found = try await certificates.published(district: district,
                                                         page: try request.pageRequest(keyCount: CertificateRegistry.publishedOrder.keyCount))
            let paging = PageLinks(path: "/public/register", keeping: district.map { "district=\($0)" }, limit: request.uri.queryParameters.get("limit"),
                                   cursor: request.uri.queryParameters.get("cursor"))
            let page = PublicRegisterPage(page: found, district: district, catalog: catalog, today: certificates.today,
                                          timeZone: catalog.calendar.timeZone, pager: paging.pager(below: found))
            return try GuideController.publicPage("public-register", page, templates: templates)
        }
    }

    func district(in request: Request) throws -> String? {
        guard let code = request.uri.queryParameters.get("district"), !code.isEmpty else { return nil }
        guard catalog.regions[code] != nil else { throw KernelError.invalidField(field: "district", message: "未知的行政区划 \(code)") }
        return code
    }
}
