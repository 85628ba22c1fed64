import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Hummingbird
import Kernel
import Supervision

/// Waste disposal over HTTP: the firm's one-step application, and the office's view of its
/// vehicles' trips.
struct WasteDisposalController {
    let rules: WasteDisposalRules
    let bundleItems: [String]
    let sites: [String: DisposalSite]
    let siteApproval: SiteApproval
    let engines: Engines

    func register(_ routes: CapabilityRoutes) {
        routes.authenticated.post("waste-disposal/applications") { request, context -> Response in
            try JSON.response(try await apply(try await JSON.decode(DisposalApplicationInput.self, from: request), by: context.actor),
                              status: .created)
        }
        routes.authenticated.get("waste-disposal/applications/:id/trips") { _, context -> Response in
            try JSON.response(try await trips(of: try context.parameters.require("id"), for: context.actor))
        }
        routes.authenticated.get("waste-disposal/applications/:id") { _, context -> Response in
            try JSON.response(try await progress(of: try context.parameters.require("id"), for: context.actor))
        }
        routes.authenticated.post("waste-disposal/applications/:id/confirmation") { _, context -> Response in
            let confirmed = try await engines.approval.meetCondition(rules.confirmation.id, of: try context.parameters.require("id"), by: context.actor)
            return try JSON.response(try await progress(of: confirmed))
        }
        routes.authenticated.post("waste-disposal/vehicles") { request, context -> Response in
            let input = try await JSON.decode(VehicleRegistration.self, from: request)
            return try JSON.response(try await register(input, by: context.actor), status: .created)
        }
        routes.authenticated.get("waste-disposal/vehicles") { request, _ -> Response in
            guard let uscc = request.uri.queryParameters.get("transporter"), (try? UnifiedSocialCreditCode(uscc)) != nil else {
                throw WasteDisposalError.invalidField(field: "transporter", message: "请给出运输单位的统一社会信用代码")
            }
            return try JSON.response(try await engines.database.read { db in try VehicleRegister.fleet(transporter: uscc.uppercased(), in: db) })
        }
        routes.authenticated.delete("waste-disposal/vehicles/:plate") { _, context -> Response in
            guard context.actor.role == .admin else { throw WasteDisposalError.forbidden("只有管理员可以注销运输车辆") }
            // A plate starts with a Chinese character, so it arrives percent-encoded.
            let raw: String = try context.parameters.require("plate")
            let plate = raw.removingPercentEncoding ?? raw
            let now = engines.dependencies.now()
            let actor = context.actor
            let done = try await engines.database.write { db in
                guard try VehicleRegister.deregister(plate: plate, at: now, in: db) else { return false }
                try AuditLog.append(AuditEntry(actor: actor, action: "waste-vehicles.deregistered", subject: "vehicle/\(plate)"), in: db, at: now)
                return true
            }
            guard done else { throw WasteDisposalError.notFound("登记车辆 \(plate)") }
            return Response(status: .noContent)
        }
        routes.authenticated.get("waste-disposal/firms/:uscc") { _, context -> Response in
            try JSON.response(try await firmView(try context.parameters.require("uscc"), for: context.actor))
        }
        routes.api.get("waste-disposal/sites") { _, _ -> Response in
            try JSON.response(try await siteRegister())
        }
        routes.authenticated.get("waste-disposal/confirmations") { _, context -> Response in
            try JSON.response(try await confirmations(for: context.actor))
        }
        routes.authenticated.post("waste-disposal/applications/:id/vehicles") { request, context -> Response in
            let input = try await JSON.decode(VehicleChange.self, from: request)
            return try JSON.response(try await change(input, on: try context.parameters.require("id"), by: context.actor), status: .created)
        }
    }

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
              actor.role != .applicant || actor.firm == found.application.firm else {
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
            certificate = try await engines.certificates.addSubject(DisposalTerms.subject(Vehicle(plate: plate.description, capacityM3: capacity)),
                                                                    toSeries: series, replacing: replaced?.number.description, reason: reason, by: actor)
        } catch CertificateError.invalidField(_, let message) {
            throw WasteDisposalError.invalidField(field: "plate", message: message)
        }
        return VehicleCertificate(number: certificate.number.description, plate: plate.description, qr: "\(engines.publicURL)/v/\(certificate.jws)",
                                  url: "\(engines.publicURL)/api/v1/certificates/\(certificate.number)", validTo: certificate.validTo,
                                  revoked: replaced?.number.description)
    }

    /// 一键申报: the plan checked whole, then submitted through the lifecycle with the plan kept
    /// beside the form; nothing is stored when a check fails.
    func apply(_ input: DisposalApplicationInput, by actor: Actor) async throws -> DisposalApplicationResponse {
        guard actor.role == .applicant, actor.firm != nil else { throw WasteDisposalError.forbidden("只有申请单位可以申请建筑垃圾处置核准") }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        guard let projectID = input.projectId, !projectID.isEmpty else { throw WasteDisposalError.invalidField(field: "projectId", message: "请选择出土工地（项目）") }
        let check = DisposalPlanCheck(rules: rules, sites: sites, regions: Set(engines.catalog.regions.keys))
        var plan = try check.check(input, today: today).get()
        guard let project = try await engines.approval.store.project(id: projectID), project.isVisible(to: actor.firm!) else {
            throw WasteDisposalError.invalidField(field: "projectId", message: "项目不存在或不属于本单位")
        }
        try await checkRegistered(plan.vehicles, of: plan.transporter)
        guard plan.route.origin == project.district else {
            throw WasteDisposalError.invalidField(field: "route.origin", message: "出土地应为工地所在的 \(project.district)")
        }
        if let (certificate, number) = try await siteApproval.current(projectCode: project.code, on: today), certificate.holderUSCC == actor.firm {
            plan.siteApproval = number
        }
        var form: [String: FormValue] = [
            Form.wasteType: .string(plan.wasteType), Form.volume: .number(plan.volumeM3),
            Form.disposalSite: .string(sites[plan.disposalSite]?.name ?? plan.disposalSite), Form.transporter: .string(plan.transporter.uscc),
            Form.start: .string(plan.validFrom.description), Form.end: .string(plan.validTo.description),
        ]
        if let name = input.contact?.name { form[Form.contactName] = .string(name) }
        if let phone = input.contact?.phone { form[Form.contactPhone] = .string(phone) }
        let condition = try Confirmations.condition(for: plan, rules: rules, calendar: engines.catalog.calendar, today: today)
        let application: Approval.Application
        do {
            application = try await engines.approval.submit(
                NewApplication(projectId: project.id, bundle: rules.bundle, items: bundleItems, form: form, materials: input.materials ?? [],
                               annex: try Annex(capability: WasteDisposalCapability.name, encoding: plan), conditions: condition.map { [$0] }),
                by: actor)
        } catch ApprovalError.invalidField(let field, let message) where field == Form.contactName || field == Form.contactPhone {
            throw WasteDisposalError.invalidField(field: field == Form.contactName ? "contact.name" : "contact.phone", message: message)
        }
        return DisposalApplicationResponse(id: application.id, status: application.status.rawValue, items: application.items.map(\.code),
                                           plan: plan, disposalSite: sites[plan.disposalSite], steps: DisposalSteps(application, certificates: 0))
    }

    /// The application as its firm follows it: three steps, and where each stands.
    func progress(of applicationID: String, for actor: Actor) async throws -> DisposalApplicationResponse {
        try await progress(of: try await engines.approval.details(applicationID, for: actor).application)
    }

    func progress(of application: Approval.Application) async throws -> DisposalApplicationResponse {
        let applicationID = application.id
        guard let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else {
            throw WasteDisposalError.notFound("建筑垃圾处置申请 \(applicationID)")
        }
        let certificates = try await engines.certificates.certificates(applicationID: applicationID).count
        return DisposalApplicationResponse(id: application.id, status: application.status.rawValue, items: application.items.map(\.code),
                                           plan: plan, disposalSite: sites[plan.disposalSite], steps: DisposalSteps(application, certificates: certificates))
    }

    /// The office's view of one firm: each of its disposal applications with its vehicles, trips,
    /// open trips, volumes and open supervision tasks.
    func firmView(_ uscc: String, for actor: Actor) async throws -> [FirmApplicationLine] {
        let firm = uscc.uppercased()
        switch actor.role {
        case .applicant: guard actor.firm == firm else { throw WasteDisposalError.notFound("单位 \(uscc) 的建筑垃圾处置申请") }
        case .clerk, .reviewer, .issuer, .admin: break
        case .inspector: throw WasteDisposalError.forbidden("监管人员请按申请查看运输路线上的车次")
        }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        return try await engines.database.read { db in
            try TripLog.firmSummary(firm, in: db).compactMap { entry -> FirmApplicationLine? in
                guard let application = try SQLiteApprovalStore.application(id: entry.applicationID, in: db),
                      let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else { return nil }
                let certificates = try CertificateRegistry.certificates(applicationID: application.id, in: db)
                let tasks = try SupervisionRouting.tasks(applicationID: application.id, in: db)
                return FirmApplicationLine(
                    applicationId: application.id, status: application.status.rawValue, route: plan.route, disposalSite: plan.disposalSite,
                    validTo: plan.validTo, vehicles: certificates.filter { $0.status(on: today) == .valid }.count, trips: entry.trips,
                    openTrips: entry.open, volume: .init(approvedM3: plan.volumeM3, carriedM3: entry.carried, confirmedM3: entry.confirmed),
                    openTasks: tasks.filter(\.isActive).count, violations: tasks.filter { $0.result == .violation }.count)
            }
        }
    }

    /// The registered disposal sites with what each has received and what remains, for firms
    /// choosing one and for the public.
    func siteRegister() async throws -> [SiteStanding] {
        let intake = try await engines.database.read { db in try TripLog.intake(in: db) }
        return sites.values.sorted { $0.id < $1.id }.map { site in
            let received = intake[site.id] ?? 0
            return SiteStanding(site: site, regionName: engines.catalog.regions[site.region]?.name ?? site.region, receivedM3: received,
                                remainingM3: max(0, site.capacityM3 - received))
        }
    }

    /// The disposal region's queue: applications it has yet to confirm, soonest due first, with
    /// what it is asked to take.
    func confirmations(for actor: Actor) async throws -> [PendingConfirmation] {
        guard let region = actor.region, let department = actor.department else {
            throw WasteDisposalError.forbidden("只有消纳地主管部门人员可以查看待确认的申请")
        }
        let pending = try await engines.database.read { db in
            try Confirmations.open(region: region, department: department, in: db).compactMap { entry -> PendingConfirmation? in
                guard let application = try SQLiteApprovalStore.application(id: entry.applicationID, in: db),
                      let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else { return nil }
                return PendingConfirmation(applicationId: application.id, dueOn: entry.dueOn, plan: plan, disposalSite: sites[plan.disposalSite])
            }
        }
        return pending
    }

    func checkRegistered(_ vehicles: [Vehicle], of transporter: Transporter) async throws {
        let register = try await engines.database.read { db in
            try Dictionary(vehicles.compactMap { try VehicleRegister.vehicle(plate: $0.plate, in: db) }.map { ($0.plate, $0) },
                           uniquingKeysWith: { first, _ in first })
        }
        try DisposalPlanCheck.registered(vehicles, of: transporter, in: register)
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

    /// The office's view: every vehicle, its trips with their scans, the open ones, scans by
    /// region, and the volume carried against the approved and the confirmed.
    func trips(of applicationID: String, for actor: Actor) async throws -> TripsView {
        guard let found = try await engines.approval.store.application(id: applicationID),
              let plan = try found.application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else {
            throw WasteDisposalError.notFound("建筑垃圾处置申请 \(applicationID)")
        }
        switch actor.role {
        case .applicant:
            guard actor.firm == found.application.firm else { throw WasteDisposalError.notFound("建筑垃圾处置申请 \(applicationID)") }
        case .inspector:
            guard let region = actor.region, plan.route.contains(region) else { throw WasteDisposalError.forbidden("运输路线不经过本辖区") }
        case .clerk, .reviewer, .issuer, .admin: break
        }
        let (trips, certificates, tasks) = try await engines.database.read { db in
            (try TripLog.trips(applicationID: applicationID, in: db), try CertificateRegistry.certificates(applicationID: applicationID, in: db),
             try SupervisionRouting.tasks(applicationID: applicationID, in: db))
        }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        return TripsView(applicationID: applicationID, plan: plan, trips: trips, certificates: certificates, tasks: tasks, today: today,
                         timeZone: engines.catalog.calendar.timeZone)
    }
}

