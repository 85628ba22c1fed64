import Approval
import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Supervision

/// The bureau's dashboard (统计概览): permits issued per week, the departments' open supervision
/// work, how often the supervision loop closed in time, and the tasks longest overdue. Every
/// figure is a service call with the signed-in actor, so the API's role checks hold here too.
struct ConsoleDashboardController {
    let approval: ApprovalService
    let supervision: SupervisionService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer

    static let path = "/console/dashboard"
    /// The overdue tasks named on the page; the count covers them all.
    static let overdueShown = 8

    func register(on pages: RouterGroup<SignedInPageContext>) {
        pages.get(RouterPath(String(Self.path.dropFirst()))) { request, context -> Response in
            try await dashboard(request: request, actor: try ConsolePagesController.admit(context.actor))
        }
    }

    func dashboard(request: Request, actor: Actor) async throws -> Response {
        let query = request.uri.queryParameters
        let (fromText, toText) = (query.get("from") ?? "", query.get("to") ?? "")
        let frame = try await frames.frame(for: actor, request: request)
        switch DashboardPeriod.asked(from: fromText, to: toText, today: supervision.today) {
        case .failure(let errors):
            let page = ConsoleDashboardPage(frame: frame, from: fromText, to: toText, errors: errors, figures: nil, actor: actor, catalog: catalog)
            return try renderer.response("console-dashboard", page, status: .unprocessableContent)
        case .success(let period):
            let page = ConsoleDashboardPage(frame: frame, from: period.from.description, to: period.to.description, errors: FieldErrors(),
                                            figures: try await figures(for: period, actor: actor), actor: actor, catalog: catalog)
            return try renderer.response("console-dashboard", page)
        }
    }

    func figures(for period: DashboardPeriod, actor: Actor) async throws -> DashboardFigures {
        let weeks = period.weeks
        let overview = try await supervision.overview(from: period.from, to: period.to, for: actor)
        let loads = actor.role == .reviewer ? overview.departments.filter { $0.department == actor.department } : overview.departments
        return DashboardFigures(period: period, weeks: weeks, issued: try await approval.issuedCounts(in: weeks, for: actor),
                                closure: try await supervision.closure(in: weeks, for: actor), overview: overview,
                                overdue: try await supervision.overdueTasks(first: Self.overdueShown, for: actor),
                                overdueCount: loads.map(\.overdue).reduce(0, +), today: supervision.today)
    }
}
