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
            let status = try request.uri.queryParameters.get("status").map { value throws(KernelError) in
                guard let status = ApplicationStatus(rawValue: value) else {
                    throw KernelError.invalidField(field: "status", message: "未知状态 \(value)")
                }
                return status
            }
            let deadline = try request.uri.queryParameters.get("deadline").map { value throws(KernelError) in
                guard let state = Deadline.State(rawValue: value) else {
                    throw KernelError.invalidField(field: "deadline", message: "未知期限状态 \(value)")
                }
                return state
            }
            let found = try await approval.applications(for: context.actor, status: status, deadline: deadline)
            var projects: [String: Project] = [:]
            var rows: [ApplicationResponse] = []
            for (application, deadline) in found {
                if projects[application.projectID] == nil {
                    projects[application.projectID] = try await approval.store.project(id: application.projectID)
                }
                guard let project = projects[application.projectID] else { continue }
                rows.append(ApplicationResponse(application, project: project, deadline: deadline, publicURL: publicURL, includeForm: false))
            }
            return try JSON.response(rows)
        }
        router.get("applications/:id") { _, context -> Response in
            try await respond(try context.parameters.require("id"), as: context.actor)
        }
        router.post("applications/:id/acceptance") { request, context -> Response in
            let input = try await JSON.decode(AcceptanceDecision.self, from: request)
            let application = try await approval.accept(try context.parameters.require("id"), input, by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
        router.post("applications/:id/reviews") { request, context -> Response in
            let input = try await JSON.decode(ReviewDecision.self, from: request)
            let application = try await approval.review(try context.parameters.require("id"), input, by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
        router.post("applications/:id/issuance") { _, context -> Response in
            let application = try await approval.issue(try context.parameters.require("id"), by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
        router.post("applications/:id/withdrawal") { _, context -> Response in
            let application = try await approval.withdraw(try context.parameters.require("id"), by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
        router.post("applications/:id/correction-requests") { request, context -> Response in
            let input = try await JSON.decode(CorrectionInput.self, from: request)
            let application = try await approval.requestCorrection(try context.parameters.require("id"), input, by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
        router.post("applications/:id/corrections") { request, context -> Response in
            let input = try await JSON.decode(CorrectedApplication.self, from: request)
            let application = try await approval.correct(try context.parameters.require("id"), input, by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
        router.post("applications/:id/supplements") { request, context -> Response in
            let input = try await JSON.decode(Supplement.self, from: request)
            let application = try await approval.supplement(try context.parameters.require("id"), input, by: context.actor)
            return try await respond(application.id, as: context.actor)
        }
    }

    /// The application whole: status, items, deadline, timeline and certificates.
    func respond(_ id: String, as actor: Actor, status: HTTPResponse.Status = .ok) async throws -> Response {
        let details = try await approval.details(id, for: actor)
        let issued = try await certificates.certificates(applicationID: id)
        return try JSON.response(ApplicationResponse(details.application, project: details.project, deadline: details.deadline,
                                                     timeline: details.timeline, certificates: issued, publicURL: publicURL), status: status)
    }
}

struct CertificatesController {
    let certificates: CertificateService

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.get("certificates/:number") { _, context -> Response in
            try JSON.response(try await certificates.certificate(try context.parameters.require("number"), for: context.actor))
        }
    }
}
