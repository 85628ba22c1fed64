import Crypto
import Foundation
import GRDB
import Kernel

public enum CertificateError: DomainError, Equatable {
    case notFound(String)
    case forbidden(String)
    case invalidTransition(from: CertificateStatus, action: String)
    case invalidField(field: String, message: String)

    public var kind: DomainErrorKind {
        switch self {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .invalidTransition: .conflict
        case .invalidField: .unprocessable
        }
    }

    public var code: String {
        switch self {
        case .notFound: "not-found"
        case .forbidden: "forbidden"
        case .invalidTransition: "invalid-state"
        case .invalidField: "invalid-field"
        }
    }

    public var message: String {
        switch self {
        case .notFound(let number): "未找到证照 \(number)"
        case .forbidden(let what): "无权操作：\(what)"
        case .invalidTransition(let from, let action): "证照当前状态为 \(from.rawValue)，不能\(action)"
        case .invalidField(let field, let message): "字段 \(field) 无效：\(message)"
        }
    }

    public var field: String? {
        if case .invalidField(let field, _) = self { return field }
        return nil
    }
}

/// What a verification found: a genuine certificate and its live status, or why the text is not one.
public struct Verification: Sendable {
    public let claims: CertificateClaims?
    public let certificate: Certificate?
    public let status: CertificateStatus?
    public let failure: VerificationFailure?
    /// The day the status holds for.
    public let checkedOn: CivilDate
    /// The register row's revision, which every status change moves on.
    public var registerRevision: Int64? = nil

    public var isValid: Bool { status == .valid }
}

/// Certificates after issuance: reading them, verifying QR texts, and changing their status.
public struct CertificateService: Sendable {
    let database: AppDatabase
    let events: EventBus
    let dependencies: Dependencies
    let timeZone: TimeZone
    public let keys: SigningKeys
    public let verifier: CertificateVerifier
    public let renderer: CertificateRenderer?
    let imagesDirectory: URL?
    let register = RegisterCache()

    public init(database: AppDatabase, events: EventBus, keys: SigningKeys, dependencies: Dependencies, timeZone: TimeZone,
                renderer: CertificateRenderer? = nil, imagesDirectory: URL? = nil) async throws {
        self.renderer = renderer
        self.imagesDirectory = imagesDirectory
        self.database = database
        self.events = events
        self.keys = keys
        self.dependencies = dependencies
        self.timeZone = timeZone
        verifier = try await CertificateVerifier(jwks: keys.jwks)
    }

    public var today: CivilDate { CivilDate(dependencies.now(), in: timeZone) }

    public func certificates(applicationID: String) async throws -> [Certificate] {
        try await database.read { db in try CertificateRegistry.certificates(applicationID: applicationID, in: db) }
    }

    public func certificates(applicationID: String, page: PageRequest) async throws -> Page<Certificate> {
        try await database.read { db in try CertificateRegistry.certificates(applicationID: applicationID, page: page, in: db) }
    }

    /// The signed text a certificate's QR carries, found by the number printed on it: what anyone
    /// holding the paper may check on `/v/…`, which shows only the public facts.
    public func signedText(ofNumber number: String) async throws -> String? {
        try await database.read { db in try CertificateRegistry.certificate(number: number, in: db) }?.jws
    }

    public func certificate(_ number: String, for actor: Actor) async throws -> Certificate {
        let found = try await database.read { db in try CertificateRegistry.certificate(number: number, in: db) }
        guard let certificate = found, actor.role != .applicant || certificate.holderUSCC == actor.firm else {
            throw CertificateError.notFound(number)
        }
        // An inspector elsewhere may have scanned its QR and so knows it exists, but the details
        // belong to the regions that supervise it.
        guard Self.canSee(certificate, actor) else { throw CertificateError.forbidden("证照 \(number) 不在本辖区监管范围内") }
        return certificate
    }

    /// The certificate as a PNG with its QR code. Drawn on first request and kept on disk under a
    /// name that changes with the certificate, its QR text and the layouts, so a cached image is
    /// never stale.
    public func image(_ number: String, for actor: Actor, qrText: String, authority: String) async throws -> Data {
        let certificate = try await certificate(number, for: actor)
        guard let renderer, let imagesDirectory else { throw CertificateError.notFound("\(number) 的证照图像") }
        let version = SHA256.hash(data: Data((certificate.jws + qrText + authority + renderer.layoutsVersion).utf8)).hexString.prefix(16)
        let file = imagesDirectory.appendingPathComponent("\(number)-\(version).png")
        if let cached = try? Data(contentsOf: file) { return cached }
        let png = try await offloaded { try renderer.render(certificate, qrText: qrText, authority: authority) }
        try FileManager.default.createDirectory(at: imagesDirectory, withIntermediateDirectories: true)
        try png.write(to: file, options: .atomic)
        return png
    }

