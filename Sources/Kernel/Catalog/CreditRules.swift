/// What a firm's record holds, each counted by the rules in `Modules/credit.yaml`.
public enum CreditEventKind: String, Codable, Sendable, CaseIterable {
    /// An inspection found nothing wrong.
    case inspectionPassed = "inspection-passed"
    /// An inspection ordered rectification.
    case rectificationOrdered = "rectification-ordered"
    /// The follow-up inspection found the rectification done.
    case rectificationMet = "rectification-met"
    /// The follow-up inspection found it not done.
    case rectificationMissed = "rectification-missed"
    /// An inspection found a violation.
    case violation
    /// A 容缺 material supplied by its due date.
    case commitmentKept = "commitment-kept"
    /// A 容缺 material supplied late, or a 告知承诺 found untrue by inspection.
    case commitmentBroken = "commitment-broken"
    /// Automatic monitoring at the firm's site raised alerts again and again.
    case repeatedAlerts = "repeated-alerts"
}

/// 守信者一路畅通、失信者处处受限: how a firm's record becomes a score and a level.
public struct CreditRules: Codable, Sendable, Equatable {
    public struct Level: Codable, Sendable, Equatable {
        public let level: String
        public let name: String
        public let minScore: Int
    }

    public let startScore: Int
    public let maxScore: Int
    /// Only records this recent count.
    public let windowDays: Int
    public let points: [String: Int]
    /// Best first; a firm has the first level whose `minScore` its score reaches.
    public let levels: [Level]
    /// The level a firm must hold to keep what is granted on trust.
    public let gates: Gates?

    /// 失信者处处受限: below these levels a firm loses the grants made on trust.
    public struct Gates: Codable, Sendable, Equatable {
        /// 告知承诺: a commitment replaces proof only for firms at this level or better.
        public let commitment: String?
        /// 超时默认: an overdue item is approved by default only for firms at this level or better.
        public let timeoutDefault: String?

        public init(commitment: String?, timeoutDefault: String?) {
            self.commitment = commitment
            self.timeoutDefault = timeoutDefault
        }
    }

    public init(startScore: Int, maxScore: Int, windowDays: Int, points: [String: Int], levels: [Level], gates: Gates? = nil) {
        self.gates = gates
        self.startScore = startScore
        self.maxScore = maxScore
        self.windowDays = windowDays
        self.points = points
        self.levels = levels
    }

    /// Rules under which every firm stays at one level: for catalogs without `credit.yaml`.
    public static let neutral = CreditRules(startScore: 100, maxScore: 100, windowDays: 365, points: [:],
                                            levels: [Level(level: "A", name: "守信", minScore: 0)])

    public func points(for kind: CreditEventKind) -> Int { points[kind.rawValue] ?? 0 }

    public func level(for score: Int) -> Level {
        levels.first { score >= $0.minScore } ?? levels[levels.count - 1]
    }

    /// 0 for the best level, growing as the level worsens; unknown levels rank last.
    public func rank(of level: String) -> Int {
        levels.firstIndex { $0.level == level } ?? levels.count
    }
}
