import Foundation

/// Working days as the State Council's holiday notice defines them: Monday to Friday, less public
/// holidays, plus the weekend days declared make-up working days (调休). Loaded from `calendar.yaml`.
public struct WorkingDayCalendar: Sendable {
    public let timeZone: TimeZone
    public let years: ClosedRange<Int>
    let holidays: Set<CivilDate>
    let makeupWorkdays: Set<CivilDate>

    public init(timeZone: TimeZone, years: ClosedRange<Int>, holidays: Set<CivilDate>, makeupWorkdays: Set<CivilDate>) {
        self.timeZone = timeZone
        self.years = years
        self.holidays = holidays
        self.makeupWorkdays = makeupWorkdays
    }

    public struct OutOfRange: DomainError {
        public let date: CivilDate
        public let years: ClosedRange<Int>
        public var kind: DomainErrorKind { .unprocessable }
        public var code: String { "calendar-out-of-range" }
        public var message: String { "工作日历仅覆盖 \(years.lowerBound)–\(years.upperBound) 年，无法计算 \(date) 的期限" }
    }

    public func isWorkingDay(_ date: CivilDate) throws(OutOfRange) -> Bool {
        guard years.contains(date.year) else { throw OutOfRange(date: date, years: years) }
        if makeupWorkdays.contains(date) { return true }
        if holidays.contains(date) { return false }
        return date.weekday <= 5
    }

    /// The `count`-th working day after `start` (the start day itself is not counted, as a time
    /// limit runs from the day after acceptance).
    public func date(addingWorkingDays count: Int, to start: CivilDate) throws(OutOfRange) -> CivilDate {
        var date = start
        var remaining = count
        while remaining > 0 {
            date = date.adding(days: 1)
            if try isWorkingDay(date) { remaining -= 1 }
        }
        return date
    }

    /// Working days in `(start, end]`; zero when `end` is not after `start`.
    public func workingDays(after start: CivilDate, through end: CivilDate) throws(OutOfRange) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var date = start
        while date < end {
            date = date.adding(days: 1)
            if try isWorkingDay(date) { count += 1 }
        }
        return count
    }

    public func today(at instant: Date) -> CivilDate { CivilDate(instant, in: timeZone) }
}
