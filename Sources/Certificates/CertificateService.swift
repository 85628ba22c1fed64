import Foundation
import Kernel

public enum CertificateError: DomainError, Equatable {
    case notFound(String)

    public var kind: DomainErrorKind { .notFound }
    public var code: String { "not-found" }
    public var message: String {
        switch self {
        case .notFound(let number): "未找到证照 \(number)"
        }
    }
}

/// Reading certificates as their holder, staff, or an inspector of the region they concern.
public struct CertificateService: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func certificates(applicationID: String) async throws -> [Certificate] {
        try await database.read { db in try CertificateRegistry.certificates(applicationID: applicationID, in: db) }
    }

    public func certificate(_ number: String, for actor: Actor) async throws -> Certificate {
        let found = try await database.read { db in try CertificateRegistry.certificate(number: number, in: db) }
        guard let certificate = found, Self.canSee(certificate, actor) else { throw CertificateError.notFound(number) }
        return certificate
    }

    static func canSee(_ certificate: Certificate, _ actor: Actor) -> Bool {
        switch actor.role {
        case .applicant: certificate.holderUSCC == actor.firm
        case .inspector: certificate.district == actor.region
        case .clerk, .reviewer, .issuer, .admin: true
        }
    }
}
