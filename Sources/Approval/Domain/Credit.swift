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

/// A firm's credit as the rules in `Modules/credit.yaml` make it today: what the gates read.
public struct CreditStanding: Sendable, Equatable {
    public let firm: String
    public let score: Int
    public let level: CreditRules.Level
    /// 0 for the best level; larger is worse.
    public let rank: Int

    /// Whether the firm stands at `level` or better, e.g. to keep automatic approval.
    public func isAtLeast(_ level: String, under rules: CreditRules) -> Bool {
        rank <= rules.rank(of: level)
    }
}

/// The standing with the records behind it: what the firm and the bureau read.
@dynamicMemberLookup
public struct CreditHistory: Sendable {
    public struct Counted: Sendable, Equatable {
        public let entry: CreditEntry
        public let points: Int
    }

    public let standing: CreditStanding
    /// A page of the records within the rules' window, newest first.
    public let records: Page<Counted>

    public subscript<Value>(dynamicMember path: KeyPath<CreditStanding, Value>) -> Value {
        standing[keyPath: path]
    }
}

extension CreditRules {
    /// The days a standing counts on `today`: after the first, through the second.
    public func window(today: CivilDate) -> (after: CivilDate, through: CivilDate) {
        (today.adding(days: -windowDays), today)
    }

    /// The standing from how many records of each kind the window holds: a sum, so the store can
    /// count in its index instead of reading the records.
    public func standing(of firm: String, counts: [CreditEventKind: Int]) -> CreditStanding {
        let score = min(maxScore, counts.reduce(startScore) { $0 + points(for: $1.key) * $1.value })
        let level = level(for: score)
        return CreditStanding(firm: firm, score: score, level: level, rank: rank(of: level.level))
    }
}
