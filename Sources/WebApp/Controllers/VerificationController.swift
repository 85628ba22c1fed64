import CapabilityKit
import Approval
import Certificates
import Foundation
import Hummingbird
import Kernel
import Mustache

/// 一码查询: `GET /v/{jws}` as a page for a phone, or JSON for programs; the keys that sign
/// certificates at `/.well-known/jwks.json`.
struct VerificationController {
    let certificates: CertificateService
    let approval: ApprovalService
    let catalog: Catalog
    let templates: MustacheLibrary
    let publicURL: String
    /// A browser signed in as an inspector gets the inspector's page of the same QR.
    let inspectorPages: InspectorPagesController
    let answers = VerificationAnswers()

    func register(on router: Router<AppRequestContext>) {
        router.get(".well-known/jwks.json") { _, _ -> Response in
            try JSON.response(certificates.keys.jwks)
        }
        router.get("v/:jws") { request, context -> Response in
            let jws = try context.parameters.require("jws")
            let verification = try await certificates.verify(jws)
            let wantsJSON = request.headers[.accept]?.contains("application/json") == true
            if wantsJSON, context.identity == nil, let key = VerificationAnswers.key(jws: jws, verification) {
                let body = try answers.answer(for: key) {
                    ByteBuffer(bytes: try JSON.encoder.encode(VerificationResponse(verification, catalog: catalog, site: nil)))
                }
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
            }
            if !wantsJSON, let inspectorPage = try await inspectorPages.verificationPage(jws: jws, verification: verification, request: request) {
                return inspectorPage
            }
            var site: SiteContact?
            if let identity = context.identity, let certificate = verification.certificate {
                site = try await approval.siteContact(applicationID: certificate.applicationID, for: identity,
                                                      routeRegions: certificate.route?.regions ?? [])
            }
            let response = VerificationResponse(verification, catalog: catalog, site: site)
            if wantsJSON {
                return try JSON.response(response)
            }
            return try page(VerificationPage(response, catalog: catalog, day: PageText.day))
        }
        router.get("v/:jws/print") { _, context -> Response in
            let jws = try context.parameters.require("jws")
            let verification = try await certificates.verify(jws)
            guard let certificate = verification.certificate, let renderer = certificates.renderer,
                  let filled = renderer.fields(of: certificate, authority: catalog.authorityName(of: certificate.district))
            else {
                return try page(VerificationPage(VerificationResponse(verification, catalog: catalog, site: nil), catalog: catalog, day: PageText.day))
            }
            let qr = try QRCode(text: "\(publicURL)/v/\(jws)")
            let model = PrintPage(certificate: certificate, status: verification.status ?? certificate.status, layout: filled.layout,
                                  fields: filled.fields, note: filled.note, qrSVG: qr.svg, authority: catalog.authorityName(of: certificate.district))
            guard let html = templates.render(model, withTemplate: "certificate-print") else {
                throw TemplateMissing(name: "certificate-print")
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    func page(_ model: VerificationPage) throws -> Response {
        guard let html = templates.render(model, withTemplate: "verify") else { throw TemplateMissing(name: "verify") }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// The verification page's words: the verdict first, big, then what the certificate permits.
struct VerificationPage {
    struct Row {
        let label: String
        let value: String
    }

    struct PermitRow {
        let name: String
        let item: String
        let number: String?
        let scope: String?
        let validTo: String
        let status: String
        let valid: Bool
        let details: [PermitDetail]
    }

    let valid: Bool
    let verdict: String
    let explanation: String
    let rows: [Row]
    let permits: [PermitRow]
    let hasCertificate: Bool

    /// `day` writes the dates, as people read them (2026年12月1日).
    init(_ response: VerificationResponse, catalog: Catalog, day: (CivilDate) -> String) {
        valid = response.valid
        if let failure = response.reason {
            verdict = "无效"
            explanation = failure.label
        } else {
            let status = response.status ?? .revoked
            verdict = status.label
            let when = response.certificate?.statusChangedAt.map { day(CivilDate($0, in: catalog.calendar.timeZone)) } ?? ""
            explanation = status == .valid ? "证照真实有效" : [response.certificate?.statusReason, when.isEmpty ? nil : "变更日期 \(when)"]
                .compactMap { $0 }.joined(separator: "；")
        }
        guard let certificate = response.certificate else {
            rows = []
            permits = []
            hasCertificate = false
            return
        }
        hasCertificate = true
        rows = [
            Row(label: "证照编号", value: certificate.number),
            Row(label: "持证单位", value: certificate.holderName),
            Row(label: "统一社会信用代码", value: certificate.holderUSCC),
            Row(label: "项目名称", value: certificate.projectName),
            Row(label: "项目代码", value: certificate.projectCode),
            Row(label: "有效期", value: "\(day(certificate.validFrom)) 至 \(certificate.validTo.map(day) ?? "项目竣工")"),
            Row(label: "发证机关", value: certificate.authority),
        ] + (response.site.map { site in
            [Row(label: "工地地址", value: site.address), Row(label: "现场联系人", value: [site.contactName, site.contactPhone].compactMap { $0 }.joined(separator: " "))]
        } ?? [])
        permits = certificate.permits.map {
            PermitRow(name: $0.name, item: $0.item, number: $0.number, scope: $0.scope, validTo: $0.validTo.map(day) ?? "与证照一致",
                      status: $0.status.label, valid: $0.status == .valid, details: $0.details ?? [])
        }
    }
}
