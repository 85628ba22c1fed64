import Approval
import CapabilityKit
import Foundation
import Kernel
import Supervision

/// The dashboard's period (`?from=&to=`, days): by default the last 12 weeks, this one included,
/// each week from Monday on the bureau's calendar. Each bad field is named with its reason.
struct DashboardPeriod {
    static let defaultWeeks = 12
    /// More weeks than this would not fit a phone's screen as bars one can read.
    static let maximumWeeks = 26

    let from: CivilDate
    let to: CivilDate

    /// The period's weeks, Monday to Sunday, the first and last cut to the period.
    var weeks: [ClosedRange<CivilDate>] {
        stride(from: Self.monday(of: from).dayNumber, through: to.dayNumber, by: 7).map { monday in
            max(CivilDate(dayNumber: monday), from)...min(CivilDate(dayNumber: monday + 6), to)
        }
    }

    static func monday(of day: CivilDate) -> CivilDate { day.adding(days: 1 - day.weekday) }

    /// The period asked for, or the reason beside each field that is wrong.
    static func asked(from fromText: String?, to toText: String?, today: CivilDate) -> Result<DashboardPeriod, FieldErrors> {
        var errors = FieldErrors()
        let to = errors.day(toText, field: "to") ?? today
        let from = errors.day(fromText, field: "from") ?? monday(of: to).adding(days: -7 * (defaultWeeks - 1))
        if errors.isEmpty, from > to {
            errors.add("from", "开始日期不能晚于结束日期")
        } else if errors.isEmpty, DashboardPeriod(from: from, to: to).weeks.count > maximumWeeks {
            errors.add("from", "统计期最长 \(maximumWeeks) 周，请缩短统计期")
        }
        return errors.isEmpty ? .success(DashboardPeriod(from: from, to: to)) : .failure(errors)
    }
}

/// What the dashboard's four figures show, read through the services with the signed-in actor.
struct DashboardFigures {
    let period: DashboardPeriod
    let weeks: [ClosedRange<CivilDate>]
    let issued: [Int]
    let closure: [ClosureCount]
    let overview: SupervisionOverview
    let overdue: [SupervisionTask]
    /// How many tasks are overdue where the list is drawn from: a reviewer's department, or every one.
    let overdueCount: Int
    let today: CivilDate
}

/// The dashboard as a page: the period form, and each figure as a bar chart with its numbers in a
/// table under it.
struct ConsoleDashboardPage {
    struct WeekRow {
        let week: String
        let count: Int
    }

    struct ClosureRow {
        let week: String
        let issued: Int
        let inTime: Int
        let rate: String
    }

    struct DepartmentRow {
        let name: String
        let active: Int
        let overdue: Int
    }

    struct OverdueRow {
        let href: String
        let title: String
        let project: String
        let department: String
        let dueOn: String
        let daysOverdue: Int
    }

    struct Figures {
        let periodText: String
        let issuedChart: BarChart
        let issuedRows: [WeekRow]
        let issuedTotal: Int
        let loadChart: BarChart?
        let loadRows: [DepartmentRow]
        let closureChart: BarChart
        let closureRows: [ClosureRow]
        let closureSummary: String
        let overdueCount: Int
        let overdueScope: String
        let overdueChart: BarChart?
        let overdueRows: [OverdueRow]
    }

    let frame: PageFrame
    let from: String
    let to: String
    let fromError: String?
    let toError: String?
    let maximumWeeks = DashboardPeriod.maximumWeeks
    let figures: Figures?

    init(frame: PageFrame, from: String, to: String, errors: FieldErrors, figures: DashboardFigures?, actor: Actor, catalog: Catalog) {
        self.frame = frame
        self.from = from
        self.to = to
        fromError = errors["from"]
        toError = errors["to"]
        self.figures = figures.map { Self.figures($0, actor: actor, catalog: catalog) }
    }

