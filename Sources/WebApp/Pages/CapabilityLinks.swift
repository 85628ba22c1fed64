import Approval
import CapabilityKit
import Kernel

/// The capabilities' pages as the service's own pages link to them: where a firm starts a new
/// application (the wizard of each bundle a capability applies for through it, then each
/// capability's own forms), and what a capability adds to one application's page.
struct CapabilityLinks: Sendable {
    let capabilities: [any Capability]
    let catalog: Catalog

    /// The bundles the wizard serves, in the capabilities' order; one the catalog lacks is not offered.
    var wizardBundles: [Kernel.Bundle] {
        capabilities.flatMap { type(of: $0).wizardBundles }.compactMap { catalog.bundles[$0] }
    }

    static func wizardAddress(bundle: String) -> String {
        "/firm/apply/\(bundle)"
    }

    func starts(for role: Role) -> [PageLink] {
        (wizardBundles.map { PageLink(title: "申请\($0.name)", href: Self.wizardAddress(bundle: $0.code), roles: [.applicant]) }
            + capabilities.flatMap(\.pageLinks)).filter { $0.roles.contains(role) }
    }

    func about(_ application: Application, actor: Actor) -> [PageLink] {
        capabilities.flatMap { $0.pageLinks(for: application, actor: actor) }.filter { $0.roles.contains(actor.role) }
    }
}
