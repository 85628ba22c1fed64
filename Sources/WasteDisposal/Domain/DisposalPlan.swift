import Approval
import Foundation
import Kernel

/// A vehicle a disposal permit covers: each carries its own certificate.
public struct Vehicle: Codable, Sendable, Equatable {
    public let plate: String
    public let capacityM3: Double

    /// What a road vehicle's load body can hold, in m³.
    static let capacityRange: ClosedRange<Double> = 0.5...60
}

public struct Transporter: Codable, Sendable, Equatable {
    public let name: String
    public let uscc: String
}

/// What a disposal application asks for beyond the catalog form, kept with the application (its
/// annex) and read back when it is issued: the route, the disposal site, the transporter and its
/// vehicles, the volume and the validity asked for.
public struct DisposalPlan: Codable, Sendable, Equatable {
    public let wasteType: String
    public let volumeM3: Double
    public let route: PermitRoute
    public let disposalSite: String
    public let transporter: Transporter
    public let vehicles: [Vehicle]
    public let validFrom: CivilDate
    public let validTo: CivilDate
    /// The site's disposal approval already granted (建筑垃圾处置核准 in its 综合许可证), by its
    /// number: the site is not reviewed again, and the vehicles' certificates name it.
    public internal(set) var siteApproval: String? = nil
}

/// `POST /api/v1/waste-disposal/applications` as the firm sends it (CONTRACT.md), every field
/// optional so that a missing one is named in a 422 rather than failing the decoding.
public struct DisposalApplicationInput: Decodable, Sendable {
    public struct Route: Decodable, Sendable {
        let origin: String?
        let transit: [String]?
        let disposal: String?
    }

    public struct VehicleInput: Decodable, Sendable {
        let plate: String?
        let capacityM3: Double?
    }

    public struct TransporterInput: Decodable, Sendable {
        let name: String?
        let uscc: String?
    }

    public struct Contact: Decodable, Sendable {
        let name: String?
        let phone: String?
    }

    let projectId: String?
    let wasteType: String?
    let volumeM3: Double?
    let route: Route?
    let disposalSite: String?
    let transporter: TransporterInput?
    let vehicles: [VehicleInput]?
    let validFrom: String?
    let validTo: String?
    /// Who the bureau calls about the application; on a repeat, the site's earlier permit gives it.
    let contact: Contact?
    let materials: [MaterialUpload]?
}

/// Checks a disposal application against the rules, the regions and the disposal sites the
/// catalog holds, and its vehicles against the transport register; the first problem found is
/// named with its field.
struct DisposalPlanCheck {
    let rules: WasteDisposalRules
    let sites: [String: DisposalSite]
    let regions: Set<String>

    func check(_ input: DisposalApplicationInput, today: CivilDate) -> Result<DisposalPlan, WasteDisposalError> {
        Result { try plan(input, today: today) }.mapError { $0 as? WasteDisposalError ?? .invalidField(field: "body", message: "\($0)") }
    }

    private func plan(_ input: DisposalApplicationInput, today: CivilDate) throws(WasteDisposalError) -> DisposalPlan {
        guard let wasteType = input.wasteType, rules.wasteTypes.contains(wasteType) else {
            throw .invalidField(field: "wasteType", message: "建筑垃圾种类应为\(rules.wasteTypes.joined(separator: "、"))之一")
        }
        guard let volume = input.volumeM3, volume.isFinite, volume > 0 else {
            throw .invalidField(field: "volumeM3", message: "处置量应大于0立方米")
        }
        let route = try self.route(input.route)
        guard let siteID = input.disposalSite, let site = sites[siteID] else {
            throw .invalidField(field: "disposalSite", message: "未登记的消纳场 \(input.disposalSite ?? "")")
        }
        guard site.region == route.disposal else {
            throw .invalidField(field: "disposalSite", message: "消纳地 \(route.disposal) 没有消纳场 \(site.id)（该场位于 \(site.region)）")
        }
        guard site.accepts.contains(wasteType) else {
            throw .invalidField(field: "disposalSite", message: "\(site.name)不受纳\(wasteType)")
        }
        let transporter = try Self.transporter(input.transporter)
        let vehicles = try self.vehicles(input.vehicles)
        guard let fromText = input.validFrom, let validFrom = CivilDate(fromText) else {
            throw .invalidField(field: "validFrom", message: "请填写开始日期（YYYY-MM-DD）")
        }
        guard validFrom >= today else { throw .invalidField(field: "validFrom", message: "开始日期不能早于今天") }
        guard let toText = input.validTo, let validTo = CivilDate(toText) else {
            throw .invalidField(field: "validTo", message: "请填写结束日期（YYYY-MM-DD）")
        }
        guard validTo >= validFrom else { throw .invalidField(field: "validTo", message: "结束日期早于开始日期") }
        guard validTo < validFrom.adding(months: rules.maxValidityMonths) else {
            throw .invalidField(field: "validTo", message: "有效期最长\(rules.maxValidityMonths)个月（至 \(validFrom.adding(months: rules.maxValidityMonths).adding(days: -1))）")
        }
        return DisposalPlan(wasteType: wasteType, volumeM3: volume, route: route, disposalSite: site.id, transporter: transporter,
                            vehicles: vehicles, validFrom: validFrom, validTo: validTo)
    }

