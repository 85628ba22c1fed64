import Foundation
import GRDB
import Kernel

/// Creates the certificates of an issued application, inside the issuing transaction: one
/// certificate per application for a bundle (every permit listed on it), one per permit otherwise.
public enum CertificateRegistry {
    /// Subscribes certificate creation to `PermitIssued`; `bundles` gives the one certificate of each
    /// bundle, from the catalog.
    public static func subscribe(to bus: EventBus, bundles: [String: BundleCertificate], keys: SigningKeys) {
        bus.subscribe(PermitIssued.self) { scope, event in
            try issue(for: event, bundles: bundles, signingKey: keys.active, in: scope)
        }
    }

    static func issue(for event: PermitIssued, bundles: [String: BundleCertificate], signingKey: SigningKeys.Key, in scope: EventScope) throws {
        let db = scope.db
        let permits = event.permits.map { permit in
            CertifiedPermit(item: permit.item, name: permit.name, department: permit.department,
                            validTo: permit.validityDays.map { event.issuedOn.adding(days: $0 - 1) })
        }
        let groups: [(kind: String, template: String, permits: [CertifiedPermit])] = if let bundle = event.bundle.flatMap({ bundles[$0] }) {
            [(bundle.kind, bundle.template, permits)]
        } else {
            zip(event.permits, permits).map { ($0.certificateKind, $0.certificateTemplate, [$1]) }
        }
        for group in groups where !group.permits.isEmpty {
            let number = try nextNumber(region: event.district, year: event.issuedOn.year, kind: group.kind, in: db)
            let validTo = group.permits.count == 1 ? group.permits[0].validTo : nil
            let claims = CertificateClaims(number: number, holderName: event.holderName, holderUSCC: event.holderUSCC,
                                           projectCode: event.projectCode, projectName: event.projectName, permits: group.permits,
                                           validFrom: event.issuedOn, validTo: validTo)
            let certificate = Certificate(number: number, jws: try CompactJWS.sign(claims, with: signingKey), kid: signingKey.kid,
                                          applicationID: event.applicationID, kind: group.kind, template: group.template, holderName: event.holderName,
                                          holderUSCC: event.holderUSCC, projectCode: event.projectCode, projectName: event.projectName,
                                          district: event.district, permits: group.permits, validFrom: event.issuedOn, validTo: validTo,
                                          status: .valid, issuedAt: event.issuedAt)
            try insert(certificate, in: db)
            try scope.publish(CertificateIssued(number: number.description, applicationID: event.applicationID, holderName: event.holderName,
                                                holderUSCC: event.holderUSCC, projectCode: event.projectCode, projectName: event.projectName,
                                                district: event.district, items: group.permits.map(\.item), issuedOn: event.issuedOn))
        }
    }

    /// Gap-free: the serial is taken inside the issuing transaction, so a rolled-back issuance
    /// gives its number back.
    static func nextNumber(region: String, year: Int, kind: String, in db: Database) throws -> CertificateNumber {
        let serial = try Int.fetchOne(db, sql: """
            INSERT INTO certificate_serials (region, year, kind, last_serial) VALUES (?, ?, ?, 1)
            ON CONFLICT(region, year, kind) DO UPDATE SET last_serial = last_serial + 1
            RETURNING last_serial
            """, arguments: [region, year, kind])!
        return CertificateNumber(region: region, year: year, kind: kind, serial: serial)
    }

    static func insert(_ certificate: Certificate, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO certificates (number, application_id, holder_uscc, district, status, document) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [certificate.number.description, certificate.applicationID, certificate.holderUSCC, certificate.district,
                             certificate.status.rawValue, try StoredJSON.encode(certificate)])
    }

    public static func certificates(applicationID: String, in db: Database) throws -> [Certificate] {
        try String.fetchAll(db, sql: "SELECT document FROM certificates WHERE application_id = ? ORDER BY number", arguments: [applicationID])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }

    static func save(_ certificate: Certificate, in db: Database) throws {
        try db.execute(sql: "UPDATE certificates SET status = ?, document = ?, revision = revision + 1 WHERE number = ?",
                       arguments: [certificate.status.rawValue, try StoredJSON.encode(certificate), certificate.number.description])
    }

    /// Every certificate of a region, by number.
    public static func certificates(district: String, in db: Database) throws -> [Certificate] {
        try String.fetchAll(db, sql: "SELECT document FROM certificates WHERE district = ? ORDER BY number", arguments: [district])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }

    public static func certificate(number: String, in db: Database) throws -> Certificate? {
        try String.fetchOne(db, sql: "SELECT document FROM certificates WHERE number = ?", arguments: [number])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }
}
