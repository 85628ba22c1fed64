import Approval
import Certificates
import Foundation
import GRDB
import Kernel

/// 网络公示: every certificate issued with night work is published, in the issuing transaction,
/// with its site, nights, hours, reason and responsible person; a new version (增项) carries the
/// notice to its new number.
enum NightWorkNotices {
    static func subscribe(to events: EventBus, rules: NightWorkRules) {
        events.subscribe(CertificateIssued.self) { scope, event in
            guard event.items.contains(rules.item) else { return }
            try publish(certificate: event.number, applicationID: event.applicationID, rules: rules, in: scope.db)
        }
        events.subscribe(PermitChanged.self) { scope, event in
            if let carried = try NightWorkStore.notice(certificate: event.previousNumber, in: scope.db) {
                try NightWorkStore.delete(certificate: event.previousNumber, in: scope.db)
                try NightWorkStore.insert(carried.renumbered(event.number), in: scope.db)
            } else if event.addedItems.contains(rules.item) {
                try publish(certificate: event.number, applicationID: event.applicationID, rules: rules, in: scope.db)
            }
        }
    }

    static func publish(certificate: String, applicationID: String, rules: NightWorkRules, in db: Database) throws {
        guard let application = try SQLiteApprovalStore.application(id: applicationID, in: db),
              let project = try SQLiteApprovalStore.project(id: application.projectID, in: db),
              case .success(let schedule) = NightSchedule.read(application.form, rules: rules, today: nil) else { return }
        func text(_ key: String) -> String { if case .string(let value)? = application.form[key] { value } else { "" } }
        try NightWorkStore.insert(NightWorkNotice(
            certificate: certificate, applicationID: applicationID, projectID: project.id, projectName: project.name, address: project.address,
            district: project.district, firstNight: schedule.firstNight, lastNight: schedule.lastNight, start: schedule.start, end: schedule.end,
            reason: schedule.reason.name, responsible: .init(name: text(Form.responsibleName), phone: text(Form.responsiblePhone))), in: db)
    }
}

extension NightWorkNotice {
    func renumbered(_ number: String) -> NightWorkNotice {
        NightWorkNotice(certificate: number, applicationID: applicationID, projectID: projectID, projectName: projectName, address: address,
                        district: district, firstNight: firstNight, lastNight: lastNight, start: start, end: end, reason: reason,
                        responsible: responsible)
    }
}
