import Foundation
import Kernel
import Testing

@Suite("The catalog is data, and a broken catalog is reported whole, with file and line")
struct CatalogValidationTests {
    /// A copy of the shipped catalog in a fresh folder, to break on purpose.
    struct CatalogCopy {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: TestPaths.catalog, to: directory)
        }

        func edit(_ relative: String, _ change: (String) -> String) throws {
            let url = directory.appendingPathComponent(relative)
            try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }

        func write(_ relative: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(relative), atomically: true, encoding: .utf8)
        }

        func line(of needle: String, in relative: String) throws -> Int {
            let text = try String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
        }

        func issues() -> [String] {
            CatalogLoader.validate(directory: directory).map { issue in
                issue.description.replacingOccurrences(of: directory.relativePath + "/", with: "")
            }
        }
    }

    @Test("the shipped catalog is valid and holds at least ten construction-phase items")
    func shippedCatalogIsValid() throws {
        let catalog = try CatalogLoader.load(from: TestPaths.catalog)
        #expect(catalog.items.count >= 10)
        #expect(catalog.items.values.allSatisfy { $0.promisedDays <= $0.legalDays })
        #expect(catalog.regions["420104"]?.name == "硚口区")
        #expect(catalog.regions["420984"]?.name == "汉川市")
    }

    @Test("every kind of mistake is reported at its line, all at once")
    func reportsEveryProblem() throws {
        let copy = try CatalogCopy()
        try copy.edit("items/ZJ-SGXK.yaml") { $0.replacingOccurrences(of: "department: housing", with: "department: planning-office") }
        try copy.edit("items/SW-PSXK.yaml") { text in
            text.replacingOccurrences(of: #"promisedDays: \d+"#, with: "promisedDays: 99", options: .regularExpression)
        }
        let duplicate = try String(contentsOf: copy.directory.appendingPathComponent("items/CG-DLWJ.yaml"), encoding: .utf8)
        try copy.write("items/CG-DLWX.yaml", duplicate)
        try copy.edit("bundles/comprehensive-permit.yaml") { $0.replacingOccurrences(of: "  - CG-DLWJ", with: "  - CG-NOPE") }
        try copy.edit("items/ZJ-ZLAQ.yaml") { $0.replacingOccurrences(of: "name: 营业执照", with: "name: 法人身份证") }
        try copy.write("items/XX-BROKEN.yaml", "code: XX-BROKEN\nname: [unclosed\n")

        let issues = copy.issues()

        #expect(issues.contains("items/ZJ-SGXK.yaml:\(try copy.line(of: "department: planning-office", in: "items/ZJ-SGXK.yaml")): 未知部门 planning-office"))
        #expect(issues.contains { $0.hasPrefix("items/SW-PSXK.yaml:\(try! copy.line(of: "promisedDays: 99", in: "items/SW-PSXK.yaml")): 承诺时限 99") })
        #expect(issues.contains { $0.hasPrefix("items/CG-DLWX.yaml:1: 事项编码 CG-DLWJ 与 ") })
        #expect(issues.contains { $0.contains("bundles/comprehensive-permit.yaml:") && $0.contains("不存在的事项 CG-NOPE") })
        #expect(issues.contains { $0.hasPrefix("items/ZJ-ZLAQ.yaml:") && $0.contains("材料编号 business-licence 已在") })
        #expect(issues.contains { $0.hasPrefix("items/XX-BROKEN.yaml:") && $0.contains("YAML 格式错误") })
        #expect(throws: InvalidCatalog.self) { try CatalogLoader.load(from: copy.directory) }
    }

    @Test("a missing key is named with the line of the item it belongs to")
    func missingKey() throws {
        let copy = try CatalogCopy()
        try copy.edit("items/CG-YJSG.yaml") { text in
            text.components(separatedBy: "\n").filter { !$0.hasPrefix("legalDays:") }.joined(separator: "\n")
        }
        #expect(copy.issues().contains { $0.hasPrefix("items/CG-YJSG.yaml:") && $0.contains("缺少 legalDays") })
    }

    @Test("a make-up working day that is not a weekend is refused")
    func makeupDayOnWeekday() throws {
        let copy = try CatalogCopy()
        try copy.edit("calendar.yaml") { $0.replacingOccurrences(of: "2026-01-04", with: "2026-01-05") }
        #expect(copy.issues().contains { $0.hasPrefix("calendar.yaml:") && $0.contains("2026-01-05 不是周末") })
    }

    @Test("credit rules naming an unknown kind of record, or levels out of order, are refused at their lines")
    func creditRules() throws {
        let copy = try CatalogCopy()
        try copy.edit("credit.yaml") { text in
            text.replacingOccurrences(of: "  violation: -20", with: "  violation: -20\n  late-payment: -5")
                .replacingOccurrences(of: "minScore: 60", with: "minScore: 85")
        }
        let issues = copy.issues()
        #expect(issues.contains { $0.hasPrefix("credit.yaml:\(try! copy.line(of: "late-payment", in: "credit.yaml")): 未知信用事件 late-payment") })
        #expect(issues.contains("credit.yaml:\(try copy.line(of: "minScore: 85", in: "credit.yaml")): 信用等级应按 minScore 从高到低排列"))
    }

    @Test("an item with two first-inspection tasks, or a checklist entry twice, is refused")
    func supervisionRouting() throws {
        let copy = try CatalogCopy()
        try copy.edit("items/ZJ-SGXK.yaml") { text in
            text.replacingOccurrences(of: "    task: market-inspection\n", with: "    task: market-inspection\n    firstInspection: true\n")
                .replacingOccurrences(of: "      - id: contractor-matches", with: "      - id: permit-posted")
        }
        let issues = copy.issues()
        #expect(issues.contains { $0.hasPrefix("items/ZJ-SGXK.yaml:") && $0.contains("至多一个首次检查任务") })
        #expect(issues.contains { $0.hasPrefix("items/ZJ-SGXK.yaml:") && $0.contains("检查项 permit-posted 重复") })
    }

    @Test("a material required by a field that is not a number is refused at its line")
    func thresholds() throws {
        let copy = try CatalogCopy()
        try copy.edit("items/ZJ-JKTF.yaml") { $0.replacingOccurrences(of: "field: excavationDepthM", with: "field: stageScope") }
        let issues = copy.issues()
        #expect(issues.contains("items/ZJ-JKTF.yaml:\(try copy.line(of: "field: stageScope", in: "items/ZJ-JKTF.yaml")): requiredWhen 须引用本事项的数值字段，stageScope 不是"))
    }

    @Test("a credit gate naming a level the rules do not have is refused at its line")
    func creditGates() throws {
        let copy = try CatalogCopy()
        try copy.edit("credit.yaml") { $0.replacingOccurrences(of: "  commitment: B\n", with: "  commitment: Z\n") }
        #expect(copy.issues().contains("credit.yaml:\(try copy.line(of: "commitment: Z", in: "credit.yaml")): 未知信用等级 Z"))
    }

    @Test("a capability's certificate facts are named in its item's catalog entry, and a fact without a name is refused naming the file")
    func signedFactsAreNamed() throws {
        let catalog = try CatalogLoader.load(from: TestPaths.catalog)
        let certificate = try catalog.certificate(of: "CG-JZLJ", naming: ["w", "x", "k", "c"])
        #expect(certificate.detail("c", "20") == PermitDetail(key: "c", label: "核定容积（立方米）", value: "20"))
        #expect(throws: InvalidCatalog.self) { try catalog.certificate(of: "CG-JZLJ", naming: ["w", "load"]) }
        let refused = #expect(throws: InvalidCatalog.self) { try catalog.certificate(of: "CG-YJSG", naming: ["nights", "decibels"]) }
        #expect(refused?.issues.map(\.description) == ["items/CG-YJSG.yaml:1: certificate.details 应为证上事实 decibels 命名"])
    }
}
