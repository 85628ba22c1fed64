import Foundation
import Kernel

/// One certificate kind's layout, from `Templates/certificates/<template>.yaml`: the title and the
/// fields printed on it. Values are text with `{{placeholders}}` for the certificate's data.
public struct CertificateLayout: Decodable, Sendable {
    public struct Field: Decodable, Sendable {
        public let label: String
        public let value: String
    }

    public let title: String
    /// For a subject's card: what its id is called, printed above it (车牌号).
    public let subjectLabel: String?
    public let fields: [Field]
    public let permitsHeading: String?
    public let note: String?

    /// The placeholders a layout may use; `regionNames` words a route's region codes.
    static func values(of certificate: Certificate, authority: String, regionNames: [String: String]) -> [String: String] {
        let (year, month, day) = certificate.validFrom.components
        return [
            "number": certificate.number.description, "holderName": certificate.holderName, "holderUSCC": certificate.holderUSCC,
            "projectName": certificate.projectName, "projectCode": certificate.projectCode, "validFrom": certificate.validFrom.description,
            "validTo": certificate.validTo?.description ?? "项目竣工", "authority": authority, "issuedOn": "\(year)年\(month)月\(day)日",
            "subject": certificate.subject?.id ?? "",
            "route": certificate.route?.regions.map { regionNames[$0] ?? $0 }.joined(separator: " → ") ?? "",
        ]
    }

    static func fill(_ text: String, with values: [String: String]) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
    }
}
