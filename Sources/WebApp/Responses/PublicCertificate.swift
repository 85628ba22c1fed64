import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel
import Supervision

/// A certificate as anyone who scans its QR may see it: what is printed on it, and its live status.
struct PublicCertificate: Encodable {
    /// An included permit with its own number and its status today (一码查询 of every sub-permit).
    struct Permit: Encodable {
        let item: String
        let name: String
        let department: String
        let number: String?
        let scope: String?
        let validTo: CivilDate?
        let status: CertificateStatus
        /// What the issuing capability added (nights and hours of night work).
        let details: [PermitDetail]?
    }

    let number: String
    let kind: String
    let holderName: String
    let holderUSCC: String
    let projectCode: String
    let projectName: String
    let permits: [Permit]
    let validFrom: CivilDate
    let validTo: CivilDate?
    let authority: String
    let status: CertificateStatus
    let statusReason: String?
    let statusChangedAt: Date?
    let version: Int?
    let supersedes: String?
    let supersededBy: String?
    /// For one subject's certificate (a vehicle's): the subject and its facts.
    let subject: PermitSubject?
    /// The regions along the permit's route, origin first.
    let route: PermitRoute?

    init(_ certificate: Certificate, status: CertificateStatus, today: CivilDate, authority: String) {
        subject = certificate.subject
        route = certificate.route
        version = certificate.version
        supersedes = certificate.supersedes
        supersededBy = certificate.supersededBy
        number = certificate.number.description
        kind = certificate.kind
        holderName = certificate.holderName
        holderUSCC = certificate.holderUSCC
        projectCode = certificate.projectCode
        projectName = certificate.projectName
        permits = certificate.permits.map { permit in
            Permit(item: permit.item, name: permit.name, department: permit.department, number: permit.number, scope: permit.scope,
                   validTo: permit.validTo, status: certificate.status(of: permit, on: today), details: permit.details)
        }
        validFrom = certificate.validFrom
        validTo = certificate.validTo
        self.authority = authority
        self.status = status
        statusReason = certificate.statusReason
        statusChangedAt = certificate.statusChangedAt
    }
}

struct VerificationResponse: Encodable {
    let valid: Bool
    let status: CertificateStatus?
    let reason: VerificationFailure?
    let certificate: PublicCertificate?
    /// Only for an inspector of the region the certificate concerns.
    let site: SiteContact?

    init(_ verification: Verification, catalog: Catalog, site: SiteContact?) {
        valid = verification.isValid
        status = verification.status
        reason = verification.failure
        certificate = verification.certificate.map {
            PublicCertificate($0, status: verification.status ?? $0.status, today: verification.checkedOn, authority: catalog.authorityName(of: $0.district, withCity: false))
        }
        self.site = site
    }
}

struct ScanResponse: Encodable {
    let scan: Scan
    let verification: VerificationResponse
}
