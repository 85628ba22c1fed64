import Certificates
import Foundation
import GRDB
import Kernel
import Supervision

/// Keeps vehicles' trips from the scans of their certificates, in the scan's own transaction: a
/// scan at the origin opens a trip, one at disposal closes it, one in transit joins the open trip.
/// A vehicle scanned on the way or at disposal with no trip open gets one opened by that scan, so
/// no load goes unrecorded; a vehicle scanned at the origin again soon after is the same load.
enum TripKeeper {
    static func subscribe(to bus: EventBus, rules: WasteDisposalRules, makeID: @escaping @Sendable () -> String) {
        bus.subscribe(ScanRecorded.self) { scope, event in
            guard let number = event.certificateNumber, let checkpoint = Checkpoint(rawValue: event.checkpoint), checkpoint != .site,
                  let certificate = try CertificateRegistry.certificate(number: number, in: scope.db),
                  let subject = certificate.subject, certificate.permits.contains(where: { $0.item == rules.item }) else { return }
            let scan = TripScan(scanID: event.scanID, at: scope.date, checkpoint: event.checkpoint, region: event.region,
                                department: event.department, inspector: event.inspector, valid: event.valid)
            if var trip = try TripLog.openTrip(certificate: number, in: scope.db), !startsAnother(trip, at: scope.date, checkpoint, rules: rules) {
                trip.scans.append(scan)
                if checkpoint == .disposal { trip.closedAt = scope.date }
                try TripLog.save(trip, in: scope.db)
                return
            }
            try TripLog.insert(Trip(id: makeID(), applicationID: certificate.applicationID, certificate: number, plate: subject.id,
                                    capacityM3: VehicleDetails.capacity(of: subject) ?? 0, openedAt: scope.date,
                                    closedAt: checkpoint == .disposal ? scope.date : nil, scans: [scan]), in: scope.db)
        }
    }

    /// An origin scan starts a new load unless it repeats the open trip's own origin scan; the
    /// earlier trip then stays open, and unclosed.
    static func startsAnother(_ open: Trip, at now: Date, _ checkpoint: Checkpoint, rules: WasteDisposalRules) -> Bool {
        guard checkpoint == .origin else { return false }
        let repeated = open.scans.allSatisfy { $0.checkpoint == Checkpoint.origin.rawValue }
            && now.timeIntervalSince(open.openedAt) <= Double(rules.trips.rescanWithinMinutes * 60)
        return !repeated
    }
}
