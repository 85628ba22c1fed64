import Foundation
import Kernel

extension ApprovalService {
    /// 统一出证: one issuance for every approved item; `PermitIssued` carries them to the modules
    /// that number certificates and open supervision tasks, in the same transaction.
    public func issue(_ applicationID: String, by actor: Actor) async throws -> Application {
        try require(actor, is: .issuer, to: "只有出证人员可以出证")
        let now = dependencies.now()
        let (catalog, hooks) = (self.catalog, self.hooks)
        return try await store.update(applicationID: applicationID, at: now) { application, project in
            try application.issue(project: project, catalog: catalog, terms: hooks.terms(for: application), by: actor, at: now)
        }
    }

    public func withdraw(_ applicationID: String, by actor: Actor) async throws -> Application {
        try require(actor, is: .applicant, to: "只有申请单位可以撤回申请")
        _ = try await visibleApplication(applicationID, to: actor)
        return try await store.update(applicationID: applicationID, at: dependencies.now()) { [now = dependencies.now()] application, _ in
            try application.withdraw(by: actor, at: now)
        }
    }
}
