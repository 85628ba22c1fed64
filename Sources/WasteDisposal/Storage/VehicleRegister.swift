import Foundation
import GRDB
import Kernel

/// The transport register in the capability's own table.
enum VehicleRegister {
    /// Registers or re-registers each vehicle (a deregistered plate may come back, with its new details).
    static func save(_ vehicles: [RegisteredVehicle], in db: Database) throws {
        for vehicle in vehicles {
            try db.execute(sql: """
                INSERT INTO waste_vehicles (plate, transporter_uscc, deregistered_at, document) VALUES (?, ?, NULL, ?)
                ON CONFLICT(plate) DO UPDATE SET transporter_uscc = excluded.transporter_uscc, deregistered_at = NULL, document = excluded.document
                """, arguments: [vehicle.plate, vehicle.transporter.uscc, try StoredJSON.encode(vehicle)])
        }
    }

    static func vehicle(plate: String, in db: Database) throws -> RegisteredVehicle? {
        try String.fetchOne(db, sql: "SELECT document FROM waste_vehicles WHERE plate = ?", arguments: [plate])
            .map { try StoredJSON.decode(RegisteredVehicle.self, from: $0) }
    }

    static func fleet(transporter uscc: String, in db: Database) throws -> [RegisteredVehicle] {
        try String.fetchAll(db, sql: "SELECT document FROM waste_vehicles WHERE transporter_uscc = ? AND deregistered_at IS NULL ORDER BY plate",
                            arguments: [uscc]).map { try StoredJSON.decode(RegisteredVehicle.self, from: $0) }
    }

    static func deregister(plate: String, at date: Date, in db: Database) throws -> Bool {
        guard var vehicle = try vehicle(plate: plate, in: db), vehicle.deregisteredAt == nil else { return false }
        vehicle.deregisteredAt = date
        try db.execute(sql: "UPDATE waste_vehicles SET deregistered_at = ?, document = ? WHERE plate = ?",
                       arguments: [date, try StoredJSON.encode(vehicle), plate])
        return true
    }
}
