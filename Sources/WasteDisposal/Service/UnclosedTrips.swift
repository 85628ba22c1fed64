import Certificates
import Foundation
import GRDB
import Kernel
import Logging
import ServiceLifecycle

/// 偷倒乱倒: a trip that left the origin and has not reached disposal within the time the rules
/// give opens a task in the origin's and the disposal region's queues, once per trip.
public struct UnclosedTrips: Sendable {
    let keeper: TripKeeper
    let database: AppDatabase
    let events: EventBus
    let dependencies: Dependencies

    /// Flags every trip overdue now; returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = dependencies.now()
        let cutoff = now.addingTimeInterval(-Double(keeper.rules.trips.unclosedAfterHours * 3_600))
        let (keeper, events) = (self.keeper, self.events)
        return try await database.write { db in
            let scope = EventScope(db: db, date: now, bus: events)
            let overdue = try TripLog.unclosed(before: cutoff, limit: 1_000, in: db)
            for trip in overdue {
                try TripLog.flag(trip, at: now, in: db)
                guard let certificate = try CertificateRegistry.certificate(number: trip.certificate, in: db), let route = certificate.route else { continue }
                let time = { (date: Date) in RFC3339.string(from: date, timeZone: keeper.catalog.calendar.timeZone) }
                let seen = trip.scans.map { "\(time($0.at)) \($0.inspector)（\(keeper.catalog.regions[$0.region]?.name ?? $0.region)）扫码" }
                let reason = "车辆 \(trip.plate) 于 \(time(trip.openedAt)) 出发，超过 \(keeper.rules.trips.unclosedAfterHours) 小时未在消纳场扫码"
                for region in [route.origin, route.disposal] {
                    try keeper.raise(keeper.rules.tasks.unclosedTrip, about: "trip/\(trip.id)", on: certificate, region: region, because: reason,
                                     evidence: seen, in: scope)
                }
            }
            return overdue.count
        }
    }
}

/// Runs the sweep periodically.
struct UnclosedTripsSweep: Service {
    let sweep: UnclosedTrips
    let interval: Duration
    let logger = Logger(label: "shenguan.waste-disposal")

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let flagged = try await sweep.sweep()
                if flagged > 0 { logger.info("unclosed trips flagged", metadata: ["trips": "\(flagged)"]) }
            } catch {
                logger.error("unclosed-trip sweep failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
