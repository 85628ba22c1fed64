import Foundation
import GRDB
import Kernel

/// The trips of vehicles, in the capability's own table. What every scan of a vehicle runs
/// (`openTrip`, `insert`, `save`, the running totals) uses cached statements, prepared once per
/// connection.
enum TripLog {
    static func openTrip(certificate: String, in db: Database) throws -> Trip? {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT document FROM waste_trips WHERE certificate_number = ? AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1
            """), arguments: [certificate]).map { try StoredJSON.decode(Trip.self, from: $0) }
    }

    static func insert(_ trip: Trip, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO waste_trips (id, application_id, certificate_number, plate, opened_at, closed_at, capacity_m3, disposal_site, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [trip.id, trip.applicationID, trip.certificate, trip.plate, trip.openedAt, trip.closedAt, trip.capacityM3,
                             trip.disposalSite, try StoredJSON.encode(trip)])
    }

    static func save(_ trip: Trip, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE waste_trips SET closed_at = ?, document = ? WHERE id = ?")
            .execute(arguments: [trip.closedAt, try StoredJSON.encode(trip), trip.id])
    }

    /// An application's trips in the order they left; `waste_trips_by_application` serves it.
    static let tripOrder = KeysetOrder("opened_at", "rowid")

    static func tripsStatement(applicationID: String, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        tripOrder.statement("SELECT opened_at, rowid, document FROM waste_trips", where: ["application_id = ?"], arguments: [applicationID], page: page)
    }

    /// A page of an application's trips, first to leave first.
    static func trips(applicationID: String, page: PageRequest, in db: Database) throws -> Page<Trip> {
        try tripOrder.page(tripsStatement(applicationID: applicationID, page: page), page, in: db) {
            try StoredJSON.decode(Trip.self, from: $0["document"] as String)
        }
    }

    static func trips(applicationID: String, in db: Database) throws -> [Trip] {
        try String.fetchAll(db, sql: "SELECT document FROM waste_trips WHERE application_id = ? ORDER BY opened_at, id", arguments: [applicationID])
            .map { try StoredJSON.decode(Trip.self, from: $0) }
    }

    /// Open trips not yet flagged that left before `cutoff`, oldest first.
    static func unclosed(before cutoff: Date, limit: Int, in db: Database) throws -> [Trip] {
        try String.fetchAll(db, sql: """
            SELECT document FROM waste_trips INDEXED BY waste_trips_unclosed
            WHERE closed_at IS NULL AND flagged_at IS NULL AND opened_at < ? ORDER BY opened_at LIMIT ?
            """, arguments: [cutoff, limit]).map { try StoredJSON.decode(Trip.self, from: $0) }
    }

    static func flag(_ trip: Trip, at date: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE waste_trips SET flagged_at = ? WHERE id = ?", arguments: [date, trip.id])
    }

    /// The volume an application was approved for, and its origin region.
    static func approvedVolume(applicationID: String, in db: Database) throws -> (volume: Double, origin: String)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT approved_m3, origin FROM waste_applications WHERE application_id = ?"), arguments: [applicationID])
            .flatMap { row in (row["approved_m3"] as Double?).flatMap { volume in (row["origin"] as String?).map { (volume, $0) } } }
    }

    /// Adds to an application's running totals; returns them after the change.
    static func addVolume(applicationID: String, carried: Double, confirmed: Double, in db: Database) throws -> (carried: Double, confirmed: Double) {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            INSERT INTO waste_volumes (application_id, carried_m3, confirmed_m3) VALUES (?1, ?2, ?3)
            ON CONFLICT(application_id) DO UPDATE SET carried_m3 = carried_m3 + ?2, confirmed_m3 = confirmed_m3 + ?3
            RETURNING carried_m3, confirmed_m3
            """), arguments: [applicationID, carried, confirmed])!
        return (row["carried_m3"], row["confirmed_m3"])
    }

    /// Adds to a disposal site's confirmed intake; returns it after the change.
    static func addIntake(site: String, _ volume: Double, in db: Database) throws -> Double {
        try Double.fetchOne(db.cachedStatement(sql: """
            INSERT INTO waste_site_intake (site_id, confirmed_m3) VALUES (?1, ?2)
            ON CONFLICT(site_id) DO UPDATE SET confirmed_m3 = confirmed_m3 + ?2
            RETURNING confirmed_m3
            """), arguments: [site, volume])!
    }

    static func intake(in db: Database) throws -> [String: Double] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT site_id, confirmed_m3 FROM waste_site_intake")
            .map { ($0["site_id"] as String, $0["confirmed_m3"] as Double) })
    }

    /// Records that `kind` was raised about `subject`; false when it already was.
    static func claimAlert(subject: String, kind: String, taskID: String, in db: Database) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO waste_alerts (subject, kind, task_id) VALUES (?, ?, ?)", arguments: [subject, kind, taskID])
        return db.changesCount > 0
    }

    /// A firm's disposal applications, newest first, with their running totals and open trips.
    static func firmSummary(_ firm: String, in db: Database) throws -> [(applicationID: String, carried: Double, confirmed: Double, open: Int, trips: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT a.application_id, COALESCE(v.carried_m3, 0) AS carried, COALESCE(v.confirmed_m3, 0) AS confirmed,
                   (SELECT COUNT(*) FROM waste_trips t WHERE t.application_id = a.application_id AND t.closed_at IS NULL) AS open,
                   (SELECT COUNT(*) FROM waste_trips t WHERE t.application_id = a.application_id) AS trips
            FROM waste_applications a LEFT JOIN waste_volumes v ON v.application_id = a.application_id
            WHERE a.firm = ? ORDER BY a.submitted_at DESC
            """, arguments: [firm]).map { ($0["application_id"], $0["carried"], $0["confirmed"], $0["open"], $0["trips"]) }
    }
}
