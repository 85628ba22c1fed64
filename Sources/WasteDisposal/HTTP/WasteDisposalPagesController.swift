import Approval
import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// Waste disposal in the browser: the firm's 一键申报 form, the office's view of an
/// application's trips, and the disposal region's confirmation queue. Every step is the service
/// call the API makes (`POST /api/v1/waste-disposal/applications`, `GET …/applications/{id}/trips`,
/// `GET …/confirmations`, `POST …/applications/{id}/confirmation`) with the signed-in account,
/// so the checks are the API's own; a refused form comes back with the reason beside its field.
struct WasteDisposalPagesController {
    static let apply = "/firm/waste-disposal/apply"
    static let confirmations = "/waste-disposal/confirmations"
    /// The projects the form offers; a firm with more starts from 我的项目, whose links name the project.
    static let projectsOffered = PageRequest.maximumLimit

    static func trips(of applicationID: String) -> String {
        "/waste-disposal/applications/\(applicationID)/trips"
    }

    let service: WasteDisposalService
    let frames: any PageFraming
    let renderer: PageRenderer

    var engines: Engines { service.engines }
    var today: CivilDate { engines.catalog.calendar.today(at: engines.dependencies.now()) }

    func register(_ pages: CapabilityPages) {
        pages.signedIn.get(RouterPath(String(Self.apply.dropFirst()))) { request, context -> Response in
            let chosen = request.uri.queryParameters.get("project").flatMap { $0.isEmpty ? nil : $0 }
            return try await applyPage(actor: try Self.applicant(context.actor), request: request, chosen: chosen)
        }
        pages.signedIn.post(RouterPath(String(Self.apply.dropFirst()))) { request, context -> Response in
            let actor = try Self.applicant(context.actor)
            let posted = try await PostedForm.decode(DisposalApplyForm.self, from: request)
            let lines = VehicleLines(posted.vehicles ?? "")
            guard lines.problems.isEmpty else {
                return try await applyPage(actor: actor, request: request, posted: posted, lines: lines, vehicleProblems: lines.problems,
                                           status: .unprocessableContent)
            }
            do {
                let origin = try await origin(of: posted.projectId, for: actor)
                let applied = try await service.apply(posted.input(origin: origin, vehicles: lines), by: actor)
                return PageRenderer.redirect(to: "/firm/applications/\(applied.id)")
            } catch let refusal as any DomainError where refusal.kind == .unprocessable || refusal.kind == .conflict {
                return try await applyPage(actor: actor, request: request, posted: posted, lines: lines, refusal: FormRefusal(refusal),
                                           status: refusal.kind.status)
            }
        }
        pages.signedIn.get("waste-disposal/applications/:id/trips") { request, context -> Response in
            let (trips, next, progress) = try await service.tripsAndProgress(of: try context.parameters.require("id"), for: context.actor,
                                                                             page: try request.pageRequest(keyCount: TripLog.tripOrder.keyCount))
            let page = DisposalTripsPage(frame: try await frames.frame(for: context.actor, request: request), actor: context.actor, trips: trips,
                                         progress: progress, catalog: engines.catalog, paging: PageLinks(request), next: next)
            return try renderer.response("waste-trips", page)
        }
        pages.signedIn.get(RouterPath(String(Self.confirmations.dropFirst()))) { request, context -> Response in
            let confirmed = request.uri.queryParameters.get("confirmed").flatMap { $0.isEmpty ? nil : $0 }
            return try await confirmationsPage(actor: context.actor, request: request,
                                               notice: confirmed.map { "已确认受纳申请 \($0)；各部门审批完成后即自动出证。" })
        }
        pages.signedIn.post("waste-disposal/confirmations/:id") { request, context -> Response in
            let id: String = try context.parameters.require("id")
            do {
                let confirmed = try await service.confirm(id, by: context.actor)
                return PageRenderer.redirect(to: Self.confirmations + "?confirmed=" + confirmed.id)
            } catch let refusal as any DomainError where refusal.kind == .unprocessable || refusal.kind == .conflict {
                return try await confirmationsPage(actor: context.actor, request: request, error: FormRefusal(refusal).message,
                                                   status: refusal.kind.status)
            }
        }
    }

    /// The form, blank or as posted. A project named in the address that the first page of the
    /// firm's projects does not hold is looked up on its own: the firm's, or not found.
    func applyPage(actor: Actor, request: Request, chosen: String? = nil, posted: DisposalApplyForm? = nil, lines: VehicleLines? = nil,
                   refusal: FormRefusal? = nil, vehicleProblems: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        var projects = try await engines.approval.projects(for: actor, page: PageRequest(limit: Self.projectsOffered)).items
        if let id = chosen, !projects.contains(where: { $0.id == id }) {
            projects.append(try await engines.approval.project(id, for: actor))
        }
        let page = DisposalApplyPage(frame: try await frames.frame(for: actor, request: request), action: Self.apply, projects: projects, chosen: chosen,
                                     posted: posted, lines: lines, refusal: refusal, vehicleProblems: vehicleProblems,
                                     sites: try await service.siteRegister(), rules: service.rules, bundleItems: service.bundleItems,
                                     catalog: engines.catalog, today: today)
        return try renderer.response("waste-apply", page, status: status)
    }

    /// The route starts where the project is; a project the firm may not see is refused beside
    /// the project, as the service refuses it.
    func origin(of projectID: String?, for actor: Actor) async throws -> String? {
        guard let projectID, !projectID.isEmpty else { return nil }
        do {
            return try await engines.approval.project(projectID, for: actor).district
        } catch let error as any DomainError where error.kind == .notFound || error.kind == .forbidden {
            throw WasteDisposalError.invalidField(field: "projectId", message: "项目不存在或不属于本单位")
        }
    }

    func confirmationsPage(actor: Actor, request: Request, notice: String? = nil, error: String? = nil,
                           status: HTTPResponse.Status = .ok) async throws -> Response {
        let found = try await service.confirmations(for: actor, page: try request.pageRequest(keyCount: Confirmations.queueOrder.keyCount))
        let page = DisposalConfirmationsPage(frame: try await frames.frame(for: actor, request: request), page: found,
                                             paging: PageLinks(path: Self.confirmations, limit: request.uri.queryParameters.get("limit"),
                                                               cursor: request.uri.queryParameters.get("cursor")),
                                             notice: notice, error: error, catalog: engines.catalog, today: today)
        return try renderer.response("waste-confirmations", page, status: status)
    }

    /// 一键申报 is a firm's.
    static func applicant(_ actor: Actor) throws -> Actor {
        guard actor.role == .applicant, actor.firm != nil else { throw KernelError.forbidden("只有申请单位可以申请建筑垃圾处置核准") }
        return actor
    }
}
