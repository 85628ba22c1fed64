import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

/// The bureau console (审批局工作台): the clerk's, the reviewers' and the issuer's queues, each
/// application whole, and the acceptance, review and issuance forms. Every read and every step
/// is the service call the API makes (`GET /applications`, `GET /applications/{id}`, `POST
/// …/acceptance|reviews|issuance`) with the signed-in actor, so the role, department and firm
/// checks are the API's own. Firms and inspectors are refused every console page.
struct ConsolePagesController {
    let approval: ApprovalService
    let certificates: CertificateService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer
    let capabilityLinks: CapabilityLinks

    /// The bureau's staff who work applications; an inspector works its supervision queue instead.
    static let staff: Set<Role> = [.clerk, .reviewer, .issuer, .admin]

    /// The first page of each list on a whole queue; one list alone pages by `?limit=` (the API's default).
    static let queueRows = 20

    func register(on pages: RouterGroup<SignedInPageContext>) {
        for queue in ConsoleQueue.all {
            pages.get(RouterPath(String(queue.path.dropFirst()))) { request, context -> Response in
                try await queuePage(queue, request: request, actor: try queue.admit(context.actor))
            }
        }
        pages.get("console/applications/:id") { request, context -> Response in
            try await applicationPage(try context.parameters.require("id"), actor: try staff(context.actor), request: request)
        }
        pages.post("console/applications/:id/acceptance") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try staff(context.actor))
            let form = try await PostedForm.decode(ConsoleForms.Acceptance.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .acceptance(form, $0) }) {
                try await approval.accept(id, try form.input(), by: actor)
            }
        }
        pages.post("console/applications/:id/reviews") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try staff(context.actor))
            let form = try await PostedForm.decode(ConsoleForms.Review.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .review(form, $0) }) {
                try await approval.review(id, try form.input(), by: actor)
            }
        }
        pages.post("console/applications/:id/survey") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try staff(context.actor))
            let form = try await PostedForm.decode(ConsoleForms.Survey.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .survey(form, $0) }) {
                try await approval.scheduleSurvey(id, try form.input(), by: actor)
            }
        }
        pages.post("console/applications/:id/survey-findings") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try staff(context.actor))
            let form = try await PostedForm.decode(ConsoleForms.SurveyFindings.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .surveyFindings(form, $0) }) {
                try await approval.recordSurvey(id, try form.input(), by: actor)
            }
        }
        pages.post("console/applications/:id/issuance") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try staff(context.actor))
            return try await step(id, actor: actor, request: request, refused: { .issuance($0) }) {
                try await approval.issue(id, by: actor)
            }
        }
    }

    func staff(_ actor: Actor) throws -> Actor {
        try Self.admit(actor)
    }

    /// The bureau's staff, for every console page; anyone else is refused alike.
    static func admit(_ actor: Actor) throws -> Actor {
        guard staff.contains(actor.role) else { throw KernelError.forbidden("审批局工作台仅供审批局工作人员使用") }
        return actor
    }

    func queuePage(_ queue: ConsoleQueue, request: Request, actor: Actor) async throws -> Response {
        let asked = try request.pageRequest(keyCount: ApplicationListing.keyCount)
        let key = request.uri.queryParameters.get("list")
        let lists = key.map { key in queue.lists(for: actor).filter { $0.key == key } } ?? queue.lists(for: actor)
        guard !lists.isEmpty else { throw KernelError.invalidField(field: "list", message: "没有名为 \(key ?? "") 的列表") }
        let limit = request.uri.queryParameters.get("limit") == nil ? Self.queueRows : asked.limit
        var shown: [ConsoleQueuePage.Shown] = []
        for list in lists {
            let page = key == nil ? PageRequest(limit: limit) : asked
            shown.append(.init(list: list, page: try await approval.applications(for: actor, list.filter, page: page)))
        }
        let projects = try await approval.store.projects(ids: Set(shown.flatMap { $0.page.items.map(\.application.projectID) }))
        let alone = key.map { PageLinks(path: queue.path, keeping: "list=\($0)", limit: request.uri.queryParameters.get("limit"),
                                        cursor: request.uri.queryParameters.get("cursor")) }
        let page = ConsoleQueuePage(frame: try await frames.frame(for: actor, request: request), queue: queue, shown: shown, alone: alone,
                                    projects: projects, catalog: catalog)
        return try renderer.response("console-queue", page)
    }

    func applicationPage(_ id: String, actor: Actor, request: Request, attempt: ConsoleAttempt? = nil,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let details = try await approval.details(id, for: actor)
        let issued = try await certificates.certificates(applicationID: details.application.id,
                                                         page: try request.pageRequest(keyCount: CertificateRegistry.applicationOrder.keyCount))
        let paging = PageLinks(path: "/console/applications/\(details.application.id)", limit: request.uri.queryParameters.get("limit"),
                               cursor: request.uri.queryParameters.get("cursor"))
        let page = ConsoleApplicationPage(frame: try await frames.frame(for: actor, request: request), actor: actor, details: details,
                                          certificates: issued, paging: paging, today: certificates.today, catalog: catalog,
                                          more: capabilityLinks.about(details.application, actor: actor), attempt: attempt)
        return try renderer.response("console-application", page, status: status)
    }

    /// Takes one step through the service, then shows the application as it now stands. A step the
    /// service refuses for its input (422) or the application's state (409) changed nothing: the
    /// page comes back with the form as posted and the reason beside its field. Any other refusal
    /// (403, 404) is the error page, as the API answers it.
    func step(_ id: String, actor: Actor, request: Request, refused attempt: (FormRefusal) -> ConsoleAttempt,
              _ perform: () async throws -> Approval.Application) async throws -> Response {
        do {
            _ = try await perform()
        } catch let error as any DomainError where error.kind == .unprocessable || error.kind == .conflict {
            return try await applicationPage(id, actor: actor, request: request, attempt: attempt(FormRefusal(error)),
                                             status: error.kind.status)
        }
        return PageRenderer.redirect(to: "/console/applications/\(id)")
    }
}
