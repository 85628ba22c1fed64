import CapabilityKit
import Approval
import Foundation
import Hummingbird
import Kernel

/// 守信者一路畅通、失信者处处受限: a firm's credit level and the record behind it.
struct CreditController {
    let approval: ApprovalService

    struct CreditView: Encodable {
        struct Record: Encodable {
            let at: Date
            let on: CivilDate
            let kind: CreditEventKind
            let points: Int
            let subject: String
            let source: String
            let note: String
        }

        let firm: String
        let score: Int
        let level: String
        let levelName: String
        let records: [Record]
    }

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.get("firms/:uscc/credit") { request, context -> Response in
            let history = try await approval.credit(of: try context.parameters.require("uscc"), for: context.actor,
                                                    page: try request.pageRequest(keyCount: CreditLedger.recordOrder.keyCount))
            return try JSON.response(CreditView(
                firm: history.firm, score: history.score, level: history.level.level, levelName: history.level.name,
                records: history.records.items.map { counted in
                    CreditView.Record(at: counted.entry.at, on: counted.entry.on, kind: counted.entry.kind, points: counted.points,
                                      subject: counted.entry.subject, source: counted.entry.source, note: counted.entry.note)
                }), next: history.records.next, for: request)
        }
    }
}
