import Foundation
import Kernel

/// A reproducible draw: SplitMix64 from the published seed, and an unbiased integer below `bound`
/// by rejection. Anyone with the seed and the published, sorted candidate and inspector lists can
/// repeat the draw and get the same result — the point of 双随机一公开.
public struct SeededDraw {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let range = UInt64(bound)
        let limit = UInt64.max - UInt64.max % range
        while true {
            let value = next()
            if value < limit { return Int(value % range) }
        }
    }

    /// `count` of `candidates` (all when fewer), by a partial Fisher–Yates shuffle, then an
    /// inspector for each from `inspectors`.
    public mutating func pick<Candidate, Inspector>(_ count: Int, of candidates: [Candidate], inspectors: [Inspector]) -> [(Candidate, Inspector)] {
        var pool = candidates
        let taken = min(count, pool.count)
        for index in 0..<taken {
            pool.swapAt(index, index + below(pool.count - index))
        }
        return pool.prefix(taken).map { ($0, inspectors[below(inspectors.count)]) }
    }
}

/// One 双随机 draw: which permits, which inspector for each, from what, by which seed. Commit,
/// then reveal: the service draws the seed and publishes only its hash (with both pools) before
/// any pick is made; the seed, and with it the picks, become public once every picked inspection
/// is done, and anyone can check the hash and repeat the draw.
public struct RandomDraw: Codable, Sendable, Equatable {
    public struct Pick: Codable, Sendable, Equatable {
        public let certificateNumber: String
        public let projectName: String
        public let holderName: String
        public let inspector: TaskAssignee
        /// Nil when the certificate was no longer valid when the picks were made: nothing to inspect.
        public let taskID: String?
    }

    public enum Status: String, Codable, Sendable {
        /// The seed's hash and the pools are published; no pick is made yet.
        case committed
        /// Picked and assigned; public once every picked inspection is done.
        case drawn
    }

    public let id: String
    public let at: Date
    public let drawnOn: CivilDate
    public let department: String
    public let region: String
    /// Decimal; feeds `SeededDraw`. Secret until the draw is revealed.
    public let seed: String
    /// Random hex mixed into the commitment, so the hash of a 64-bit seed cannot be searched.
    public let salt: String?
    /// SHA-256 (hex) of `commitmentText`, published from the start.
    public let commitment: String?
    /// Nil for draws made before commit-reveal, which were public at once.
    public var status: Status?
    public var drawnAt: Date?
    public let sampleSize: Int
    /// Every certificate that could have been drawn, sorted by number.
    public let candidates: [String]
    /// Every inspector who could have been drawn, sorted by account id, as names.
    public let inspectorPool: [TaskAssignee]
    public var picks: [Pick]
    public let drawnBy: String

    /// What the commitment hashes: the draw's id, its seed and its salt.
    public static func commitmentText(id: String, seed: String, salt: String) -> String {
        "shenguan-random-draw/v1|\(id)|\(seed)|\(salt)"
    }
}
