import Approval
import CapabilityKit
import Certificates
import Foundation
import Hummingbird
import Kernel

/// The console's CSV exports (导出): the applications list under the API list's filters, and the
/// register of issued certificates. Each walks its list through the same service call and keyset
/// pages as the API, with the signed-in actor, so a reviewer's file holds what its list holds,
/// and writes each page as it is read: any period may be exported.
struct ConsoleExportController {
    let approval: ApprovalService
    let certificates: CertificateService
    let catalog: Catalog
    let frames: PageFrames
    let renderer: PageRenderer

    static let path = "/console/export"
    static let pageSize = PageRequest.maximumLimit

    func register(on pages: RouterGroup<SignedInPageContext>) {
        pages.get("console/export") { request, context -> Response in
            let actor = try ConsolePagesController.admit(context.actor)
            return try renderer.response("console-export", ConsoleExportPage(frame: try await frames.frame(for: actor, request: request), actor: actor,
                                                                             catalog: catalog))
        }
        pages.get("console/export/applications.csv") { request, context -> Response in
            try await applications(request: request, actor: try ConsolePagesController.admit(context.actor))
        }
        pages.get("console/export/certificates.csv") { request, context -> Response in
            try await issuedCertificates(request: request, actor: try ConsolePagesController.admit(context.actor))
        }
    }

    func applications(request: Request, actor: Actor) async throws -> Response {
        let form = ConsoleExport.ApplicationsForm(request.uri.queryParameters)
        let filter: ApplicationFilter
        switch form.filter(in: catalog) {
        case .success(let asked): filter = asked
        case .failure(let errors): return try await refused(request: request, actor: actor, applications: form, errors: errors)
        }
        let (approval, timeZone) = (self.approval, catalog.calendar.timeZone)
        @Sendable func rows(after cursor: Cursor?) async throws -> Page<[String]> {
            let page = try await approval.applications(for: actor, filter, page: PageRequest(limit: Self.pageSize, after: cursor))
            let projects = try await approval.store.projects(ids: Set(page.items.map(\.application.projectID)))
            return page.map { application, deadline in
                ConsoleExport.applicationRow(application, deadline: deadline, project: projects[application.projectID], timeZone: timeZone)
            }
        }
        return CSVDownload.response(filename: "applications-\(certificates.today).csv", header: ConsoleExport.applicationHeader,
                                    first: try await rows(after: nil), next: { try await rows(after: $0) })
    }

    func issuedCertificates(request: Request, actor: Actor) async throws -> Response {
        let form = ConsoleExport.CertificatesForm(request.uri.queryParameters)
        let period: (from: CivilDate?, to: CivilDate?)
        switch form.period() {
        case .success(let asked): period = asked
        case .failure(let errors): return try await refused(request: request, actor: actor, certificates: form, errors: errors)
        }
        let (certificates, today, timeZone) = (self.certificates, self.certificates.today, catalog.calendar.timeZone)
        @Sendable func rows(after cursor: Cursor?) async throws -> Page<[String]> {
            try await certificates.issued(from: period.from, to: period.to, page: PageRequest(limit: Self.pageSize, after: cursor), for: actor)
                .map { ConsoleExport.certificateRow($0, today: today, timeZone: timeZone) }
        }
        return CSVDownload.response(filename: "certificates-\(today).csv", header: ConsoleExport.certificateHeader,
                                    first: try await rows(after: nil), next: { try await rows(after: $0) })
    }

    /// The export page again, with the form as it was sent and the reason beside each bad field.
    func refused(request: Request, actor: Actor, applications: ConsoleExport.ApplicationsForm = .init(),
                 certificates: ConsoleExport.CertificatesForm = .init(), errors: FieldErrors) async throws -> Response {
        let page = ConsoleExportPage(frame: try await frames.frame(for: actor, request: request), actor: actor, catalog: catalog,
                                     applications: applications, certificates: certificates, errors: errors)
        return try renderer.response("console-export", page, status: .unprocessableContent)
    }
}
