import Foundation
import Kernel

extension ApprovalService {
    /// A firm's credit: its own applicants and bureau staff may look.
    /// The firm's standing, counted in the index, and a page of the records in its window behind it.
    public func credit(of firm: String, for actor: Actor, page: PageRequest = PageRequest()) async throws -> CreditHistory {
        let uscc = try uscc(firm, field: "uscc")
        if actor.role == .applicant, actor.firm != uscc { throw ApprovalError.notFound("企业 \(uscc) 的信用记录") }
        let window = catalog.credit.window(today: calendar.today(at: dependencies.now()))
        let records = try await store.creditRecords(firm: uscc, after: window.after, through: window.through, page: page)
        return CreditHistory(standing: try await creditStanding(of: uscc),
                             records: records.map { CreditHistory.Counted(entry: $0, points: catalog.credit.points(for: $0.kind)) })
    }

    /// For the gates and the capabilities that grant automatically only to firms at a given level
    /// or better: counted in the index, whatever the length of the firm's record.
    public func creditStanding(of firm: String) async throws -> CreditStanding {
        let window = catalog.credit.window(today: calendar.today(at: dependencies.now()))
        return catalog.credit.standing(of: firm, counts: try await store.creditCounts(firm: firm, after: window.after, through: window.through))
    }
}