struct DisposalApplicationResponse: Encodable {
    let id: String
    let status: String
    let items: [String]
    let plan: DisposalPlan
    let disposalSite: DisposalSite?
    let steps: DisposalSteps
}

struct FirmApplicationLine: Encodable {
    let applicationId: String
    let status: String
    let route: PermitRoute
    let disposalSite: String
    let validTo: CivilDate
    /// Vehicles whose certificate is valid today.
    let vehicles: Int
    let trips: Int
    let openTrips: Int
    let volume: TripsView.Volume
    let openTasks: Int
    let violations: Int
}

struct SiteStanding: Encodable {
    let site: DisposalSite
    let regionName: String
    let receivedM3: Double
    let remainingM3: Double
}

struct PendingConfirmation: Encodable {
    let applicationId: String
    let dueOn: String
    let plan: DisposalPlan
    let disposalSite: DisposalSite?
}

/// 8 steps cut to 3: 一键申报 → 各部门分类审批 (with the disposal region's confirmation) → 审批局统一出证.
struct DisposalSteps: Encodable {
    struct Step: Encodable {
        let number: Int
        let name: String
        let done: Bool
    }

    struct Review: Encodable {
        let item: String
        let department: String
        let status: String
    }

    let count: Int
    let current: Int
    let steps: [Step]
    let reviews: [Review]
    let conditions: [IssuanceCondition]

