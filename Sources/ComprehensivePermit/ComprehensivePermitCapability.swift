import Approval
import CapabilityKit
import Foundation
import Kernel

/// 一证制 on the capability seam. Its menu, combined notice, merged form, joint survey and
/// one certificate are bundle data (`Modules/bundles/`) that the engines read for any bundle; what
/// is its own is 一人帮办 — a helper for every one-certificate application — a lifecycle hook.
public struct ComprehensivePermitCapability: Capability {
    public static let name = "comprehensive-permit"
    /// A firm chooses its sub-permits from the bundle's menu in the service's wizard.
    public static let wizardBundles = [name]

    let catalog: Catalog

    public init(_ setup: CapabilitySetup) {
        catalog = setup.catalog
    }

    public var hooks: ApprovalHooks { ApprovalHooks(helperAssigners: [HelperAssignment(catalog: catalog)]) }
}
