import Kernel

/// 限时办结: where an application stands against its promised time limit.
public struct Deadline: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Not accepted yet: the clock has not started.
        case notStarted = "not-started"
        case onTime = "on-time"
        /// Within the warning window before the promised date.
        case dueSoon = "due-soon"
        case overdue
        /// 补正, or an open 联合踏勘 that stops it: the clock is stopped.
        case paused
        /// Decided, issued, refused or withdrawn.
        case closed
    }

    public let state: State
    public let promisedBy: CivilDate?
    public let legalBy: CivilDate?
    /// Working days left until the promised date (negative when overdue).
    public let remainingWorkingDays: Int?
}

/// Whether an application's promised date is counting down: stored beside it, so that the lists
/// find overdue, due-soon and paused applications by index instead of judging every row.
public enum DeadlineClock: String, Sendable, CaseIterable {
    case notStarted = "not-started"
    case running
    case paused
    case closed
}

extension Application {
    public var deadlineClock: DeadlineClock {
        guard promisedBy != nil, acceptedOn != nil else { return status == .submitted || status == .correctionRequested ? .notStarted : .closed }
        if status == .correctionRequested || (survey?.isOpen == true && survey?.pausesClock == true) { return .paused }
        return status.isUnderWay ? .running : .closed
    }

    /// What its deadline is judged from on a given day.
    public var deadlineBasis: DeadlineBasis {
        DeadlineBasis(clock: deadlineClock, accepted: acceptedOn != nil, promisedBy: promisedBy, legalBy: legalBy)
    }

    public func deadline(today: CivilDate, calendar: WorkingDayCalendar, warnWithinWorkingDays: Int) -> Deadline {
        deadlineBasis.deadline(today: today, calendar: calendar, warnWithinWorkingDays: warnWithinWorkingDays)
    }
}

/// What an application's deadline is judged from, kept in columns beside its list row so that a
/// list judges each row's deadline for today without reading the application.
public struct DeadlineBasis: Sendable, Equatable {
    public let clock: DeadlineClock
    public let accepted: Bool
    public let promisedBy: CivilDate?
    public let legalBy: CivilDate?

    public init(clock: DeadlineClock, accepted: Bool, promisedBy: CivilDate?, legalBy: CivilDate?) {
        self.clock = clock
        self.accepted = accepted
        self.promisedBy = promisedBy
        self.legalBy = legalBy
    }

    public func deadline(today: CivilDate, calendar: WorkingDayCalendar, warnWithinWorkingDays: Int) -> Deadline {
        guard let promisedBy, accepted else {
            return Deadline(state: clock == .notStarted ? .notStarted : .closed, promisedBy: nil, legalBy: nil, remainingWorkingDays: nil)
        }
        guard clock == .running || clock == .paused else {
            return Deadline(state: .closed, promisedBy: promisedBy, legalBy: legalBy, remainingWorkingDays: nil)
        }
        // Counted only for an open clock: a closed one's promised date may lie years back, and
        // every list row would walk the calendar day by day to it.
        let remaining = (try? promisedBy >= today
            ? calendar.workingDays(after: today, through: promisedBy)
            : -calendar.workingDays(after: promisedBy, through: today)) ?? 0
        let state: Deadline.State = switch clock {
        case .paused: .paused
        case _ where today > promisedBy: .overdue
        case _ where remaining <= warnWithinWorkingDays: .dueSoon
        default: .onTime
        }
        return Deadline(state: state, promisedBy: promisedBy, legalBy: legalBy, remainingWorkingDays: remaining)
    }
}
