import Approval
import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// The wizard of a bundle (一证制, the stage permit) in the browser: a firm chooses items from the
/// bundle's menu and one of its projects, reads the combined notice, fills the one form, uploads
/// its materials (the page's script posts each file to `POST /files`, the file store the API's
/// upload uses) and submits through the same `ApprovalService.submit` as
/// `POST /api/v1/applications`, as the signed-in firm. Every check is the service's; a refusal
/// shows the form again with the message beside its field. It serves the bundles the
/// capabilities name for it.
struct ApplyWizardPagesController {
    /// The projects the menu offers; a firm with more starts from 我的项目, whose links name the project.
    static let projectsOffered = PageRequest.maximumLimit

    let approval: ApprovalService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer
    let capabilityLinks: CapabilityLinks

    func register(on pages: RouterGroup<SignedInPageContext>) {
        pages.get("firm/apply/:bundle") { request, context -> Response in
            try await menuPage(bundle: try bundle(context), actor: try FirmPagesController.firm(context.actor), request: request,
                               choice: Self.choice(in: request))
        }
        pages.get("firm/apply/:bundle/form") { request, context -> Response in
            let (bundle, actor, choice) = (try bundle(context), try FirmPagesController.firm(context.actor), Self.choice(in: request))
            do {
                return try await formPage(bundle: bundle, actor: actor, request: request, choice: choice)
            } catch let refusal as any DomainError where refusal.kind == .unprocessable {
                return try await menuPage(bundle: bundle, actor: actor, request: request, choice: choice, refusal: FormRefusal(refusal),
                                          status: .unprocessableContent)
            }
        }
        pages.post("firm/apply/:bundle") { request, context -> Response in
            let (bundle, actor) = (try bundle(context), try FirmPagesController.firm(context.actor))
            let posted = try await PostedForm.decode(ApplyWizardForm.self, from: request)
            let fields = MergedForm.fields(for: posted.chosenItems.compactMap { catalog.items[$0] })
            do {
                let application = try await approval.submit(posted.application(bundle: bundle.code, fields: fields), by: actor)
                return PageRenderer.redirect(to: "/firm/applications/\(application.id)")
            } catch let refusal as any DomainError where refusal.kind == .unprocessable || refusal.kind == .conflict {
                do {
                    return try await formPage(bundle: bundle, actor: actor, request: request,
                                              choice: ApplyChoice(project: posted.project, items: posted.chosenItems),
                                              posted: posted, refusal: FormRefusal(refusal), status: refusal.kind.status)
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

    /// The bundle in the address, when the wizard serves it.
    func bundle(_ context: SignedInPageContext) throws -> Kernel.Bundle {
        let code = try context.parameters.require("bundle")
        guard let bundle = capabilityLinks.wizardBundles.first(where: { $0.code == code }) else { throw KernelError.notFound("申请组合 \(code)") }
        return bundle
    }

    /// Step 1. A project named in the address that the first page of the firm's projects does not
    /// hold is looked up on its own: the firm's, or not found.
    func menuPage(bundle: Kernel.Bundle, actor: Actor, request: Request, choice: ApplyChoice, refusal: FormRefusal? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        var projects = try await approval.projects(for: actor, page: PageRequest(limit: Self.projectsOffered)).items
        if let id = choice.project, !projects.contains(where: { $0.id == id }) {
            projects.append(try await approval.project(id, for: actor))
        }
        let page = ApplyMenuPage(frame: try await frames.frame(for: actor, request: request), bundle: bundle, action: home(bundle) + "/form",
                                 projects: projects, choice: choice, refusal: refusal, catalog: catalog)
        return try renderer.response("apply-menu", page, status: status)
    }

    /// Steps 2 to 4: the notice, the form filled with what the firm gave before, the materials.
    func formPage(bundle: Kernel.Bundle, actor: Actor, request: Request, choice: ApplyChoice, posted: ApplyWizardForm? = nil, refusal: FormRefusal? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let projectID = choice.project else { throw KernelError.invalidField(field: "project", message: "请选择申请的项目") }
        let defaults = try await approval.formDefaults(projectID: projectID, items: choice.items, bundle: bundle.code, by: actor)
        let items = try BundleMenu.choose(choice.items, bundle: bundle.code, catalog: catalog, includeAlways: true)
        let project = try await approval.project(projectID, for: actor)
        let page = ApplyFormPage(frame: try await frames.frame(for: actor, request: request), bundle: bundle, action: home(bundle),
                                 changeChoice: ApplyChoice(project: projectID, items: items.map(\.code)).menuAddress(home(bundle)),
                                 project: project, items: items, defaults: defaults, posted: posted, refusal: refusal, catalog: catalog)
        return try renderer.response("apply-form", page, status: status)
    }

    func home(_ bundle: Kernel.Bundle) -> String {
        CapabilityLinks.wizardAddress(bundle: bundle.code)
    }
}
