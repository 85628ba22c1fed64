import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

/// What a firm answers after submitting, in the browser: the correction the bureau asked for
/// (补正), the materials it promised under 容缺, a denied item sent back for a person to review
/// (重新提交), its conversation with its helper (一人帮办), and
/// its credit record. Every step is the service call the API makes (`POST /applications/{id}/
/// corrections|supplements|resubmissions|messages`, `GET /applications/{id}/messages`, `GET /firms/{uscc}/credit`)
/// with the signed-in firm, so the checks are the API's own: another firm's application is not found.
struct FirmFollowUpPagesController {
    let approval: ApprovalService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer
    /// The application page a refused correction or supplement is shown on again.
    let firmPages: FirmPagesController

    static let credit = "/firm/credit"

    func register(on pages: RouterGroup<SignedInPageContext>) {
        pages.post("firm/applications/:id/corrections") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try FirmPagesController.firm(context.actor))
            let form = try await PostedForm.decode(FirmForms.Correction.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .correction(form, $0) }) {
                // The values to compare the posted ones with, as the firm may see them (another firm's is not found).
                let application = try await approval.details(id, for: actor).application
                let fields = MergedForm.fields(for: application.items.compactMap { catalog.items[$0.code] })
                return try await approval.correct(id, form.input(current: application.form, fields: fields), by: actor)
            }
        }
        pages.post("firm/applications/:id/supplements") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try FirmPagesController.firm(context.actor))
            let form = try await PostedForm.decode(FirmForms.Supplement.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .supplement(form, $0) }) {
                try await approval.supplement(id, form.input(), by: actor)
            }
        }
        pages.post("firm/applications/:id/resubmissions") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try FirmPagesController.firm(context.actor))
            let form = try await PostedForm.decode(FirmForms.Resubmission.self, from: request)
            return try await step(id, actor: actor, request: request, refused: { .resubmission(form, $0) }) {
                try await approval.resubmit(id, form.input(), by: actor)
            }
        }
        pages.get("firm/applications/:id/messages") { request, context -> Response in
            try await messagesPage(try context.parameters.require("id"), actor: try FirmPagesController.firm(context.actor), request: request)
        }
        pages.post("firm/applications/:id/messages") { request, context -> Response in
            let (id, actor) = (try context.parameters.require("id"), try FirmPagesController.firm(context.actor))
            let form = try await PostedForm.decode(FirmForms.Message.self, from: request)
            do {
                _ = try await approval.send(form.input(), on: id, by: actor)
            } catch let refusal as any DomainError where refusal.kind == .unprocessable {
                return try await messagesPage(id, actor: actor, request: request, posted: form, refusal: FormRefusal(refusal),
                                              status: .unprocessableContent)
            }
            return PageRenderer.redirect(to: "/firm/applications/\(id)/messages")
        }
        pages.get(RouterPath(String(Self.credit.dropFirst()))) { request, context -> Response in
            let actor = try FirmPagesController.firm(context.actor)
            let history = try await approval.credit(of: actor.firm ?? "", for: actor,
                                                    page: try request.pageRequest(keyCount: CreditLedger.recordOrder.keyCount))
            let today = firmPages.certificates.today
            let page = FirmCreditPage(frame: try await frames.frame(for: actor, request: request), history: history, rules: catalog.credit,
                                      today: today, paging: firmPages.links(request))
            return try renderer.response("firm-credit", page)
        }
    }

    /// Takes one step through the service, then shows the application as it now stands. A step the
    /// service refuses for its input (422) or the application's state (409) changed nothing: the
    /// page comes back with the form as posted and the reason beside its field. Any other refusal
    /// (403, 404) is the error page, as the API answers it.
    func step(_ id: String, actor: Actor, request: Request, refused attempt: (FormRefusal) -> FirmAttempt,
              _ perform: () async throws -> Approval.Application) async throws -> Response {
        do {
            _ = try await perform()
        } catch let error as any DomainError where error.kind == .unprocessable || error.kind == .conflict {
            return try await firmPages.applicationPage(id, actor: actor, request: request, attempt: attempt(FormRefusal(error)),
                                                       status: error.kind.status)
        }
        return PageRenderer.redirect(to: "/firm/applications/\(id)")
    }

    func messagesPage(_ id: String, actor: Actor, request: Request, posted: FirmForms.Message? = nil, refusal: FormRefusal? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let details = try await approval.details(id, for: actor)
        let found = try await approval.messages(on: id, for: actor, page: try request.pageRequest(keyCount: SQLiteApprovalStore.messageOrder.keyCount))
        let page = FirmMessagesPage(frame: try await frames.frame(for: actor, request: request), details: details, page: found,
                                    paging: firmPages.links(request), timeZone: catalog.calendar.timeZone, posted: posted, refusal: refusal)
        return try renderer.response("firm-messages", page, status: status)
    }
}
