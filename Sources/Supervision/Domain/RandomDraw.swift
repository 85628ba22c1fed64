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

/// One published 双随机 draw: which permits, which inspector for each, from what, by which seed.
public struct RandomDraw: Codable, Sendable, Equatable {
    public struct Pick: Codable, Sendable, Equatable {
        public let certificateNumber: String
        public let projectName: String
        public let holderName: String
        public let inspector: TaskAssignee
        public let taskID: String
    }

    public let id: String
    public let at: Date
    public let drawnOn: CivilDate
    public let department: String
    public let region: String
    /// Decimal, as published; feeds `SeededDraw`.
    public let seed: String
    public let sampleSize: Int
    /// Every certificate that could have been drawn, sorted by number.
    public let candidates: [String]
    /// Every inspector who could have been drawn, sorted by account id, as names.
    public let inspectorPool: [TaskAssignee]
    public let picks: [Pick]
    public let drawnBy: String
}
