import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel
import Mustache
import Supervision

/// The modules wired together: one database, one event bus, the services built on them.
public struct AppServices: Sendable {
    public let database: AppDatabase
    public let catalog: Catalog
    public let accounts: AccountService
    public let approval: ApprovalService
    public let certificates: CertificateService
    public let scans: ScanService
    public let supervision: SupervisionService
    public let webhooks: WebhookService
    public let files: FileStore
    public let auditAnchors: AuditAnchors
    public let dependencies: Dependencies
    /// What the capabilities' routes and jobs work through.
    public let engines: Engines
    /// The capabilities, built from `allCapabilities` in order.
    public let capabilities: [any Capability]
    let templates: MustacheLibrary

    /// The page templates every route renders; checked at start-up so a missing one fails fast.
    static let pageTemplates = ["layout", "guide-index", "guide-item", "guide-bundle", "verify", "certificate-print", "random-draws",
                                "login", "account", "firm-applications", "firm-application", "firm-projects", "firm-project-new", "firm-correction", "firm-supplements", "firm-resubmission", "firm-material-upload",
                                "firm-messages", "firm-credit", "form-fields", "page-error", "account-bar", "deadline", "pager",
                                "application-facts", "application-items", "application-materials", "certificate-cards", "timeline",
                                "console-queue", "console-application", "certificate-lookup", "public-register", "console-dashboard", "console-export", "bar-chart", "apply-menu", "apply-form", "apply-style", "apply-uploads", "bundle-notice",
                                "certificate-details", "inspector-verify", "inspector-tasks", "inspector-task", "inspector-style", "inspector-offline"]

    /// The schema of every module, in order: the engines', then each capability's.
    static let migrations: [any MigrationSet.Type] = [ApprovalMigrations.self, CertificateMigrations.self, SupervisionMigrations.self,
                                                      SampleDataMigrations.self] + allCapabilities.flatMap { $0.migrations }

    public init(configuration: AppConfiguration) async throws {
        templates = try await MustacheLibrary(directory: configuration.templatesDirectory.appendingPathComponent("pages").path)
        for name in Self.pageTemplates + allCapabilities.flatMap({ $0.pageTemplates }) where templates.getTemplate(named: name) == nil {
            throw MissingTemplate(name: name, directory: configuration.templatesDirectory.path)
        }
        catalog = try CatalogLoader.load(from: configuration.catalogDirectory)
        database = try AppDatabase(path: configuration.databasePath, migrations: Self.migrations, bulkCommitEvery: configuration.bulkCommitEvery)
        dependencies = configuration.dependencies
        let setup = CapabilitySetup(catalog: catalog, catalogDirectory: configuration.catalogDirectory, database: database, dependencies: dependencies)
        capabilities = try allCapabilities.map { try Self.build($0, setup: setup) }
        let events = EventBus()
        let keys = try SigningKeys.load(from: configuration.keysDirectory, now: dependencies.now())
        CertificateRegistry.subscribe(to: events, bundles: catalog.bundles.compactMapValues(\.certificate), keys: keys)
        let notifier = OutboxNotifier(makeID: dependencies.makeID)
        SupervisionRouting.subscribe(to: events, catalog: catalog, notifier: notifier, makeID: dependencies.makeID)
        SupervisionFeedback.subscribe(to: events, calendar: catalog.calendar)
        CertificateRegistry.subscribeSuspensions(to: events, timeZone: catalog.calendar.timeZone)
        WebhookService.subscribeOutbox(to: events)
        for capability in capabilities { capability.subscribe(to: events) }
        accounts = AccountService(store: SQLiteAccountStore(database: database), catalog: catalog, dependencies: dependencies, bcryptCost: configuration.bcryptCost,
                                  signIn: configuration.signIn)
        approval = ApprovalService(store: SQLiteApprovalStore(database: database, events: events, notifier: notifier), catalog: catalog,
                                   dependencies: dependencies, warnWithinWorkingDays: catalog.warnWithinWorkingDays,
                                   hooks: capabilities.reduce(ApprovalHooks()) { $0 + $1.hooks })
        let templates = Set(catalog.items.values.flatMap { [$0.certificate.template, $0.certificate.subjectTemplate].compactMap { $0 } }
                            + catalog.bundles.values.compactMap(\.certificate?.template))
        let renderer = try CertificateRenderer(directory: configuration.templatesDirectory.appendingPathComponent("certificates"),
                                               templates: templates, fontPath: configuration.fontPath,
                                               regionNames: catalog.regions.mapValues(\.name))
        certificates = try await CertificateService(database: database, events: events, keys: keys, dependencies: dependencies,
                                                    timeZone: catalog.calendar.timeZone, renderer: renderer,
                                                    imagesDirectory: configuration.imagesDirectory)
        scans = ScanService(database: database, certificates: certificates, events: events, dependencies: dependencies, catalog: catalog)
        supervision = SupervisionService(database: database, catalog: catalog, events: events, dependencies: dependencies, notifier: notifier)
        webhooks = WebhookService(database: database, dependencies: dependencies)
        auditAnchors = try AuditAnchors.open(keyFile: configuration.auditAnchorKeyFile, file: configuration.auditAnchorsFile)
        files = FileStore(directory: configuration.filesDirectory, sizeLimit: configuration.uploadLimitBytes,
                          firmQuota: configuration.firmQuotaBytes, database: database, dependencies: dependencies,
                          reviewerMayRead: ApplicationFiles.reviewerRule(catalog: catalog))
        engines = Engines(database: database, catalog: catalog, events: events, approval: approval, certificates: certificates,
                          supervision: supervision, accounts: accounts, files: files, dependencies: dependencies, publicURL: configuration.publicURL, templates: self.templates,
                          sweepInterval: configuration.sweepInterval)
    }
}

extension AppServices {
    static func build<Built: Capability>(_ type: Built.Type, setup: CapabilitySetup) throws -> any Capability {
        try Built(setup)
    }
}

public struct MissingTemplate: Error, CustomStringConvertible {
    public let name: String
    public let directory: String
    public var description: String { "template \(name) is missing from \(directory)/pages" }
}
