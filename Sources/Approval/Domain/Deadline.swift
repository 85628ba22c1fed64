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

extension Application {
    public func deadline(today: CivilDate, calendar: WorkingDayCalendar, warnWithinWorkingDays: Int) -> Deadline {
        guard let promisedBy, acceptedOn != nil else {
            return Deadline(state: status == .submitted || status == .correctionRequested ? .notStarted : .closed,
                            promisedBy: nil, legalBy: nil, remainingWorkingDays: nil)
        }
        let remaining = (try? promisedBy >= today
            ? calendar.workingDays(after: today, through: promisedBy)
            : -calendar.workingDays(after: promisedBy, through: today)) ?? 0
        let state: Deadline.State = switch status {
        case .correctionRequested: .paused
        case _ where survey?.isOpen == true && survey?.pausesClock == true: .paused
        case _ where !status.isUnderWay: .closed
        case _ where today > promisedBy: .overdue
        case _ where remaining <= warnWithinWorkingDays: .dueSoon
        default: .onTime
        }
        return Deadline(state: state, promisedBy: promisedBy, legalBy: legalBy, remainingWorkingDays: state == .closed ? nil : remaining)
    }
}
