import Approval
import Foundation
import Kernel
import Synchronization

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(days: Int) {
        current.withLock { $0 = $0.addingTimeInterval(Double(days) * 86_400) }
    }

    /// Moves to a local (Asia/Shanghai) date at 10:00.
    func set(_ date: String) {
        let day = CivilDate(date)!
        current.withLock { $0 = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 2 * 3600) }
    }
}

/// A fresh database, the shipped catalog, a fixed clock and one actor per role.
struct ApprovalHarness {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let clock: TestClock
    let database: AppDatabase
    let catalog: Catalog
    let service: ApprovalService
    let files: FileStore

    static let firmA = usccWithCheck("91420104MA4KX1234")
    static let firmB = usccWithCheck("91420104MA4KY5678")
    static let contractor = usccWithCheck("91420100MA4L00001")

    let applicant = Actor(id: "u-a", username: "chongren", name: "张伟", role: .applicant, firm: firmA)
    let otherApplicant = Actor(id: "u-b", username: "hanxi", name: "刘洋", role: .applicant, firm: firmB)
    let clerk = Actor(id: "u-c", username: "clerk", name: "王敏", role: .clerk)
    let housingReviewer = Actor(id: "u-h", username: "reviewer-housing", name: "陈刚", role: .reviewer, department: "housing")
    let landscapingReviewer = Actor(id: "u-l", username: "reviewer-landscaping", name: "赵丽", role: .reviewer, department: "landscaping")
    let waterReviewer = Actor(id: "u-w", username: "reviewer-water", name: "孙杰", role: .reviewer, department: "water")
    let issuer = Actor(id: "u-i", username: "issuer", name: "周平", role: .issuer)

    static func usccWithCheck(_ prefix: String) -> String {
        prefix + String(UnifiedSocialCreditCode.checkCharacter(for: prefix)!)
    }

    init(start: String = "2026-11-23") throws {
        clock = TestClock(Date())
        clock.set(start)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("approval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try AppDatabase(path: folder.appendingPathComponent("test.sqlite").path, migrations: [ApprovalMigrations.self])
        catalog = try CatalogLoader.load(from: Self.root.appendingPathComponent("Modules"))
        let counter = Mutex(0)
        let dependencies = Dependencies(
            now: { [clock] in clock.now },
            makeID: { counter.withLock { $0 += 1; return "id-\($0)" } },
            randomBytes: { Array(repeating: 7, count: $0) })
        service = ApprovalService(store: SQLiteApprovalStore(database: database, events: EventBus()), catalog: catalog,
                                  dependencies: dependencies, warnWithinWorkingDays: 1)
        files = FileStore(directory: folder.appendingPathComponent("files"), sizeLimit: 1_000_000, database: database, dependencies: dependencies)
    }

    func project(withContractor: Bool = true, code: String = "2401-420104-04-01-318562") async throws -> Project {
        let now = clock.now
        try await database.write { db in
            try FirmRegister.register(uscc: Self.firmA, name: "武汉崇仁置业有限公司", field: "firm", by: .system, in: db, at: now)
        }
        return try await service.createProject(NewProject(
            code: code, name: "崇仁路023地块项目", district: "420104", address: "武汉市硚口区崇仁路与解放大道交汇处西北侧",
            category: "房屋建筑工程", builder: NewParty(name: "武汉崇仁置业有限公司", uscc: Self.firmA),
            contractor: withContractor ? NewParty(name: "中建三局第一建设工程有限责任公司", uscc: Self.contractor) : nil), by: applicant)
    }

    func upload(_ text: String, by actor: Actor? = nil) async throws -> String {
        try await files.store(DemoPDF.document(label: text, title: text), by: actor ?? applicant).id
    }

    /// 施工许可 + 临时占用绿地: two departments, one deferrable material (树木保护方案) left out.
    var permitAndGreenspaceForm: [String: FormValue] {
        ["contactName": .string("张伟"), "contactPhone": .string("13871234567"), "contractorUscc": .string(Self.contractor),
         "contractPriceYuan": .number(368_000_000), "totalAreaM2": .number(86_500.5), "structureType": .string("框架-剪力墙"),
         "startDate": .string("2026-12-01"), "endDate": .string("2028-06-30"), "greenspaceAreaM2": .number(420)]
    }

    func submitPermitAndGreenspace(project: Project, commitment: Bool = false) async throws -> Application {
        var uploads: [MaterialUpload] = []
        for material in ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan"] {
            uploads.append(MaterialUpload(material: material, file: try await upload("\(material) 扫描件")))
        }
        return try await service.submit(NewApplication(projectId: project.id, bundle: "comprehensive-permit", items: ["ZJ-SGXK", "YL-LDZY"],
                                                       form: permitAndGreenspaceForm, materials: uploads, commitment: commitment), by: applicant)
    }

    func acceptDeferringTreePlan(_ application: Application, due: String = "2026-12-04") async throws -> Application {
        try await service.accept(application.id, AcceptanceDecision(decision: .accept, deferred: ["tree-protection-plan"],
                                                                    supplementDue: CivilDate(due)), by: clerk)
    }
}
