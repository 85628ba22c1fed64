import Approval
import Foundation
import Kernel
import StagedPermit
import Testing

@Suite("Which stage permits a full permit replaces comes from the catalog's stages")
struct StagePermitsTests {
    static let catalog = try! CatalogLoader.load(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Modules"))

    @Test("a building permit replaces the foundation-pit stage; road permits replace none")
    func replacedStages() {
        let permits = StagePermits(catalog: Self.catalog)
        #expect(permits.replacedStageItems(by: [Self.catalog.items["ZJ-SGXK"]!, Self.catalog.items["CG-DLZY"]!]) == ["ZJ-JKTF"])
        #expect(permits.replacedStageItems(by: [Self.catalog.items["CG-DLZY"]!, Self.catalog.items["YL-LDZY"]!]).isEmpty)
    }
}
