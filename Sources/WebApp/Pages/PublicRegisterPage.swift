import CapabilityKit
import Certificates
import Foundation
import Kernel

/// The register as a page: one row per certificate, the newest first, with the district choice.
struct PublicRegisterPage {
    struct RegionOption {
        let code: String
        let name: String
        let selected: Bool
    }

    struct Row {
        let number: String
        let verifyURL: String
        let projectName: String
        let holderName: String
        let permits: String
        let subject: String?
        let districtName: String
        let issuedOn: String
        let validity: String
        let status: String
        let tone: String
    }

    let regions: [RegionOption]
    let rows: [Row]
    let empty: Bool
    let pager: Pager

    init(page: Page<Certificate>, district: String?, catalog: Catalog, today: CivilDate, timeZone: TimeZone, pager: Pager) {
        regions = catalog.regions.values.sorted { $0.code < $1.code }.map { RegionOption(code: $0.code, name: $0.name, selected: $0.code == district) }
        rows = page.items.map { certificate in
            let status = certificate.status(on: today)
            return Row(number: certificate.number.description, verifyURL: "/v/\(certificate.jws)", projectName: certificate.projectName,
                       holderName: certificate.holderName, permits: certificate.permits.map(\.name).joined(separator: "、"),
                       subject: certificate.subject?.id,
                       districtName: catalog.regions[certificate.district]?.name ?? certificate.district,
                       issuedOn: PageText.day(CivilDate(certificate.issuedAt, in: timeZone)),
                       validity: "\(PageText.day(certificate.validFrom)) 至 \(certificate.validTo.map(PageText.day) ?? "长期")",
                       status: status.label, tone: status == .valid ? "ok" : "bad")
        }
        empty = pager.isEmpty(rows)
        self.pager = pager
    }
}
