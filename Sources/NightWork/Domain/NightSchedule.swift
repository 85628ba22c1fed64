import Approval
import Foundation
import Kernel

/// The nights and hours a night-work application asks for, checked against the rules: the same
/// checks answer the firm's request with a 422 and, for an application filed another way, become
/// the rules' reasons to deny it.
public struct NightSchedule: Sendable, Equatable {
    public let reason: NightWorkRules.Reason
    public let firstNight: CivilDate
    public let lastNight: CivilDate
    public let start: ClockTime
    public let end: ClockTime
    /// Kinds of sensitive receptors the firm declared near the site.
    public let receptors: [String]

    /// One input at fault: the field and the rule it breaks.
    public struct Problem: Error, Sendable, Equatable {
        public let field: String
        public let message: String
    }

    public var nights: Int { lastNight.dayNumber - firstNight.dayNumber + 1 }

    /// Checks what the firm asked for: a known reason, a window inside the night, an end after its
    /// start, a period within the limit and, given `today`, starting neither in the past nor too far
    /// ahead (without it, as when a permit decided days later is issued, the dates stand as asked).
    public static func check(reason code: String, firstNight: CivilDate, lastNight: CivilDate, start: String, end: String,
                             receptors: [String], rules: NightWorkRules, today: CivilDate?) -> Result<NightSchedule, Problem> {
        guard let reason = rules.reason(code: code) else {
            return .failure(Problem(field: "reason", message: "未知的夜间施工原因 \(code)（可选：\(rules.reasons.map(\.code).joined(separator: "、"))）"))
        }
        let window = "\(rules.night.start)–次日\(rules.night.end)"
        guard let startTime = ClockTime(start) else { return .failure(Problem(field: "start", message: "时间格式应为 HH:MM")) }
        guard let endTime = ClockTime(end) else { return .failure(Problem(field: "end", message: "时间格式应为 HH:MM")) }
        guard let startOffset = rules.offsetInNight(startTime) else {
            return .failure(Problem(field: "start", message: "开始时间 \(startTime) 不在夜间时段 \(window) 内"))
        }
        let endOffset = rules.night.start.minutes(until: endTime)
        guard endOffset > 0, endOffset <= rules.nightLength else {
            return .failure(Problem(field: "end", message: "结束时间 \(endTime) 不在夜间时段 \(window) 内"))
        }
        guard endOffset > startOffset else {
            return .failure(Problem(field: "end", message: "结束时间 \(endTime) 早于开始时间 \(startTime)"))
        }
        guard lastNight >= firstNight else {
            return .failure(Problem(field: "lastNight", message: "最后作业夜 \(lastNight) 早于首个作业夜 \(firstNight)"))
        }
        if let today {
            guard firstNight >= today else { return .failure(Problem(field: "firstNight", message: "首个作业夜 \(firstNight) 已过")) }
            guard firstNight.dayNumber - today.dayNumber <= rules.maxDaysAhead else {
                return .failure(Problem(field: "firstNight", message: "首个作业夜最多可提前 \(rules.maxDaysAhead) 天申请"))
            }
        }
        let nights = lastNight.dayNumber - firstNight.dayNumber + 1
        guard nights <= rules.maxNights else {
            return .failure(Problem(field: "lastNight", message: "申请 \(nights) 晚，超过单次许可上限 \(rules.maxNights) 晚"))
        }
        for (index, kind) in receptors.enumerated() where !rules.receptors.contains(where: { $0.kind == kind }) {
            return .failure(Problem(field: "receptors[\(index)]", message: "未知的敏感点类型 \(kind)（可选：\(rules.receptors.map(\.kind).joined(separator: "、"))）"))
        }
        return .success(NightSchedule(reason: reason, firstNight: firstNight, lastNight: lastNight, start: startTime, end: endTime,
                                      receptors: receptors))
    }

    /// The schedule an application's form holds (the fields of the night-work item).
    static func read(_ form: [String: FormValue], rules: NightWorkRules, today: CivilDate?) -> Result<NightSchedule, Problem> {
        func text(_ key: String) -> String? { if case .string(let value)? = form[key] { value } else { nil } }
        guard let reasonName = text(Form.reason), let reason = rules.reason(named: reasonName) else {
            return .failure(Problem(field: "form.\(Form.reason)", message: "未知的夜间施工原因"))
        }
        guard let first = text(Form.firstNight).flatMap(CivilDate.init), let last = text(Form.lastNight).flatMap(CivilDate.init) else {
            return .failure(Problem(field: "form.\(Form.firstNight)", message: "作业日期无效"))
        }
        return check(reason: reason.code, firstNight: first, lastNight: last, start: text(Form.start) ?? "", end: text(Form.end) ?? "",
                     receptors: Form.receptors(text(Form.receptors)), rules: rules, today: today)
    }

    /// Whether a moment of a given night falls inside the permitted hours.
    func permits(night: CivilDate, offset: Int, rules: NightWorkRules) -> Bool {
        (firstNight...lastNight).contains(night)
            && (rules.night.start.minutes(until: start)..<rules.night.start.minutes(until: end)).contains(offset)
    }

    /// How the hours read on a certificate and a notice: 22:00 至次日 05:00.
    var hoursText: String {
        "每夜 \(start) 至\(end.minutes < start.minutes ? "次日 " : " ")\(end)"
    }

    var nightsText: String { "\(firstNight) 至 \(lastNight) 夜间，共 \(nights) 晚" }
}

/// The keys of the night-work item's form fields (`Modules/items/CG-YJSG.yaml`).
enum Form {
    static let reason = "nightWorkReason"
    static let firstNight = "firstNight"
    static let lastNight = "lastNight"
    static let start = "nightStart"
    static let end = "nightEnd"
    static let measures = "nightWorkMeasures"
    static let responsibleName = "responsibleName"
    static let responsiblePhone = "responsiblePhone"
    static let receptors = "sensitiveReceptors"
    /// Every field the capability reads or writes: the item must define each.
    static let all = [reason, firstNight, lastNight, start, end, measures, responsibleName, responsiblePhone, receptors]

    static func receptors(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
