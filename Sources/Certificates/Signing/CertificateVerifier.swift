import Foundation
import JWTKit
import Kernel
import Synchronization

/// Why a QR text is not a genuine certificate. Each is cheap to find: nothing is decoded or
/// verified before the text has passed the checks before it.
public enum VerificationFailure: String, Codable, Sendable, Error {
    /// Longer than any certificate we sign.
    case tooLong = "too-long"
    /// Not three base64url parts with a JSON header.
    case malformed
    /// `alg` is not EdDSA (this refuses `none` and algorithm-confusion tricks).
    case unsupportedAlgorithm = "unsupported-algorithm"
    /// No `kid`, or one we never published.
    case unknownKey = "unknown-key"
    /// The signature does not match the header and claims.
    case badSignature = "bad-signature"
    /// Genuinely signed but not in the register.
    case unknownCertificate = "unknown-certificate"

    public var label: String {
        switch self {
        case .tooLong, .malformed: "二维码内容不是有效的电子证照"
        case .unsupportedAlgorithm: "签名算法不受支持"
        case .unknownKey: "签名密钥未知"
        case .badSignature: "签名校验失败，证照内容可能被篡改"
        case .unknownCertificate: "证照库中查无此证"
        }
    }
}

/// Checks QR texts against a set of public keys, with no database: what `shenguan verify` does
/// offline and what the online check does first.
public final class CertificateVerifier: Sendable {
    static let maximumLength = 4096
    let keys: JWTKeyCollection
    let kids: Set<String>

    public init(jwks: JWKSDocument) async throws {
        let collection = JWTKeyCollection()
        for key in jwks.keys where key.kty == "OKP" && key.crv == "Ed25519" {
            await collection.add(eddsa: try EdDSA.PublicKey(x: key.x, curve: .ed25519), kid: JWKIdentifier(string: key.kid))
        }
        keys = collection
        kids = Set(jwks.keys.map(\.kid))
    }

    /// The JWS inside a QR text: the part after `/v/` of a verification URL, or the text itself.
    public static func jws(in text: String) -> String {
        // The common case, a bare JWS from /v/{jws}, is returned without scanning for a URL.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 <= 0x20 }) else { return text }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let range = trimmed.range(of: "/v/", options: .backwards) else { return trimmed }
        return String(trimmed[range.upperBound...].prefix { $0 != "?" && $0 != "#" })
    }

    public func verify(_ text: String) async -> Result<CertificateClaims, VerificationFailure> {
        guard text.utf8.count <= Self.maximumLength else { return .failure(.tooLong) }
        let token = Self.jws(in: text)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isBase64URL) }),
              let headerData = Data(base64URLEncoded: String(parts[0])),
              let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else { return .failure(.malformed) }
        guard header.alg == "EdDSA" else { return .failure(.unsupportedAlgorithm) }
        guard let kid = header.kid, kids.contains(kid) else { return .failure(.unknownKey) }
        if let claims = verified.withLock({ $0[token] }) { return .success(claims) }
        do {
            let claims = try await keys.verify(token, as: CertificateClaims.self)
            remember(token, claims)
            return .success(claims)
        } catch {
            return .failure(.badSignature)
        }
    }

    /// Genuine tokens already checked. A signature never stops matching its token, and keys are
    /// only ever added, so a hit needs no second Ed25519 check; only successes are kept (forgers
    /// cannot fill it), and it is emptied when full rather than tracking age.
    private let verified = Mutex<[String: CertificateClaims]>([:])
    static let rememberedLimit = 50_000

    private func remember(_ token: String, _ claims: CertificateClaims) {
        verified.withLock { cache in
            if cache.count >= Self.rememberedLimit { cache.removeAll(keepingCapacity: true) }
            cache[token] = claims
        }
    }

    struct Header: Decodable {
        let alg: String?
        let kid: String?
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
