import Approval
import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// 一证制 in the browser: a firm chooses items from the bundle's menu and one of its projects,
/// reads the combined notice, fills the one form, uploads its materials (the page's script posts
/// each file to `POST /files`, the file store the API's upload uses) and submits through the same
/// `ApprovalService.submit` as `POST /api/v1/applications`, as the signed-in firm. Every check is
/// the service's; a refusal shows the form again with the message beside its field.
struct ApplyWizardPagesController {
    static let bundle = "comprehensive-permit"
    static let home = "/firm/apply/\(bundle)"
    /// The projects the menu offers; a firm with more starts from 我的项目, whose links name the project.
    static let projectsOffered = PageRequest.maximumLimit

    let approval: ApprovalService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer

    func register(on pages: RouterGroup<SignedInPageContext>) {
        let path = String(Self.home.dropFirst())
        pages.get(RouterPath(path)) { request, context -> Response in
            try await menuPage(actor: try FirmPagesController.firm(context.actor), request: request, choice: Self.choice(in: request))
        }
        pages.get(RouterPath(path + "/form")) { request, context -> Response in
            let (actor, choice) = (try FirmPagesController.firm(context.actor), Self.choice(in: request))
            do {
                return try await formPage(actor: actor, request: request, choice: choice)
            } catch let refusal as any DomainError where refusal.kind == .unprocessable {
                return try await menuPage(actor: actor, request: request, choice: choice, refusal: FormRefusal(refusal),
                                          status: .unprocessableContent)
            }
        }
        pages.post(RouterPath(path)) { request, context -> Response in
            let actor = try FirmPagesController.firm(context.actor)
            let posted = try await PostedForm.decode(ApplyWizardForm.self, from: request)
            let fields = MergedForm.fields(for: posted.chosenItems.compactMap { catalog.items[$0] })
            do {
                let application = try await approval.submit(posted.application(bundle: Self.bundle, fields: fields), by: actor)
                return PageRenderer.redirect(to: "/firm/applications/\(application.id)")
            } catch let refusal as any DomainError where refusal.kind == .unprocessable || refusal.kind == .conflict {
                do {
                    return try await formPage(actor: actor, request: request, choice: ApplyChoice(project: posted.project, items: posted.chosenItems),
                                              posted: posted, refusal: FormRefusal(refusal),
                                              status: ErrorMiddleware<AppRequestContext>.status(for: refusal.kind))
                } catch is any DomainError {
                    // The form cannot be shown for a project or a choice of items that is itself what was refused.
                    throw refusal
                }
            }
        }
    }

    static func choice(in request: Request) -> ApplyChoice {
        ApplyChoice(project: request.uri.queryParameters.get("project").flatMap { $0.isEmpty ? nil : $0 },
                    items: request.uri.queryParameters.getAll("items").map { String($0) })
    }

    func bundle() throws -> Kernel.Bundle {
        guard let bundle = catalog.bundles[Self.bundle] else { throw KernelError.notFound("组合 \(Self.bundle)") }
        return bundle
    }

    /// Step 1. A project named in the address that the first page of the firm's projects does not
    /// hold is looked up on its own: the firm's, or not found.
    func menuPage(actor: Actor, request: Request, choice: ApplyChoice, refusal: FormRefusal? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        var projects = try await approval.projects(for: actor, page: PageRequest(limit: Self.projectsOffered)).items
        if let id = choice.project, !projects.contains(where: { $0.id == id }) {
            projects.append(try await approval.project(id, for: actor))
        }
        let page = ApplyMenuPage(frame: try await frames.frame(for: actor, request: request), bundle: try bundle(), action: Self.home + "/form",
                                 projects: projects, choice: choice, refusal: refusal, catalog: catalog)
        return try renderer.response("apply-menu", page, status: status)
    }

    /// Steps 2 to 4: the notice, the form filled with what the firm gave before, the materials.
    func formPage(actor: Actor, request: Request, choice: ApplyChoice, posted: ApplyWizardForm? = nil, refusal: FormRefusal? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let projectID = choice.project else { throw KernelError.invalidField(field: "project", message: "请选择申请的项目") }
        let defaults = try await approval.formDefaults(projectID: projectID, items: choice.items, bundle: Self.bundle, by: actor)
        let items = try BundleMenu.choose(choice.items, bundle: Self.bundle, catalog: catalog, includeAlways: true)
        let project = try await approval.project(projectID, for: actor)
        let page = ApplyFormPage(frame: try await frames.frame(for: actor, request: request), bundle: try bundle(), action: Self.home,
                                 changeChoice: ApplyChoice(project: projectID, items: items.map(\.code)).menuAddress(Self.home),
                                 project: project, items: items, defaults: defaults, posted: posted, refusal: refusal, catalog: catalog)
        return try renderer.response("apply-form", page, status: status)
    }
}
