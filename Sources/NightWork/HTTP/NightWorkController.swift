import Approval
import CapabilityKit
import Certificates
import Foundation
import GRDB
import Hummingbird
import Kernel
import Mustache

/// Night work over HTTP: the firm's application decided at once, the public notice and its
/// complaints, and the office's view of a site's nights.
struct NightWorkController {
    let rules: NightWorkRules
    let noise: NoiseRules
    let engines: Engines

    var complaints: Complaints { Complaints(noise: noise, rules: rules, engines: engines) }

    func register(_ routes: CapabilityRoutes) {
        routes.authenticated.post("night-work/applications") { request, context -> Response in
            try JSON.response(try await apply(try await JSON.decode(NightWorkApplicationInput.self, from: request), by: context.actor),
                              status: .created)
        }
        routes.authenticated.get("night-work/sites/:projectId/nights") { request, context -> Response in
            try JSON.response(try await nights(of: try context.parameters.require("projectId"), request: request, for: context.actor))
        }
        routes.api.get("public/night-work") { request, _ -> Response in
            let page = try request.pageRequest(keyCount: NightWorkStore.registerOrder.keyCount)
            return try JSON.response(try await notices(district: try district(in: request), page: page), for: request)
        }
        routes.api.post("public/night-work/:certificate/complaints") { request, context -> Response in
            let input = try await JSON.decode(Complaints.Input.self, from: request)
            return try JSON.response(try await complaints.receive(input, about: try context.parameters.require("certificate")), status: .created)
        }
        routes.router.get("public/night-work") { request, _ -> Response in
            try await page(district: try district(in: request), sent: request.uri.queryParameters.get("sent"), error: nil)
        }
        routes.router.post("public/night-work/:certificate/complaints") { request, context -> Response in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 16_384))
            let number: String = try context.parameters.require("certificate")
            let district = try district(in: request)
            // Whatever a browser or anyone else posts: a form that cannot be read is shown again
            // with the reason, never a server error.
            guard let input = try? URLEncodedFormDecoder().decode(Complaints.Input.self, from: body) else {
                return try await page(district: district, sent: nil, error: "请填写电话和投诉内容")
            }
            do {
                _ = try await complaints.receive(input, about: number)
            } catch let error as NightWorkError {
                return try await page(district: district, sent: nil, error: error.message)
            }
            let query = (district.map { "district=\($0)&" } ?? "") + "sent=\(number)"
            return Response(status: .seeOther, headers: [.location: "/public/night-work?\(query)"])
        }
    }

    /// A known district, when the query names one.
    func district(in request: Request) throws -> String? {
        guard let code = request.uri.queryParameters.get("district"), !code.isEmpty else { return nil }
        guard engines.catalog.regions[code] != nil else { throw NightWorkError.invalidField(field: "district", message: "未知的行政区划 \(code)") }
        return code
    }

    func apply(_ input: NightWorkApplicationInput, by actor: Actor) async throws -> NightWorkDecisionResponse {
        guard actor.role == .applicant, let firm = actor.firm else { throw NightWorkError.forbidden("只有申请单位可以申请夜间施工") }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        let schedule: NightSchedule
        switch NightSchedule.check(reason: input.reason, firstNight: input.firstNight, lastNight: input.lastNight, start: input.start,
                                   end: input.end, receptors: input.receptors ?? [], rules: rules, today: today) {
        case .success(let checked): schedule = checked
        case .failure(let problem): throw NightWorkError.invalidField(field: problem.field, message: problem.message)
        }
        if let phone = input.responsible?.phone, PhoneNumber(phone) == nil {
            throw NightWorkError.invalidField(field: "responsible.phone", message: "请填写有效的电话号码")
        }
        guard let project = try await engines.approval.store.project(id: input.projectId), project.isVisible(to: firm) else {
            throw NightWorkError.invalidField(field: "projectId", message: "项目不存在或不属于本单位")
        }
        guard try await SitePermits.valid(project: project.code, items: Set(rules.requiresPermit), on: today, database: engines.database) != nil else {
            throw NightWorkError.invalidField(field: "projectId", message: "工地尚无有效的施工许可或阶段施工许可，不能申请夜间施工")
        }
        var form: [String: FormValue] = [
            Form.reason: .string(schedule.reason.name), Form.firstNight: .string(schedule.firstNight.description),
            Form.lastNight: .string(schedule.lastNight.description), Form.start: .string(schedule.start.description),
            Form.end: .string(schedule.end.description),
        ]
        if let measures = input.measures { form[Form.measures] = .string(measures) }
        if let responsible = input.responsible {
            form[Form.responsibleName] = .string(responsible.name)
            form[Form.responsiblePhone] = .string(responsible.phone)
        }
        if let receptors = input.receptors { form[Form.receptors] = .string(receptors.joined(separator: ",")) }
        let application = try await engines.approval.submit(
            NewApplication(projectId: project.id, items: [rules.item], form: form, materials: input.materials ?? []), by: actor)
        let issued = application.status == .issued ? try await engines.certificates.certificates(applicationID: application.id).first : nil
        return NightWorkDecisionResponse(
            applicationId: application.id, status: application.status.rawValue, decision: application.rules?.outcome ?? .review,
            reasons: application.rules?.reasons ?? [],
            certificate: issued.map { .init(number: $0.number.description, qr: "\(engines.publicURL)/v/\($0.jws)",
                                            url: "\(engines.publicURL)/api/v1/certificates/\($0.number)") })
    }

    /// 网络公示 on the page: every current and coming night work whose permit is valid, by
    /// district, soonest first.
    func notices(district: String?) async throws -> [NightWorkNotice] {
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        return try await engines.database.read { db in
            try NightWorkStore.notices(district: district, lastNightFrom: Self.current(on: today), in: db)
                .compactMap { try Self.published($0, on: today, in: db) }
        }
    }

    /// A page of 网络公示 over the API, the nights ending soonest first.
    func notices(district: String?, page: PageRequest) async throws -> Page<NightWorkNotice> {
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        return try await engines.database.read { db in
            try NightWorkStore.register(district: district, lastNightFrom: Self.current(on: today), page: page, in: db)
                .compactMap { try Self.published($0, on: today, in: db) }
        }
    }

    /// The first last night still current: last night's work ends this morning.
    static func current(on today: CivilDate) -> CivilDate { today.adding(days: -1) }

    /// The notice as the public reads it, while its permit is valid.
    static func published(_ notice: NightWorkNotice, on today: CivilDate, in db: Database) throws -> NightWorkNotice? {
        try CertificateRegistry.certificate(number: notice.certificate, in: db)?.status(on: today) == .valid ? notice.published : nil
    }

    func page(district: String?, sent: String?, error: String?) async throws -> Response {
        let notices = try await notices(district: district)
        let regions = engines.catalog.regions.values.sorted { $0.code < $1.code }
        let model = NoticesPage(notices: notices, regions: regions, district: district, sent: sent, error: error, catalog: engines.catalog)
        guard let html = engines.templates.render(model, withTemplate: "night-work-notices") else {
            throw NightWorkError.notFound("页面模板 night-work-notices")
        }
        return Response(status: error == nil ? .ok : .unprocessableContent, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The office's view of a site's nights: readings, the limit, what was permitted, alerts.
    func nights(of projectID: String, request: Request, for actor: Actor) async throws -> [SiteNight] {
        guard [.clerk, .reviewer, .issuer, .admin, .inspector].contains(actor.role) else { throw NightWorkError.forbidden("只有审批和监管人员可以查看") }
        guard let project = try await engines.approval.store.project(id: projectID) else { throw NightWorkError.notFound("项目 \(projectID)") }
        if actor.role == .inspector, actor.region != project.district { throw NightWorkError.forbidden("工地不在本辖区") }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        func date(_ name: String, _ fallback: CivilDate) throws -> CivilDate {
            guard let text = request.uri.queryParameters.get(name) else { return fallback }
            guard let day = CivilDate(text) else { throw NightWorkError.invalidField(field: name, message: "日期格式应为 YYYY-MM-DD") }
            return day
        }
        let to = try date("to", today)
        let from = try date("from", to.adding(days: -13))
        guard from <= to, to.dayNumber - from.dayNumber < 92 else {
            throw NightWorkError.invalidField(field: "from", message: "查询区间应为 1–92 晚")
        }
        let limit = noise.limits.nightDBA
        return try await engines.database.read { db in
            let readings = try Row.fetchAll(db, sql: """
                SELECT night, COUNT(*) AS count, MAX(dba) AS loudest, SUM(dba > ?) AS over FROM noise_readings
                WHERE project_id = ? AND night BETWEEN ? AND ? GROUP BY night
                """, arguments: [limit, projectID, from.description, to.description])
            let alerts = try Row.fetchAll(db, sql: """
                SELECT night, kind, task_id, readings, max_dba FROM noise_alerts WHERE project_id = ? AND night BETWEEN ? AND ?
                """, arguments: [projectID, from.description, to.description])
            return try (from.dayNumber...to.dayNumber).map(CivilDate.init(dayNumber:)).reversed().map { night in
                let row = readings.first { $0["night"] as String == night.description }
                return SiteNight(
                    night: night, readings: row?["count"] ?? 0, maxDBA: row?["loudest"], overLimit: row?["over"] ?? 0, limitDBA: limit,
                    permits: try NightWorkStore.notices(project: projectID, covering: night, in: db).map {
                        SiteNight.Permit(certificate: $0.certificate, start: $0.start, end: $0.end)
                    },
                    alerts: alerts.filter { $0["night"] as String == night.description }.map {
                        SiteNight.Alert(kind: $0["kind"], taskId: $0["task_id"], readings: $0["readings"], maxDBA: $0["max_dba"])
                    })
            }
        }
    }
}

struct NightWorkApplicationInput: Decodable, Sendable {
    struct Responsible: Decodable, Sendable {
        let name: String
        let phone: String
    }

    let projectId: String
    let firstNight: CivilDate
    let lastNight: CivilDate
    let start: String
    let end: String
    let reason: String
    /// Asked on a site's first application; a repeat starts from the last permit's.
    let measures: String?
    let responsible: Responsible?
    /// Kinds of sensitive receptors near the site (`school`, `hospital`, `residence`).
    let receptors: [String]?
    let materials: [MaterialUpload]?
}

struct NightWorkDecisionResponse: Encodable, Sendable {
    struct IssuedCertificate: Encodable, Sendable {
        let number: String
        let qr: String
        let url: String
    }

    let applicationId: String
    let status: String
    let decision: RuleDecision.Outcome
    let reasons: [RuleReason]
    let certificate: IssuedCertificate?
}

struct SiteNight: Encodable, Sendable {
    struct Permit: Encodable, Sendable {
        let certificate: String
        let start: ClockTime
        let end: ClockTime
    }

    struct Alert: Encodable, Sendable {
        let kind: String
        let taskId: String
        let readings: Int
        let maxDBA: Double
    }

    let night: CivilDate
    let readings: Int
    let maxDBA: Double?
    let overLimit: Int
    let limitDBA: Double
    let permits: [Permit]
    let alerts: [Alert]
}
