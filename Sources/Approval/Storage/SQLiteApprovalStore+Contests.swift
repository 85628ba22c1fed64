import Foundation
import GRDB
import Kernel

extension SQLiteApprovalStore {
    public func project(code: String) async throws -> Project? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT document FROM projects WHERE code = ?", arguments: [code])
                .map { try StoredJSON.decode(Project.self, from: $0) }
        }
    }

    public func insert(_ contest: ProjectContest, audit: AuditEntry, at date: Date) async throws {
        let document = try StoredJSON.encode(contest)
        try await database.write { db in
            let open = try Bool.fetchOne(db, sql: "SELECT 1 FROM project_contests WHERE project_id = ? AND firm = ? AND status = 'open'",
                                         arguments: [contest.projectId, contest.firm]) ?? false
            guard !open else { throw ApprovalError.conflict(code: "contest-open", message: "本单位对该项目的异议尚在核实中") }
            try db.execute(sql: "INSERT INTO project_contests (id, project_id, firm, status, document) VALUES (?, ?, ?, ?, ?)",
                           arguments: [contest.id, contest.projectId, contest.firm, contest.status.rawValue, document])
            try AuditLog.append(audit, in: db, at: date)
        }
    }

    /// Contests in the order they were filed: the table's own order, which the status index
    /// keeps too, so a page of either list is read in order and stops at its end.
    public static let contestOrder = KeysetOrder("rowid")

    static func contestsStatement(status: ProjectContest.Status?, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        contestOrder.statement("SELECT rowid, document FROM project_contests", where: status == nil ? [] : ["status = ?"],
                               arguments: status.map { [$0.rawValue] } ?? [], page: page)
    }

    public func contests(status: ProjectContest.Status?, page: PageRequest) async throws -> Page<ProjectContest> {
        try await database.read { db in
            try Self.contestOrder.page(Self.contestsStatement(status: status, page: page), page, in: db) {
                try StoredJSON.decode(ProjectContest.self, from: $0["document"] as String)
            }
        }
    }

    public func reassign(_ project: Project, audit: AuditEntry, at date: Date) async throws {
        let document = try StoredJSON.encode(project)
        try await database.write { db in
            try db.execute(sql: "UPDATE projects SET owner_firm = ?, builder_uscc = ?, contractor_uscc = ?, document = ? WHERE id = ?",
                           arguments: [project.ownerFirm, project.builder.uscc, project.contractor?.uscc, document, project.id])
            try AuditLog.append(audit, in: db, at: date)
            let open = try String.fetchAll(db, sql: "SELECT document FROM project_contests WHERE project_id = ? AND status = 'open'",
                                           arguments: [project.id])
            for stored in open {
                var contest = try StoredJSON.decode(ProjectContest.self, from: stored)
                contest.status = project.isVisible(to: contest.firm) ? .upheld : .dismissed
                contest.resolvedAt = date
                contest.resolution = audit.detail?["reason"]
                try Self.save(contest, in: db)
            }
        }
    }

    public func dismissContest(id: String, resolution: String, audit: AuditEntry, at date: Date) async throws -> ProjectContest? {
        try await database.write { db in
            guard let stored = try String.fetchOne(db, sql: "SELECT document FROM project_contests WHERE id = ? AND status = 'open'", arguments: [id])
            else { return nil }
            var contest = try StoredJSON.decode(ProjectContest.self, from: stored)
            contest.status = .dismissed
            contest.resolvedAt = date
            contest.resolution = resolution
            try Self.save(contest, in: db)
            try AuditLog.append(audit, in: db, at: date)
            return contest
        }
    }

    static func save(_ contest: ProjectContest, in db: Database) throws {
        try db.execute(sql: "UPDATE project_contests SET status = ?, document = ? WHERE id = ?",
                       arguments: [contest.status.rawValue, try StoredJSON.encode(contest), contest.id])
    }
}
