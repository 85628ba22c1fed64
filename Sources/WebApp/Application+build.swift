import CapabilityKit
import Hummingbird
import Kernel
import Logging
import Supervision

/// Builds the whole service; `shenguan serve` runs it and tests drive it the same way.
public func buildApplication(_ configuration: AppConfiguration, logger: Logger = Logger(label: "shenguan")) async throws -> some ApplicationProtocol {
    let services = try await AppServices(configuration: configuration)
    if let sampleData = configuration.sampleDataDirectory {
        try await SampleDataLoader(services: services, directory: sampleData).load()
        for capability in services.capabilities { try await capability.loadSamples(from: sampleData, engines: services.engines) }
    }
    return try buildApplication(services, configuration: configuration, logger: logger)
}

/// The application over services built beforehand (tests create accounts on them first).
public func buildApplication(_ services: AppServices, configuration: AppConfiguration, logger: Logger = Logger(label: "shenguan")) throws -> some ApplicationProtocol {
    let router = try buildRouter(services, configuration: configuration)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "shenguan"),
        services: [
            DeadlineSweeps(accounts: services.accounts, approval: services.approval, certificates: services.certificates, supervision: services.supervision,
                           auditAnchors: services.auditAnchors, database: services.database, dependencies: services.dependencies,
                           interval: configuration.sweepInterval, logger: logger),
            WebhookDispatcher(database: services.database, transport: HTTPWebhookTransport(), dependencies: services.dependencies,
                              policy: configuration.webhookPolicy, logger: logger),
        ] + services.capabilities.flatMap { $0.backgroundServices(services.engines) },
        logger: logger
    )
}

func buildRouter(_ services: AppServices, configuration: AppConfiguration) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: BearerAuthenticator(accounts: services.accounts))
    try HealthController(database: services.database, openAPIFile: configuration.openAPIFile).register(on: router)
    let api = router.group("api/v1")
    let authenticated = api.group(context: AuthenticatedContext.self)
    let auth = AuthController(accounts: services.accounts, trustedProxies: configuration.trustedProxies)
    auth.register(public: api, authenticated: authenticated)
    CatalogController(catalog: services.catalog).register(on: api)
    GuideController(catalog: services.catalog, templates: services.templates).register(on: router)
    CertificateLookupController(certificates: services.certificates, templates: services.templates).register(on: router)
    PublicRegisterController(certificates: services.certificates, catalog: services.catalog, templates: services.templates).register(on: router)
    ProjectsController(approval: services.approval).register(on: authenticated)
    let filesController = FilesController(files: services.files)
    filesController.register(on: authenticated)
    AccountsController(accounts: services.accounts).register(on: authenticated)
    ApplicationsController(approval: services.approval, certificates: services.certificates, publicURL: configuration.publicURL)
        .register(on: authenticated)
    ScansController(scans: services.scans, approval: services.approval, catalog: services.catalog).register(on: authenticated)
    SupervisionController(supervision: services.supervision, catalog: services.catalog).register(on: authenticated)
    CreditController(approval: services.approval).register(on: authenticated)
    WebhooksController(webhooks: services.webhooks).register(on: authenticated)
    NotificationsController(database: services.database).register(on: authenticated)
    AuditAnchorsController(anchors: services.auditAnchors).register(on: api)
    RandomDrawsController(supervision: services.supervision, catalog: services.catalog, templates: services.templates)
        .register(public: router, authenticated: authenticated)
    let certificatesController = CertificatesController(certificates: services.certificates, catalog: services.catalog, publicURL: configuration.publicURL)
    certificatesController.register(on: authenticated)
    let renderer = PageRenderer(templates: services.templates)
    let capabilityLinks = CapabilityLinks(capabilities: services.capabilities, catalog: services.catalog)
    let frames = PageFrames(accounts: services.accounts, catalog: services.catalog, capabilityLinks: capabilityLinks)
    let inspectorPages = InspectorPagesController(supervision: services.supervision, scans: services.scans, approval: services.approval,
                                                  certificates: services.certificates, accounts: services.accounts, catalog: services.catalog,
                                                  frames: frames, renderer: renderer)
    VerificationController(certificates: services.certificates, approval: services.approval, catalog: services.catalog, templates: services.templates,
                           publicURL: configuration.publicURL, inspectorPages: inspectorPages).register(on: router)
    let pages = router.group().add(middleware: PageErrorMiddleware(renderer: renderer)).add(middleware: SessionCookieAuthenticator(accounts: services.accounts))
    let signedIn = pages.group(context: SignedInPageContext.self).add(middleware: CSRFGuard())
    SignInPagesController(auth: auth, session: WebSession(publicURL: configuration.publicURL), frames: frames, renderer: renderer,
                          dependencies: services.dependencies).register(pages: pages, signedIn: signedIn)
    let firmPages = FirmPagesController(approval: services.approval, certificates: services.certificates, catalog: services.catalog, frames: frames,
                                        renderer: renderer, capabilityLinks: capabilityLinks)
    firmPages.register(on: signedIn)
    FirmFollowUpPagesController(approval: services.approval, catalog: services.catalog, frames: frames, renderer: renderer, firmPages: firmPages)
        .register(on: signedIn)
    ApplyWizardPagesController(approval: services.approval, catalog: services.catalog, frames: frames, renderer: renderer,
                               capabilityLinks: capabilityLinks).register(on: signedIn)
    ConsolePagesController(approval: services.approval, certificates: services.certificates, catalog: services.catalog, frames: frames,
                           renderer: renderer, capabilityLinks: capabilityLinks).register(on: signedIn)
    ConsoleDashboardController(approval: services.approval, supervision: services.supervision, catalog: services.catalog, frames: frames,
                               renderer: renderer).register(on: signedIn)
    ConsoleExportController(approval: services.approval, certificates: services.certificates, catalog: services.catalog, frames: frames,
                            renderer: renderer).register(on: signedIn)
    inspectorPages.register(on: signedIn)
    certificatesController.register(pages: signedIn)
    filesController.register(pages: signedIn)
    let routes = CapabilityRoutes(router: router, api: api, authenticated: authenticated,
                                  pages: CapabilityPages(signedIn: signedIn, frames: frames, renderer: renderer), engines: services.engines)
    for capability in services.capabilities { capability.mount(routes) }
    return router
}

/// Runs the service until it receives SIGTERM or SIGINT.
public func serve(_ configuration: AppConfiguration) async throws {
    try await buildApplication(configuration).runService()
}
