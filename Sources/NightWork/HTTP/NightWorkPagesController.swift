import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

/// The firm's night-work application in the browser: the page posts to the same decision as
/// `POST /api/v1/night-work/applications`, as the signed-in firm, and lands on the application's
/// page, where the decision, its reasons and any certificate stand; a refusal shows the form
/// again, values and uploaded files kept, the reason beside its field, nothing stored.
struct NightWorkPagesController {
    static let apply = "/firm/night-work/apply"

    let controller: NightWorkController
    let pages: CapabilityPages

    var engines: Engines { controller.engines }

    func register() {
        pages.signedIn.get(RouterPath(String(Self.apply.dropFirst()))) { request, context -> Response in
            let night = controller.rules.night
            let asked = NightWorkApplyForm(project: request.uri.queryParameters.get("project"), start: night.start.description,
                                           end: night.end.description)
            return try await page(actor: try Self.firm(context.actor), request: request, posted: asked)
        }
        pages.signedIn.post(RouterPath(String(Self.apply.dropFirst()))) { request, context -> Response in
            let actor = try Self.firm(context.actor)
            let posted = try await PostedForm.decode(NightWorkApplyForm.self, from: request)
            do {
                let decided = try await controller.apply(try posted.input(), by: actor)
                return PageRenderer.redirect(to: "/firm/applications/\(decided.applicationId)")
            } catch let refusal as any DomainError where refusal.kind == .unprocessable || refusal.kind == .conflict {
                return try await page(actor: actor, request: request, posted: posted, refusal: FormRefusal(refusal), status: refusal.kind.status)
            }
        }
    }

    static func firm(_ actor: Actor) throws -> Actor {
        guard actor.role == .applicant, actor.firm != nil else { throw NightWorkError.forbidden("只有申请单位可以申请夜间施工") }
        return actor
    }

    func page(actor: Actor, request: Request, posted: NightWorkApplyForm, refusal: FormRefusal? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        var projects = try await engines.approval.projects(for: actor, page: PageRequest(limit: PageRequest.maximumLimit)).items
        var chosen = projects.first { $0.id == posted.project }
        if chosen == nil, let id = posted.project, !id.isEmpty, let named = try? await engines.approval.project(id, for: actor) {
            projects.append(named)
            chosen = named
        }
        var earlier: Certificate?
        if let chosen { earlier = try await EarlierNightPermits(rules: controller.rules, database: engines.database).newest(project: chosen, firm: actor.firm ?? "") }
        let model = NightWorkApplyPage(frame: try await pages.frame(for: actor, request: request), action: Self.apply, projects: projects,
                                       posted: posted, earlier: earlier, refusal: refusal, rules: controller.rules, catalog: engines.catalog)
        return try pages.renderer.response("night-work-apply", model, status: status)
    }
}
