import CapabilityKit
import Approval
import Certificates
import Hummingbird
import Kernel

/// The application lifecycle over HTTP, as CONTRACT.md names it.
struct ApplicationsController {
    let approval: ApprovalService
    let certificates: CertificateService
    let publicURL: String

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("applications") { request, context -> Response in
            let input = try await JSON.decode(NewApplication.self, from: request)
            let application = try await approval.submit(input, by: context.actor)
            return try await respond(application.id, as: context.actor, status: .created)
        }
        router.get("applications") { request, context -> Response in
            let helper = request.uri.queryParameters.get("helper")
            guard helper == nil || helper == "me" else { throw KernelError.invalidField(field: "helper", message: "只支持 helper=me") }
            let filter = ApplicationFilter(status: try option(ApplicationStatus.self, "status", in: request),
                                           deadline: try option(Deadline.State.self, "deadline", in: request),
                                           department: try department(in: request), pending: try flag("pending", in: request),
                                           helpedByMe: helper == "me",
                                           submittedFrom: try day("submittedFrom", in: request), submittedTo: try day("submittedTo", in: request))
            let found = try await approval.listedApplications(for: context.actor, filter,
                                                              page: try request.pageRequest(keyCount: ApplicationListing.keyCount))
            return JSON.response(encoded: try found.map { try ApplicationListRow.json($0.row, deadline: $0.deadline) }, for: request)
        }
        router.post("applications/:id/messages") { request, context -> Response in
            let message = try await approval.send(try await JSON.decode(NewMessage.self, from: request), on: try context.parameters.require("id"),
                                                  by: context.actor)
            return try JSON.response(message, status: .created)
        }
        router.get("applications/:id/messages") { request, context -> Response in
            try JSON.response(try await approval.messages(on: try context.parameters.require("id"), for: context.actor,
                                                          page: try request.pageRequest(keyCount: SQLiteApprovalStore.messageOrder.keyCount)), for: request)
        }
        router.get("applications/:id") { _, context -> Response in
            try await respond(try context.parameters.require("id"), as: context.actor)
        }
        transition("acceptance", on: router, body: AcceptanceDecision.self, approval.accept)
        transition("reviews", on: router, body: ReviewDecision.self, approval.review)
        transition("issuance", on: router, approval.issue)
        transition("withdrawal", on: router, approval.withdraw)
        transition("correction-requests", on: router, body: CorrectionInput.self, approval.requestCorrection)
        transition("corrections", on: router, body: CorrectedApplication.self, approval.correct)
        transition("supplements", on: router, body: Supplement.self, approval.supplement)
        transition("resubmissions", on: router, body: ItemResubmission.self, approval.resubmit)
        transition("survey", on: router, body: SurveySchedule.self, approval.scheduleSurvey)
        transition("survey-findings", on: router, body: SurveyFindings.self, approval.recordSurvey)
    }

    /// `POST /applications/{id}/<step>` with a JSON body: performs the step and answers with the
    /// application as it now stands.
    func transition<Body: Decodable & Sendable>(_ step: String, on router: RouterGroup<AuthenticatedContext>, body: Body.Type,
                                     _ perform: @escaping @Sendable (String, Body, Actor) async throws -> Approval.Application) {
        router.post("applications/:id/\(step)") { request, context -> Response in
            let input = try await JSON.decode(Body.self, from: request)
            let application = try await perform(try context.parameters.require("id"), input, context.actor)
            return try await respond(application.id, as: context.actor)
        }
    }

    func transition(_ step: String, on router: RouterGroup<AuthenticatedContext>, _ perform: @escaping @Sendable (String, Actor) async throws -> Approval.Application) {
        router.post("applications/:id/\(step)") { _, context -> Response in
            let application = try await perform(try context.parameters.require("id"), context.actor)
            return try await respond(application.id, as: context.actor)
        }
    }

    /// A query parameter that must be one of an enumeration's values when present.
    func department(in request: Request) throws(KernelError) -> String? {
        guard let code = request.uri.queryParameters.get("department") else { return nil }
        guard approval.catalog.departments[code] != nil else { throw .invalidField(field: "department", message: "未知部门 \(code)") }
        return code
    }

    func day(_ name: String, in request: Request) throws(KernelError) -> CivilDate? {
        try request.uri.queryParameters.get(name).map { text throws(KernelError) in
            guard let date = CivilDate(text) else { throw .invalidField(field: name, message: "应为 YYYY-MM-DD 格式的日期") }
            return date
        }
    }

    func flag(_ name: String, in request: Request) throws(KernelError) -> Bool? {
        try request.uri.queryParameters.get(name).map { text throws(KernelError) in
            guard let value = Bool(text) else { throw .invalidField(field: name, message: "应为 true 或 false") }
            return value
        }
    }

    func option<Value: RawRepresentable<String>>(_ type: Value.Type, _ name: String, in request: Request) throws -> Value? {
        try request.uri.queryParameters.get(name).map { text throws(KernelError) in
            guard let value = Value(rawValue: text) else { throw KernelError.invalidField(field: name, message: "未知取值 \(text)") }
            return value
        }
    }

    /// The application whole: status, items, deadline, timeline and certificates.
    func respond(_ id: String, as actor: Actor, status: HTTPResponse.Status = .ok) async throws -> Response {
        let details = try await approval.details(id, for: actor)
        let issued = try await certificates.certificates(applicationID: id)
        return try JSON.response(ApplicationResponse(details.application, project: details.project, deadline: details.deadline,
                                                     timeline: details.timeline, certificates: issued, today: certificates.today,
                                                     publicURL: publicURL), status: status)
    }
}
