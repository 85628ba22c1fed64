import Crypto
import Foundation
import JWTKit
import Kernel

/// Signs claims as a compact JWS (`alg: EdDSA`, with `kid`). Signing happens inside the issuing
/// database transaction, which cannot await, so it uses Ed25519 from swift-crypto directly rather
/// than JWTKit's asynchronous key collection; verification goes through JWTKit.
public enum CompactJWS {
    public static func sign(_ claims: CertificateClaims, with key: SigningKeys.Key) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = Data(#"{"alg":"EdDSA","kid":"\#(key.kid)"}"#.utf8).base64URLEncoded
        let payload = try encoder.encode(claims).base64URLEncoded
        let signingInput = "\(header).\(payload)"
        let signature = try key.privateKey.signature(for: Data(signingInput.utf8))
        return "\(signingInput).\(Data(signature).base64URLEncoded)"
    }
}