    /// The signature first (no database touched for a forgery), then the register's live status.
    public func verify(_ text: String) async throws -> Verification {
        let claims: CertificateClaims
        let today = self.today
        switch await verifier.verify(text) {
        case .failure(let failure): return Verification(claims: nil, certificate: nil, status: nil, failure: failure, checkedOn: today)
        case .success(let verified): claims = verified
        }
        let register = self.register
        let found = try await database.lookup { db in try register.certificate(number: claims.number, in: db) }
        guard let (revision, certificate) = found else {
            return Verification(claims: claims, certificate: nil, status: nil, failure: .unknownCertificate, checkedOn: today)
        }
        return Verification(claims: claims, certificate: certificate, status: certificate.status(on: today), failure: nil, checkedOn: today,
                            registerRevision: revision)
    }

    /// Suspension (with a reason, reversible), reinstatement, revocation (final). Shows on `/v/…`
    /// at once, since verification reads the register.
    public func change(_ number: String, _ change: StatusChange, reason: String?, by actor: Actor) async throws -> Certificate {
        guard [.issuer, .admin].contains(actor.role) else { throw CertificateError.forbidden("只有出证人员或管理员可以变更证照状态") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw CertificateError.invalidField(field: "reason", message: "请说明原因") }
        let now = dependencies.now()
        let today = self.today
        let events = self.events
        return try await database.write { db in
            try CertificateRegistry.transition(number, change, reason: reason, by: actor, today: today, in: EventScope(db: db, date: now, bus: events))
        }
    }

    /// One more subject's certificate in an issued permit's series (a subject added), signed and
    /// sealed at once; when it replaces one, that one is revoked in the same transaction. The
    /// holder or the bureau's issuers may do it.
    public func addSubject(_ subject: PermitSubject, toSeries series: CertificateNumber, replacing: String?, reason: String,
                           by actor: Actor) async throws -> Certificate {
        let today = self.today
        let (events, key) = (self.events, keys.active)
        return try await database.write { db in
            guard let first = try CertificateRegistry.seriesParts(series, in: db).first else { throw CertificateError.notFound(series.description) }
            guard actor.role == .issuer || actor.role == .admin || (actor.role == .applicant && actor.firm == first.holderUSCC) else {
                throw CertificateError.forbidden("只有持证单位或出证人员可以增发证照")
            }
            return try CertificateRegistry.addSubject(subject, toSeries: series, replacing: replacing, reason: reason, signingKey: key, by: actor,
                                                      today: today, in: EventScope(db: db, date: self.dependencies.now(), bus: events))
        }
    }

    /// Records the expiry of every valid certificate whose last day has passed, once, with its
    /// audit record and event, so the queues that follow certificates hear of it; and of every
    /// permit inside a still valid certificate whose own last day has passed (`PermitExpired`).
    /// (Reads already show such a certificate or permit as expired; this makes the change an
    /// event.) Returns how many certificates and permits.
    @discardableResult
    public func recordExpiries() async throws -> Int {
        let now = dependencies.now()
        let today = self.today
        let events = self.events
        return try await database.write { db in
            let due = try String.fetchAll(db, sql: """
                SELECT document FROM certificates
                WHERE status = 'valid' AND json_extract(document, '$.validTo') < ?
                """, arguments: [today.description]).map { try StoredJSON.decode(Certificate.self, from: $0) }
            let scope = EventScope(db: db, date: now, bus: events)
            for var certificate in due {
                try CertificateRegistry.record(&certificate, from: .valid, to: .expired, reason: "有效期至 \(certificate.validTo?.description ?? "") 届满",
                                               action: "certificate.expired", by: .system, in: scope)
            }
            return due.count + (try CertificateRegistry.recordPermitExpiries(on: today, in: scope))
        }
    }

    static func canSee(_ certificate: Certificate, _ actor: Actor) -> Bool {
        switch actor.role {
        case .applicant: certificate.holderUSCC == actor.firm
        case .inspector: actor.region.map(certificate.concerns(region:)) ?? false
        case .reviewer: certificate.permits.contains { $0.department == actor.department }
        case .clerk, .issuer, .admin: true
        }
    }
}
