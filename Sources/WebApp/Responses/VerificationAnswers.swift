import Certificates
import Foundation
import Hummingbird
import Kernel
import Synchronization

/// The JSON answer to a public scan of a genuine certificate, kept per certificate state and day:
/// a QR checked again and again at a road check is encoded once. The key holds everything the
/// answer depends on — the signed text, the status with its reason and time of change, the
/// version it was superseded by, the day (for expiry) — so a change in the register is never
/// answered from an older entry.
final class VerificationAnswers: Sendable {
    static let rememberedLimit = 20_000
    private let answers = Mutex<[String: ByteBuffer]>([:])

    static func key(jws: String, _ verification: Verification) -> String? {
        guard let certificate = verification.certificate, let status = verification.status else { return nil }
        let changed = certificate.statusChangedAt.map { String($0.timeIntervalSince1970) } ?? "-"
        return [jws, status.rawValue, certificate.statusReason ?? "-", changed, certificate.supersededBy ?? "-", verification.checkedOn.description]
            .joined(separator: "|")
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
