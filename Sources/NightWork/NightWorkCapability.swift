import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Kernel
import ServiceLifecycle

/// 夜间施工 智能审批 + 智能监管 on the capability seam: rules as data (`Modules/night-work/`),
/// a decision at submission with automatic issuance, the nights on the certificate, a public
/// notice with complaints, and noise monitors whose readings raise alerts.
public struct NightWorkCapability: Capability {
    public static let name = "night-work"
    public static let migrations: [any MigrationSet.Type] = [NightWorkMigrations.self]
    public static let pageTemplates = ["night-work-notices", "night-work-apply"]

    let rules: NightWorkRules
    let certificate: CertificateSpec
    let noise: NoiseRules
    let catalog: Catalog
    let database: AppDatabase

    public static func checkCatalog(_ section: inout CatalogSection, catalog: Catalog) {
        _ = readSection(&section, catalog: catalog)
    }

    /// `rules.yaml` and `noise.yaml`, each checked against the catalog it refers to.
    static func readSection(_ section: inout CatalogSection, catalog: Catalog) -> (NightWorkRules, NoiseRules)? {
        let rules = section.read("rules.yaml", as: NightWorkRules.self)
        let noise = section.read("noise.yaml", as: NoiseRules.self)
        let before = section.issues.count
        if let (rules, document) = rules { check(rules, in: document, catalog: catalog, section: &section) }
        if let (noise, document) = noise { check(noise, in: document, catalog: catalog, section: &section) }
        guard let rules, let noise, section.issues.count == before else { return nil }
        return (rules.value, noise.value)
    }

    static func check(_ rules: NightWorkRules, in document: YAMLDocument, catalog: Catalog, section: inout CatalogSection) {
        guard let item = catalog.items[rules.item] else {
            section.report(document, at: [.key("item")], "夜间施工事项 \(rules.item) 不在事项目录中")
            return
        }
        for (index, code) in rules.requiresPermit.enumerated() where catalog.items[code] == nil {
            section.report(document, at: [.key("requiresPermit"), .index(index)], "未知事项 \(code)")
        }
        if rules.nightLength == 0 { section.report(document, at: [.key("night")], "夜间时段不能为空") }
        if rules.maxNights < 1 { section.report(document, at: [.key("maxNights")], "单次许可至少1晚") }
        for key in Form.all where !item.fields.contains(where: { $0.key == key }) {
            section.report(document, at: [.key("item")], "事项 \(item.code) 缺少夜间施工规则所读的表单字段 \(key)")
        }
        let options = item.fields.first { $0.key == Form.reason }?.options ?? []
        for (index, reason) in rules.reasons.enumerated() {
            if !options.contains(reason.name) {
                section.report(document, at: [.key("reasons"), .index(index), .key("name")],
                               "原因“\(reason.name)”不在事项 \(item.code) 的 \(Form.reason) 选项中")
            }
            for (evidence, material) in reason.evidence.enumerated() where !item.materials.contains(where: { $0.id == material }) {
                section.report(document, at: [.key("reasons"), .index(index), .key("evidence"), .index(evidence)],
                               "材料 \(material) 不是事项 \(item.code) 的材料")
            }
        }
        for (index, blackout) in rules.blackouts.enumerated() {
            if blackout.to < blackout.from { section.report(document, at: [.key("blackouts"), .index(index), .key("to")], "结束日期早于开始日期") }
            for (near, kind) in blackout.near.enumerated() where !rules.receptors.contains(where: { $0.kind == kind }) {
                section.report(document, at: [.key("blackouts"), .index(index), .key("near"), .index(near)], "未知的敏感点类型 \(kind)")
            }
        }
        if let level = rules.creditBelowReview, !catalog.credit.levels.contains(where: { $0.level == level }) {
            section.report(document, at: [.key("creditBelowReview")], "未知信用等级 \(level)")
        }
    }

    static func check(_ noise: NoiseRules, in document: YAMLDocument, catalog: Catalog, section: inout CatalogSection) {
        for (key, department) in [("alert", noise.alert.department), ("complaints", noise.complaints.department)] where catalog.departments[department] == nil {
            section.report(document, at: [.key(key), .key("department")], "未知部门 \(department)")
        }
        if noise.readingRange.count != 2 || noise.readingRange[0] >= noise.readingRange[1] {
            section.report(document, at: [.key("readingRange")], "readingRange 应为 [最小值, 最大值]")
        }
        if noise.limits.nightDBA > noise.limits.dayDBA { section.report(document, at: [.key("limits"), .key("nightDBA")], "夜间限值不应高于昼间限值") }
        if !(1...10_000).contains(noise.maxBatch) { section.report(document, at: [.key("maxBatch")], "每批读数上限应在 1–10000 之间") }
        if noise.credit.alerts < 1 { section.report(document, at: [.key("credit"), .key("alerts")], "告警次数至少为1") }
    }

    public init(_ setup: CapabilitySetup) throws {
        var read: (NightWorkRules, NoiseRules)?
        try Self.section(in: setup.catalogDirectory) { read = Self.readSection(&$0, catalog: setup.catalog) }
        guard let (rules, noise) = read else { throw InvalidCatalog(issues: [CatalogIssue(file: Self.name, line: 1, message: "无法读取夜间施工规则")]) }
        self.rules = rules
        certificate = try setup.catalog.certificate(of: rules.item, naming: NightWorkTerms.detailKeys)
        self.noise = noise
        catalog = setup.catalog
        database = setup.database
    }

    public var hooks: ApprovalHooks {
        ApprovalHooks(linkedSources: [EarlierNightPermits(rules: rules, database: database)],
                      submissionRules: [NightWorkSubmissionRules(rules: rules, catalog: catalog, database: database)],
                      permitTerms: [NightWorkTerms(rules: rules, certificate: certificate)])
    }

    public func subscribe(to events: EventBus) {
        NightWorkNotices.subscribe(to: events, rules: rules)
    }

    public func mount(_ routes: CapabilityRoutes) {
        let monitor = NoiseMonitor(rules: rules, noise: noise, engines: routes.engines)
        let controller = NightWorkController(rules: rules, noise: noise, engines: routes.engines)
        controller.register(routes)
        NightWorkPagesController(controller: controller, pages: routes.pages).register()
        MonitoringController(monitor: monitor).register(routes)
    }

    public var pageLinks: [PageLink] {
        [PageLink(title: "申请夜间施工许可", href: NightWorkPagesController.apply, roles: [.applicant])]
    }

    /// An issued night-work permit is published: the firm finds its notice where residents do.
    public func pageLinks(for application: Application, actor: Actor) -> [PageLink] {
        guard application.items.map(\.code) == [rules.item], application.status == .issued else { return [] }
        return [PageLink(title: "夜间施工网上公示", href: "/public/night-work", roles: [.applicant, .clerk, .reviewer, .issuer, .admin])]
    }
}
