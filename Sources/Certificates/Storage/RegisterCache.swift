import Foundation
import GRDB
import Kernel
import Synchronization

/// Decoded register entries keyed by certificate number and checked against the row's revision on
/// every read: a scan still sees a suspension the moment it commits, but a certificate scanned a
/// thousand times at a road check is decoded once.
final class RegisterCache: Sendable {
    static let rememberedLimit = 50_000
    private let entries = Mutex<[String: (revision: Int64, certificate: Certificate)]>([:])

    /// The register entry and its revision, which changes with every status change.
    func certificate(number: String, in db: Database) throws -> (revision: Int64, certificate: Certificate)? {
        let revisionQuery = try db.cachedStatement(sql: "SELECT revision FROM certificates WHERE number = ?")
        guard let revision = try Int64.fetchOne(revisionQuery, arguments: [number]) else { return nil }
        if let cached = entries.withLock({ $0[number] }), cached.revision == revision { return cached }
        guard let certificate = try CertificateRegistry.certificate(number: number, in: db) else { return nil }
        entries.withLock { entries in
            if entries.count >= Self.rememberedLimit { entries.removeAll(keepingCapacity: true) }
            entries[number] = (revision, certificate)
        }
        return (revision, certificate)
    }
}
