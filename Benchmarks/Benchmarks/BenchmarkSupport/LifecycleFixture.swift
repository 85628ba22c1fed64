import Approval
import Foundation
import GRDB
import Kernel
import Synchronization
import WebApp

/// The services as Sources/WebApp/AppServices.swift wires them (certificates, supervision tasks,
/// credit, webhook outbox all subscribed), on a fresh database, with one project registered; built
/// once, outside the measurement.
public final class LifecycleFixture: Sendable {
    public let services: AppServices
    public let database: AppDatabase
    public let service: ApprovalService
    let files: FileStore
    public let project: Project
    private let counter = Mutex(0)

    public static let firm = uscc("91420104MA4KX1234")
    public static let contractor = uscc("91420100MA4L00001")
    public let applicant: Actor
    public let clerk = Actor(id: "u-c", username: "clerk", name: "王敏", role: .clerk)
    let housingReviewer = Actor(id: "u-h", username: "reviewer-housing", name: "陈刚", role: .reviewer, department: "housing")
    let landscapingReviewer = Actor(id: "u-l", username: "reviewer-landscaping", name: "赵丽", role: .reviewer, department: "landscaping")
    public let issuer = Actor(id: "u-i", username: "issuer", name: "周平", role: .issuer)

    static let form: [String: FormValue] = [
        "contactName": .string("张伟"), "contactPhone": .string("13871234567"), "contractorUscc": .string(contractor),
        "contractPriceYuan": .number(368_000_000), "totalAreaM2": .number(86_500.5), "structureType": .string("框架-剪力墙"),
        "startDate": .string("2026-12-01"), "endDate": .string("2028-06-30"), "greenspaceAreaM2": .number(420),
    ]
    /// Every material the two items need that is not fetched electronically, the deferrable
    /// tree-protection plan included, so acceptance defers nothing.
    static let materials = ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan",
                            "tree-protection-plan"]

    public convenience init() async throws {
        try await self.init(
            services: try await appServices(in: try scratchFolder("lifecycle")),
            project: NewProject(
                code: "2401-420104-04-01-318562", name: "崇仁路023地块项目", district: "420104",
                address: "武汉市硚口区崇仁路与解放大道交汇处西北侧", category: "房屋建筑工程",
                builder: NewParty(name: "武汉崇仁置业有限公司", uscc: Self.firm),
                contractor: NewParty(name: "中建三局第一建设工程有限责任公司", uscc: Self.contractor)),
            applicant: Actor(id: "u-a", username: "chongren", name: "张伟", role: .applicant, firm: Self.firm))
    }

    /// A project registered by `applicant` (whose firm must be the project's builder) on services
    /// that may be shared with other fixtures, e.g. one fixture per site of a multi-site benchmark.
    public init(services: AppServices, project: NewProject, applicant: Actor) async throws {
        self.services = services
        self.applicant = applicant
        database = services.database
        service = services.approval
        files = services.files
        // The bureau registers the applicant firm's name first (the admin's `POST /api/v1/firms`);
        // a project is refused for a firm it has not registered.
        let now = services.dependencies.now()
        try await services.database.write { db in
            try FirmRegister.register(uscc: project.builder.uscc, name: project.builder.name ?? "申请单位", field: "firm", by: .system, in: db, at: now)
        }
        self.project = try await service.createProject(project, by: applicant)
    }

    public func nextNumber() -> Int {
        counter.withLock { $0 += 1; return $0 }
    }

    /// One application from upload to issuance; `number` makes each upload's bytes distinct, so
    /// every iteration writes its own blobs as real applications would.
    @discardableResult
    public func lifecycle(number: Int) async throws -> Application {
        let approved = try await approvedApplication(number: number)
        let issued = try await service.issue(approved, by: issuer)
        guard issued.status == .issued else { throw BenchmarkFailure("application \(issued.id) ended \(issued.status)") }
        return issued
    }

    /// One application from upload to its last approving review; returns its id, ready to issue.
    public func approvedApplication(number: Int) async throws -> String {
        var uploads: [MaterialUpload] = []
        for material in Self.materials {
            // A real PDF (FileStore judges uploads by their bytes), distinct each time, padded to ~2 KB.
            let body = DemoPDF.document(label: "scan \(number)", title: "\(material) 扫描件 #\(number)") + Data(repeating: UInt8(number & 0xFF), count: 1_536)
            let file = try await files.store(body, by: applicant)
            uploads.append(MaterialUpload(material: material, file: file.id))
        }
        let submitted = try await service.submit(NewApplication(
            projectId: project.id, bundle: "comprehensive-permit", items: ["ZJ-SGXK", "YL-LDZY"], form: Self.form,
            materials: uploads), by: applicant)
        _ = try await service.accept(submitted.id, AcceptanceDecision(decision: .accept), by: clerk)
        _ = try await service.review(submitted.id, ReviewDecision(item: "YL-LDZY", decision: .approve, opinion: nil), by: landscapingReviewer)
        _ = try await service.review(submitted.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: "符合条件"),
                                     by: housingReviewer)
        return submitted.id
    }

    /// Runs one lifecycle on a throwaway fixture and returns the size of the issued application's
    /// stored document (and checks that a certificate was numbered), to size the baseline's rows.
    public static func issuedDocumentBytes() async throws -> Int {
        let fixture = try await LifecycleFixture()
        let issued = try await fixture.lifecycle(number: 0)
        return try await fixture.database.read { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM certificates WHERE application_id = ?", arguments: [issued.id]) == 1 else {
                throw BenchmarkFailure("issuance numbered no certificate: is the subscriber wired?")
            }
            return try Int.fetchOne(db, sql: "SELECT length(CAST(document AS BLOB)) FROM applications WHERE id = ?", arguments: [issued.id]) ?? 0
        }
    }
}

