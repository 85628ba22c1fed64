import Certificates
import Foundation
import Kernel

/// The short messages of the supervision loop (短信提醒): to the queue's inspectors when a task
/// arrives, is nearly due or overdue; to the holder when its certificate is suspended.
enum TaskReminder {
    static func opened(_ event: SupervisionTaskOpened) -> OutgoingMessage {
        OutgoingMessage(reason: "task-opened", subject: "supervision-task/\(event.taskID)",
                        text: "【审管联动】新监管任务“\(event.title)”（证照 \(event.certificateNumber)），请于 \(event.dueOn) 前完成。",
                        recipients: Recipients(role: .inspector, department: event.department, region: event.region))
    }

    static func dueSoon(_ task: SupervisionTask) -> OutgoingMessage {
        OutgoingMessage(reason: "task-due-soon", subject: "supervision-task/\(task.id)",
                        text: "【审管联动】监管任务“\(task.title)”（\(task.projectName)）将于 \(task.dueOn) 到期，请及时检查。",
                        recipients: recipients(of: task), onceKey: "task-due-soon/\(task.id)")
    }

    static func overdue(_ task: SupervisionTask) -> OutgoingMessage {
        OutgoingMessage(reason: "task-overdue", subject: "supervision-task/\(task.id)",
                        text: "【审管联动】监管任务“\(task.title)”（\(task.projectName)）已于 \(task.dueOn) 逾期，请尽快完成。",
                        recipients: recipients(of: task), onceKey: "task-overdue/\(task.id)")
    }

    static func suspended(_ certificate: Certificate, reason: String) -> OutgoingMessage {
        OutgoingMessage(reason: "certificate-suspended", subject: "certificate/\(certificate.number)",
                        text: "【审管联动】贵单位证照 \(certificate.number)（\(certificate.projectName)）已暂停：\(reason)。请立即停工整改，并联系审批局。",
                        recipients: Recipients(role: .applicant, firm: certificate.holderUSCC))
    }

    static func recipients(of task: SupervisionTask) -> Recipients {
        Recipients(role: .inspector, department: task.department, region: task.region)
    }
}
