import CapabilityKit
import Certificates
import Kernel

/// The certificate as a printable page: the same layout as its image, the QR as SVG.
struct PrintPage {
    struct Field {
        let label: String
        let value: String
    }

    struct Permit {
        let position: Int
        let name: String
        let item: String
        let scope: String?
        let validTo: String?
        let details: [PermitDetail]
    }

    let title: String
    let number: String
    let fields: [Field]
    let permitsHeading: String?
    let permits: [Permit]
    let note: String?
    let qrSVG: String
    let authority: String
    let issuedOn: String
    /// Printed across the page when the certificate is not valid today.
    let watermark: String?

    init(certificate: Certificate, status: CertificateStatus, layout: CertificateLayout, fields: [(label: String, value: String)],
         note: String?, qrSVG: String, authority: String) {
        title = layout.title
        number = certificate.number.description
        self.fields = fields.map { Field(label: $0.label, value: $0.value) }
        permitsHeading = layout.permitsHeading
        permits = certificate.permits.enumerated().map { Permit(position: $0.offset + 1, name: $0.element.name, item: $0.element.item,
                                                                scope: $0.element.scope, validTo: $0.element.validTo?.description,
                                                                details: $0.element.details ?? []) }
        self.note = note
        self.qrSVG = qrSVG
        self.authority = authority
        let (year, month, day) = certificate.validFrom.components
        issuedOn = "\(year)年\(month)月\(day)日"
        watermark = switch status {
        case .valid: nil
        case .suspended: "已暂停"
        case .revoked: "已撤销"
        case .expired: "已过期"
        case .superseded: "已被取代"
        case .notYetValid: "尚未生效"
        }
    }
}
