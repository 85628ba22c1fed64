import Foundation
import Kernel

/// A disposal permit's figures, kept by the scans' transactions (`TripLog.countTrip`,
/// `countScan`, `countClosed`) rather than counted from its trips on every request.
struct TripFigures: Equatable {
    /// Trips that left in one quarter hour, counted in UTC.
    struct Quarter: Equatable {
        let quarter: Int
        let trips: Int
        let carriedM3: Double
    }

    let openTrips: Int
    let carriedM3: Double
    let confirmedM3: Double
    let quarters: [Quarter]
    let scansByRegion: [String: Int]
    let tripsByCertificate: [String: Int]

    /// Every time zone's offset is a whole number of quarter hours, so a quarter lies in one
    /// day of any calendar.
    static let quarterSeconds = 900

    static func quarter(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / Double(quarterSeconds)).rounded(.down))
    }

    /// Trips and load by the day they left, in `timeZone`, earliest first.
    func byDay(in timeZone: TimeZone) -> [(date: CivilDate, trips: Int, carriedM3: Double)] {
        var days: [(date: CivilDate, trips: Int, carriedM3: Double)] = []
        for quarter in quarters {
            let date = CivilDate(Date(timeIntervalSince1970: Double(quarter.quarter * Self.quarterSeconds)), in: timeZone)
            if days.last?.date == date {
                days[days.count - 1].trips += quarter.trips
                days[days.count - 1].carriedM3 += quarter.carriedM3
            } else {
                days.append((date, quarter.trips, quarter.carriedM3))
            }
        }
        return days
    }
}
