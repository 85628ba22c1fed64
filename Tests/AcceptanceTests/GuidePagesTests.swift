import Foundation
import Hummingbird
import Testing

@Suite("The public reads the catalog as web pages: 办事指南 and the 一次告知 of a chosen bundle")
struct GuidePagesTests {
    @Test("the index lists every item by department, and an item's page shows its time limits and materials")
    func indexAndItem() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let index = try await client.request(.get, "/")
            #expect(index.status == .ok)
            for name in ["建筑工程施工许可证核发", "城市建筑垃圾处置核准", "夜间施工许可", "硚口区住房和城市更新局"] {
                #expect(index.text.contains(name), "index lacks \(name)")
            }
            let item = try await client.request(.get, "/guide/items/ZJ-SGXK")
            #expect(item.status == .ok)
            #expect(item.text.contains("7 个工作日"))
            #expect(item.text.contains("告知承诺制"))
            #expect(item.text.contains("施工合同"))
            #expect(try await client.request(.get, "/guide/items/NO-SUCH").status == .notFound)
        }
    }

    @Test("choosing two items that share a material lists it once, and a broken menu rule is explained")
    func bundleNotice() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let page = try await client.request(.get, "/guide/bundles/comprehensive-permit?items=ZJ-ZLAQ&items=ZJ-QZJX")
            #expect(page.status == .ok)
            #expect(page.text.components(separatedBy: "<td>施工合同</td>").count == 2)
            #expect(page.text.contains("建筑工程施工许可证核发、建设工程质量安全监督手续"))
            let broken = try await client.request(.get, "/guide/bundles/comprehensive-permit?items=ZJ-QZJX")
            #expect(broken.text.contains("选择事项 ZJ-QZJX 须同时选择 ZJ-ZLAQ"))
            #expect(!broken.text.contains("一次性告知：申请材料"))
        }
    }
}
