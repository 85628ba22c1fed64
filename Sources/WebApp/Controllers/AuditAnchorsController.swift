import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// 审计锚点公示: the signed heads of the audit chain, public, so anyone can keep a copy and later
/// show that the log was not rewritten (`shenguan audit verify --anchors FILE`).
struct AuditAnchorsController {
    let anchors: AuditAnchors

    struct Published: Encodable {
        let keyId: String
        /// The Ed25519 public key, raw, base64url.
        let publicKey: String
        let anchors: [AuditAnchor]
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("audit/anchors") { _, _ -> Response in
            try JSON.response(Published(keyId: anchors.keyID, publicKey: anchors.publishedKey,
                                        anchors: try AuditAnchors.read(anchors.file)))
        }
    }
}
