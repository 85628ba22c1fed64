import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

/// The firm's pages: its applications and projects, each application whole, and withdrawal.
/// Every read goes through the services the API uses, with the same checks: another firm's
/// application is not found here either.
struct FirmPagesController {
    let approval: ApprovalService
    let certificates: CertificateService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer
    let capabilityLinks: CapabilityLinks

    func register(on pages: RouterGroup<SignedInPageContext>) {
        pages.get("firm/applications") { request, context -> Response in
            let actor = try Self.firm(context.actor)
            let found = try await approval.applications(for: actor, page: try request.pageRequest(keyCount: ApplicationListing.keyCount))
            let projects = try await approval.store.projects(ids: Set(found.items.map(\.application.projectID)))
            let page = FirmApplicationsPage(frame: try await frames.frame(for: actor, request: request), page: found, projects: projects,
                                            paging: links(request), starts: capabilityLinks.starts(for: actor.role),
                                            timeZone: catalog.calendar.timeZone)
            return try renderer.response("firm-applications", page)
        }
        pages.get("firm/applications/:id") { request, context -> Response in
            try await applicationPage(try context.parameters.require("id"), actor: try Self.firm(context.actor), request: request)
        }
        pages.post("firm/applications/:id/withdrawal") { _, context -> Response in
            let withdrawn = try await approval.withdraw(try context.parameters.require("id"), by: try Self.firm(context.actor))
            return PageRenderer.redirect(to: "/firm/applications/\(withdrawn.id)")
        }
        pages.get("firm/projects/new") { request, context -> Response in
            let actor = try Self.firm(context.actor)
            let own = try await frames.accounts.firm(uscc: actor.firm ?? "")
            return try await projectForm(actor: actor, request: request, posted: FirmProjectForm(builderName: own?.name, builderUscc: actor.firm))
        }
        pages.post("firm/projects") { request, context -> Response in
            let actor = try Self.firm(context.actor)
            let posted = try await PostedForm.decode(FirmProjectForm.self, from: request)
            do {
                let project = try await approval.createProject(posted.input(), by: actor)
                return PageRenderer.redirect(to: "/firm/projects?registered=\(project.id)")
            } catch let refusal as any DomainError where refusal.kind == .unprocessable || refusal.kind == .conflict {
                return try await projectForm(actor: actor, request: request, posted: posted, refusal: FormRefusal(refusal), status: refusal.kind.status)
            }
        }
        pages.get("firm/projects") { request, context -> Response in
            let actor = try Self.firm(context.actor)
            let found = try await approval.projects(for: actor, page: try request.pageRequest(keyCount: ApprovalService.projectsKeyCount))
            return try renderer.response("firm-projects", FirmProjectsPage(frame: try await frames.frame(for: actor, request: request), page: found,
                                                                           firm: actor.firm ?? "", catalog: catalog, paging: links(request),
                                                                           starts: capabilityLinks.starts(for: actor.role),
                                                                           registered: request.uri.queryParameters.get("registered")))
        }
    }

    /// The application whole; after a refused form, that form as posted with the reason beside its field.
    func applicationPage(_ id: String, actor: Actor, request: Request, attempt: FirmAttempt? = nil,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let details = try await approval.details(id, for: actor)
        let issued = try await certificates.certificates(applicationID: details.application.id,
                                                         page: try request.pageRequest(keyCount: CertificateRegistry.applicationOrder.keyCount))
        let paging = PageLinks(path: "/firm/applications/\(details.application.id)", limit: request.uri.queryParameters.get("limit"),
                               cursor: request.uri.queryParameters.get("cursor"))
        let page = FirmApplicationPage(frame: try await frames.frame(for: actor, request: request), details: details, certificates: issued,
                                       paging: paging,
                                       today: certificates.today, catalog: catalog,
                                       more: capabilityLinks.about(details.application, actor: actor), attempt: attempt)
        return try renderer.response("firm-application", page, status: status)
    }

    func projectForm(actor: Actor, request: Request, posted: FirmProjectForm, refusal: FormRefusal? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = FirmProjectPage(frame: try await frames.frame(for: actor, request: request), posted: posted, refusal: refusal, catalog: catalog)
        return try renderer.response("firm-project-new", page, status: status)
    }

    /// These pages speak for one firm: a member of staff would see the whole bureau's work under 我的申请.
    static func firm(_ actor: Actor) throws -> Actor {
        guard actor.role == .applicant else { throw KernelError.forbidden("企业办事页面仅供申请单位使用") }
        return actor
    }

    func links(_ request: Request) -> PageLinks {
        PageLinks(path: request.uri.path, limit: request.uri.queryParameters.get("limit"), cursor: request.uri.queryParameters.get("cursor"))
    }
}
