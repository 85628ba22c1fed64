import Approval
import CapabilityKit
import Foundation
import Kernel
import StagedPermit
import Testing

@Suite("Which stage permits a full permit replaces comes from the staged-permit section of the catalog")
struct StagePermitsTests {
    static let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Modules")
    static let catalog = try! CatalogLoader.load(from: modules)

    @Test("a building permit replaces the foundation-pit stage; road permits replace none")
    func replacedStages() throws {
        var section = CatalogSection(directory: Self.modules, name: StagedPermitCapability.name)
        StagedPermitCapability.checkCatalog(&section, catalog: Self.catalog)
        #expect(section.issues.isEmpty)
        let stage = Stage(code: "foundation-pit", name: "基坑支护和土方开挖", item: "ZJ-JKTF", supersededBy: ["ZJ-SGXK"], supersededNote: nil)
        let permits = StagePermits(stages: [stage])
        #expect(permits.replacedStages(by: [Self.catalog.items["ZJ-SGXK"]!, Self.catalog.items["CG-DLZY"]!]).map(\.item) == ["ZJ-JKTF"])
        #expect(permits.replacedStages(by: [Self.catalog.items["CG-DLZY"]!, Self.catalog.items["YL-LDZY"]!]).isEmpty)
    }

    @Test("a stage naming an unknown item is refused at its line, in the capability's own folder")
    func unknownItem() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.modules, to: copy)
        let file = copy.appendingPathComponent("staged-permit/foundation-pit.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "supersededBy: [ZJ-SGXK]", with: "supersededBy: [ZJ-NOPE]")
        try text.write(to: file, atomically: true, encoding: .utf8)
        var section = CatalogSection(directory: copy, name: StagedPermitCapability.name)
        StagedPermitCapability.checkCatalog(&section, catalog: Self.catalog)
        let line = (text.components(separatedBy: "\n").firstIndex { $0.contains("ZJ-NOPE") } ?? -1) + 1
        #expect(section.issues.map(\.description) == ["\(copy.relativePath)/staged-permit/foundation-pit.yaml:\(line): 阶段 foundation-pit 引用了不存在的事项 ZJ-NOPE"])
        #expect(throws: InvalidCatalog.self) {
            try StagedPermitCapability(CapabilitySetup(catalog: Self.catalog, catalogDirectory: copy,
                                                       database: try AppDatabase(path: copy.appendingPathComponent("test.sqlite").path, migrations: []),
                                                       dependencies: .live))
        }
    }
}