    static func figures(_ figures: DashboardFigures, actor: Actor, catalog: Catalog) -> Figures {
        let periodText = "\(PageText.day(figures.period.from)) 至 \(PageText.day(figures.period.to))"
        let weekNames = figures.weeks.map(Self.week)
        let weekLabels = figures.weeks.map { $0.lowerBound == $0.upperBound ? Self.monthDay($0.lowerBound) : "\(Self.monthDay($0.lowerBound))–\(Self.monthDay($0.upperBound))" }

        let issuedChart = BarChart(
            id: "issued", title: "每周出证件数", description: "\(periodText)每周办结出证的申请件数，一周自周一起。",
            rows: zip(zip(weekLabels, weekNames), figures.issued).map { names, count in
                BarChart.Row(label: names.0, name: names.1, value: Double(count), text: "\(count) 件")
            })

        let departments = figures.overview.departments
        let loadChart = departments.isEmpty ? nil : BarChart(
            id: "loads", title: "各部门在办监管任务", description: "各监管部门当前在办的监管任务数，其中已超期的以红色标出。",
            rows: departments.map { load in
                BarChart.Row(label: load.name, name: load.name, value: Double(load.active), part: Double(load.overdue),
                             text: load.overdue > 0 ? "\(load.active)（超期 \(load.overdue)）" : "\(load.active)")
            })

        let closureChart = BarChart(
            id: "closure", title: "每周审管闭环率",
            description: "\(periodText)每周出证并需首次监督检查的许可中，按期完成首次检查的比例。",
            rows: zip(zip(weekLabels, weekNames), figures.closure).map { names, week in
                BarChart.Row(label: names.0, name: names.1, value: (week.closureRate ?? 0) * 100,
                             text: week.closureRate.map { "\(Self.percent($0))（\(week.firstInspectedInTime)/\(week.permitsIssued)）" } ?? "无出证")
            }, scale: 100, tick: { "\(Int($0))%" })
        let overview = figures.overview
        let closureSummary = overview.closureRate.map {
            "统计期内出证并需首次检查 \(overview.permitsIssued) 件，按期检查 \(overview.firstInspectedInTime) 件，闭环率 \(Self.percent($0))。"
        } ?? "统计期内没有需首次检查的出证。"

        let overdueRows = figures.overdue.map { task in
            OverdueRow(href: "/console/applications/\(task.applicationID)", title: task.title, project: task.projectName,
                       department: catalog.departments[task.department]?.name ?? task.department, dueOn: PageText.day(task.dueOn),
                       daysOverdue: figures.today.dayNumber - task.dueOn.dayNumber)
        }
        let overdueChart = overdueRows.isEmpty ? nil : BarChart(
            id: "overdue", title: "超期最久的监管任务", description: "超期最久的几项在办监管任务及其超期天数。",
            rows: overdueRows.map { row in
                BarChart.Row(label: "\(row.project) · \(row.title)", name: "\(row.project) · \(row.title)（\(row.department)）", value: Double(row.daysOverdue),
                             text: "\(row.daysOverdue) 天")
            })
        let overdueScope = actor.role == .reviewer ? "本部门（\(actor.department.flatMap { catalog.departments[$0]?.name } ?? "")）" : "各部门"

        return Figures(
            periodText: periodText, issuedChart: issuedChart, issuedRows: zip(weekNames, figures.issued).map { WeekRow(week: $0, count: $1) },
            issuedTotal: figures.issued.reduce(0, +), loadChart: loadChart,
            loadRows: departments.map { DepartmentRow(name: $0.name, active: $0.active, overdue: $0.overdue) },
            closureChart: closureChart,
            closureRows: zip(weekNames, figures.closure).map { week, counts in
                ClosureRow(week: week, issued: counts.permitsIssued, inTime: counts.firstInspectedInTime,
                           rate: counts.closureRate.map(Self.percent) ?? "—")
            },
            closureSummary: closureSummary, overdueCount: figures.overdueCount, overdueScope: overdueScope, overdueChart: overdueChart,
            overdueRows: overdueRows)
    }

    /// 11月23日: a day of a week on the chart's axis.
    static func monthDay(_ day: CivilDate) -> String {
        let (_, month, date) = day.components
        return "\(month)月\(date)日"
    }

    /// 2026年11月23日–11月29日: a week as the table names it; a week cut to one day by the period, that day.
    static func week(_ week: ClosedRange<CivilDate>) -> String {
        guard week.lowerBound < week.upperBound else { return PageText.day(week.lowerBound) }
        let sameYear = week.lowerBound.year == week.upperBound.year
        return "\(PageText.day(week.lowerBound))–\(sameYear ? monthDay(week.upperBound) : PageText.day(week.upperBound))"
    }

    static func percent(_ rate: Double) -> String {
        "\(Int((rate * 100).rounded()))%"
    }
}
