import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Kernel

/// Waste disposal's rules, whoever calls: the firm's one-step application and its progress, the
/// disposal region's confirmation, the vehicles and the office's views. Checks who may act, then
/// reads and writes through the engines.
struct WasteDisposalService {
    let rules: WasteDisposalRules
    /// The disposal item's certificate in the catalog, which names the facts a vehicle's QR carries.
    let certificate: CertificateSpec
    /// The items of the disposal bundle, as the catalog lists them.
    let bundleItems: [String]
    let sites: [String: DisposalSite]
    let siteApproval: SiteApproval
    let engines: Engines

    /// 一键申报: the plan checked whole, then submitted through the lifecycle with the plan kept
    /// beside the form; nothing is stored when a check fails.
    func apply(_ input: DisposalApplicationInput, by actor: Actor) async throws -> DisposalApplicationResponse {
        guard actor.role == .applicant, actor.firm != nil else { throw WasteDisposalError.forbidden("只有申请单位可以申请建筑垃圾处置核准") }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        guard let projectID = input.projectId, !projectID.isEmpty else { throw WasteDisposalError.invalidField(field: "projectId", message: "请选择出土工地（项目）") }
        let check = DisposalPlanCheck(rules: rules, sites: sites, regions: Set(engines.catalog.regions.keys))
        var plan = try check.check(input, today: today).get()
        guard let project = try await engines.approval.store.project(id: projectID), project.isVisible(to: actor.firm!) else {
            throw WasteDisposalError.invalidField(field: "projectId", message: "项目不存在或不属于本单位")
        }
        try await checkRegistered(plan.vehicles, of: plan.transporter)
        guard plan.route.origin == project.district else {
            throw WasteDisposalError.invalidField(field: "route.origin", message: "出土地应为工地所在的 \(project.district)")
        }
        if let (certificate, number) = try await siteApproval.current(projectCode: project.code, on: today), certificate.holderUSCC == actor.firm {
            plan.siteApproval = number
        }
        var form: [String: FormValue] = [
            Form.wasteType: .string(plan.wasteType), Form.volume: .number(plan.volumeM3),
            Form.disposalSite: .string(sites[plan.disposalSite]?.name ?? plan.disposalSite), Form.transporter: .string(plan.transporter.uscc),
            Form.start: .string(plan.validFrom.description), Form.end: .string(plan.validTo.description),
        ]
        if let name = input.contact?.name { form[Form.contactName] = .string(name) }
        if let phone = input.contact?.phone { form[Form.contactPhone] = .string(phone) }
        let condition = try Confirmations.condition(for: plan, rules: rules, calendar: engines.catalog.calendar, today: today)
        let application: Approval.Application
        do {
            application = try await engines.approval.submit(
                NewApplication(projectId: project.id, bundle: rules.bundle, items: bundleItems, form: form, materials: input.materials ?? [],
                               annex: try Annex(capability: WasteDisposalCapability.name, encoding: plan), conditions: condition.map { [$0] }),
                by: actor)
        } catch ApprovalError.invalidField(let field, let message) where field == Form.contactName || field == Form.contactPhone {
            throw WasteDisposalError.invalidField(field: field == Form.contactName ? "contact.name" : "contact.phone", message: message)
        }
        return DisposalApplicationResponse(id: application.id, status: application.status.rawValue, items: application.items.map(\.code),
                                           plan: plan, disposalSite: sites[plan.disposalSite], steps: DisposalSteps(application, certificates: 0))
    }

    /// The disposal region's confirmation: the application's condition met through the lifecycle,
    /// which decides who may meet it and seals the permit once nothing else is awaited.
    func confirm(_ applicationID: String, by actor: Actor) async throws -> DisposalApplicationResponse {
        try await progress(of: try await engines.approval.meetCondition(rules.confirmation.id, of: applicationID, by: actor))
    }

    /// The application as its firm follows it: three steps, and where each stands.
    func progress(of applicationID: String, for actor: Actor) async throws -> DisposalApplicationResponse {
        try await progress(of: try await engines.approval.details(applicationID, for: actor).application)
    }

    func progress(of application: Approval.Application) async throws -> DisposalApplicationResponse {
        let applicationID = application.id
        guard let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else {
            throw WasteDisposalError.notFound("建筑垃圾处置申请 \(applicationID)")
        }
        let certificates = try await engines.certificates.certificates(applicationID: applicationID).count
        return DisposalApplicationResponse(id: application.id, status: application.status.rawValue, items: application.items.map(\.code),
                                           plan: plan, disposalSite: sites[plan.disposalSite], steps: DisposalSteps(application, certificates: certificates))
    }
}
