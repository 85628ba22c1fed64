import Foundation
import GRDB
import Kernel

public struct SQLiteApprovalStore: ApprovalStore {
    let database: AppDatabase
    let events: EventBus

    /// Sends the messages a transition leaves (a broken 容缺 promise told to its firm).
    let notifier: (any Notifier)?

    public init(database: AppDatabase, events: EventBus, notifier: (any Notifier)? = nil) {
        self.database = database
        self.events = events
        self.notifier = notifier
    }

    public func insert(_ project: Project, audit: AuditEntry, at date: Date) async throws {
        let document = try StoredJSON.encode(project)
        try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM projects WHERE code = ?", arguments: [project.code]) == true {
                throw ApprovalError.conflict(code: "project-exists", message: """
                    项目代码 \(project.code) 已由其他单位登记；如贵单位是该项目的建设单位，可提出异议（POST /api/v1/projects/contests），由审批局核实后改正
                    """)
            }
            try db.execute(sql: """
                INSERT INTO projects (id, code, owner_firm, builder_uscc, contractor_uscc, document) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [project.id, project.code, project.ownerFirm, project.builder.uscc, project.contractor?.uscc, document])
            try AuditLog.append(audit, in: db, at: date)
        }
    }

    public func project(id: String) async throws -> Project? {
        try await database.read { db in try Self.project(id: id, in: db) }
    }

    /// Projects by code, which is unique: the staff's list walks its index in order; a firm's few
    /// projects come from the builder and contractor indexes and are sorted.
    static let projectOrder = KeysetOrder("code")

    static func projectsStatement(visibleTo firm: String?, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        if let firm {
            projectOrder.statement("SELECT code, document FROM projects", where: ["(builder_uscc = ? OR contractor_uscc = ?)"],
                                   arguments: [firm, firm], page: page)
        } else {
            projectOrder.statement("SELECT code, document FROM projects", page: page)
        }
    }

    public func projects(visibleTo firm: String?, page: PageRequest) async throws -> Page<Project> {
        try await database.read { db in
            try Self.projectOrder.page(Self.projectsStatement(visibleTo: firm, page: page), page, in: db) {
                try StoredJSON.decode(Project.self, from: $0["document"] as String)
            }
        }
    }

    public func projects(ids: Set<String>) async throws -> [String: Project] {
        try await database.read { db in
            try Dictionary(uniqueKeysWithValues: ids.compactMap { id in try Self.project(id: id, in: db).map { (id, $0) } })
        }
    }

    public func firms(_ usccs: [String]) async throws -> [String: Firm] {
        try await database.read { db in try FirmRegister.firms(usccs, in: db) }
    }

    public func insert(_ application: Application, effects: Effects, at date: Date) async throws {
        let document = try StoredJSON.encode(application)
        try await database.write { db in
            if let root = application.amends {
                try Application.refusePending(application.items.map(\.code), in: try Self.lineage(root: root, in: db))
            }
            try db.execute(sql: """
                INSERT INTO applications (id, project_id, firm, status, promised_by, submitted_at, issued_at, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [application.id, application.projectID, application.firm, application.status.rawValue,
                                 application.promisedBy?.description, application.submittedAt, application.issuedAt, document])
            try ApplicationListing.index(application, in: db)
            try ApplicationFiles.index(application, in: db)
            try apply(effects, in: db, at: date)
        }
    }

    public func application(id: String) async throws -> (application: Application, project: Project)? {
        try await database.read { db in
            guard let application = try Self.application(id: id, in: db),
                  let project = try Self.project(id: application.projectID, in: db) else { return nil }
            return (application, project)
        }
    }

    public func site(ofApplication id: String, formText fields: [String]) async throws -> (site: ProjectSite, form: [String: String])? {
        // One statement, prepared once per connection: SQLite reads each value out of the stored
        // documents in C (a document parsed once per row); of the form, only a text value counts.
        let values = fields.map { _ in ", CASE json_type(a.document, ?) WHEN 'text' THEN json_extract(a.document, ?) END" }.joined()
        let paths = fields.flatMap { field in Array(repeating: "$.form.\"\(field)\"", count: 2) }
        return try await database.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT json_extract(p.document, '$.district'), json_extract(p.document, '$.address'),
                       json_extract(p.document, '$.builder.name'), json_extract(p.document, '$.builder.uscc'),
                       json_extract(p.document, '$.contractor.name'), json_extract(p.document, '$.contractor.uscc')\(values)
                FROM applications a JOIN projects p ON p.id = a.project_id WHERE a.id = ?
                """)
            guard let row = try Row.fetchOne(statement, arguments: StatementArguments(paths + [id])),
                  let district: String = row[0], let address: String = row[1], let builderName: String = row[2],
                  let builderUSCC: String = row[3] else { return nil }
            let contractor = (row[4] as String?).flatMap { name in (row[5] as String?).map { Party(name: name, uscc: $0) } }
            var form: [String: String] = [:]
            for (index, field) in fields.enumerated() {
                if let value: String = row[index + 6] { form[field] = value }
            }
            return (ProjectSite(district: district, address: address, builder: Party(name: builderName, uscc: builderUSCC), contractor: contractor), form)
        }
    }

    public func update(applicationID: String, at date: Date,
                       _ change: @Sendable (inout Application, Project) throws -> Effects) async throws -> Application {
        try await database.write { db in
            guard var application = try Self.application(id: applicationID, in: db),
                  let project = try Self.project(id: application.projectID, in: db)
            else { throw ApprovalError.notFound("申请 \(applicationID)") }
            let effects = try change(&application, project)
            let document = try StoredJSON.encode(application)
            try db.execute(sql: "UPDATE applications SET status = ?, promised_by = ?, issued_at = ?, document = ? WHERE id = ?",
                           arguments: [application.status.rawValue, application.promisedBy?.description, application.issuedAt, document,
                                       application.id])
            try ApplicationListing.index(application, in: db)
            try ApplicationFiles.index(application, in: db)
            try apply(effects, in: db, at: date)
            return application
        }
    }

    public func applications(_ query: ApplicationQuery) async throws -> [Application] {
        try await database.read { db in try ApplicationListing.all(query, in: db) }
    }

    public func applications(_ query: ApplicationQuery, page: PageRequest) async throws -> Page<Application> {
        try await database.read { db in try ApplicationListing.page(query, page, in: db) }
    }

    public func listedApplications(_ query: ApplicationQuery, departmentItems: Bool, page: PageRequest) async throws -> Page<ListedApplication> {
        try await database.read { db in try ApplicationListing.listRows(query, departmentItems: departmentItems, page, in: db) }
    }

    public func issuedCounts(in periods: [Range<Date>]) async throws -> [Int] {
        try await database.read { db in try periods.map { try ApplicationListing.issuedCount(in: $0, in: db) } }
    }

    /// Through the project's few rows by name: SQLite, guessing, may take the firm's whole history.
    /// Each field's newest value over the firm's live applications on the project, merged by
    /// SQLite into one form: a site's long history costs a walk in C, not a decode per application.
    /// A value keeps its JSON type (`json_each` gives text unquoted and objects as JSON text).
    static let knownFormSQL = """
        SELECT '{' || group_concat(json_quote(key) || ':' || value, ',') || '}' FROM (
            SELECT field.key AS key, max(a.submitted_at || a.id),
                   CASE field.type WHEN 'text' THEN json_quote(field.value) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                                   WHEN 'null' THEN 'null' ELSE field.value END AS value
            FROM applications a INDEXED BY applications_by_project, json_each(a.document, '$.form') field
            WHERE a.project_id = ? AND a.status NOT IN ('refused', 'withdrawn') AND a.firm = ?
            GROUP BY field.key)
        """

    public func knownForm(firm: String, projectID: String) async throws -> [String: FormValue] {
        try await database.read { db in
            try String.fetchOne(db, sql: Self.knownFormSQL, arguments: [projectID, firm]).map { try StoredJSON.decode([String: FormValue].self, from: $0) } ?? [:]
        }
    }

    public func timeline(applicationID: String) async throws -> [AuditRecord] {
        try await database.read { db in try AuditLog.records(subject: "application/\(applicationID)", in: db) }
    }

    public func record(_ audit: AuditEntry, at date: Date) async throws {
        try await database.write { db in try AuditLog.append(audit, in: db, at: date) }
    }

    public func file(id: String) async throws -> StoredFile? {
        try await database.read { db in try FileStore.file(id: id, in: db) }
    }

    private func apply(_ effects: Effects, in db: Database, at date: Date) throws {
        for entry in effects.audit { try AuditLog.append(entry, in: db, at: date) }
        for entry in effects.credit { try CreditLedger.append(entry, in: db) }
        for event in effects.events { try events.publish(event, in: db, at: date) }
        for message in effects.messages { _ = try notifier?.notify(message, in: db, at: date) }
    }

    public func applicationsWithDeficiencies(dueBefore day: CivilDate) async throws -> [String] {
        let open: [ApplicationStatus] = [.acceptedWithDeficiencies, .underReview, .approved, .partlyApproved, .correctionRequested]
        return try await database.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT a.id FROM applications a, json_each(a.document, '$.materials') m
                WHERE a.status IN (\(Array(repeating: "?", count: open.count).joined(separator: ",")))
                  AND json_extract(m.value, '$.state') = ? AND json_extract(m.value, '$.due') < ?
                  AND json_extract(m.value, '$.overdue') IS NULL
                ORDER BY a.id
                """, arguments: StatementArguments(open.map(\.rawValue) + [SubmittedMaterial.State.deferred.rawValue, day.description]))
        }
    }

    public func lineage(root: String) async throws -> [Application] {
        try await database.read { db in try Self.lineage(root: root, in: db) }
    }

    static let lineageSQL = "SELECT document FROM applications WHERE id = ?1 OR amends = ?1 ORDER BY submitted_at, id"

    static func lineage(root: String, in db: Database) throws -> [Application] {
        try String.fetchAll(db, sql: lineageSQL, arguments: [root]).map { try StoredJSON.decode(Application.self, from: $0) }
    }

    /// Counts each clerk's open applications through the partial index of open applications.
    static let leastBusyHelperSQL = """
        SELECT a.id, a.name, (SELECT COUNT(*) FROM applications p
                              WHERE p.helper_id = a.id AND p.status NOT IN ('issued', 'refused', 'withdrawn', 'denied')) AS load
        FROM accounts a WHERE a.role = 'clerk' ORDER BY load, a.username LIMIT 1
        """

    public func leastBusyHelper() async throws -> Helper? {
        try await database.read { db in
            try Row.fetchOne(db, sql: Self.leastBusyHelperSQL).map { Helper(id: $0["id"], name: $0["name"]) }
        }
    }

    public func insert(_ message: ApplicationMessage, audit: AuditEntry) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO application_messages (id, application_id, at, document) VALUES (?, ?, ?, ?)",
                           arguments: [message.id, message.applicationID, message.at, try StoredJSON.encode(message)])
            try AuditLog.append(audit, in: db, at: message.at)
        }
    }

    /// An application's conversation reads in the order it was written, each page going on from
    /// the last: by time, and messages of one instant in the order they were stored (rowid).
    public static let messageOrder = KeysetOrder("at", "rowid")

    static func messagesStatement(applicationID: String, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        messageOrder.statement("SELECT at, rowid, document FROM application_messages", where: ["application_id = ?"], arguments: [applicationID],
                               page: page)
    }

    public func messages(applicationID: String, page: PageRequest) async throws -> Page<ApplicationMessage> {
        try await database.read { db in
            try Self.messageOrder.page(Self.messagesStatement(applicationID: applicationID, page: page), page, in: db) {
                try StoredJSON.decode(ApplicationMessage.self, from: $0["document"] as String)
            }
        }
    }

    public func creditRecords(firm: String, after: CivilDate, through: CivilDate, page: PageRequest) async throws -> Page<CreditEntry> {
        try await database.read { db in try CreditLedger.entries(firm: firm, after: after, through: through, page: page, in: db) }
    }

    public func creditCounts(firm: String, after: CivilDate, through: CivilDate) async throws -> [CreditEventKind: Int] {
        try await database.read { db in try CreditLedger.counts(firm: firm, after: after, through: through, in: db) }
    }

    /// The capability whose annex an application carries, read out of the stored document without
    /// decoding it: a capability's subscriber to every submission looks only at its own.
    public static func annexCapability(ofApplication id: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT json_extract(document, '$.annex.capability') FROM applications WHERE id = ?", arguments: [id])
    }

    /// An application read inside a transaction, for subscribers that run in one.
    public static func application(id: String, in db: Database) throws -> Application? {
        try String.fetchOne(db, sql: "SELECT document FROM applications WHERE id = ?", arguments: [id])
            .map { try StoredJSON.decode(Application.self, from: $0) }
    }

    public static func project(id: String, in db: Database) throws -> Project? {
        try String.fetchOne(db, sql: "SELECT document FROM projects WHERE id = ?", arguments: [id])
            .map { try StoredJSON.decode(Project.self, from: $0) }
    }
}
