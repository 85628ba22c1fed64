import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Kernel

/// Vehicles: the transport register, and a vehicle added to or replacing one on an issued permit.
extension WasteDisposalService {
    struct VehicleChange: Decodable, Sendable {
        let plate: String?
        let capacityM3: Double?
        /// The plate of the vehicle this one replaces, whose certificate is then revoked.
        let replaces: String?
        let reason: String?
    }

    struct VehicleCertificate: Encodable {
        let number: String
        let plate: String
        let qr: String
        let url: String
        let validTo: CivilDate?
        /// The replaced vehicle's certificate, now revoked.
        let revoked: String?
    }

    /// A vehicle added to an issued permit, or one replacing another: its certificate is issued in
    /// the permit's series at once, and the replaced one's QR reads revoked.
    func change(_ input: VehicleChange, on applicationID: String, by actor: Actor) async throws -> VehicleCertificate {
        guard let found = try await engines.approval.store.application(id: applicationID),
              found.application.annex?.capability == WasteDisposalCapability.name,
              actor.role == .issuer || actor.role == .admin || (actor.role == .applicant && actor.firm == found.application.firm) else {
            throw WasteDisposalError.notFound("建筑垃圾处置申请 \(applicationID)")
        }
        guard let plate = input.plate.flatMap({ PlateNumber($0) }) else {
            throw WasteDisposalError.invalidField(field: "plate", message: "车牌号格式不正确：\(input.plate ?? "")")
        }
        guard let capacity = input.capacityM3, Vehicle.capacityRange.contains(capacity) else {
            throw WasteDisposalError.invalidField(field: "capacityM3", message: "核定容积应在 0.5–60 立方米之间")
        }
        let plan = try found.application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name)
        if let plan {
            do {
                try await checkRegistered([Vehicle(plate: plate.description, capacityM3: capacity)], of: plan.transporter)
            } catch WasteDisposalError.invalidField(let field, let message) {
                throw WasteDisposalError.invalidField(field: field.hasSuffix("capacityM3") ? "capacityM3" : "plate", message: message)
            }
        }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        let current = try await engines.certificates.certificates(applicationID: applicationID).filter { $0.subject != nil }
        guard let series = current.first?.number.series else {
            throw WasteDisposalError.invalidField(field: "plate", message: "申请尚未发证，请在申请中登记车辆")
        }
        var replaced: Certificate?
        if let replaces = input.replaces {
            guard let old = current.first(where: { $0.subject?.id == replaces.uppercased() && $0.status(on: today) == .valid }) else {
                throw WasteDisposalError.invalidField(field: "replaces", message: "没有车牌为 \(replaces) 的有效证照")
            }
            replaced = old
        } else if current.filter({ $0.status(on: today) == .valid }).count >= rules.maxVehicles {
            throw WasteDisposalError.invalidField(field: "plate", message: "一次核准最多 \(rules.maxVehicles) 辆车")
        }
        let given = input.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let reason = given.isEmpty ? (replaced == nil ? "增加运输车辆" : "更换运输车辆") : given
        let certificate: Certificate
        do {
            certificate = try await engines.certificates.addSubject(DisposalTerms.subject(Vehicle(plate: plate.description, capacityM3: capacity), certificate: self.certificate),
                                                                    toSeries: series, replacing: replaced?.number.description, reason: reason, by: actor)
        } catch CertificateError.invalidField(_, let message) {
            throw WasteDisposalError.invalidField(field: "plate", message: message)
        }
        return VehicleCertificate(number: certificate.number.description, plate: plate.description, qr: "\(engines.publicURL)/v/\(certificate.jws)",
                                  url: "\(engines.publicURL)/api/v1/certificates/\(certificate.number)", validTo: certificate.validTo,
                                  revoked: replaced?.number.description)
    }

    func checkRegistered(_ vehicles: [Vehicle], of transporter: Transporter) async throws {
        let register = try await engines.database.read { db in
            try Dictionary(vehicles.compactMap { try VehicleRegister.vehicle(plate: $0.plate, in: db) }.map { ($0.plate, $0) },
                           uniquingKeysWith: { first, _ in first })
        }
        try DisposalPlanCheck.registered(vehicles, of: transporter, in: register)
    }

    /// A transport firm's vehicles still on the register, by plate; `transporter` is its 统一社会信用代码.
    func fleet(of transporter: String?) async throws -> [RegisteredVehicle] {
        guard let uscc = transporter, (try? UnifiedSocialCreditCode(uscc)) != nil else {
            throw WasteDisposalError.invalidField(field: "transporter", message: "请给出运输单位的统一社会信用代码")
        }
        return try await engines.database.read { db in try VehicleRegister.fleet(transporter: uscc.uppercased(), in: db) }
    }

    /// 运输车辆登记: administrators register a transport firm's vehicles, in one transaction.
    func register(_ input: VehicleRegistration, by actor: Actor) async throws -> [RegisteredVehicle] {
        guard actor.role == .admin else { throw WasteDisposalError.forbidden("只有管理员可以登记运输车辆") }
        let vehicles = try input.checked(at: engines.dependencies.now(), by: actor)
        let now = engines.dependencies.now()
        try await engines.database.write { db in
            for vehicle in vehicles {
                if let other = try VehicleRegister.vehicle(plate: vehicle.plate, in: db), other.deregisteredAt == nil,
                   other.transporter.uscc != vehicle.transporter.uscc {
                    throw WasteDisposalError.invalidField(field: "vehicles", message: "车辆 \(vehicle.plate) 已登记在\(other.transporter.name)名下，请先注销")
                }
            }
            try VehicleRegister.save(vehicles, in: db)
            try AuditLog.append(AuditEntry(actor: actor, action: "waste-vehicles.registered", subject: "transporter/\(vehicles[0].transporter.uscc)",
                                           detail: ["plates": vehicles.map(\.plate).joined(separator: ",")]), in: db, at: now)
        }
        return vehicles
    }

    /// 注销: an administrator strikes a vehicle off the register. A deregistered vehicle may not
    /// carry waste on any permit: its QR codes read revoked from the same transaction.
    func deregister(plate: String, by actor: Actor) async throws {
        guard actor.role == .admin else { throw WasteDisposalError.forbidden("只有管理员可以注销运输车辆") }
        let now = engines.dependencies.now()
        let today = engines.catalog.calendar.today(at: now)
        let events = engines.events
        let done = try await engines.database.write { db in
            guard try VehicleRegister.deregister(plate: plate, at: now, in: db) else { return false }
            try AuditLog.append(AuditEntry(actor: actor, action: "waste-vehicles.deregistered", subject: "vehicle/\(plate)"), in: db, at: now)
            _ = try CertificateRegistry.withdrawSubject(kind: DisposalTerms.subjectKind, id: plate, reason: "运输车辆已注销",
                                                        by: actor, today: today, in: EventScope(db: db, date: now, bus: events))
            return true
        }
        guard done else { throw WasteDisposalError.notFound("登记车辆 \(plate)") }
    }
}
