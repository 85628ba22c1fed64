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
        let permits = event.permits.map { permit in
            CertifiedPermit(item: permit.item, name: permit.name, department: permit.department,
                            validTo: permit.validTo ?? permit.validityDays.map { event.issuedOn.adding(days: $0 - 1) }, scope: permit.scope,
                            details: permit.details)
        }
        var issued: [Certificate] = []
        if let bundle = event.bundle.flatMap({ bundles[$0] }) {
            guard !permits.isEmpty else { return }
            // 一证多号: each permit on the one certificate keeps a number in its own item's series.
            var numbered = permits
            for (index, permit) in event.permits.enumerated() {
                numbered[index].number = try nextNumber(region: event.district, year: event.issuedOn.year, kind: permit.certificateKind,
                                                        in: scope.db).description
            }
            if let root = event.amends {
                try issueVersion(adding: numbered, for: event, root: root, signingKey: signingKey, in: scope)
            } else if let carrier = event.permits.first(where: { !($0.subjects ?? []).isEmpty }) {
                issued += try issueSeries(kind: bundle.kind, template: carrier.subjectTemplate ?? bundle.template, permits: numbered,
                                          subjects: carrier.subjects ?? [], route: event.permits.lazy.compactMap(\.route).first, for: event,
                                          signingKey: signingKey, in: scope)
            } else {
                issued.append(try issue(bundle.kind, template: bundle.template, permits: numbered, for: event, lineage: event.applicationID,
                                        signingKey: signingKey, in: scope))
            }
        } else {
            for (permit, certified) in zip(event.permits, permits) {
                if let subjects = permit.subjects, !subjects.isEmpty {
                    issued += try issueSeries(kind: permit.certificateKind, template: permit.subjectTemplate ?? permit.certificateTemplate,
                                              permits: [certified], subjects: subjects, route: permit.route, for: event, signingKey: signingKey,
                                              in: scope)
                } else {
                    issued.append(try issue(permit.certificateKind, template: permit.certificateTemplate, permits: [certified], for: event,
                                            lineage: nil, route: permit.route, signingKey: signingKey, in: scope))
                }
            }
        }
        if let replacement = issued.first {
            try supersedeReplaced(event.supersedes, by: replacement, note: event.supersedeNote, in: scope)
        }
    }

    /// The applications an issuance replaces, as a capability linked them: their
    /// certificates' QR codes then read "superseded", name the new number and give the reason the
    /// capability that linked them words (`note`).
    static func supersedeReplaced(_ applications: [String], by replacement: Certificate, note: String?, in scope: EventScope) throws {
        for application in applications {
            for replaced in try certificates(applicationID: application, in: scope.db) where replaced.supersededBy == nil {
                let before = replaced.status(on: replacement.validFrom)
                guard before == .valid || before == .suspended else { continue }
                try supersede(replaced, from: before, by: replacement.number.description,
                              reason: "已由 \(replacement.number) 取代" + (note.map { "：\($0)" } ?? ""), in: scope)
            }
        }
    }

    @discardableResult
    static func issue(_ kind: String, template: String, permits: [CertifiedPermit], for event: PermitIssued, lineage: String?, version: Int? = nil,
                      supersedes: String? = nil, route: PermitRoute? = nil, signingKey: SigningKeys.Key, in scope: EventScope,
                      announce: Bool = true) throws -> Certificate {
        let number = try nextNumber(region: event.district, year: event.issuedOn.year, kind: kind, in: scope.db)
        var certificate = try certify(number, kind: kind, template: template, permits: permits, for: event, route: route, subject: nil,
                                      signingKey: signingKey)
        certificate.version = version ?? (lineage == nil ? nil : 1)
        certificate.supersedes = supersedes
        certificate.lineage = lineage
        try insert(certificate, in: scope.db)
        if announce { try announceIssued(number, items: permits.map(\.item), route: route, for: event, in: scope) }
        return certificate
    }

    /// Permits issued per subject: one certificate for each subject listing every permit, numbered
    /// in one series under a number of `kind`, announced once for the whole series (the permits'
    /// supervision is one).
    static func issueSeries(kind: String, template: String, permits: [CertifiedPermit], subjects: [PermitSubject], route: PermitRoute?,
                            for event: PermitIssued, signingKey: SigningKeys.Key, in scope: EventScope) throws -> [Certificate] {
        let series = try nextNumber(region: event.district, year: event.issuedOn.year, kind: kind, in: scope.db)
        let issued = try subjects.enumerated().map { index, subject in
            try certify(series.inSeries(part: index + 1), kind: kind, template: template, permits: permits, for: event, route: route,
                        subject: subject, signingKey: signingKey)
        }
        for certificate in issued { try insert(certificate, in: scope.db) }
        try announceIssued(series, items: permits.map(\.item), route: route, for: event, in: scope)
        return issued
    }

    /// One more subject's certificate in an issued series (a subject added to a permit), on the
    /// terms of the series' latest certificate; it replaces `replacing` when given, whose QR then
    /// reads revoked with the reason.
    public static func addSubject(_ subject: PermitSubject, toSeries series: CertificateNumber, replacing: String?, reason: String,
                                  signingKey: SigningKeys.Key, by actor: Actor, today: CivilDate, in scope: EventScope) throws -> Certificate {
        let parts = try seriesParts(series, in: scope.db)
        guard let latest = parts.last, let lastPart = latest.number.part else { throw CertificateError.notFound(series.description) }
        guard latest.status(on: today) == .valid || parts.contains(where: { $0.status(on: today) == .valid }) else {
            throw CertificateError.invalidTransition(from: latest.status(on: today), action: "增发")
        }
        if let taken = parts.first(where: { $0.subject?.id == subject.id && $0.number.description != replacing && $0.status(on: today) == .valid }) {
            throw CertificateError.invalidField(field: "subject", message: "\(subject.id) 已持有有效证照 \(taken.number)")
        }
        let number = series.inSeries(part: lastPart + 1)
        let validFrom = max(today, latest.validFrom)
        let claims = CertificateClaims(number: number, holderName: latest.holderName, holderUSCC: latest.holderUSCC, projectCode: latest.projectCode,
                                       projectName: latest.projectName, permits: latest.permits, validFrom: validFrom, validTo: latest.validTo,
                                       subject: subject, route: latest.route)
        var certificate = Certificate(number: number, jws: try CompactJWS.sign(claims, with: signingKey), kid: signingKey.kid,
                                      applicationID: latest.applicationID, kind: latest.kind, template: latest.template, holderName: latest.holderName,
                                      holderUSCC: latest.holderUSCC, projectCode: latest.projectCode, projectName: latest.projectName,
                                      district: latest.district, permits: latest.permits, validFrom: validFrom, validTo: latest.validTo,
                                      status: .valid, issuedAt: scope.date)
        certificate.route = latest.route
        certificate.subject = subject
        try insert(certificate, in: scope.db)
        var detail = ["subject": subject.id, "series": series.description]
        if let replacing { detail["replaces"] = replacing }
        try AuditLog.append(AuditEntry(actor: actor, action: "certificate.subject-added", subject: "certificate/\(number)", detail: detail),
                            in: scope.db, at: scope.date)
        if let replacing {
            guard parts.contains(where: { $0.number.description == replacing }) else { throw CertificateError.notFound(replacing) }
            _ = try transition(replacing, .revoke, reason: "已由 \(number) 替换：\(reason)", by: actor, today: today, in: scope)
        }
        return certificate
    }

    /// A subject withdrawn from every permit (deregistered, say): each of its certificates still
    /// valid or suspended is revoked with the reason, in the caller's transaction. Returns them.
    public static func withdrawSubject(kind: String, id: String, reason: String, by actor: Actor, today: CivilDate,
                                       in scope: EventScope) throws -> [Certificate] {
        let documents = try String.fetchAll(scope.db, sql: "SELECT document FROM certificates WHERE subject = ? ORDER BY number",
                                            arguments: [subjectKey(kind: kind, id: id)])
        let (allowed, after, _) = StatusChange.revoke.rule
        var revoked: [Certificate] = []
        for document in documents {
            var certificate = try StoredJSON.decode(Certificate.self, from: document)
            let before = certificate.status(on: today)
            guard allowed.contains(before) else { continue }
            revoked.append(try record(&certificate, from: before, to: after, reason: reason, action: "certificate.revoke", by: actor,
                                      detail: ["reason": reason, "subject": id], in: scope))
        }
        return revoked
    }

    static func subjectKey(kind: String, id: String) -> String { "\(kind)/\(id)" }

    /// The certificates numbered in a series, in order.
    public static func seriesParts(_ series: CertificateNumber, in db: Database) throws -> [Certificate] {
        // `-` sorts just below `.`: the primary key's range holds exactly the series' parts.
        try String.fetchAll(db, sql: "SELECT document FROM certificates WHERE number > ? AND number < ? ORDER BY number",
                            arguments: [series.description + "-", series.description + "."])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }

    /// A certificate as signed: its claims, its JWS, and the register row it becomes.
    static func certify(_ number: CertificateNumber, kind: String, template: String, permits: [CertifiedPermit], for event: PermitIssued,
                        route: PermitRoute?, subject: PermitSubject?, signingKey: SigningKeys.Key) throws -> Certificate {
        // A subject's certificate lasts as long as its shortest permit; a bundle's, until the project ends.
        let validTo = permits.count == 1 || subject != nil ? permits.compactMap(\.validTo).min() : nil
        let validFrom = max(event.issuedOn, event.permits.filter { permit in permits.contains { $0.item == permit.item } }.compactMap(\.validFrom).max()
                            ?? event.issuedOn)
        let claims = CertificateClaims(number: number, holderName: event.holderName, holderUSCC: event.holderUSCC,
                                       projectCode: event.projectCode, projectName: event.projectName, permits: permits,
                                       validFrom: validFrom, validTo: validTo, subject: subject, route: route)
        var certificate = Certificate(number: number, jws: try CompactJWS.sign(claims, with: signingKey), kid: signingKey.kid,
                                      applicationID: event.applicationID, kind: kind, template: template, holderName: event.holderName,
                                      holderUSCC: event.holderUSCC, projectCode: event.projectCode, projectName: event.projectName,
                                      district: event.district, permits: permits, validFrom: validFrom, validTo: validTo,
                                      status: .valid, issuedAt: event.issuedAt)
        certificate.route = route
        certificate.subject = subject
        return certificate
    }

    static func announceIssued(_ number: CertificateNumber, items: [String], route: PermitRoute?, for event: PermitIssued, in scope: EventScope) throws {
        try scope.publish(CertificateIssued(number: number.description, applicationID: event.applicationID, holderName: event.holderName,
                                            holderUSCC: event.holderUSCC, projectCode: event.projectCode, projectName: event.projectName,
                                            district: event.district, items: items, issuedOn: event.issuedOn, route: route))
    }

    /// 增项: the lineage's current certificate is replaced by a new version, under a new number,
    /// listing its permits and the added ones; the old QR then reads "superseded" and names the new
    /// number. Only a valid certificate can gain permits.
    static func issueVersion(adding added: [CertifiedPermit], for event: PermitIssued, root: String, signingKey: SigningKeys.Key,
                             in scope: EventScope) throws {
        guard let current = try String.fetchOne(scope.db, sql: """
            SELECT document FROM certificates
            WHERE (application_id = ?1 OR json_extract(document, '$.lineage') = ?1) AND json_extract(document, '$.supersededBy') IS NULL
            ORDER BY number DESC LIMIT 1
            """, arguments: [root]).map({ try StoredJSON.decode(Certificate.self, from: $0) }) else {
            throw CertificateError.notFound("原申请 \(root) 的证照")
        }
        let before = current.status(on: event.issuedOn)
        guard before == .valid else { throw CertificateError.invalidTransition(from: before, action: "增项换发") }
        let next = try issue(current.kind, template: current.template, permits: current.permits + added, for: event, lineage: root,
                             version: current.currentVersion + 1, supersedes: current.number.description, signingKey: signingKey, in: scope,
                             announce: false)
        try scope.publish(PermitChanged(previousNumber: current.number.description, number: next.number.description, applicationID: event.applicationID,
                                        addedItems: added.map(\.item), holderName: event.holderName, holderUSCC: event.holderUSCC,
                                        projectCode: event.projectCode, projectName: event.projectName, district: event.district,
                                        issuedOn: event.issuedOn))
        try supersede(current, from: before, by: next.number.description,
                      reason: "已换发第\(next.currentVersion)版 \(next.number)（增加：\(added.map(\.name).joined(separator: "、"))）", in: scope)
    }

    /// Marks `old` replaced by `number`, with its audit record and `CertificateStatusChanged`.
    static func supersede(_ old: Certificate, from before: CertificateStatus, by number: String, reason: String, in scope: EventScope) throws {
        var old = old
        old.supersededBy = number
        try record(&old, from: before, to: .superseded, reason: reason, action: "certificate.superseded", by: .system,
                   detail: ["supersededBy": number], in: scope)
    }

    /// Gap-free: the serial is taken inside the issuing transaction, so a rolled-back issuance
    /// gives its number back.
    static func nextNumber(region: String, year: Int, kind: String, in db: Database) throws -> CertificateNumber {
        let serial = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO certificate_serials (region, year, kind, last_serial) VALUES (?, ?, ?, 1)
            ON CONFLICT(region, year, kind) DO UPDATE SET last_serial = last_serial + 1
            RETURNING last_serial
            """), arguments: [region, year, kind])!
        return CertificateNumber(region: region, year: year, kind: kind, serial: serial)
    }

    static func insert(_ certificate: Certificate, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO certificates (number, application_id, holder_uscc, district, project_code, subject, status, issued_at, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [certificate.number.description, certificate.applicationID, certificate.holderUSCC, certificate.district,
                             certificate.projectCode, certificate.subject.map { subjectKey(kind: $0.kind, id: $0.id) }, certificate.status.rawValue,
                             certificate.issuedAt, try StoredJSON.encode(certificate)])
    }

    /// The newest of a project's certificates whose stored status is one of `statuses`, that
    /// lists a permit of one of `items`, and that `matches`: SQLite picks the candidates by their
    /// permits, and they are decoded one at a time until one matches.
    public static func newest(projectCode: String, statuses: [CertificateStatus], items: Set<String>, in db: Database,
                              where matches: (Certificate) -> Bool = { _ in true }) throws -> Certificate? {
        let placeholders = { (count: Int) in Array(repeating: "?", count: count).joined(separator: ",") }
        let documents = try String.fetchCursor(db.cachedStatement(sql: """
            SELECT document FROM certificates
            WHERE project_code = ? AND status IN (\(placeholders(statuses.count)))
              AND EXISTS (SELECT 1 FROM json_each(document, '$.permits') WHERE json_extract(value, '$.item') IN (\(placeholders(items.count))))
            ORDER BY rowid DESC
            """), arguments: StatementArguments([projectCode] + statuses.map(\.rawValue) + items.sorted()))
        while let document = try documents.next() {
            let certificate = try StoredJSON.decode(Certificate.self, from: document)
            if matches(certificate) { return certificate }
        }
        return nil
    }

    /// An application's certificates in the order they were issued (its series' order), served
    /// by the index on `application_id`.
    public static let applicationOrder = KeysetOrder("rowid")

    public static func applicationStatement(applicationID: String, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        applicationOrder.statement("SELECT rowid, document FROM certificates", where: ["application_id = ?"], arguments: [applicationID], page: page)
    }

    /// A page of an application's certificates: one per vehicle can be hundreds.
    public static func certificates(applicationID: String, page: PageRequest, in db: Database) throws -> Page<Certificate> {
        try applicationOrder.page(applicationStatement(applicationID: applicationID, page: page), page, in: db) {
            try StoredJSON.decode(Certificate.self, from: $0["document"] as String)
        }
    }

    public static func certificates(applicationID: String, in db: Database) throws -> [Certificate] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT document FROM certificates WHERE application_id = ? ORDER BY number"), arguments: [applicationID])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }

    /// The last-numbered certificate of an application, by number only: read from the index on
    /// `application_id`, with no document decoded.
    public static func lastNumber(applicationID: String, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT number FROM certificates WHERE application_id = ? ORDER BY number DESC LIMIT 1"),
                            arguments: [applicationID])
    }

    static func save(_ certificate: Certificate, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE certificates SET status = ?, document = ?, revision = revision + 1 WHERE number = ?")
            .execute(arguments: [certificate.status.rawValue, try StoredJSON.encode(certificate), certificate.number.description])
    }

    /// Every certificate of a region, by number.
    public static func certificates(district: String, in db: Database) throws -> [Certificate] {
        try String.fetchAll(db, sql: "SELECT document FROM certificates WHERE district = ? ORDER BY number", arguments: [district])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }

    public static func certificate(number: String, in db: Database) throws -> Certificate? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT document FROM certificates WHERE number = ?"), arguments: [number])
            .map { try StoredJSON.decode(Certificate.self, from: $0) }
    }

    /// The register entry as `db` holds it now, like `certificate(number:in:)`; the certificate a
    /// verification read earlier (`known`) is returned instead of reading and decoding the row again
    /// when the row's revision, which every change of the row moves on, is still the one it was read
    /// at. A scan's subscribers see the entry of their own transaction either way.
    public static func certificate(number: String, in db: Database, known: Verification?) throws -> Certificate? {
        if let known, let certificate = known.certificate, let revision = known.registerRevision, certificate.number.description == number,
           try Int64.fetchOne(db.cachedStatement(sql: "SELECT revision FROM certificates WHERE number = ?"), arguments: [number]) == revision {
            return certificate
        }
        return try certificate(number: number, in: db)
    }
}
