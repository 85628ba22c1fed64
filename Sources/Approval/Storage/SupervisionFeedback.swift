import Foundation
import GRDB
import Kernel

/// 双回流: what inspectors find comes back to the approving office in the inspection's own
/// transaction — on the application's timeline, and in the holder's credit record.
public enum SupervisionFeedback {
    public static func subscribe(to bus: EventBus, calendar: WorkingDayCalendar) {
        bus.subscribe(InspectionRecorded.self) { scope, event in
            try record(event, in: scope.db, today: calendar.today(at: event.recordedAt))
        }
    }

    static func record(_ event: InspectionRecorded, in db: Database, today: CivilDate) throws {
        let inspector = Actor(id: event.inspectorID, username: event.inspectorID, name: event.inspectorName, role: .inspector,
                              department: event.department, region: event.region)
        var detail = ["task": event.taskID, "taskTitle": event.taskTitle, "item": event.item, "result": event.result,
                      "certificate": event.certificateNumber, "department": event.department, "region": event.region]
        if !event.findings.isEmpty { detail["findings"] = event.findings }
        if let rectifyBy = event.rectifyBy { detail["rectifyBy"] = rectifyBy.description }
        try AuditLog.append(AuditEntry(actor: inspector, action: "supervision.inspected", subject: "application/\(event.applicationID)", detail: detail),
                            in: db, at: event.recordedAt)
        let commitment = try SQLiteApprovalStore.application(id: event.applicationID, in: db)?.commitment ?? false
        for (kind, note) in creditFacts(of: event, commitment: commitment) {
            try CreditLedger.append(CreditEntry(firm: event.firm, kind: kind, at: event.recordedAt, on: today,
                                                subject: "certificate/\(event.certificateNumber)", source: "inspection/\(event.inspectionID)",
                                                note: note), in: db)
        }
    }

    /// What one inspection says about the firm: a follow-up tells whether the ordered rectification
    /// was done; a violation on a permit granted on a 告知承诺 also breaks that commitment.
    static func creditFacts(of event: InspectionRecorded, commitment: Bool) -> [(CreditEventKind, String)] {
        let task = "“\(event.taskTitle)”"
        var facts: [(CreditEventKind, String)] = switch (event.result, event.followUp) {
        case ("pass", false): [(.inspectionPassed, "\(task)检查合格")]
        case ("pass", true): [(.rectificationMet, "\(task)复查合格，按期整改")]
        case ("rectify", false): [(.rectificationOrdered, "\(task)责令整改：\(event.findings)")]
        case ("rectify", true): [(.rectificationMissed, "\(task)复查仍不合格：\(event.findings)")]
        case ("violation", true): [(.rectificationMissed, "\(task)复查未整改"), (.violation, "\(task)发现违法违规：\(event.findings)")]
        default: [(.violation, "\(task)发现违法违规：\(event.findings)")]
        }
        if event.result == "violation", commitment {
            facts.append((.commitmentBroken, "告知承诺经核查与实际不符：\(event.findings)"))
        }
        return facts
    }
}
