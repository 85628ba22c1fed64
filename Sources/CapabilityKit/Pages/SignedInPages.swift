import Approval
import Hummingbird
import Kernel

/// The context of pages that need a signed-in visitor: without one, the pages' error middleware
/// sends the browser to the sign-in page and back.
public struct SignedInPageContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let actor: Actor

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw KernelError.unauthenticated }
        coreContext = context.coreContext
        actor = identity
    }
}

/// What every signed-in page shows around its content: who is signed in, in which role, the
/// navigation that role has, and the sign-out form with the session's form token.
public struct PageFrame: Sendable {
    public struct Link: Sendable {
        public let title: String
        public let href: String
        public let current: Bool

        public init(title: String, href: String, current: Bool) {
            self.title = title
            self.href = href
            self.current = current
        }
    }

    public let name: String
    public let role: String
    public let unit: String?
    public let csrf: String
    public let nav: [Link]

    public init(name: String, role: String, unit: String?, csrf: String, nav: [Link]) {
        self.name = name
        self.role = role
        self.unit = unit
        self.csrf = csrf
        self.nav = nav
    }
}

/// Builds the frame of a signed-in page for its visitor.
public protocol PageFraming: Sendable {
    func frame(for actor: Actor, request: Request) async throws -> PageFrame
}

/// A page a capability offers, shown where the roles it names start that kind of work: a firm's
/// new applications on its list of applications and on each of its projects (the page takes
/// `?project=` to start on that project).
public struct PageLink: Sendable {
    public let title: String
    public let href: String
    public let roles: Set<Role>

    public init(title: String, href: String, roles: Set<Role>) {
        self.title = title
        self.href = href
        self.roles = roles
    }

    public func href(project: String) -> String {
        href + "?project=" + project
    }
}

/// Where a capability mounts its signed-in pages: every form posted to `signedIn` has passed the
/// session's form-token check before its handler runs, and pages render in the service's frame.
public struct CapabilityPages {
    public let signedIn: RouterGroup<SignedInPageContext>
    public let frames: any PageFraming
    public let renderer: PageRenderer

    public init(signedIn: RouterGroup<SignedInPageContext>, frames: any PageFraming, renderer: PageRenderer) {
        self.signedIn = signedIn
        self.frames = frames
        self.renderer = renderer
    }

    public func frame(for actor: Actor, request: Request) async throws -> PageFrame {
        try await frames.frame(for: actor, request: request)
    }
}
