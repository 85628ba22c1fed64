import Approval
import CapabilityKit
import Certificates
import Crypto
import Foundation
import GRDB
import Kernel
import Supervision

/// 智能监管: monitoring devices (principals of their own, each bound to one site) send noise
/// readings; a night reading over the limit raises one alert task per site, night and kind — work
/// without a permit, or a permitted window whose measures are not working — and repeated alerts
/// reach the firm's credit.
struct NoiseMonitor: Sendable {
    let rules: NightWorkRules
    let noise: NoiseRules
    let engines: Engines

    static let tokenPrefix = capabilityCredentialPrefix + "noise."

    struct Device: Sendable {
        let id: String
        let projectID: String
        let projectCode: String
        let name: String
    }

    struct Registered: Encodable, Sendable {
        let id: String
        let token: String
        let projectId: String
        let name: String
    }

    struct Accepted: Encodable, Sendable {
        let accepted: Int
        let alerts: [String]
    }

    var timeZone: TimeZone { engines.catalog.calendar.timeZone }

    func register(projectID: String, name: String, by actor: Actor) async throws -> Registered {
        guard actor.role == .admin else { throw NightWorkError.forbidden("只有管理员可以登记监测设备") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw NightWorkError.invalidField(field: "name", message: "设备名称应为1–100字") }
        guard let project = try await engines.approval.store.project(id: projectID) else {
            throw NightWorkError.invalidField(field: "projectId", message: "项目 \(projectID) 不存在")
        }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        guard try await SitePermits.valid(project: project.code, items: Set(rules.requiresPermit), on: today, database: engines.database) != nil else {
            throw NightWorkError.invalidField(field: "projectId", message: "工地尚无有效的施工许可或阶段施工许可，告警无处挂靠")
        }
        let id = engines.dependencies.makeID()
        let token = Self.tokenPrefix + Data(engines.dependencies.randomBytes(32)).base64URLEncoded
        let now = engines.dependencies.now()
        try await engines.database.write { db in
            try db.execute(sql: "INSERT INTO noise_devices (id, project_id, project_code, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, projectID, project.code, name, Self.digest(token), now])
            try AuditLog.append(AuditEntry(actor: actor, action: "noise-device.registered", subject: "noise-device/\(id)",
                                           detail: ["project": projectID, "name": name]), in: db, at: now)
        }
        return Registered(id: id, token: token, projectId: projectID, name: name)
    }

    func revoke(_ id: String, by actor: Actor) async throws {
        guard actor.role == .admin else { throw NightWorkError.forbidden("只有管理员可以注销监测设备") }
        let now = engines.dependencies.now()
        try await engines.database.write { db in
            try db.execute(sql: "UPDATE noise_devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard db.changesCount == 1 else { throw NightWorkError.notFound("监测设备 \(id)") }
            try AuditLog.append(AuditEntry(actor: actor, action: "noise-device.revoked", subject: "noise-device/\(id)"), in: db, at: now)
        }
    }

    /// The device behind a bearer token, if it is registered and not revoked.
    func device(token: String) async throws -> Device {
        guard token.hasPrefix(Self.tokenPrefix) else { throw NightWorkError.unauthenticated }
        let device = try await engines.database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, project_id, project_code, name FROM noise_devices WHERE token_hash = ? AND revoked_at IS NULL",
                             arguments: [Self.digest(token)]).map {
                Device(id: $0["id"], projectID: $0["project_id"], projectCode: $0["project_code"], name: $0["name"])
            }
        }
        guard let device else { throw NightWorkError.unauthenticated }
        return device
    }

    /// Checks a batch whole (nothing is stored if one reading is bad), keeps every reading, and
    /// raises the alerts the night readings call for, in one transaction.
    func ingest(_ batch: ReadingBatch, from device: Device) async throws -> Accepted {
        if let project = batch.projectId, project != device.projectID {
            throw NightWorkError.invalidField(field: "projectId", message: "设备 \(device.name) 绑定的工地不是 \(project)")
        }
        guard (1...noise.maxBatch).contains(batch.readings.count) else {
            throw NightWorkError.invalidField(field: "readings", message: "每批应有 1–\(noise.maxBatch) 条读数")
        }
        let (rules, noise, engines) = (self.rules, self.noise, self.engines)
        let now = engines.dependencies.now()
        let readings = try batch.readings.enumerated().map { index, reading throws(NightWorkError) -> NoiseReading in
            guard let at = RFC3339.date(from: reading.at) else {
                throw .invalidField(field: "readings[\(index)].at", message: "时间应为 RFC 3339 格式（如 2026-12-01T23:05:00+08:00）")
            }
            guard at <= now.addingTimeInterval(60) else {
                throw .invalidField(field: "readings[\(index)].at", message: "读数时间 \(reading.at) 在未来")
            }
            guard reading.dBA.isFinite, noise.plausible.contains(reading.dBA) else {
                throw .invalidField(field: "readings[\(index)].dBA",
                    message: "\(reading.dBA) dB(A) 不是可能的场界噪声值（应在 \(noise.readingRange[0])–\(noise.readingRange[1]) 之间）")
            }
            return NoiseReading(at: at, dBA: reading.dBA, rules: rules, timeZone: timeZone)
        }
        let exceedances = readings.filter { $0.night != nil && $0.dBA > noise.limits.nightDBA }
        // What an alert without a night permit hangs on, looked up only when there may be one.
        let sitePermit = exceedances.isEmpty ? nil : try await SitePermits.valid(
            project: device.projectCode, items: Set(rules.requiresPermit), on: engines.catalog.calendar.today(at: now), database: engines.database)
        let raised = try await engines.database.write { db -> [String] in
            let insert = try db.cachedStatement(sql: "INSERT INTO noise_readings (device_id, project_id, at, dba, night) VALUES (?, ?, ?, ?, ?)")
            for reading in readings {
                try insert.execute(arguments: [device.id, device.projectID, reading.at.timeIntervalSince1970, reading.dBA, reading.night?.description])
            }
            let scope = EventScope(db: db, date: now, bus: engines.events)
            let alerts = AlertRaiser(rules: rules, noise: noise, catalog: engines.catalog, makeID: engines.dependencies.makeID,
                                     project: device.projectID, sitePermit: sitePermit)
            return try alerts.raise(for: exceedances, in: scope)
        }
        return Accepted(accepted: readings.count, alerts: raised)
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}

/// What a device sends: `{"readings":[{"at","dBA"}], "projectId"?}`.
struct ReadingBatch: Decodable, Sendable {
    struct Reading: Decodable, Sendable {
        let at: String
        let dBA: Double
    }

    let readings: [Reading]
    let projectId: String?
}
