import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Kernel
import Supervision

/// A resident complains about night work at a published site: the complaint becomes a task in the
/// district's queue and shows on the approving office's timeline of that permit, in one
/// transaction. One phone may complain a few times a day.
struct Complaints: Sendable {
    let noise: NoiseRules
    let rules: NightWorkRules
    let engines: Engines

    struct Input: Decodable, Sendable {
        let phone: String
        let name: String?
        let text: String
        let at: String?
    }

    struct Received: Encodable, Sendable {
        let id: String
        let certificate: String
        let taskId: String
        let receivedAt: Date
    }

    func receive(_ input: Input, about number: String) async throws -> Received {
        guard let phone = PhoneNumber(input.phone) else { throw NightWorkError.invalidField(field: "phone", message: "请填写有效的手机或固定电话") }
        let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(text.count) else { throw NightWorkError.invalidField(field: "text", message: "投诉内容应为1–500字") }
        let name = input.name?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let name, name.count > 50 { throw NightWorkError.invalidField(field: "name", message: "姓名不能超过50字") }
        // The form reaches here without the JSON check, and both texts are shown to the office.
        for (field, value, multiline) in [("text", text, true), ("name", name ?? "", false)] {
            if let scalar = PrintableText.firstForbidden(in: value, multiline: multiline) {
                throw NightWorkError.invalidField(field: field, message: PrintableText.refusal(scalar))
            }
        }
        let now = engines.dependencies.now()
        let happenedAt = try input.at.map { at throws(NightWorkError) -> Date in
            guard let date = RFC3339.date(from: at) else { throw .invalidField(field: "at", message: "时间应为 RFC 3339 格式") }
            guard date <= now.addingTimeInterval(60) else { throw .invalidField(field: "at", message: "发生时间在未来") }
            return date
        }
        let (noise, rules, engines) = (self.noise, self.rules, self.engines)
        let id = engines.dependencies.makeID()
        let timeZone = engines.catalog.calendar.timeZone
        return try await engines.database.write { db in
            guard try NightWorkStore.notice(certificate: number, in: db) != nil,
                  let certificate = try CertificateRegistry.certificate(number: number, in: db) else {
                throw NightWorkError.notFound("夜间施工公示 \(number)")
            }
            let since = now.addingTimeInterval(-86_400)
            if try NightWorkStore.complaintCount(phone: phone.value, since: since, in: db) >= noise.complaints.perPhonePerDay {
                let oldest = try Date.fetchOne(db, sql: "SELECT MIN(at) FROM night_work_complaints WHERE phone = ? AND at >= ?",
                                               arguments: [phone.value, since]) ?? now
                throw NightWorkError.tooManyComplaints(limit: noise.complaints.perPhonePerDay,
                                                       retryAfter: RFC3339.string(from: oldest.addingTimeInterval(86_400), timeZone: timeZone))
            }
            let when = happenedAt.map { "发生时间：\(RFC3339.string(from: $0, timeZone: timeZone))" }
            let evidence = ["投诉内容：\(text)", when, "投诉人：\(name ?? "匿名") \(phone.value)"].compactMap { $0 }
            let scope = EventScope(db: db, date: now, bus: engines.events)
            let task = try SupervisionRouting.raise(RaisedTask(
                id: engines.dependencies.makeID(), item: rules.item, department: noise.complaints.department, region: certificate.district,
                kind: noise.complaints.task, title: noise.complaints.title, dueDays: noise.complaints.dueDays, checklist: noise.complaints.checklist,
                suspendsOnViolation: noise.complaints.suspendOnViolation, raisedBy: "居民投诉", evidence: evidence), on: certificate, catalog: engines.catalog, in: scope)
            try NightWorkStore.insert(NightWorkComplaint(id: id, certificate: number, name: name, phone: phone.value, text: text,
                                                         happenedAt: happenedAt, receivedAt: now, taskID: task.id), in: db)
            try AuditLog.append(AuditEntry(actor: .system, action: "night-work.complaint", subject: "application/\(certificate.applicationID)",
                                           detail: ["certificate": number, "task": task.id, "text": text, "phone": phone.masked]),
                                in: db, at: now)
            return Received(id: id, certificate: number, taskId: task.id, receivedAt: now)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
