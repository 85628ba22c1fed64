import Crypto
import Foundation
import JWTKit
import Kernel

/// The Ed25519 keys that sign certificates, kept as files (mode 0600) in the data folder. The
/// newest signs; every key ever used keeps verifying, so rotation never invalidates a printed QR.
public struct SigningKeys: Sendable {
    public struct Key: Sendable {
        public let kid: String
        public let created: Date
        let privateKey: Curve25519.Signing.PrivateKey

        public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }
    }

    private struct KeyFile: Codable {
        let kid: String
        let created: Date
        /// The raw 32-byte private key, base64.
        let d: String
    }

    public let directory: URL
    /// Oldest first; the last one signs.
    public let keys: [Key]

    public init(directory: URL, keys: [Key]) {
        self.directory = directory
        self.keys = keys
    }

    public var active: Key { keys[keys.count - 1] }

    /// Loads the keys in `directory`, creating the folder and a first key when there is none.
    public static func load(from directory: URL, now: Date) throws -> SigningKeys {
        var keys = try read(directory)
        if keys.isEmpty {
            keys = [try generate(in: directory, now: now)]
        }
        return SigningKeys(directory: directory, keys: keys)
    }

    /// Adds a new key, which signs from the next start of the service on.
    public static func rotate(in directory: URL, now: Date) throws -> Key {
        try generate(in: directory, now: now)
    }

    public func key(kid: String) -> Key? { keys.first { $0.kid == kid } }

    /// The public keys as a JSON Web Key Set (RFC 7517, OKP keys per RFC 8037).
    public var jwks: JWKSDocument {
        JWKSDocument(keys: keys.map {
            .init(kty: "OKP", crv: "Ed25519", x: $0.publicKey.rawRepresentation.base64URLEncoded, kid: $0.kid, alg: "EdDSA", use: "sig")
        })
    }

    public static func read(_ directory: URL) throws -> [Key] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".key") }.map { name in
            let file = try decoder.decode(KeyFile.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
            guard let raw = Data(base64Encoded: file.d) else { throw CocoaError(.fileReadCorruptFile) }
            return Key(kid: file.kid, created: file.created, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        }.sorted { ($0.created, $0.kid) < ($1.created, $1.kid) }
    }

    static func generate(in directory: URL, now: Date) throws -> Key {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let privateKey = Curve25519.Signing.PrivateKey()
        // The kid is derived from the public key, so it names the key wherever the key travels.
        let kid = String(Data(SHA256.hash(data: privateKey.publicKey.rawRepresentation)).base64URLEncoded.prefix(8))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(KeyFile(kid: kid, created: now, d: privateKey.rawRepresentation.base64EncodedString()))
        let url = directory.appendingPathComponent("\(kid).key")
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        return Key(kid: kid, created: now, privateKey: privateKey)
    }
}

public struct JWKSDocument: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        public let kty: String
        public let crv: String
        public let x: String
        public let kid: String
        public let alg: String
        public let use: String
    }

    public let keys: [Key]
}
