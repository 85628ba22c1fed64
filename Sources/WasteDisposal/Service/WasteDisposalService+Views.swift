import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Kernel
import Supervision

/// What the office, the firm and the disposal region see: the trips view, the view per firm,
/// the site register and the confirmations queue.
extension WasteDisposalService {
    /// The office's view: every vehicle, its trips with their scans, the open ones, scans by
    /// region, and the volume carried against the approved and the confirmed.
    func trips(of applicationID: String, for actor: Actor, page: PageRequest = PageRequest()) async throws -> (view: TripsView, next: Kernel.Cursor?) {
        let (_, view, next) = try await visibleTrips(of: applicationID, for: actor, page: page)
        return (view, next)
    }

    /// The trips view with the application's three steps, for whoever may see its trips: an
    /// inspector of the route too, who does not see the application itself.
    func tripsAndProgress(of applicationID: String, for actor: Actor,
                          page: PageRequest) async throws -> (trips: TripsView, next: Kernel.Cursor?, progress: DisposalApplicationResponse) {
        let (application, trips, next) = try await visibleTrips(of: applicationID, for: actor, page: page)
        return (trips, next, try await progress(of: application))
    }

    /// The figures are over every trip, as the scans kept them; the list is one page of them.
    private func visibleTrips(of applicationID: String, for actor: Actor,
                              page: PageRequest) async throws -> (application: Approval.Application, trips: TripsView, next: Kernel.Cursor?) {
        guard let found = try await engines.approval.store.application(id: applicationID),
              let plan = try found.application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else {
            throw WasteDisposalError.notFound("建筑垃圾处置申请 \(applicationID)")
        }
        try Self.checkTripsVisible(found.application, plan: plan, to: actor)
        let (figures, shown, certificates, tasks) = try await engines.database.read { db in
            (try TripLog.figures(applicationID: applicationID, in: db), try TripLog.trips(applicationID: applicationID, page: page, in: db),
             try CertificateRegistry.certificates(applicationID: applicationID, in: db), try SupervisionRouting.tasks(applicationID: applicationID, in: db))
        }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        return (found.application, TripsView(applicationID: applicationID, plan: plan, figures: figures, shown: shown.items, certificates: certificates,
                                             tasks: tasks, today: today, timeZone: engines.catalog.calendar.timeZone), shown.next)
    }

    /// Who sees an application's trips: its firm, the bureau's staff (a reviewer when its
    /// department reviews it), and the inspectors of the regions on its route.
    static func checkTripsVisible(_ application: Approval.Application, plan: DisposalPlan, to actor: Actor) throws(WasteDisposalError) {
        switch actor.role {
        case .applicant:
            guard actor.firm == application.firm else { throw .notFound("建筑垃圾处置申请 \(application.id)") }
        case .inspector:
            guard let region = actor.region, plan.route.contains(region) else { throw .forbidden("运输路线不经过本辖区") }
        case .reviewer:
            guard application.items.contains(where: { $0.department == actor.department }) else {
                throw .notFound("建筑垃圾处置申请 \(application.id)")
            }
        case .clerk, .issuer, .admin: break
        }
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
    func confirmations(for actor: Actor, page: PageRequest) async throws -> Page<PendingConfirmation> {
        guard let region = actor.region, let department = actor.department else {
            throw WasteDisposalError.forbidden("只有消纳地主管部门人员可以查看待确认的申请")
        }
        let pending = try await engines.database.read { db in
            try Confirmations.open(region: region, department: department, page: page, in: db).compactMap { entry -> PendingConfirmation? in
                guard let application = try SQLiteApprovalStore.application(id: entry.applicationID, in: db),
                      let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else { return nil }
                return PendingConfirmation(applicationId: application.id, dueOn: entry.dueOn, plan: plan, disposalSite: sites[plan.disposalSite])
            }
        }
        return pending
    }
}
