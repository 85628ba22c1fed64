import Certificates
import Crypto
import Foundation
import GRDB
import Kernel

/// An inspector's scan: verified through `Certificates`, then recorded here with its audit record
/// and a `ScanRecorded` event in one transaction. A forged code is recorded too: it is evidence.
public struct ScanService: Sendable {
    let database: AppDatabase
    let certificates: CertificateService
    let events: EventBus
    let dependencies: Dependencies
    let catalog: Catalog

    public init(database: AppDatabase, certificates: CertificateService, events: EventBus, dependencies: Dependencies, catalog: Catalog) {
        self.catalog = catalog
        self.database = database
        self.certificates = certificates
        self.events = events
        self.dependencies = dependencies
    }

    public struct Result: Sendable {
        public let scan: Scan
        public let verification: Verification
        /// The certificate concerns the inspector's region (its project's or one on its route), so the
        /// inspector sees more than the public.
        public let inspectorMaySeeDetails: Bool
        /// The same scan was already recorded under its idempotency key; nothing new was written.
        public let replayed: Bool
    }

    /// Records a scan. The same `idempotencyKey` from the same inspector returns the first
    /// recording (a phone resending a scan it kept while offline records it once); the key with
    /// another QR, checkpoint or location is refused.
    public func record(qr: String, checkpoint: Checkpoint, location: ScanLocation?, idempotencyKey: String? = nil,
                       by actor: Actor) async throws -> Result {
        guard actor.role == .inspector, let department = actor.department, let region = actor.region else {
            throw SupervisionError.forbidden("只有监管人员可以扫码检查")
        }
        try Self.validate(location)
        let key = try SupervisionService.validated(idempotencyKey)
        let requestHash = SHA256.hash(data: Data([qr, checkpoint.rawValue, try StoredJSON.encode(location)].joined(separator: "\n").utf8)).hexString
        let verification = try await certificates.verify(qr)
        let scan = Scan(id: dependencies.makeID(), at: dependencies.now(), inspectorID: actor.id, inspectorName: actor.name,
                        department: department, region: region, checkpoint: checkpoint, location: location,
                        certificateNumber: verification.certificate?.number.description, valid: verification.isValid,
                        outcome: verification.failure?.rawValue ?? verification.status?.rawValue ?? "unknown")
        let event = ScanRecorded(scanID: scan.id, certificateNumber: scan.certificateNumber, applicationID: verification.certificate?.applicationID,
                                 valid: scan.valid, checkpoint: checkpoint.rawValue, inspector: actor.name, department: department, region: region)
        let events = self.events
        let finding = finding(of: verification, in: region)
        let (catalog, makeID) = (self.catalog, dependencies.makeID)
        let (recorded, replayed) = try await database.write { db -> (Scan, Bool) in
            if let key, let earlier = try Row.fetchOne(db, sql: "SELECT document, request_hash FROM scans WHERE inspector_id = ? AND idempotency_key = ?",
                                                       arguments: [actor.id, key]) {
                guard earlier["request_hash"] as String? == requestHash else { throw SupervisionError.idempotencyKeyReused }
                return (try StoredJSON.decode(Scan.self, from: earlier["document"]), true)
            }
            try db.cachedStatement(sql: """
                INSERT INTO scans (id, at, certificate_number, inspector_id, region, valid, document, idempotency_key, request_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [scan.id, scan.at, scan.certificateNumber, scan.inspectorID, scan.region, scan.valid, try StoredJSON.encode(scan),
                                 key, key.map { _ in requestHash }])
            try AuditLog.append(AuditEntry(actor: actor, action: "certificate.scanned", subject: event.subject,
                                           detail: ["checkpoint": checkpoint.rawValue, "outcome": scan.outcome]), in: db, at: scan.at)
            // Its subscribers may take the certificate just verified, while its register row is
            // unchanged, instead of reading and decoding it again.
            try events.publish(event, in: db, at: scan.at, attaching: verification)
            if let (rule, certificate, what) = finding {
                try Self.raise(rule, about: certificate, what, scan: scan, catalog: catalog, makeID: makeID, in: EventScope(db: db, date: scan.at, bus: events))
            }
            return (scan, false)
        }
        let concernsRegion = verification.certificate?.concerns(region: region) ?? false
        return Result(scan: recorded, verification: verification, inspectorMaySeeDetails: concernsRegion, replayed: replayed)
    }

    /// What is wrong with a genuine certificate scanned in `region`, if anything, and the
    /// catalog's task for it: not valid today, or outside the regions that supervise it.
    func finding(of verification: Verification, in region: String) -> (SupervisionRules.ScanFinding, Certificate, String)? {
        guard let rule = catalog.supervision.scanFinding, let certificate = verification.certificate, let status = verification.status else { return nil }
        if status != .valid { return (rule, certificate, "证照状态为\(status.label)") }
        if !certificate.concerns(region: region) {
            let supervised = [certificate.district] + (certificate.route?.regions.filter { $0 != certificate.district } ?? [])
            return (rule, certificate, "在监管区域以外被扫码（本证监管区域：\(supervised.map { catalog.regions[$0]?.name ?? $0 }.joined(separator: "、"))）")
        }
        return nil
    }

    /// One open finding per certificate and region: a certificate scanned again while the first is
    /// worked adds its scan to that task's evidence instead of a second task.
    static func raise(_ rule: SupervisionRules.ScanFinding, about certificate: Certificate, _ what: String, scan: Scan, catalog: Catalog,
                      makeID: () -> String, in scope: EventScope) throws {
        let evidence = "\(scan.inspectorName) 于\(scan.checkpoint.label)扫码：\(what)"
        if var open = try TaskQueue.tasks(certificate: certificate.number.description, in: scope.db)
            .first(where: { $0.isActive && $0.kind == rule.task && $0.region == scan.region && $0.department == scan.department }) {
            open.evidence = (open.evidence ?? []) + [evidence]
            try TaskQueue.save(open, in: scope.db)
            return
        }
        try SupervisionRouting.raise(RaisedTask(id: makeID(), item: certificate.permits.first?.item ?? certificate.kind, department: scan.department,
                                                region: scan.region, kind: rule.task, title: rule.name, dueDays: rule.dueDays, checklist: rule.checklist,
                                                suspendsOnViolation: false, raisedBy: "扫码发现：\(what)", evidence: [evidence]),
                                     on: certificate, catalog: catalog, in: scope)
    }

    public func scans(certificate number: String) async throws -> [Scan] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM scans WHERE certificate_number = ? ORDER BY at", arguments: [number])
                .map { try StoredJSON.decode(Scan.self, from: $0) }
        }
    }

    static func validate(_ location: ScanLocation?) throws(SupervisionError) {
        guard let location else { return }
        if let latitude = location.latitude, !(-90...90).contains(latitude) {
            throw .invalidField(field: "location.latitude", message: "纬度应在 -90 至 90 之间")
        }
        if let longitude = location.longitude, !(-180...180).contains(longitude) {
            throw .invalidField(field: "location.longitude", message: "经度应在 -180 至 180 之间")
        }
        if (location.latitude == nil) != (location.longitude == nil) {
            throw .invalidField(field: "location", message: "经纬度须同时提供")
        }
        if let description = location.description, description.count > 200 {
            throw .invalidField(field: "location.description", message: "不能超过200字")
        }
    }
}
