import Hummingbird
import Kernel

/// Every request's context: who is calling, once the bearer token has been checked.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Actor?
    /// The peer's IP address, for limits kept per address (failed sign-ins).
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The context of routes that need a user: it cannot be made without one, so handlers get a
/// non-optional actor and the type system checks that authentication ran.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let actor: Actor

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw KernelError.unauthenticated }
        coreContext = context.coreContext
        actor = identity
    }
}
