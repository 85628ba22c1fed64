import Foundation
import Kernel

/// One fact in a firm's credit record, with where it came from.
public struct CreditEntry: Codable, Sendable, Equatable {
    public let firm: String
    public let kind: CreditEventKind
    public let at: Date
    public let on: CivilDate
    /// `kind/id` of what it is about: an application or a certificate.
    public let subject: String
    /// What recorded it: an inspection, a supplemented material.
    public let source: String
    public let note: String

    public init(firm: String, kind: CreditEventKind, at: Date, on: CivilDate, subject: String, source: String, note: String) {
        self.firm = firm
        self.kind = kind
        self.at = at
        self.on = on
        self.subject = subject
        self.source = source
        self.note = note
    }
}

/// A firm's credit as the rules in `Modules/credit.yaml` make it today.
public struct CreditStanding: Sendable, Equatable {
    public struct Counted: Sendable, Equatable {
        public let entry: CreditEntry
        public let points: Int
    }

    public let firm: String
    public let score: Int
    public let level: CreditRules.Level
    /// 0 for the best level; larger is worse.
    public let rank: Int
    /// The records within the rules' window, newest first.
    public let records: [Counted]

    /// Whether the firm stands at `level` or better, e.g. to keep automatic approval.
    public func isAtLeast(_ level: String, under rules: CreditRules) -> Bool {
        rank <= rules.rank(of: level)
    }
}

extension CreditRules {
    public func standing(of firm: String, from entries: [CreditEntry], today: CivilDate) -> CreditStanding {
        let since = today.adding(days: -windowDays)
        let counted = entries.filter { $0.on > since && $0.on <= today }
            .sorted { ($0.at, $0.source) > ($1.at, $1.source) }
            .map { CreditStanding.Counted(entry: $0, points: points(for: $0.kind)) }
        let score = min(maxScore, counted.reduce(startScore) { $0 + $1.points })
        let level = level(for: score)
        return CreditStanding(firm: firm, score: score, level: level, rank: rank(of: level.level), records: counted)
    }
}
