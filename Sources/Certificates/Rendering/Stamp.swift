import Synchronization

/// A drawing kept as palette pixels, to be laid onto other canvases: what every certificate of a
/// bureau draws the same (its seal), drawn once instead of once per certificate.
struct Stamp: Sendable {
    let width: Int
    let height: Int
    /// Row by row, indices into `colors`; index 0 is the background, left out when laid.
    let pixels: [UInt8]
    let colors: [Canvas.RGB]
}

/// The seals drawn so far, by bureau, size and font: a handful per process.
final class SealStamps: Sendable {
    private let stamps = Mutex<[String: Stamp]>([:])
    /// More kinds than a bureau prints means the keys are not what they should be; start over
    /// rather than grow.
    static let limit = 32

    func stamp(authority: String, radius: Int, fontPath: String, draw: () -> Stamp) -> Stamp {
        let key = "\(radius)|\(fontPath)|\(authority)"
        if let stamp = stamps.withLock({ $0[key] }) { return stamp }
        let stamp = draw()
        stamps.withLock { stamps in
            if stamps.count >= Self.limit { stamps.removeAll() }
            stamps[key] = stamp
        }
        return stamp
    }
}
