import Approval
import Foundation
import GRDB
import Kernel
import Supervision
import Yams

/// Loads `SampleProjects/` through the real services, as the users would have: accounts, then
/// projects registered by their firms, then applications replayed step by step. Idempotent: a
/// record already loaded is skipped.
struct SampleDataLoader {
    let services: AppServices
    let directory: URL

    struct FirmEntry: Decodable {
        let uscc: String
        let name: String
    }

    struct ProjectEntry: Decodable {
        let code: String
        let name: String
        let district: String
        let address: String
        let category: String
        let builder: String
        let contractor: String?
    }

    struct ApplicationEntry: Decodable {
        let key: String
        let project: String
        let applicant: String
        let bundle: String?
        let items: [String]
        let commitment: Bool?
        let form: [String: FormValue]
        let materials: [String: String]
        let steps: [Step]?
    }

    struct Step: Decodable {
        struct Accept: Decodable {
            let by: String
            let deferred: [String]?
            let supplementDue: CivilDate?
        }

        struct Review: Decodable {
            let by: String
            let item: String
            let decision: ReviewDecision.Decision
            let opinion: String?
        }

        struct Issue: Decodable {
            let by: String
        }

        /// An inspector works the issued certificate's task of kind `task`.
        struct Inspect: Decodable {
            let by: String
            let task: String
            let result: InspectionResult
            let findings: String?
            let rectifyWithinDays: Int?
        }

        let accept: Accept?
        let review: Review?
        let issue: Issue?
        let inspect: Inspect?
    }

    struct SampleDataError: Error, CustomStringConvertible {
        let description: String
    }

    func load() async throws {
        let firms = try read("firms.yaml", [String: [FirmEntry]].self)["firms"] ?? []
        let accounts = try read("accounts.yaml", [String: [NewAccount]].self)["accounts"] ?? []
        let projects = try read("projects.yaml", [String: [ProjectEntry]].self)["projects"] ?? []
        let applications = try read("applications.yaml", [String: [ApplicationEntry]].self)["applications"] ?? []
        for firm in firms {
            try await services.accounts.registerFirm(uscc: firm.uscc, name: firm.name, by: .system)
        }
        for account in accounts where try await !services.accounts.exists(username: account.username) {
            try await services.accounts.create(account, by: .system)
        }
        let actorsByName = Dictionary(try await services.accounts.all().map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
        func actor(_ username: String) throws -> Actor {
            guard let actor = actorsByName[username] else { throw SampleDataError(description: "sample data names unknown account \(username)") }
            return actor
        }
        var projectIDs: [String: String] = [:]
        for entry in projects {
            if let id = try await loaded("project/\(entry.code)") {
                projectIDs[entry.code] = id
                continue
            }
            guard let owner = actorsByName.values.first(where: { $0.role == .applicant && $0.firm == entry.builder })
                    ?? actorsByName.values.first(where: { $0.role == .applicant && $0.firm == entry.contractor })
            else { throw SampleDataError(description: "no applicant account for the builder of project \(entry.code)") }
            let project = try await services.approval.createProject(
                NewProject(code: entry.code, name: entry.name, district: entry.district, address: entry.address, category: entry.category,
                           builder: NewParty(uscc: entry.builder), contractor: entry.contractor.map { NewParty(uscc: $0) }),
                by: owner)
            try await markLoaded("project/\(entry.code)", id: project.id)
            projectIDs[entry.code] = project.id
        }

        for entry in applications where try await loaded("application/\(entry.key)") == nil {
            guard let projectID = projectIDs[entry.project] else { throw SampleDataError(description: "application \(entry.key) names unknown project") }
            let applicant = try actor(entry.applicant)
            var uploads: [MaterialUpload] = []
            for (material, fileName) in entry.materials.sorted(by: { $0.key < $1.key }) {
                let data = try Data(contentsOf: directory.appendingPathComponent("materials").appendingPathComponent(fileName))
                let file = try await services.files.store(DemoPDF.document(label: "\(entry.key) \(material)", title: String(decoding: data, as: UTF8.self)),
                                                          by: applicant)
                uploads.append(MaterialUpload(material: material, file: file.id))
            }
            let application = try await services.approval.submit(
                NewApplication(projectId: projectID, bundle: entry.bundle, items: entry.items, form: entry.form, materials: uploads,
                               commitment: entry.commitment), by: applicant)
            for step in entry.steps ?? [] {
                if let accept = step.accept {
                    _ = try await services.approval.accept(application.id, AcceptanceDecision(decision: .accept, deferred: accept.deferred,
                        supplementDue: accept.supplementDue.map { max($0, services.catalog.calendar.today(at: services.dependencies.now()).adding(days: 7)) }),
                        by: try actor(accept.by))
                }
                if let review = step.review {
                    _ = try await services.approval.review(application.id, ReviewDecision(item: review.item, decision: review.decision, opinion: review.opinion),
                                                           by: try actor(review.by))
                }
                if let issue = step.issue {
                    _ = try await services.approval.issue(application.id, by: try actor(issue.by))
                }
                if let inspect = step.inspect {
                    try await self.inspect(application.id, inspect, by: try actor(inspect.by))
                }
            }
            try await markLoaded("application/\(entry.key)", id: application.id)
        }
    }

    func inspect(_ applicationID: String, _ step: Step.Inspect, by inspector: Actor) async throws {
        // The queue is paged, and a database the demo is added to may hold many tasks before ours.
        var page = PageRequest(limit: PageRequest.maximumLimit)
        var found: SupervisionTask?
        while found == nil {
            let queue = try await services.supervision.queue(for: inspector, statuses: [.open, .claimed], page: page)
            found = queue.items.first { $0.applicationID == applicationID && $0.kind == step.task }
            guard let next = queue.next else { break }
            page = PageRequest(limit: PageRequest.maximumLimit, after: next)
        }
        guard let task = found else {
            throw SampleDataError(description: "no \(step.task) task for \(inspector.username) to inspect")
        }
        let today = services.catalog.calendar.today(at: services.dependencies.now())
        _ = try await services.supervision.record(
            InspectionDraft(result: step.result, findings: step.findings, rectifyBy: step.rectifyWithinDays.map { today.adding(days: $0) }),
            task: task.id, idempotencyKey: nil, by: inspector)
    }

    func read<T: Decodable>(_ name: String, _ type: T.Type) throws -> T {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return try YAMLDecoder().decode(type, from: text)
    }

    func loaded(_ key: String) async throws -> String? {
        try await services.database.read { db in
            try String.fetchOne(db, sql: "SELECT target_id FROM sample_data_loaded WHERE key = ?", arguments: [key])
        }
    }

    func markLoaded(_ key: String, id: String) async throws {
        try await services.database.write { db in
            try db.execute(sql: "INSERT INTO sample_data_loaded (key, target_id) VALUES (?, ?)", arguments: [key, id])
        }
    }
}
