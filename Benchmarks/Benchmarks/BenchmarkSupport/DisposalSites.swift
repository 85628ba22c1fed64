import Approval
import Foundation
import Kernel
import WasteDisposal
import WebApp

/// 建筑垃圾处置核准 on the whole service's wiring: construction sites (each a project of its
/// applicant firm in 硚口 420104), and disposal applications taken through the lifecycle the way
/// the capability's route and the HTTP tests (Tests/AcceptanceTests/WasteDisposalTests.swift) take
/// them, along the seed's route 硚口 (出土) → 东西湖 (过境) → 汉川 (消纳, 汉川市马口镇建筑垃圾消纳场).
///
/// `POST /api/v1/waste-disposal/applications` checks its input (`DisposalPlanCheck`, internal to
/// WasteDisposal), then calls `ApprovalService.submit` with item CG-JZLJ, the form it fills from the
/// plan, the materials, `Annex(capability: "waste-disposal", encoding: plan)` and the disposal
/// region's confirmation as the one condition; `awaitingConfirmation` builds the same
/// `NewApplication` (the plan decoded from JSON into the capability's own public `DisposalPlan`,
/// so the annex is exactly what the route stores) and calls the same `submit`. Then the clerk
/// accepts, the city-management reviewer approves, and `confirm` is what
/// `POST /api/v1/waste-disposal/applications/{id}/confirmation` calls: `ApprovalService.meetCondition`,
/// in whose transaction the permit is sealed and one certificate per vehicle issued (certificates,
/// supervision tasks in the three regions, audit, outbox).
public final class DisposalSites: Sendable {
    public struct Site: Sendable {
        public let index: Int
        public let project: Project
        public let applicant: Actor
    }

    public let services: AppServices
    public let sites: [Site]

    public static let origin = "420104", transit = "420112", disposal = "420984"
    public static let disposalSite = (id: "HC-XN-01", name: "汉川市马口镇建筑垃圾消纳场")
    public static let transporter = (name: "武汉顺通渣土运输有限公司", uscc: uscc("91420112MA4KT0001"))
    public static let clerk = Actor(id: "u-c", username: "clerk", name: "王敏", role: .clerk)
    public static let reviewer = Actor(id: "u-cm", username: "reviewer-city-management", name: "郑伟", role: .reviewer, department: "city-management")
    /// 汉川's city-management inspector, who confirms that the disposal site takes the waste.
    public static let confirmer = Actor(id: "u-hc", username: "inspector-cg-hc", name: "罗勇", role: .inspector, department: "city-management",
                                        region: disposal)
    static let materials = ["waste-disposal-plan", "transport-contract", "disposal-site-agreement", "vehicle-documents", "washing-facility-photos"]

    /// `siteCount` projects in 硚口, registered by `firmCount` applicant firms (site i belongs to firm
    /// i mod firmCount); project codes `2411-420104-04-01-<codeBase + i>`.
    public init(services: AppServices, siteCount: Int, firmCount: Int, codeBase: Int = 620_000) async throws {
        self.services = services
        var sites: [Site] = []
        for index in 0..<siteCount {
            let firmIndex = index % firmCount
            let firm = try Self.firm(firmIndex)
            let applicant = Actor(id: "u-wd\(firmIndex)", username: "waste\(firmIndex)", name: "申请人\(firmIndex)", role: .applicant, firm: firm)
            // The bureau registers the firm's name first (the admin's `POST /api/v1/firms`; again is a no-op).
            let now = services.dependencies.now()
            try await services.database.write { db in
                try FirmRegister.register(uscc: firm, name: "武汉出土置业\(firmIndex)号有限公司", field: "firm", by: .system, in: db, at: now)
            }
            let project = try await services.approval.createProject(NewProject(
                code: String(format: "2411-420104-04-01-%06d", codeBase + index), name: "硚口出土基准工地\(index)号",
                district: Self.origin, address: "武汉市硚口区汉西路\(200 + index)号", category: "房屋建筑工程",
                builder: NewParty(name: "武汉出土置业\(firmIndex)号有限公司", uscc: firm),
                contractor: NewParty(name: "中建三局第一建设工程有限责任公司", uscc: LifecycleFixture.contractor)), by: applicant)
            sites.append(Site(index: index, project: project, applicant: applicant))
        }
        self.sites = sites
    }

    /// A valid 统一社会信用代码 per applicant firm.
    public static func firm(_ index: Int) throws -> String {
        let prefix = String(format: "91420104MA4P%05d", 30_000 + index)
        guard let check = UnifiedSocialCreditCode.checkCharacter(for: prefix) else { throw BenchmarkFailure("no check character for \(prefix)") }
        return prefix + String(check)
    }

