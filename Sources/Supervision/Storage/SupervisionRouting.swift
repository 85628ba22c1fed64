import Foundation
import GRDB
import Certificates
import Kernel

/// Opens the supervision tasks of an issued certificate, in the issuing transaction, from the
/// catalog's routing of each permitted item; and keeps the queues in step with the certificate's
/// status.
public enum SupervisionRouting {
    public static func subscribe(to bus: EventBus, catalog: Catalog, notifier: any Notifier, makeID: @escaping @Sendable () -> String) {
        bus.subscribe(CertificateIssued.self) { scope, event in
            for task in try tasks(for: event, catalog: catalog, openedAt: scope.date, makeID: makeID) {
                try open(task, in: scope)
            }
        }
        bus.subscribe(PermitChanged.self) { scope, event in
            try follow(event, catalog: catalog, makeID: makeID, in: scope)
        }
        bus.subscribe(SupervisionTaskOpened.self) { scope, event in
            try notifier.notify(TaskReminder.opened(event), in: scope.db, at: scope.date)
        }
        bus.subscribe(PermitExpired.self) { scope, event in
            for var task in try TaskQueue.tasks(certificate: event.number, in: scope.db) where task.isActive && task.item == event.item {
                task.cancel(reason: "许可有效期至 \(event.validTo) 届满")
                try TaskQueue.save(task, in: scope.db)
            }
        }
        bus.subscribe(CertificateStatusChanged.self) { scope, event in
            try follow(event, in: scope.db)
            if event.to == "suspended", let certificate = try CertificateRegistry.certificate(number: event.number, in: scope.db) {
                try notifier.notify(TaskReminder.suspended(certificate, reason: event.reason), in: scope.db, at: scope.date)
            }
        }
    }

    static func tasks(for event: CertificateIssued, catalog: Catalog, openedAt: Date, makeID: () -> String) throws -> [SupervisionTask] {
        let openedOn = catalog.calendar.today(at: openedAt)
        var tasks: [SupervisionTask] = []
        for code in event.items {
            guard let item = catalog.items[code] else { continue }
            for route in item.supervision ?? [] {
                // A permit with a route is supervised in each region the catalog's route names
                // along it; one without is supervised where the project is.
                let regions = event.route?.regions(for: route.region) ?? (route.region == .project || route.region == .origin ? [event.district] : [])
                for region in regions {
                tasks.append(SupervisionTask(
                    id: makeID(), certificateNumber: event.number, applicationID: event.applicationID, item: code, projectCode: event.projectCode,
                    projectName: event.projectName, holderName: event.holderName, holderUSCC: event.holderUSCC, department: route.department,
                    region: region, kind: route.task, title: route.name, checklist: route.checklist, openedAt: openedAt,
                    openedOn: openedOn, dueOn: try catalog.calendar.date(addingWorkingDays: route.dueDays, to: event.issuedOn),
                    firstInspection: route.isFirstInspection, suspendsOnViolation: route.suspendsOnViolation, followUpOf: nil,
                    status: .open, claimedBy: nil, closedAt: nil, closedOn: nil, result: nil, certificateStatus: "valid", cancelReason: nil))
                }
            }
        }
        return tasks
    }

    /// Opens a task that something other than a permit's routing raised — a resident's complaint,
    /// an automatic monitor's alert — on the certificate it concerns, in the queue of the
    /// department and region given, in the caller's transaction.
    @discardableResult
    public static func raise(_ raised: RaisedTask, on certificate: Certificate, catalog: Catalog, in scope: EventScope) throws -> SupervisionTask {
        let openedOn = catalog.calendar.today(at: scope.date)
        var task = SupervisionTask(
            id: raised.id, certificateNumber: certificate.number.description, applicationID: certificate.applicationID, item: raised.item,
            projectCode: certificate.projectCode, projectName: certificate.projectName, holderName: certificate.holderName,
            holderUSCC: certificate.holderUSCC, department: raised.department, region: raised.region, kind: raised.kind, title: raised.title,
            checklist: raised.checklist, openedAt: scope.date, openedOn: openedOn,
            dueOn: try catalog.calendar.date(addingWorkingDays: raised.dueDays, to: openedOn), firstInspection: false,
            suspendsOnViolation: raised.suspendsOnViolation, followUpOf: nil, status: .open, claimedBy: nil, closedAt: nil, closedOn: nil,
            result: nil, certificateStatus: certificate.status(on: openedOn).rawValue, cancelReason: nil)
        task.raisedBy = raised.raisedBy
        task.evidence = raised.evidence
        try open(task, in: scope)
        return task
    }

    /// Every task opened about an application's permits, in the order they were opened.
    public static func tasks(applicationID: String, in db: Database) throws -> [SupervisionTask] {
        try TaskQueue.tasks(applicationID: applicationID, in: db)
    }

    /// A task as it stands, read in the caller's transaction.
    public static func task(id: String, in db: Database) throws -> SupervisionTask? {
        try TaskQueue.task(id: id, in: db)
    }

    static func open(_ task: SupervisionTask, in scope: EventScope) throws {
        try TaskQueue.insert(task, in: scope.db)
        try scope.publish(SupervisionTaskOpened(taskID: task.id, certificateNumber: task.certificateNumber, applicationID: task.applicationID,
                                                item: task.item, department: task.department, region: task.region, kind: task.kind,
                                                title: task.title, dueOn: task.dueOn))
    }

    /// 增项: the work still open on the old version moves to the new one, and only the added
    /// permits open tasks of their own.
    static func follow(_ event: PermitChanged, catalog: Catalog, makeID: () -> String, in scope: EventScope) throws {
        for var task in try TaskQueue.tasks(certificate: event.previousNumber, in: scope.db) where task.isActive {
            task.move(to: event.number)
            try TaskQueue.save(task, in: scope.db)
        }
        let added = CertificateIssued(number: event.number, applicationID: event.applicationID, holderName: event.holderName,
                                      holderUSCC: event.holderUSCC, projectCode: event.projectCode, projectName: event.projectName,
                                      district: event.district, items: event.addedItems, issuedOn: event.issuedOn)
        for task in try tasks(for: added, catalog: catalog, openedAt: scope.date, makeID: makeID) {
            try open(task, in: scope)
        }
    }

    /// A suspension shows on every open task of the certificate; a revoked, superseded or expired
    /// certificate takes its unworked tasks out of the queues.
    static func follow(_ event: CertificateStatusChanged, in db: Database) throws {
        let ending = ["revoked": "已撤销", "superseded": "已被新版本取代", "expired": "已过期"]
        var numbers = [event.number]
        // A permit issued per subject is supervised under its series' number: its work ends with
        // the last of its subjects' certificates.
        if ending[event.to] != nil, let part = CertificateNumber(event.number), part.part != nil,
           try !CertificateRegistry.seriesParts(part.series, in: db).contains(where: { $0.status == .valid || $0.status == .suspended }) {
            numbers.append(part.series.description)
        }
        for var task in try numbers.flatMap({ try TaskQueue.tasks(certificate: $0, in: db) }) where task.isActive {
            if let label = ending[event.to] {
                task.cancel(reason: "证照\(label)：\(event.reason)")
            } else {
                task.follow(certificateStatus: event.to)
            }
            try TaskQueue.save(task, in: db)
        }
    }
}
