import Foundation
import Kernel

extension ApprovalService {
    /// A firm's credit: its own applicants and bureau staff may look.
    public func credit(of firm: String, for actor: Actor) async throws -> CreditHistory {
        let uscc = try uscc(firm, field: "uscc")
        if actor.role == .applicant, actor.firm != uscc { throw ApprovalError.notFound("企业 \(uscc) 的信用记录") }
        return catalog.credit.history(of: uscc, from: try await store.creditRecords(firm: uscc), today: calendar.today(at: dependencies.now()))
    }

    /// For the gates and the capabilities that grant automatically only to firms at a given level
    /// or better: counted in the index, whatever the length of the firm's record.
    public func creditStanding(of firm: String) async throws -> CreditStanding {
        let window = catalog.credit.window(today: calendar.today(at: dependencies.now()))
        return catalog.credit.standing(of: firm, counts: try await store.creditCounts(firm: firm, after: window.after, through: window.through))
    }
}
