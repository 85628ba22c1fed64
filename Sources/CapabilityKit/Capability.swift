import Approval
import Certificates
import Foundation
import Hummingbird
import Kernel
import Mustache
import ServiceLifecycle
import Supervision

/// One of the service's capabilities (一证制, 分阶段施工许可, 夜间施工, …): everything true of it
/// alone, declared in one value that `WebApp` wires from its list of capabilities. Approval,
/// Certificates and Supervision stay generic; a capability meets them through the lifecycle's
/// hooks, domain events and certificates, never through another capability.
public protocol Capability: Sendable {
    /// Its folder in the catalog (`Modules/<name>/`) and its path under `/api/v1/`.
    static var name: String { get }
    /// Its own tables, named with its own prefix; registered after the engines' migrations.
    static var migrations: [any MigrationSet.Type] { get }
    /// Page templates it renders (`Templates/pages/<name>.mustache`), checked at start-up.
    static var pageTemplates: [String] { get }
    /// Reads and checks its catalog section, recording every problem with its file and line.
    static func checkCatalog(_ section: inout CatalogSection, catalog: Catalog)

    /// Built once the catalog and the database exist, before the engines its hooks feed.
    init(_ setup: CapabilitySetup) throws
    /// What it adds to the approval lifecycle: linked applications, helpers, decisions at
    /// submission, its terms on a permit.
    var hooks: ApprovalHooks { get }
    /// Its subscribers to domain events; they run in the writing transaction.
    func subscribe(to events: EventBus)
    /// Its HTTP routes and pages.
    func mount(_ routes: CapabilityRoutes)
    /// Bundles a firm applies for through the service's own wizard (choose items, the combined
    /// notice, one form, materials), submitted as any application is.
    static var wizardBundles: [String] { get }
    /// Its own pages to start work on, such as a firm's application form.
    var pageLinks: [PageLink] { get }
    /// Its pages about one application, linked from that application's page.
    func pageLinks(for application: Approval.Application, actor: Actor) -> [PageLink]
    /// Its background jobs (sweeps, alerts).
    func backgroundServices(_ engines: Engines) -> [any Service]
    /// Loads its part of the demo (`SampleProjects/`) through the same paths users take; loading
    /// twice changes nothing.
    func loadSamples(from directory: URL, engines: Engines) async throws
}

extension Capability {
    public static var migrations: [any MigrationSet.Type] { [] }
    public static var pageTemplates: [String] { [] }
    public static func checkCatalog(_ section: inout CatalogSection, catalog: Catalog) {}
    public var hooks: ApprovalHooks { ApprovalHooks() }
    public func subscribe(to events: EventBus) {}
    public func mount(_ routes: CapabilityRoutes) {}
    public static var wizardBundles: [String] { [] }
    public var pageLinks: [PageLink] { [] }
    public func pageLinks(for application: Approval.Application, actor: Actor) -> [PageLink] { [] }
    public func backgroundServices(_ engines: Engines) -> [any Service] { [] }
    public func loadSamples(from directory: URL, engines: Engines) async throws {}

    /// Reads the capability's section of the catalog folder, throwing every problem found.
    public static func section(in directory: URL, _ read: (inout CatalogSection) -> Void) throws(InvalidCatalog) {
        var section = CatalogSection(directory: directory, name: name)
        read(&section)
        try section.check()
    }
}

/// What a capability is built from.
public struct CapabilitySetup: Sendable {
    public let catalog: Catalog
    /// The catalog folder, whose `<name>/` subfolder is the capability's section.
    public let catalogDirectory: URL
    public let database: AppDatabase
    public let dependencies: Dependencies

    public init(catalog: Catalog, catalogDirectory: URL, database: AppDatabase, dependencies: Dependencies) {
        self.catalog = catalog
        self.catalogDirectory = catalogDirectory
        self.database = database
        self.dependencies = dependencies
    }
}

/// The generic engines a capability's routes and jobs work through.
public struct Engines: Sendable {
    public let database: AppDatabase
    public let catalog: Catalog
    public let events: EventBus
    public let approval: ApprovalService
    public let certificates: CertificateService
    public let supervision: SupervisionService
    public let accounts: AccountService
    public let files: FileStore
    public let dependencies: Dependencies
    /// The address users reach the service at; certificate links are built from it.
    public let publicURL: String
    public let templates: MustacheLibrary
    /// How often background sweeps run.
    public let sweepInterval: Duration

    public init(database: AppDatabase, catalog: Catalog, events: EventBus, approval: ApprovalService, certificates: CertificateService,
                supervision: SupervisionService, accounts: AccountService, files: FileStore, dependencies: Dependencies, publicURL: String,
                templates: MustacheLibrary, sweepInterval: Duration) {
        self.accounts = accounts
        self.files = files
        self.sweepInterval = sweepInterval
        self.database = database
        self.catalog = catalog
        self.events = events
        self.approval = approval
        self.certificates = certificates
        self.supervision = supervision
        self.dependencies = dependencies
        self.publicURL = publicURL
        self.templates = templates
    }
}

/// Where a capability mounts its routes: `api` and `authenticated` are `/api/v1`, `router` the
/// root (public pages), `pages` the signed-in pages.
public struct CapabilityRoutes {
    public let router: Router<AppRequestContext>
    public let api: RouterGroup<AppRequestContext>
    public let authenticated: RouterGroup<AuthenticatedContext>
    public let pages: CapabilityPages
    public let engines: Engines

    public init(router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>, authenticated: RouterGroup<AuthenticatedContext>,
                pages: CapabilityPages, engines: Engines) {
        self.router = router
        self.api = api
        self.authenticated = authenticated
        self.pages = pages
        self.engines = engines
    }
}

/// Bearer tokens that begin with this are a capability's own credentials (a monitoring device's),
/// not account sessions: the account check lets them through to the capability's routes, which
/// check them. `.` never occurs in an account token.
public let capabilityCredentialPrefix = "cap."