    /// `total` vehicles over `count` applications as evenly as possible, the larger first
    /// (4,589 over 29: 7 × 159 + 22 × 158).
    public static func split(_ total: Int, over count: Int) -> [Int] {
        (0..<count).map { total / count + ($0 < total % count ? 1 : 0) }
    }

    /// A distinct valid plate per index below 2,400,000: 鄂 + a letter (no I or O) + five digits.
    public static func plate(_ index: Int) -> String {
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        return "鄂\(letters[index / 100_000])" + String(format: "%05d", index % 100_000)
    }

    /// The load body of vehicle `index`, in m³: 20, 18 or 25.
    public static func capacity(_ index: Int) -> Int { [20, 18, 25][index % 3] }

    /// The plan as the route keeps it: vehicles numbered `plates` (18, 20 or 25 m³), a volume of
    /// 30 loads per vehicle, valid `validFrom`…`validTo`.
    public static func plan(plates: Range<Int>, validFrom: CivilDate, validTo: CivilDate) throws -> DisposalPlan {
        let vehicles = plates.map { #"{"plate":"\#(plate($0))","capacityM3":\#(capacity($0))}"# }.joined(separator: ",")
        let volume = plates.reduce(0) { $0 + capacity($1) } * 30
        return try StoredJSON.decode(DisposalPlan.self, from: """
            {"wasteType":"工程渣土","volumeM3":\(volume),"route":{"origin":"\(origin)","transit":["\(transit)"],"disposal":"\(disposal)"},
             "disposalSite":"\(disposalSite.id)","transporter":{"name":"\(transporter.name)","uscc":"\(transporter.uscc)"},
             "vehicles":[\(vehicles)],"validFrom":"\(validFrom)","validTo":"\(validTo)"}
            """)
    }

    /// One disposal application of `site` for the vehicles numbered `plates`, submitted as the
    /// capability's route submits it, accepted and approved: it waits only for 汉川's confirmation.
    /// Returns its id.
    public func awaitingConfirmation(_ site: Site, plates: Range<Int>, validFrom: CivilDate, validTo: CivilDate) async throws -> String {
        let plan = try Self.plan(plates: plates, validFrom: validFrom, validTo: validTo)
        var uploads: [MaterialUpload] = []
        for material in Self.materials {
            // A real PDF (FileStore judges uploads by their bytes), distinct each time, padded to ~2 KB.
            let body = DemoPDF.document(label: "\(site.project.code) \(plates.lowerBound)", title: "\(material) 建筑垃圾处置 \(site.project.code) #\(plates.lowerBound)")
                + Data(repeating: UInt8(site.index & 0xFF), count: 1_536)
            let file = try await services.files.store(body, by: site.applicant)
            uploads.append(MaterialUpload(material: material, file: file.id))
        }
        let form: [String: FormValue] = [
            "wasteType": .string(plan.wasteType), "volumeM3": .number(plan.volumeM3), "disposalSite": .string(Self.disposalSite.name),
            "transporterUscc": .string(plan.transporter.uscc), "startDate": .string(plan.validFrom.description),
            "endDate": .string(plan.validTo.description), "contactName": .string("张伟"), "contactPhone": .string("13871234567"),
        ]
        // Confirmations.condition(for:rules:calendar:today:) with the shipped rules.yaml: 3 working days.
        let calendar = services.catalog.calendar
        let today = calendar.today(at: services.dependencies.now())
        let condition = IssuanceCondition(id: "disposal-confirmation", title: "消纳地主管部门确认受纳", department: "city-management",
                                          region: Self.disposal, dueOn: try calendar.date(addingWorkingDays: 3, to: today))
        let approval = services.approval
        let submitted = try await approval.submit(NewApplication(
            projectId: site.project.id, items: ["CG-JZLJ"], form: form, materials: uploads,
            annex: try Annex(capability: WasteDisposalCapability.name, encoding: plan), conditions: [condition]), by: site.applicant)
        _ = try await approval.accept(submitted.id, AcceptanceDecision(decision: .accept), by: Self.clerk)
        let reviewed = try await approval.review(submitted.id, ReviewDecision(item: "CG-JZLJ", decision: .approve, opinion: nil), by: Self.reviewer)
        guard reviewed.status == .approved, reviewed.unmetConditions.count == 1 else {
            throw BenchmarkFailure("disposal application \(reviewed.id) should be approved and wait for 汉川, it is \(reviewed.status)")
        }
        return submitted.id
    }

    /// 汉川 confirms: the last approving step, which seals the permit and issues its certificates.
    public func confirm(_ applicationID: String) async throws -> Application {
        try await services.approval.meetCondition("disposal-confirmation", of: applicationID, by: Self.confirmer)
    }
}