    private func route(_ input: DisposalApplicationInput.Route?) throws(WasteDisposalError) -> PermitRoute {
        guard let input else { throw .invalidField(field: "route", message: "请填写运输路线") }
        for (field, region) in [("route.origin", input.origin), ("route.disposal", input.disposal)] {
            guard let region, regions.contains(region) else { throw .invalidField(field: field, message: "未知的行政区划 \(region ?? "")") }
        }
        let transit = input.transit ?? []
        for (index, region) in transit.enumerated() where !regions.contains(region) {
            throw .invalidField(field: "route.transit[\(index)]", message: "未知的行政区划 \(region)")
        }
        return PermitRoute(origin: input.origin!, transit: transit, disposal: input.disposal!)
    }

    static func transporter(_ input: DisposalApplicationInput.TransporterInput?) throws(WasteDisposalError) -> Transporter {
        guard let name = input?.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty, name.count <= 100 else {
            throw .invalidField(field: "transporter.name", message: "请填写运输单位名称（100字以内）")
        }
        do {
            return Transporter(name: name, uscc: try UnifiedSocialCreditCode(input?.uscc ?? "").value)
        } catch {
            throw .invalidField(field: "transporter.uscc", message: error.message)
        }
    }

    private func vehicles(_ input: [DisposalApplicationInput.VehicleInput]?) throws(WasteDisposalError) -> [Vehicle] {
        guard let input, !input.isEmpty else { throw .invalidField(field: "vehicles", message: "请至少登记一辆运输车辆") }
        guard input.count <= rules.maxVehicles else {
            throw .invalidField(field: "vehicles", message: "一次申请最多登记 \(rules.maxVehicles) 辆车")
        }
        var seen = Set<String>()
        return try input.enumerated().map { (index, vehicle) throws(WasteDisposalError) in try Self.vehicle(vehicle, at: index, seen: &seen) }
    }

    /// The vehicle at `index` of the list: a plate of the right form, not already in the list
    /// (`seen`), and a load body's capacity.
    static func vehicle(_ vehicle: DisposalApplicationInput.VehicleInput, at index: Int, seen: inout Set<String>) throws(WasteDisposalError) -> Vehicle {
        guard let plate = vehicle.plate.flatMap({ PlateNumber($0) }) else {
            throw .invalidField(field: "vehicles[\(index)].plate", message: "车牌号格式不正确：\(vehicle.plate ?? "")")
        }
        guard seen.insert(plate.description).inserted else {
            throw .invalidField(field: "vehicles[\(index)].plate", message: "车牌 \(plate) 重复登记")
        }
        guard let capacity = vehicle.capacityM3, Vehicle.capacityRange.contains(capacity) else {
            throw .invalidField(field: "vehicles[\(index)].capacityM3", message: "核定容积应在 0.5–60 立方米之间")
        }
        return Vehicle(plate: plate.description, capacityM3: capacity)
    }
}

extension CivilDate {
    /// The same day `months` calendar months later, or the month's last day when it is shorter.
    func adding(months: Int) -> CivilDate {
        let (year, month, day) = components
        let index = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (index / 12, index % 12 + 1)
        var candidate = day
        while CivilDate(year: newYear, month: newMonth, day: candidate) == nil { candidate -= 1 }
        return CivilDate(year: newYear, month: newMonth, day: candidate)!
    }
}

extension DisposalPlanCheck {
    /// Each vehicle must be in the register, not deregistered, the transporter's own, and of the
    /// capacity registered (loads are counted by it).
    static func registered(_ vehicles: [Vehicle], of transporter: Transporter, in register: [String: RegisteredVehicle]) throws(WasteDisposalError) {
        for (index, vehicle) in vehicles.enumerated() {
            guard let registered = register[vehicle.plate], registered.deregisteredAt == nil else {
                throw .invalidField(field: "vehicles[\(index)].plate", message: "车辆 \(vehicle.plate) 未在运输车辆登记中或已注销")
            }
            guard registered.transporter.uscc == transporter.uscc else {
                throw .invalidField(field: "vehicles[\(index)].plate", message: "车辆 \(vehicle.plate) 登记在\(registered.transporter.name)名下，不属于所填运输单位")
            }
            guard registered.capacityM3 == vehicle.capacityM3 else {
                throw .invalidField(field: "vehicles[\(index)].capacityM3",
                                    message: "与登记的核定容积 \(VehicleDetails.format(registered.capacityM3)) 立方米不符")
            }
        }
    }
}