    init(_ application: Approval.Application, certificates: Int) {
        let reviewed = application.items.allSatisfy { $0.status != .pending } && application.unmetConditions.isEmpty
        let issued = application.status == .issued
        steps = [Step(number: 1, name: "一键申报", done: true), Step(number: 2, name: "各部门分类审批", done: reviewed),
                 Step(number: 3, name: issued ? "审批局统一出证（\(certificates) 张随车电子证）" : "审批局统一出证", done: issued)]
        count = steps.count
        current = steps.first { !$0.done }?.number ?? steps.count
        reviews = application.items.map { Review(item: $0.code, department: $0.department, status: $0.status.rawValue) }
        conditions = application.conditions ?? []
    }
}

/// `GET /api/v1/waste-disposal/applications/{id}/trips` (CONTRACT.md).
struct TripsView: Encodable {
    struct VehicleLine: Encodable {
        let plate: String
        let certificate: String
        let status: String
        let capacityM3: Double
        let trips: Int
    }

    struct TripLine: Encodable {
        let plate: String
        let certificate: String
        let capacityM3: Double
        let openedAt: Date
        let closedAt: Date?
        let scans: [TripScan]
    }

    struct Volume: Encodable {
        let approvedM3: Double
        /// By vehicle capacity, every trip that left.
        let carriedM3: Double
        /// By vehicle capacity, every trip the disposal site received.
        let confirmedM3: Double
    }

