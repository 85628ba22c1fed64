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

    /// Counts a trip that left: the permit's trips (and its open ones, while this one is), its
    /// quarter hour's trips and load, and its vehicle's trips.
    static func countTrip(_ trip: Trip, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO waste_volumes (application_id, carried_m3, confirmed_m3, trips, open_trips) VALUES (?1, 0, 0, 1, ?2)
            ON CONFLICT(application_id) DO UPDATE SET trips = trips + 1, open_trips = open_trips + ?2
            """).execute(arguments: [trip.applicationID, trip.isOpen ? 1 : 0])
        try db.cachedStatement(sql: """
            INSERT INTO waste_trip_quarters (application_id, quarter, trips, carried_m3) VALUES (?1, ?2, 1, ?3)
            ON CONFLICT(application_id, quarter) DO UPDATE SET trips = trips + 1, carried_m3 = carried_m3 + ?3
            """).execute(arguments: [trip.applicationID, TripFigures.quarter(of: trip.openedAt), trip.capacityM3])
        try db.cachedStatement(sql: """
            INSERT INTO waste_certificate_trips (application_id, certificate_number, trips) VALUES (?, ?, 1)
            ON CONFLICT(application_id, certificate_number) DO UPDATE SET trips = trips + 1
            """).execute(arguments: [trip.applicationID, trip.certificate])
    }

    /// Counts a trip the disposal site received: one open trip fewer.
    static func countClosed(applicationID: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE waste_volumes SET open_trips = open_trips - 1 WHERE application_id = ?").execute(arguments: [applicationID])
    }

    /// Counts a scan of a permit's vehicle in the region it was made in.
    static func countScan(applicationID: String, region: String, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO waste_scan_regions (application_id, region, scans) VALUES (?, ?, 1)
            ON CONFLICT(application_id, region) DO UPDATE SET scans = scans + 1
            """).execute(arguments: [applicationID, region])
    }

    static let figuresSQL = (
        totals: "SELECT carried_m3, confirmed_m3, open_trips FROM waste_volumes WHERE application_id = ?",
        quarters: "SELECT quarter, trips, carried_m3 FROM waste_trip_quarters WHERE application_id = ? ORDER BY quarter",
        regions: "SELECT region, scans FROM waste_scan_regions WHERE application_id = ?",
        vehicles: "SELECT certificate_number, trips FROM waste_certificate_trips WHERE application_id = ?")

    /// A permit's figures as the scans kept them: a few rows, however many trips.
    static func figures(applicationID: String, in db: Database) throws -> TripFigures {
        let totals = try Row.fetchOne(db.cachedStatement(sql: figuresSQL.totals), arguments: [applicationID])
        return TripFigures(
            openTrips: totals?["open_trips"] ?? 0, carriedM3: totals?["carried_m3"] ?? 0,
            confirmedM3: totals?["confirmed_m3"] ?? 0,
            quarters: try Row.fetchAll(db.cachedStatement(sql: figuresSQL.quarters), arguments: [applicationID])
                .map { TripFigures.Quarter(quarter: $0["quarter"], trips: $0["trips"], carriedM3: $0["carried_m3"]) },
            scansByRegion: Dictionary(uniqueKeysWithValues: try Row.fetchAll(db.cachedStatement(sql: figuresSQL.regions), arguments: [applicationID])
                .map { ($0["region"] as String, $0["scans"] as Int) }),
            tripsByCertificate: Dictionary(uniqueKeysWithValues: try Row.fetchAll(db.cachedStatement(sql: figuresSQL.vehicles), arguments: [applicationID])
                .map { ($0["certificate_number"] as String, $0["trips"] as Int) }))
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

    static let firmSummarySQL = """
        SELECT a.application_id, COALESCE(v.carried_m3, 0) AS carried, COALESCE(v.confirmed_m3, 0) AS confirmed,
               COALESCE(v.open_trips, 0) AS open, COALESCE(v.trips, 0) AS trips
        FROM waste_applications a LEFT JOIN waste_volumes v ON v.application_id = a.application_id
        WHERE a.firm = ? ORDER BY a.submitted_at DESC
        """

    /// A firm's disposal applications, newest first, with their running totals and open trips.
    static func firmSummary(_ firm: String, in db: Database) throws -> [(applicationID: String, carried: Double, confirmed: Double, open: Int, trips: Int)] {
        try Row.fetchAll(db, sql: firmSummarySQL, arguments: [firm]).map { ($0["application_id"], $0["carried"], $0["confirmed"], $0["open"], $0["trips"]) }
    }
}
