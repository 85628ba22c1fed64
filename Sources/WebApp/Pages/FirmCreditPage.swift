import Approval
import CapabilityKit
import Foundation
import Kernel

/// 守信者一路畅通、失信者处处受限, as the firm reads it: its level and score over the rules' window,
/// and a page of the records behind them, newest first — what `GET /firms/{uscc}/credit` answers.
struct FirmCreditPage {
    struct Row {
        let day: String
        let kind: String
        let points: String
        let tone: String
        let note: String
        /// The application the record is about, when it is one; a certificate is named by its number.
        let application: String?
        let certificate: String?
    }

    let frame: PageFrame
    let level: String
    let levelName: String
    let levelTone: String
    let score: Int
    let window: String
    let rows: [Row]
    let empty: Bool
    let pager: Pager

    init(frame: PageFrame, history: CreditHistory, rules: CreditRules, today: CivilDate, paging: PageLinks) {
        self.frame = frame
        level = history.level.level
        levelName = history.level.name
        // The levels in order, best first: the best is good news, the worst bad, the rest a warning.
        levelTone = history.rank == 0 ? "ok" : history.rank == rules.levels.count - 1 ? "bad" : "warn"
        score = history.score
        let counted = rules.window(today: today)
        window = "\(PageText.day(counted.after.adding(days: 1))) 至 \(PageText.day(counted.through))"
        rows = history.records.items.map { record in
            let entry = record.entry
            let subject = entry.subject.split(separator: "/", maxSplits: 1).map(String.init)
            let (kind, id) = subject.count == 2 ? (subject[0], subject[1]) : ("", "")
            return Row(day: PageText.day(entry.on), kind: Self.label(entry.kind), points: record.points > 0 ? "+\(record.points)" : "\(record.points)",
                       tone: record.points > 0 ? "ok" : record.points < 0 ? "bad" : "", note: entry.note,
                       application: kind == "application" ? "/firm/applications/\(id)" : nil, certificate: kind == "certificate" ? id : nil)
        }
        pager = paging.pager(below: history.records)
        empty = pager.isEmpty(rows)
    }

    static func label(_ kind: CreditEventKind) -> String {
        switch kind {
        case .inspectionPassed: "监管检查合格"
        case .rectificationOrdered: "监管检查责令整改"
        case .rectificationMet: "整改复查已整改"
        case .rectificationMissed: "整改复查未整改"
        case .violation: "监管检查发现违法违规"
        case .commitmentKept: "按期履行承诺"
        case .commitmentBroken: "未履行承诺"
        case .repeatedAlerts: "现场监测多次告警"
        }
    }
}
