import Approval
import CapabilityKit
import Foundation
import Kernel
import Supervision

/// One step of an application's timeline as the firm reads it: what happened, who did it, and
/// the details the record keeps (reasons, opinions, an inspector's findings).
struct TimelineRow {
    let at: String
    let title: String
    let actor: String
    let details: [String]
    /// Supervision results stand out: they are what came back from the site.
    let supervision: Bool
}

struct TimelineText {
    let catalog: Catalog
    let application: Application

    func row(_ record: AuditRecord) -> TimelineRow {
        let detail = record.detail ?? [:]
        let (title, details) = describe(record.action, detail, after: record.after)
        return TimelineRow(at: PageText.moment(record.at, in: catalog.calendar.timeZone), title: title, actor: record.actorName,
                           details: details.filter { !$0.isEmpty }, supervision: record.action == "supervision.inspected")
    }

    func describe(_ action: String, _ detail: [String: String], after: [String: String]?) -> (String, [String]) {
        switch action {
        case "application.submitted":
            return ("提交申请", [line("申请事项", items(detail["items"])), line("帮办专员", detail["helper"])])
        case "application.rules-decided":
            let outcome = detail["outcome"].flatMap(RuleDecision.Outcome.init(rawValue:)).map(ruleOutcome) ?? ""
            return ("智能审批：\(outcome)", [detail["reasons"] ?? ""])
        case "application.accepted":
            return ("受理", [line("承诺办结日期", detail["promisedBy"].map(PageText.day)), line("容缺材料", materials(detail["deferred"])),
                           line("容缺材料补交期限", detail["supplementDue"].map(PageText.day))])
        case "application.refused":
            return ("不予受理", [line("原因", detail["reason"])])
        case "application.commitment-withdrawn":
            return ("不适用告知承诺，转为审查", [line("原因", detail["reason"])])
        case "item.reviewed":
            let decision = detail["decision"] == "approve" ? "准予许可" : "不予许可"
            return ("\(itemName(detail["item"]))：\(decision)", [line("意见", detail["opinion"])])
        case "item.resubmitted":
            return ("重新提交：\(itemName(detail["item"]))", [line("说明", detail["note"])])
        case "application.decided":
            return ("审批决定：\(after?["status"].flatMap(ApplicationStatus.init(rawValue:))?.label ?? "已决定")", [])
        case "application.issued":
            return ("出证", [line("许可事项", items(detail["permits"]))])
        case "application.withdrawn":
            return ("撤回申请", [])
        case "application.correction-requested":
            return ("要求补正", [line("原因", detail["reason"])])
        case "application.corrected":
            return ("提交补正", [line("承诺办结日期顺延至", detail["promisedBy"].map(PageText.day))])
        case "materials.supplemented":
            return ("补交容缺材料", [line("材料", materials(detail["materials"])), line("逾期补交", materials(detail["late"]))])
        case "materials.overdue":
            return ("容缺材料逾期未补交", [line("材料", materials(detail["materials"]))])
        case "survey.scheduled":
            return ("安排联合踏勘", [line("日期", detail["date"].map(PageText.day)), line("地点", detail["place"])])
        case "survey.findings-recorded", "survey.completed":
            let meets = detail["meets"] == "yes" ? "符合条件" : "不符合条件"
            return (action == "survey.completed" ? "联合踏勘完成" : "录入踏勘意见",
                    ["\(departmentName(detail["department"]))：\(meets)", line("意见", detail["findings"]),
                     line("承诺办结日期顺延至", detail["promisedBy"].map(PageText.day))])
        case "application.condition-met":
            return ("确认：\(detail["title"] ?? "出证条件")", [])
        case "application.message":
            return ("留言", [detail["text"] ?? ""])
        case "supervision.inspected":
            let result = detail["result"].flatMap(InspectionResult.init(rawValue:))?.label ?? detail["result"] ?? ""
            return ("监管检查：\(detail["taskTitle"] ?? "")", [
                line("结果", result), line("检查单位", "\(departmentName(detail["department"]))（\(regionName(detail["region"]))）"),
                line("检查情况", detail["findings"]), line("整改期限", detail["rectifyBy"].map(PageText.day)), line("证照编号", detail["certificate"]),
            ])
        case "night-work.complaint":
            return ("夜间施工投诉", [detail["text"] ?? ""])
        case "night-work.noise-alert":
            return ("夜间噪声告警：\(detail["title"] ?? "")", [line("最高声级", detail["maxDBA"].map { "\($0) dB(A)" })])
        default:
            return ("办理记录", [])
        }
    }

    func line(_ label: String, _ value: String?) -> String {
        guard let value, !value.isEmpty else { return "" }
        return "\(label)：\(value)"
    }

    func ruleOutcome(_ outcome: RuleDecision.Outcome) -> String {
        switch outcome {
        case .approved: "准予许可"
        case .review: "转人工审查"
        case .denied: "不予许可"
        }
    }

    func itemName(_ code: String?) -> String {
        guard let code else { return "" }
        return application.items.first { $0.code == code }?.name ?? catalog.items[code]?.name ?? code
    }

    func items(_ codes: String?) -> String? {
        codes.map { $0.split(separator: ",").map { itemName(String($0)) }.joined(separator: "、") }
    }

    func materials(_ codes: String?) -> String? {
        codes.map { list in
            list.split(separator: ",").map { code in application.materials.first { $0.material == code }?.name ?? String(code) }.joined(separator: "、")
        }
    }

    func departmentName(_ id: String?) -> String {
        id.map { catalog.departments[$0]?.name ?? $0 } ?? ""
    }

    func regionName(_ code: String?) -> String {
        code.map { catalog.regions[$0]?.name ?? $0 } ?? ""
    }
}
