import Approval
import Certificates
import Foundation
import Kernel
import Supervision

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

    /// The figures count every trip; `shown` is the page of them listed.
    init(applicationID: String, plan: DisposalPlan, figures: TripFigures, shown: [Trip], certificates: [Certificate], tasks: [SupervisionTask],
         today: CivilDate, timeZone: TimeZone) {
        supervision = tasks.map { TaskLine(id: $0.id, kind: $0.kind, title: $0.title, department: $0.department, region: $0.region,
                                           status: $0.status.rawValue, result: $0.result?.rawValue, dueOn: $0.dueOn, overdue: $0.isOverdue(on: today)) }
        applicationId = applicationID
        route = plan.route
        disposalSite = plan.disposalSite
        vehicles = certificates.compactMap { certificate in
            guard let subject = certificate.subject else { return nil }
            return VehicleLine(plate: subject.id, certificate: certificate.number.description, status: certificate.status(on: today).rawValue,
                               capacityM3: VehicleDetails.capacity(of: subject) ?? 0,
                               trips: figures.tripsByCertificate[certificate.number.description] ?? 0)
        }
        self.trips = shown.map { TripLine(plate: $0.plate, certificate: $0.certificate, capacityM3: $0.capacityM3, openedAt: $0.openedAt,
                                          closedAt: $0.closedAt, scans: $0.scans) }
        openTrips = figures.openTrips
        scansByRegion = figures.scansByRegion
        byDay = figures.byDay(in: timeZone).map { Day(date: $0.date, trips: $0.trips, carriedM3: $0.carriedM3) }
        volume = Volume(approvedM3: plan.volumeM3, carriedM3: figures.carriedM3, confirmedM3: figures.confirmedM3)
    }
}
