import Foundation
import Kernel

/// A vehicle in the transport register (运输车辆登记), kept by the bureau's administrators: only
/// a registered vehicle of the named transporter may carry a disposal permit's loads.
public struct RegisteredVehicle: Codable, Sendable, Equatable {
    public let plate: String
    public let transporter: Transporter
    /// 车辆类型, e.g. 重型自卸货车.
    public let type: String
    public let capacityM3: Double
    /// The satellite-positioning terminal fitted, by its id.
    public let gpsDevice: String
    public let registeredAt: Date
    public let registeredBy: String
    public var deregisteredAt: Date?
}

/// `POST /api/v1/waste-disposal/vehicles`: a transport firm's fleet, or part of it.
struct VehicleRegistration: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        let plate: String?
        let type: String?
        let capacityM3: Double?
        let gpsDevice: String?
    }

    let transporter: DisposalApplicationInput.TransporterInput?
    let vehicles: [Entry]?

    static let maxBatch = 1_000

    /// Every entry checked; the first problem named with its field.
    func checked(at now: Date, by actor: Actor) throws(WasteDisposalError) -> [RegisteredVehicle] {
        let transporter = try DisposalPlanCheck.transporter(transporter)
        guard let vehicles, !vehicles.isEmpty, vehicles.count <= Self.maxBatch else {
            throw .invalidField(field: "vehicles", message: "每次登记 1–\(Self.maxBatch) 辆车")
        }
        var seen = Set<String>()
        return try vehicles.enumerated().map { (index, entry) throws(WasteDisposalError) in
            guard let plate = entry.plate.flatMap(PlateNumber.init), seen.insert(plate.description).inserted else {
                throw .invalidField(field: "vehicles[\(index)].plate", message: "车牌号格式不正确或重复：\(entry.plate ?? "")")
            }
            guard let type = entry.type?.trimmingCharacters(in: .whitespacesAndNewlines), !type.isEmpty, type.count <= 30 else {
                throw .invalidField(field: "vehicles[\(index)].type", message: "请填写车辆类型（30字以内）")
            }
            guard let capacity = entry.capacityM3, Vehicle.capacityRange.contains(capacity) else {
                throw .invalidField(field: "vehicles[\(index)].capacityM3", message: "核定容积应在 0.5–60 立方米之间")
            }
            guard let device = entry.gpsDevice?.trimmingCharacters(in: .whitespaces), (4...40).contains(device.count),
                  device.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw .invalidField(field: "vehicles[\(index)].gpsDevice", message: "请填写卫星定位终端编号（4–40位字母、数字或连字符）")
            }
            return RegisteredVehicle(plate: plate.description, transporter: transporter, type: type, capacityM3: capacity, gpsDevice: device,
                                     registeredAt: now, registeredBy: actor.name)
        }
    }
}
