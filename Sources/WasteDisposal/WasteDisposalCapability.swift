import Approval
import CapabilityKit
import Foundation
import Kernel
import ServiceLifecycle

/// 建筑垃圾处置核准 跨域审管联动 on the capability seam: a disposal application with its route,
/// disposal site and vehicles (`Modules/waste-disposal/`), a certificate per vehicle supervised in
/// every region of the route, and the vehicles' trips kept from the inspectors' scans.
public struct WasteDisposalCapability: Capability {
    public static let name = "waste-disposal"
    public static let migrations: [any MigrationSet.Type] = [WasteDisposalMigrations.self]
    public static let pageTemplates = ["waste-apply", "waste-trips", "waste-confirmations"]

    let rules: WasteDisposalRules
    let certificate: CertificateSpec
    let sites: [String: DisposalSite]
    let dependencies: Dependencies
    let keeper: TripKeeper
    let siteApproval: SiteApproval
    /// The items of the disposal bundle, as the catalog lists them.
    let bundleItems: [String]

    public static func checkCatalog(_ section: inout CatalogSection, catalog: Catalog) {
        _ = readSection(&section, catalog: catalog)
    }

    /// `rules.yaml` and `disposal-sites.yaml`, each checked against the catalog it refers to.
    static func readSection(_ section: inout CatalogSection, catalog: Catalog) -> (WasteDisposalRules, [DisposalSite])? {
        let rules = section.read("rules.yaml", as: WasteDisposalRules.self)
        let register = section.read("disposal-sites.yaml", as: DisposalSiteRegister.self)
        let before = section.issues.count
        if let (rules, document) = rules { check(rules, in: document, catalog: catalog, section: &section) }
        if let (register, document) = register {
            check(register, in: document, wasteTypes: rules?.value.wasteTypes ?? [], catalog: catalog, section: &section)
        }
        guard let rules, let register, section.issues.count == before else { return nil }
        return (rules.value, register.value.sites)
    }

    static func check(_ rules: WasteDisposalRules, in document: YAMLDocument, catalog: Catalog, section: inout CatalogSection) {
        guard let item = catalog.items[rules.item] else {
            section.report(document, at: [.key("item")], "建筑垃圾处置事项 \(rules.item) 不在事项目录中")
            return
        }
        if let bundle = catalog.bundles[rules.bundle] {
            if !bundle.items.contains(rules.item) { section.report(document, at: [.key("bundle")], "组合 \(rules.bundle) 不含事项 \(rules.item)") }
        } else {
            section.report(document, at: [.key("bundle")], "未知组合 \(rules.bundle)")
        }
        let options = item.fields.first { $0.key == Form.wasteType }?.options ?? []
        for (index, type) in rules.wasteTypes.enumerated() where !options.contains(type) {
            section.report(document, at: [.key("wasteTypes"), .index(index)], "种类“\(type)”不在事项 \(item.code) 的 \(Form.wasteType) 选项中")
        }
        for key in Form.all where !item.fields.contains(where: { $0.key == key }) {
            section.report(document, at: [.key("item")], "事项 \(item.code) 缺少建筑垃圾处置所读的表单字段 \(key)")
        }
        if !(1...24).contains(rules.maxValidityMonths) { section.report(document, at: [.key("maxValidityMonths")], "有效期上限应在 1–24 个月之间") }
        if !(1...10_000).contains(rules.maxVehicles) { section.report(document, at: [.key("maxVehicles")], "车辆数上限应在 1–10000 之间") }
        if catalog.departments[rules.confirmation.department] == nil {
            section.report(document, at: [.key("confirmation"), .key("department")], "未知部门 \(rules.confirmation.department)")
        }
        for (key, rule) in [("unclosedTrip", rules.tasks.unclosedTrip), ("overVolume", rules.tasks.overVolume),
                            ("siteOverCapacity", rules.tasks.siteOverCapacity)] where catalog.departments[rule.department] == nil {
            section.report(document, at: [.key("tasks"), .key(key), .key("department")], "未知部门 \(rule.department)")
        }
        if rules.trips.unclosedAfterHours < 1 { section.report(document, at: [.key("trips"), .key("unclosedAfterHours")], "至少1小时") }
    }

