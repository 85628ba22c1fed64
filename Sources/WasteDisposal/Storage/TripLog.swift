import Foundation
import GRDB
import Kernel

/// The trips of vehicles, in the capability's own table.
enum TripLog {
    static func openTrip(certificate: String, in db: Database) throws -> Trip? {
        try String.fetchOne(db, sql: """
            SELECT document FROM waste_trips WHERE certificate_number = ? AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1
            """, arguments: [certificate]).map { try StoredJSON.decode(Trip.self, from: $0) }
    }

    static func insert(_ trip: Trip, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO waste_trips (id, application_id, certificate_number, plate, opened_at, closed_at, capacity_m3, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [trip.id, trip.applicationID, trip.certificate, trip.plate, trip.openedAt, trip.closedAt, trip.capacityM3,
                             try StoredJSON.encode(trip)])
    }

    static func save(_ trip: Trip, in db: Database) throws {
        try db.execute(sql: "UPDATE waste_trips SET closed_at = ?, document = ? WHERE id = ?",
                       arguments: [trip.closedAt, try StoredJSON.encode(trip), trip.id])
    }

    static func trips(applicationID: String, in db: Database) throws -> [Trip] {
        try String.fetchAll(db, sql: "SELECT document FROM waste_trips WHERE application_id = ? ORDER BY opened_at, id", arguments: [applicationID])
            .map { try StoredJSON.decode(Trip.self, from: $0) }
    }
}
