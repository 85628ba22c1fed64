import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel
import Synchronization

/// The JSON answer to a public scan of a genuine certificate, kept per register revision and day:
/// a QR checked again and again at a road check is encoded once, and any change in the register
/// (which moves the revision) or a new day (expiry) makes a new answer.
final class VerificationAnswers: Sendable {
    static let rememberedLimit = 20_000
    private let answers = Mutex<[String: ByteBuffer]>([:])

    static func key(jws: String, _ verification: Verification) -> String? {
        guard verification.certificate != nil, let revision = verification.registerRevision else { return nil }
        return "\(jws)|\(revision)|\(verification.checkedOn)"
    }

    func answer(for key: String, _ make: () throws -> ByteBuffer) rethrows -> ByteBuffer {
        if let known = answers.withLock({ $0[key] }) { return known }
        let made = try make()
        answers.withLock { answers in
            if answers.count >= Self.rememberedLimit { answers.removeAll(keepingCapacity: true) }
            answers[key] = made
        }
        return made
    }
}