    let applicationId: String
    let route: PermitRoute
    let disposalSite: String
    let vehicles: [VehicleLine]
    let trips: [TripLine]
    struct Day: Encodable {
        let date: CivilDate
        let trips: Int
        let carriedM3: Double
    }

    /// 监管结果: each task the permit's supervision opened along the route, and how it ended.
    struct TaskLine: Encodable {
        let id: String
        let kind: String
        let title: String
        let department: String
        let region: String
        let status: String
        let result: String?
        let dueOn: CivilDate
        let overdue: Bool
    }

    let openTrips: Int
    let supervision: [TaskLine]
    let scansByRegion: [String: Int]
    /// Trips by the day they left, in the bureau's time zone.
    let byDay: [Day]
    let volume: Volume

    init(applicationID: String, plan: DisposalPlan, trips: [Trip], certificates: [Certificate], tasks: [SupervisionTask], today: CivilDate,
         timeZone: TimeZone) {
        supervision = tasks.map { TaskLine(id: $0.id, kind: $0.kind, title: $0.title, department: $0.department, region: $0.region,
                                           status: $0.status.rawValue, result: $0.result?.rawValue, dueOn: $0.dueOn, overdue: $0.isOverdue(on: today)) }
        applicationId = applicationID
        route = plan.route
        disposalSite = plan.disposalSite
        vehicles = certificates.compactMap { certificate in
            guard let subject = certificate.subject else { return nil }
            return VehicleLine(plate: subject.id, certificate: certificate.number.description, status: certificate.status(on: today).rawValue,
                               capacityM3: VehicleDetails.capacity(of: subject) ?? 0,
                               trips: trips.filter { $0.certificate == certificate.number.description }.count)
        }
        self.trips = trips.map { TripLine(plate: $0.plate, certificate: $0.certificate, capacityM3: $0.capacityM3, openedAt: $0.openedAt,
                                          closedAt: $0.closedAt, scans: $0.scans) }
        openTrips = trips.filter(\.isOpen).count
        scansByRegion = trips.flatMap(\.scans).reduce(into: [:]) { $0[$1.region, default: 0] += 1 }
        byDay = Dictionary(grouping: trips) { CivilDate($0.openedAt, in: timeZone) }.sorted { $0.key < $1.key }.map { date, trips in
            Day(date: date, trips: trips.count, carriedM3: trips.map(\.capacityM3).reduce(0, +))
        }
        volume = Volume(approvedM3: plan.volumeM3, carriedM3: trips.map(\.capacityM3).reduce(0, +),
                        confirmedM3: trips.filter { !$0.isOpen }.map(\.capacityM3).reduce(0, +))
    }
}