    static func check(_ register: DisposalSiteRegister, in document: YAMLDocument, wasteTypes: [String], catalog: Catalog,
                      section: inout CatalogSection) {
        var seen = Set<String>()
        for (index, site) in register.sites.enumerated() {
            let at: [YAMLDocument.PathComponent] = [.key("sites"), .index(index)]
            if !seen.insert(site.id).inserted { section.report(document, at: at + [.key("id")], "消纳场编号 \(site.id) 重复") }
            if catalog.regions[site.region] == nil { section.report(document, at: at + [.key("region")], "未知的行政区划 \(site.region)") }
            for (type, accepted) in site.accepts.enumerated() where !wasteTypes.contains(accepted) {
                section.report(document, at: at + [.key("accepts"), .index(type)], "未知的建筑垃圾种类 \(accepted)")
            }
            if !(site.capacityM3 > 0) { section.report(document, at: at + [.key("capacityM3")], "备案容量应大于0") }
        }
    }

    public init(_ setup: CapabilitySetup) throws {
        var read: (WasteDisposalRules, [DisposalSite])?
        try Self.section(in: setup.catalogDirectory) { read = Self.readSection(&$0, catalog: setup.catalog) }
        guard let (rules, sites) = read else { throw InvalidCatalog(issues: [CatalogIssue(file: Self.name, line: 1, message: "无法读取建筑垃圾处置规则")]) }
        self.rules = rules
        certificate = try setup.catalog.certificate(of: rules.item, naming: VehicleDetails.all)
        self.sites = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0) })
        dependencies = setup.dependencies
        keeper = TripKeeper(rules: rules, sites: self.sites, catalog: setup.catalog, makeID: setup.dependencies.makeID)
        bundleItems = setup.catalog.bundles[rules.bundle]?.items ?? [rules.item]
        siteApproval = SiteApproval(rules: rules, bundleItems: Set(bundleItems), database: setup.database, calendar: setup.catalog.calendar,
                                    dependencies: setup.dependencies)
    }

    public var hooks: ApprovalHooks {
        ApprovalHooks(linkedSources: [siteApproval], submissionRules: [siteApproval],
                      permitTerms: [DisposalTerms(rules: rules, items: Set(bundleItems), certificate: certificate)],
                      sealOnApproval: [WasteDisposalSeal()])
    }

    public func subscribe(to events: EventBus) {
        keeper.subscribe(to: events)
        Confirmations.subscribe(to: events, rules: rules)
    }

    public func mount(_ routes: CapabilityRoutes) {
        WasteDisposalController(service: service(routes.engines)).register(routes)
        WasteDisposalPagesController(service: service(routes.engines), frames: routes.pages.frames, renderer: routes.pages.renderer).register(routes.pages)
    }

    /// The firm's 一键申报, and the disposal region's queue: the accounts that confirm are the
    /// inspectors, who alone carry a region and a department.
    public var pageLinks: [PageLink] {
        [PageLink(title: DisposalApplyPage.title, href: WasteDisposalPagesController.apply, roles: [.applicant]),
         PageLink(title: "跨域受纳确认", href: WasteDisposalPagesController.confirmations, roles: [.inspector])]
    }

    /// The trips and volumes of a disposal application, for whoever the service shows them to.
    public func pageLinks(for application: Approval.Application, actor: Actor) -> [PageLink] {
        guard let plan = try? application.annex?.decode(DisposalPlan.self, for: Self.name),
              (try? WasteDisposalService.checkTripsVisible(application, plan: plan, to: actor)) != nil else { return [] }
        return [PageLink(title: "运输趟次与方量核对", href: WasteDisposalPagesController.trips(of: application.id), roles: [actor.role])]
    }

    public func backgroundServices(_ engines: Engines) -> [any Service] {
        [UnclosedTripsSweep(sweep: unclosedTrips(engines), interval: engines.sweepInterval)]
    }

    public func loadSamples(from directory: URL, engines: Engines) async throws {
        let file = directory.appendingPathComponent("\(Self.name).yaml")
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        let settings = try YAMLFile.decode(SampleDisposals.Settings.self, from: file)
        try await SampleDisposals(service: service(engines), engines: engines).load(settings)
    }

    func service(_ engines: Engines) -> WasteDisposalService {
        WasteDisposalService(rules: rules, certificate: certificate, bundleItems: bundleItems, sites: sites, siteApproval: siteApproval, engines: engines)
    }

    /// The sweep of trips that left and never arrived.
    public func unclosedTrips(_ engines: Engines) -> UnclosedTrips {
        UnclosedTrips(keeper: keeper, database: engines.database, events: engines.events, dependencies: engines.dependencies)
    }
}

/// The form fields of the disposal item that the application fills from its plan.
enum Form {
    static let wasteType = "wasteType"
    static let volume = "volumeM3"
    static let disposalSite = "disposalSite"
    static let transporter = "transporterUscc"
    static let start = "startDate"
    static let end = "endDate"
    static let contactName = "contactName"
    static let contactPhone = "contactPhone"
    static let all = [wasteType, volume, disposalSite, transporter, start, end, contactName, contactPhone]
}
