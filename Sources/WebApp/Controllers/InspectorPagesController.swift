import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel
import Supervision

/// The inspector's pages, phone first: the QR page as an inspector sees it, the task queue, one
/// task with its claim, release and inspection forms, and the scan form's target. Every read and
/// every step is the service call the API makes (`POST /scans`, `GET /supervision/tasks[/{id}]`,
/// `POST …/claim|release|inspections`) with the signed-in actor, so the role, department, region
/// and route checks are the API's own. Each scan or inspection may carry the page's idempotency
/// key, so a record the phone kept offline and sends again is stored once.
struct InspectorPagesController {
    let supervision: SupervisionService
    let scans: ScanService
    let approval: ApprovalService
    let certificates: CertificateService
    let accounts: AccountService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer

    /// The inspector's home after signing in.
    static let home = "/inspector/tasks"

    func register(on pages: RouterGroup<SignedInPageContext>) {
        pages.get("inspector/tasks") { request, context -> Response in
            let actor = try inspector(context.actor)
            let found = try await supervision.queue(for: actor, statuses: [.open, .claimed],
                                                    page: try request.pageRequest(keyCount: SupervisionService.queueKeyCount))
            let paging = PageLinks(path: request.uri.path, limit: request.uri.queryParameters.get("limit"),
                                   cursor: request.uri.queryParameters.get("cursor"))
            return try renderer.response("inspector-tasks", InspectorTasksPage(frame: try await frames.frame(for: actor, request: request), actor: actor,
                                                                               page: found, today: supervision.today, paging: paging))
        }
        pages.get("inspector/tasks/:id") { request, context -> Response in
            try await taskPage(try context.parameters.require("id"), actor: try inspector(context.actor), request: request)
        }
        pages.post("inspector/tasks/:id/claim") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try inspector(context.actor))
            return try await taskStep(id, actor: actor, request: request) { _ = try await supervision.claim(id, by: actor) }
        }
        pages.post("inspector/tasks/:id/release") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try inspector(context.actor))
            return try await taskStep(id, actor: actor, request: request) { _ = try await supervision.release(id, by: actor) }
        }
        pages.post("inspector/tasks/:id/inspections") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try inspector(context.actor))
            let form = try await PostedForm.decode(InspectorForms.Inspection.self, from: request)
            return try await taskStep(id, actor: actor, request: request, posted: form, queued: form.queued == InspectorForms.queuedFlag) {
                let (task, _) = try await supervision.task(id, for: actor)
                _ = try await supervision.record(try form.draft(for: task), task: id, idempotencyKey: Self.key(form.idempotencyKey), by: actor)
            }
        }
        pages.post("inspector/scans") { request, context -> Response in
            let actor = try inspector(context.actor)
            let form = try await PostedForm.decode(InspectorForms.Scan.self, from: request)
            let jws = form.qr ?? ""
            let queued = form.queued == InspectorForms.queuedFlag
            do {
                _ = try await scans.record(qr: jws, checkpoint: try form.checkpointValue(), location: try form.location(),
                                           idempotencyKey: Self.key(form.idempotencyKey), by: actor)
            } catch let error as any DomainError where error.kind == .unprocessable {
                let refusal = FormRefusal(error)
                if queued { return Self.queuedRefusal(refusal, status: .unprocessableContent) }
                return try await verificationPage(jws: jws, verification: try await certificates.verify(jws), actor: actor, request: request,
                                                  scanError: refusal.message, postedCheckpoint: form.checkpoint, status: .unprocessableContent)
            }
            if queued { return Response(status: .noContent) }
            // Back to the QR's page; a text that is no JWS (a forged code is recorded too) cannot be an address.
            return PageRenderer.redirect(to: Self.isJWS(jws) ? "/v/\(jws)?recorded=scan" : Self.home)
        }
    }

    /// `/v/{jws}` for a browser signed in as an inspector; nil for anyone else, who gets the public page.
    func verificationPage(jws: String, verification: Verification, request: Request) async throws -> Response? {
        guard let token = WebSession.token(in: request), let actor = try await accounts.actor(forToken: token), actor.role == .inspector else {
            return nil
        }
        return try await verificationPage(jws: jws, verification: verification, actor: actor, request: request,
                                          recorded: request.uri.queryParameters.get("recorded") == "scan")
    }

    func verificationPage(jws: String, verification: Verification, actor: Actor, request: Request, recorded: Bool = false,
                          scanError: String? = nil, postedCheckpoint: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        var site: SiteContact?
        var tasks: [SupervisionTask] = []
        if let certificate = verification.certificate {
            // The API's own rule: the site and whom to call only for an inspector of its region or route.
            site = try await approval.siteContact(applicationID: certificate.applicationID, for: actor, routeRegions: certificate.route?.regions ?? [])
            tasks = try await supervision.activeTasks(certificate: certificate.number, for: actor)
        }
        let page = InspectorVerificationPage(frame: try await frames.frame(for: actor, request: request), actor: actor, jws: jws,
                                             response: VerificationResponse(verification, catalog: catalog, site: site), tasks: tasks,
                                             today: supervision.today, catalog: catalog, recorded: recorded, scanError: scanError,
                                             postedCheckpoint: postedCheckpoint)
        return try renderer.response("inspector-verify", page, status: status)
    }

    func taskPage(_ id: String, actor: Actor, request: Request, posted: InspectorForms.Inspection? = nil, refusal: FormRefusal? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let (task, inspections) = try await supervision.task(id, for: actor)
        let page = InspectorTaskPage(frame: try await frames.frame(for: actor, request: request), actor: actor, task: task, inspections: inspections,
                                     today: supervision.today, catalog: catalog, posted: posted, refusal: refusal)
        return try renderer.response("inspector-task", page, status: status)
    }

    /// Takes one step on a task through the service, then shows the task as it now stands. A step
    /// refused for its input (422) or the task's state (409) stored nothing: the page comes back
    /// with the form as posted and the reason beside its field; a replayed offline record gets
    /// the bare status and reason instead. Any other refusal (403, 404) is the error page.
    func taskStep(_ id: String, actor: Actor, request: Request, posted: InspectorForms.Inspection? = nil, queued: Bool = false,
                  _ perform: () async throws -> Void) async throws -> Response {
        do {
            try await perform()
        } catch let error as any DomainError where error.kind == .unprocessable || error.kind == .conflict {
            let status = error.kind.status
            if queued { return Self.queuedRefusal(FormRefusal(error), status: status) }
            return try await taskPage(id, actor: actor, request: request, posted: posted, refusal: FormRefusal(error), status: status)
        }
        return queued ? Response(status: .noContent) : PageRenderer.redirect(to: "/inspector/tasks/\(id)")
    }

    /// The inspector's pages are for inspectors: the bureau's staff and firms have their own.
    func inspector(_ actor: Actor) throws -> Actor {
        guard actor.role == .inspector else { throw KernelError.forbidden("监管检查页面仅供监管人员使用") }
        return actor
    }

    /// Why a replayed record was refused, as text the page's script shows beside the record.
    static func queuedRefusal(_ refusal: FormRefusal, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: refusal.message)))
    }

    /// An empty key field (a browser without the script) is no key.
    static func key(_ posted: String?) -> String? {
        posted.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func isJWS(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 8192 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
