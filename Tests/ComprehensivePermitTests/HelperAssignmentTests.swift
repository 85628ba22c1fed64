@testable import Approval
import CapabilityKit
import ComprehensivePermit
import Foundation
import Kernel
import Testing

@Suite("一证制's own rule on the seam: a one-certificate bundle application gets the least busy clerk as its helper")
struct HelperAssignmentTests {
    static let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Modules")

    static func application(bundle: String?) -> Application {
        Application(id: "a-1", projectID: "p-1", firm: "91420104MA4KX12345", submittedBy: "u-1", bundle: bundle, amends: nil, supersedes: nil,
                    commitment: false, status: .submitted, items: [], form: [:], materials: [], submittedAt: Date(timeIntervalSince1970: 0),
                    promisedDays: 5, legalDays: 20)
    }

    @Test("the capability's hook names a clerk for a 综合许可证 bundle, and nobody for a single item")
    func helperForOneCertificateBundles() async throws {
        let catalog = try CatalogLoader.load(from: Self.modules)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("comprehensive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try AppDatabase(path: folder.appendingPathComponent("test.sqlite").path, migrations: [ApprovalMigrations.self])
        let accounts = AccountService(store: SQLiteAccountStore(database: database), catalog: catalog, dependencies: .live, bcryptCost: 4)
        try await accounts.create(NewAccount(username: "clerk", password: "Test-pass-2026", role: .clerk, name: "王敏"), by: .system)
        let capability = ComprehensivePermitCapability(CapabilitySetup(catalog: catalog, catalogDirectory: Self.modules, database: database,
                                                                       dependencies: .live))
        let store = SQLiteApprovalStore(database: database, events: EventBus())
        let assigner = try #require(capability.hooks.helperAssigners.first)
        #expect(try await assigner.helper(for: Self.application(bundle: "comprehensive-permit"), store: store)?.name == "王敏")
        #expect(try await assigner.helper(for: Self.application(bundle: nil), store: store) == nil)
        #expect(try await assigner.helper(for: Self.application(bundle: "staged-permit"), store: store)?.name == "王敏")
    }
}
