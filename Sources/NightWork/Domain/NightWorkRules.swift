import Foundation
import Kernel

/// The rules of 夜间施工 智能审批 as the bureau sets them (`Modules/night-work/rules.yaml`).
public struct NightWorkRules: Codable, Sendable, Equatable {
    public struct Night: Codable, Sendable, Equatable {
        public let start: ClockTime
        public let end: ClockTime
    }

    public struct Reason: Codable, Sendable, Equatable {
        public let code: String
        public let name: String
        /// Materials that must be on file for this reason (uploaded now or on the site's last permit).
        public let evidence: [String]
        public let exemptFromBlackouts: Bool?
        /// A person decides every application for this reason.
        public let review: Bool?
    }

    public struct Receptor: Codable, Sendable, Equatable {
        public let kind: String
        public let name: String
        /// Near one, a permit covers at most this many nights.
        public let maxNights: Int?
        /// Near one, a person decides.
        public let review: Bool?
    }

    public struct Blackout: Codable, Sendable, Equatable {
        public let name: String
        public let from: CivilDate
        public let to: CivilDate
        /// Receptor kinds near which no night work is allowed in these days.
        public let near: [String]
    }

    public struct RecentAlerts: Codable, Sendable, Equatable {
        public let days: Int
        public let atLeast: Int
    }

    public enum FirstApplication: String, Codable, Sendable {
        case review, approve
    }

    /// The catalog item night work is applied for under.
    public let item: String
    public let night: Night
    public let maxNights: Int
    public let maxDaysAhead: Int
    /// Items one of whose valid permits the site must hold.
    public let requiresPermit: [String]
    public let firstApplication: FirstApplication
    public let creditBelowReview: String?
    public let recentAlerts: RecentAlerts?
    public let reasons: [Reason]
    public let receptors: [Receptor]
    public let blackouts: [Blackout]

    public func reason(code: String) -> Reason? { reasons.first { $0.code == code } }
    public func reason(named name: String) -> Reason? { reasons.first { $0.name == name } }

    /// The night's length in minutes, from its start to its end the next morning.
    var nightLength: Int { night.start.minutes(until: night.end) }

    /// Where in the night a time of day falls: minutes after the night began, or nil by day.
    func offsetInNight(_ time: ClockTime) -> Int? {
        let offset = night.start.minutes(until: time)
        return offset < nightLength ? offset : nil
    }
}

/// The noise limits and the tasks monitoring raises (`Modules/night-work/noise.yaml`).
public struct NoiseRules: Codable, Sendable, Equatable {
    public struct Limits: Codable, Sendable, Equatable {
        public let dayDBA: Double
        public let nightDBA: Double
    }

    public struct Alert: Codable, Sendable, Equatable {
        public let department: String
        public let task: String
        public let dueDays: Int
        public let withoutPermit: String
        public let overLimit: String
        /// A violation found on an alert inside a permitted window suspends the night-work permit
        /// (an alert without one hangs on the construction permit, which it never suspends).
        public let suspendPermitOnViolation: Bool
        public let checklist: [ChecklistEntry]
    }

    public struct Credit: Codable, Sendable, Equatable {
        /// The alert that makes this many at one site within `days` reaches the firm's credit.
        public let alerts: Int
        public let days: Int
    }

    public struct Complaints: Codable, Sendable, Equatable {
        public let department: String
        public let task: String
        public let title: String
        public let dueDays: Int
        public let perPhonePerDay: Int
        public let suspendOnViolation: Bool
        public let checklist: [ChecklistEntry]
    }

    public let limits: Limits
    public let readingRange: [Double]
    public let maxBatch: Int
    public let alert: Alert
    public let credit: Credit
    public let complaints: Complaints

    public var plausible: ClosedRange<Double> { readingRange[0]...readingRange[1] }
}
