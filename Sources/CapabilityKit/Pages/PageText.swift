import Approval
import Foundation
import Kernel

/// How pages write dates, roles and states: in Chinese, as people write them (2026年12月1日).
public enum PageText {
    public static func day(_ date: CivilDate) -> String {
        let (year, month, day) = date.components
        return "\(year)年\(month)月\(day)日"
    }

    /// A `YYYY-MM-DD` the services wrote into a record, as a day; anything else as it is.
    public static func day(_ text: String) -> String {
        CivilDate(text).map(day) ?? text
    }

    /// An instant as the bureau's clock shows it: 2026年11月23日 10:05.
    public static func moment(_ instant: Date, in timeZone: TimeZone) -> String {
        let date = CivilDate(instant, in: timeZone)
        let minutes = Int(instant.timeIntervalSince(date.start(in: timeZone)) / 60)
        let clock = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        return "\(day(date)) \(clock)"
    }

    public static func role(_ role: Role) -> String {
        switch role {
        case .applicant: "申请单位"
        case .clerk: "综合窗口"
        case .reviewer: "部门审查"
        case .issuer: "出证"
        case .inspector: "监管检查"
        case .admin: "系统管理员"
        }
    }

    public static func itemStatus(_ status: ItemStatus) -> (label: String, tone: String) {
        switch status {
        case .pending: ("审查中", "")
        case .approved: ("准予许可", "ok")
        case .denied: ("不予许可", "bad")
        }
    }

    /// The tag colour of an application's status: decided for the firm, against it, or under way.
    public static func tone(of status: ApplicationStatus) -> String {
        switch status {
        case .issued, .approved: "ok"
        case .refused, .denied, .withdrawn: "bad"
        case .correctionRequested, .partlyApproved, .acceptedWithDeficiencies: "warn"
        case .submitted, .accepted, .underReview: ""
        }
    }

    public static func material(_ material: SubmittedMaterial) -> (label: String, tone: String) {
        switch material.state {
        case .submitted: ("已提交", "ok")
        case .electronic: ("电子证照调取", "ok")
        case .missing: ("未提交", "warn")
        case .deferred where material.overdue == true: ("容缺逾期未补交，应于\(material.due.map(day) ?? "承诺日期")前补交", "bad")
        case .deferred: ("容缺待补交，应于\(material.due.map(day) ?? "承诺日期")前补交", "warn")
        case .supplied where material.late == true: ("已逾期补交", "warn")
        case .supplied: ("已补交", "ok")
        }
    }
}

/// 限时办结 in words: "还剩 3 个工作日", and how urgent it looks.
public struct DeadlineView {
    public let text: String
    /// `ok`, `warn`, `bad`, or empty when the clock is not running.
    public let tone: String
    public let promisedBy: String?

    public init(_ deadline: Deadline) {
        promisedBy = deadline.promisedBy.map(PageText.day)
        let left = deadline.remainingWorkingDays ?? 0
        (text, tone) = switch deadline.state {
        case .notStarted: ("待受理，受理后开始计时", "")
        case .onTime where left <= 0: ("今日到期", "warn")
        case .dueSoon where left <= 0: ("今日到期", "warn")
        case .onTime: ("还剩 \(left) 个工作日", "ok")
        case .dueSoon: ("还剩 \(left) 个工作日", "warn")
        case .overdue where left < 0: ("已超期 \(-left) 个工作日", "bad")
        case .overdue: ("已超过承诺办结日期", "bad")
        case .paused: ("计时暂停（补正或踏勘中），还剩 \(max(left, 0)) 个工作日", "")
        case .closed: ("已办结", "")
        }
    }
}
