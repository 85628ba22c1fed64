import Certificates
import Foundation
import GRDB
import Kernel
import Supervision

/// Keeps vehicles' trips from the scans of their certificates, in the scan's own transaction: a
/// scan at the origin opens a trip, one at disposal closes it, one in transit joins the open trip.
/// A vehicle scanned on the way or at disposal with no trip open gets one opened by that scan, so
/// no load goes unrecorded; a vehicle scanned at the origin again soon after is the same load.
/// The running totals move with each trip, and crossing the approved volume or a site's capacity
/// opens a task once.
struct TripKeeper {
    let rules: WasteDisposalRules
    let sites: [String: DisposalSite]
    let catalog: Catalog
    let makeID: @Sendable () -> String

    func subscribe(to bus: EventBus) {
        bus.subscribe(ScanRecorded.self) { scope, event in
            try record(event, in: scope)
        }
    }

    func record(_ event: ScanRecorded, in scope: EventScope) throws {
        guard let number = event.certificateNumber, let checkpoint = Checkpoint(rawValue: event.checkpoint), checkpoint != .site,
              let certificate = try CertificateRegistry.certificate(number: number, in: scope.db, known: scope.attachment as? Verification),
              let subject = certificate.subject, certificate.permits.contains(where: { $0.item == rules.item }) else { return }
        let scan = TripScan(scanID: event.scanID, at: scope.date, checkpoint: event.checkpoint, region: event.region,
                            department: event.department, inspector: event.inspector, valid: event.valid)
        if var trip = try TripLog.openTrip(certificate: number, in: scope.db), !startsAnother(trip, at: scope.date, checkpoint) {
            trip.scans.append(scan)
            if checkpoint == .disposal { trip.closedAt = scope.date }
            try TripLog.save(trip, in: scope.db)
            try TripLog.countScan(applicationID: trip.applicationID, region: scan.region, in: scope.db)
            if checkpoint == .disposal {
                try TripLog.countClosed(applicationID: trip.applicationID, in: scope.db)
                try count(trip, carried: false, on: certificate, in: scope)
            }
            return
        }
        let site = certificate.permits.lazy.compactMap { $0.details?.first { $0.key == VehicleDetails.disposalSite }?.value }.first
        let trip = Trip(id: makeID(), applicationID: certificate.applicationID, certificate: number, plate: subject.id,
                        capacityM3: VehicleDetails.capacity(of: subject) ?? 0, disposalSite: site, openedAt: scope.date,
                        closedAt: checkpoint == .disposal ? scope.date : nil, scans: [scan])
        try TripLog.insert(trip, in: scope.db)
        try TripLog.countTrip(trip, in: scope.db)
        try TripLog.countScan(applicationID: trip.applicationID, region: scan.region, in: scope.db)
        try count(trip, carried: true, on: certificate, in: scope)
    }

    /// An origin scan starts a new load unless it repeats the open trip's own origin scan; the
    /// earlier trip then stays open, and unclosed.
    func startsAnother(_ open: Trip, at now: Date, _ checkpoint: Checkpoint) -> Bool {
        guard checkpoint == .origin else { return false }
        let repeated = open.scans.allSatisfy { $0.checkpoint == Checkpoint.origin.rawValue }
            && now.timeIntervalSince(open.openedAt) <= Double(rules.trips.rescanWithinMinutes * 60)
        return !repeated
    }

    /// A new trip adds its load to what the application carried; a closed one to what was
    /// received, there and at its site.
    func count(_ trip: Trip, carried: Bool, on certificate: Certificate, in scope: EventScope) throws {
        let received = trip.closedAt != nil
        let totals = try TripLog.addVolume(applicationID: trip.applicationID, carried: carried ? trip.capacityM3 : 0,
                                           confirmed: received ? trip.capacityM3 : 0, in: scope.db)
        if carried, let (approved, origin) = try TripLog.approvedVolume(applicationID: trip.applicationID, in: scope.db), totals.carried > approved {
            try raise(rules.tasks.overVolume, about: "application/\(trip.applicationID)", on: certificate, region: origin,
                      because: "已运出 \(VehicleDetails.format(totals.carried)) 立方米（按车辆核定容积计），超过核准处置量 \(VehicleDetails.format(approved)) 立方米",
                      in: scope)
        }
        if received, let id = trip.disposalSite, let site = sites[id] {
            let intake = try TripLog.addIntake(site: id, trip.capacityM3, in: scope.db)
            if intake > site.capacityM3 {
                try raise(rules.tasks.siteOverCapacity, about: "site/\(id)", on: certificate, region: site.region,
                          because: "\(site.name)已受纳 \(VehicleDetails.format(intake)) 立方米，超过备案容量 \(VehicleDetails.format(site.capacityM3)) 立方米",
                          in: scope)
            }
        }
    }

    /// Opens `rule`'s task about `subject` in `region`'s queue, unless one was opened before.
    func raise(_ rule: WasteDisposalRules.TaskRule, about subject: String, on certificate: Certificate, region: String, because reason: String,
               evidence: [String] = [], in scope: EventScope) throws {
        let id = makeID()
        guard try TripLog.claimAlert(subject: subject, kind: rule.task + "/" + region, taskID: id, in: scope.db) else { return }
        try SupervisionRouting.raise(RaisedTask(id: id, item: rules.item, department: rule.department, region: region, kind: rule.task,
                                                title: rule.name, dueDays: rule.dueDays, checklist: rule.checklist, suspendsOnViolation: false,
                                                raisedBy: reason, evidence: evidence),
                                     on: certificate, catalog: catalog, in: scope)
    }
}
