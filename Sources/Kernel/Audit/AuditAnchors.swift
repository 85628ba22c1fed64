import Crypto
import Foundation
import GRDB

/// The head of the audit chain at one moment, signed with a key kept outside the database.
/// Whoever can rewrite the database can re-hash the whole chain, but cannot sign: an anchor whose
/// record no longer carries the anchored hash shows the chain was rewritten.
public struct AuditAnchor: Codable, Sendable, Equatable {
    public let recordID: Int64
    public let hash: String
    public let at: Date
    public let keyID: String
    /// Ed25519 over `message`, base64url.
    public let signature: String

    var message: Data {
        Data("shenguan-audit-anchor/v1\n\(recordID)\n\(hash)\n\(millis)".utf8)
    }

    var millis: Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded()) }

    init(recordID: Int64, hash: String, at: Date, keyID: String, signature: String) {
        self.recordID = recordID
        self.hash = hash
        self.at = Date(timeIntervalSince1970: Double(Int64((at.timeIntervalSince1970 * 1000).rounded())) / 1000)
        self.keyID = keyID
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case recordID, hash, at, keyID, signature
    }

    /// `at` is milliseconds since 1970 wherever an anchor is written (file, API), so the signed
    /// text is rebuilt exactly from any copy.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(recordID: try container.decode(Int64.self, forKey: .recordID), hash: try container.decode(String.self, forKey: .hash),
                  at: Date(timeIntervalSince1970: Double(try container.decode(Int64.self, forKey: .at)) / 1000),
                  keyID: try container.decode(String.self, forKey: .keyID), signature: try container.decode(String.self, forKey: .signature))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordID, forKey: .recordID)
        try container.encode(hash, forKey: .hash)
        try container.encode(millis, forKey: .at)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(signature, forKey: .signature)
    }
}

/// Signs the chain's head now and then and keeps the anchors in an append-only file beside the
/// database, from which they are published (`GET /api/v1/audit/anchors`) for others to keep.
public struct AuditAnchors: Sendable {
    let key: Curve25519.Signing.PrivateKey
    public let keyID: String
    public let file: URL

    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }
    /// The public key as published: raw, base64url.
    public var publishedKey: String { key.publicKey.rawRepresentation.base64URLEncoded }

    /// The key in `keyFile` (created, mode 0600, when missing) and the anchors in `file`.
    public static func open(keyFile: URL, file: URL) throws -> AuditAnchors {
        let key: Curve25519.Signing.PrivateKey
        if FileManager.default.fileExists(atPath: keyFile.path) {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: try Data(contentsOf: keyFile))
        } else {
            try FileManager.default.createDirectory(at: keyFile.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            key = Curve25519.Signing.PrivateKey()
            guard FileManager.default.createFile(atPath: keyFile.path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
        return AuditAnchors(key: key, keyID: Self.keyID(of: key.publicKey), file: file)
    }

    /// The anchors of an existing key, or nil when there is no key file (nothing was anchored).
    public static func existing(keyFile: URL, file: URL) throws -> AuditAnchors? {
        guard FileManager.default.fileExists(atPath: keyFile.path) else { return nil }
        return try open(keyFile: keyFile, file: file)
    }

    public static func keyID(of publicKey: Curve25519.Signing.PublicKey) -> String {
        String(Data(SHA256.hash(data: publicKey.rawRepresentation)).base64URLEncoded.prefix(8))
    }

    /// Signs the chain's head when it has moved since the last anchor; returns the new anchor.
    @discardableResult
    public func anchorHead(of database: AppDatabase, at date: Date) async throws -> AuditAnchor? {
        let head = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
                .map { (id: $0["last_id"] as Int64, hash: $0["last_hash"] as String) }
        }
        guard let (recordID, hash) = head else { return nil }
        if let last = try Self.last(in: file), last.recordID >= recordID { return nil }
        let unsigned = AuditAnchor(recordID: recordID, hash: hash, at: date, keyID: keyID, signature: "")
        let anchor = AuditAnchor(recordID: recordID, hash: unsigned.hash, at: date, keyID: keyID,
                                 signature: try key.signature(for: unsigned.message).base64URLEncoded)
        try append(anchor)
        return anchor
    }

    /// One JSON line per anchor, synced before it counts.
    func append(_ anchor: AuditAnchor) throws {
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: try Self.encoder.encode(anchor) + Data("\n".utf8))
        try handle.synchronize()
    }

    /// Anchors from a file: one JSON object per line (the file beside the database), or the
    /// document `GET /api/v1/audit/anchors` publishes.
    public static func read(_ file: URL) throws -> [AuditAnchor] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let data = try Data(contentsOf: file)
        if let published = try? JSONDecoder().decode(Published.self, from: data) { return published.anchors }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            try JSONDecoder().decode(AuditAnchor.self, from: Data(line.utf8))
        }
    }

    /// The newest anchor, from the file's tail only: the file grows by a line every sweep.
    static func last(in file: URL) throws -> AuditAnchor? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 4_096 ? size - 4_096 : 0)
        let tail = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        return try tail.split(separator: "\n").last.map { try JSONDecoder().decode(AuditAnchor.self, from: Data($0.utf8)) }
    }

    struct Published: Decodable {
        let anchors: [AuditAnchor]
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

extension AuditLog {
    /// The chain walked whole, then every anchor checked: its signature with `publicKey`, and its
    /// record still carrying the anchored hash. A chain rewritten and re-hashed, or cut short,
    /// fails the first anchor it passed.
    public static func verify(in db: Database, anchors: [AuditAnchor], publicKey: Curve25519.Signing.PublicKey) throws -> Verification {
        let chain = try verify(in: db)
        guard case .intact = chain else { return chain }
        for anchor in anchors {
            guard let signature = Data(base64URLEncoded: anchor.signature), publicKey.isValidSignature(signature, for: anchor.message) else {
                return .broken(recordID: anchor.recordID, reason: "记录 \(anchor.recordID) 的签名锚点签名无效")
            }
            let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE id = ?", arguments: [anchor.recordID])
            guard let hash else {
                return .broken(recordID: anchor.recordID, reason: "签名锚点所记的记录 \(anchor.recordID) 已不在日志中：日志被截短或删改")
            }
            guard hash == anchor.hash else {
                return .broken(recordID: anchor.recordID, reason: "记录 \(anchor.recordID) 与签名锚点不符：日志在此之前被改写并重新计算了哈希")
            }
        }
        return chain
    }
}
