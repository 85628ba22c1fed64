import Approval
import Foundation
import Kernel

/// 一人帮办: every application of a one-certificate bundle (一证制) gets a helper — the clerk with the
/// fewest such applications under way — who accompanies it to issuance and answers the firm.
public struct HelperAssignment: HelperAssigner {
    let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    public func helper(for application: Application, store: any ApprovalStore) async throws -> Helper? {
        guard let bundle = application.bundle.flatMap({ catalog.bundles[$0] }), bundle.certificate != nil else { return nil }
        return try await store.leastBusyHelper()
    }
}
