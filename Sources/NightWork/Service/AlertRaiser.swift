import Approval
import Certificates
import Foundation
import GRDB
import Kernel
import Supervision

/// Turns a batch's night exceedances into alert tasks, in the ingesting transaction: one per site,
/// night and kind; later readings of that night add to the alert already raised.
struct AlertRaiser {
    let rules: NightWorkRules
    let noise: NoiseRules
    let catalog: Catalog
    let makeID: @Sendable () -> String
    let project: String
    /// The site's construction or stage permit: what an alert of work without a night permit hangs on.
    let sitePermit: Certificate?

    struct Group {
        let night: CivilDate
        let kind: NoiseReading.Exceedance
        let certificate: Certificate
        var readings: [NoiseReading]
    }

    /// The task ids of alerts raised now (not those a reading only added to).
    func raise(for exceedances: [NoiseReading], in scope: EventScope) throws -> [String] {
        var permits: [CivilDate: [(notice: NightWorkNotice, certificate: Certificate)]] = [:]
        var groups: [Group] = []
        for reading in exceedances {
            guard let night = reading.night, let offset = reading.offset else { continue }
            if permits[night] == nil {
                permits[night] = try NightWorkStore.notices(project: project, covering: night, in: scope.db).compactMap { notice in
                    guard let certificate = try CertificateRegistry.certificate(number: notice.certificate, in: scope.db),
                          certificate.status(on: night) == .valid else { return nil }
                    return (notice, certificate)
                }
            }
            let permitted = permits[night]?.first { entry in
                (rules.night.start.minutes(until: entry.notice.start)..<rules.night.start.minutes(until: entry.notice.end)).contains(offset)
            }
            let kind: NoiseReading.Exceedance = permitted == nil ? .withoutPermit : .overLimit
            guard let certificate = permitted?.certificate ?? sitePermit else { continue }
            if let index = groups.firstIndex(where: { $0.night == night && $0.kind == kind }) {
                groups[index].readings.append(reading)
            } else {
                groups.append(Group(night: night, kind: kind, certificate: certificate, readings: [reading]))
            }
        }
        return try groups.compactMap { try record($0, in: scope) }
    }

    func record(_ group: Group, in scope: EventScope) throws -> String? {
        let loudest = group.readings.map(\.dBA).max() ?? 0
        let night = group.night.description
        if try Bool.fetchOne(scope.db, sql: "SELECT 1 FROM noise_alerts WHERE project_id = ? AND night = ? AND kind = ?",
                             arguments: [project, night, group.kind.rawValue]) == true {
            try scope.db.execute(sql: """
                UPDATE noise_alerts SET readings = readings + ?, max_dba = MAX(max_dba, ?) WHERE project_id = ? AND night = ? AND kind = ?
                """, arguments: [group.readings.count, loudest, project, night, group.kind.rawValue])
            return nil
        }
        let title = group.kind == .withoutPermit ? noise.alert.withoutPermit : noise.alert.overLimit
        let task = try SupervisionRouting.raise(RaisedTask(
            id: makeID(), item: rules.item, department: noise.alert.department, region: group.certificate.district, kind: noise.alert.task,
            title: title, dueDays: noise.alert.dueDays, checklist: noise.alert.checklist,
            suspendsOnViolation: group.kind == .overLimit && noise.alert.suspendPermitOnViolation, raisedBy: "噪声在线监测告警", evidence: evidence(group)),
            on: group.certificate, catalog: catalog, in: scope)
        try scope.db.execute(sql: """
            INSERT INTO noise_alerts (project_id, night, kind, task_id, raised_at, readings, max_dba) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [project, night, group.kind.rawValue, task.id, scope.date, group.readings.count, loudest])
        try AuditLog.append(AuditEntry(actor: .system, action: "night-work.noise-alert", subject: "application/\(group.certificate.applicationID)",
                                       detail: ["task": task.id, "night": night, "kind": group.kind.rawValue, "title": title,
                                                "maxDBA": String(format: "%.1f", loudest), "certificate": group.certificate.number.description]),
                            in: scope.db, at: scope.date)
        try countInCredit(task: task, certificate: group.certificate, in: scope)
        return task.id
    }

    /// Every `credit.alerts`-th alert at the site within `credit.days` is a fact in the holder's credit.
    func countInCredit(task: SupervisionTask, certificate: Certificate, in scope: EventScope) throws {
        let since = scope.date.addingTimeInterval(-Double(noise.credit.days) * 86_400)
        let count = try NightWorkStore.alertCount(project: project, since: since, in: scope.db)
        guard count % noise.credit.alerts == 0 else { return }
        try CreditLedger.append(CreditEntry(firm: certificate.holderUSCC, kind: .repeatedAlerts, at: scope.date,
                                            on: catalog.calendar.today(at: scope.date), subject: "certificate/\(certificate.number)",
                                            source: "noise-alert/\(task.id)",
                                            note: "工地近 \(noise.credit.days) 日第 \(count) 次夜间噪声超标告警"), in: scope.db)
    }

    func evidence(_ group: Group) -> [String] {
        let shown = group.readings.prefix(20).map { reading in
            "\(RFC3339.string(from: reading.at, timeZone: catalog.calendar.timeZone)) \(String(format: "%.1f", reading.dBA)) dB(A)"
        }
        let limit = "夜间限值 \(String(format: "%.0f", noise.limits.nightDBA)) dB(A)（GB 12523-2011）"
        let more = group.readings.count > shown.count ? ["…本批共 \(group.readings.count) 条超标读数"] : []
        return [limit] + shown + more
    }
}
