import Foundation
import Kernel

/// One reading of a site-boundary noise monitor, placed in the night it belongs to.
struct NoiseReading: Sendable, Equatable {
    enum Exceedance: String, Sendable {
        /// Over the night limit with no permit for that night and hour: work without a permit.
        case withoutPermit = "without-permit"
        /// Over the limit inside a permitted window: the measures are not working.
        case overLimit = "over-limit"
    }

    let at: Date
    let dBA: Double
    /// The evening's date of the night the reading falls in; nil by day.
    let night: CivilDate?
    /// Minutes after the night began.
    let offset: Int?

    init(at: Date, dBA: Double, rules: NightWorkRules, timeZone: TimeZone) {
        self.at = at
        self.dBA = dBA
        let offset = rules.offsetInNight(ClockTime(at, in: timeZone))
        self.offset = offset
        night = offset.map { CivilDate(at.addingTimeInterval(-Double($0) * 60), in: timeZone) }
    }
}
