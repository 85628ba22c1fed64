import Foundation
import GRDB
import Kernel

/// An application as a list shows it, read as the transaction that last changed it kept it.
public struct ListedApplication: Sendable {
    /// `ApplicationBase`, encoded: a JSON object.
    public let base: String
    /// The items the asker may see, encoded: a JSON array.
    public let items: String
    public let deadline: DeadlineBasis
}

/// The SQL behind every list of applications: each filter an indexed range, newest first, paged
/// by keyset on (submitted_at, id). A department's applications come from `application_departments`,
/// which holds a row per department an application asks, with its status, deadline clock and how
/// many of its items the department still has to review, so a reviewer's queue is a range too.
public enum ApplicationListing {
    /// A cursor's keys: the row's `submitted_at` as stored, then its id.
    public static let keyCount = 2

    /// What a page of applications reads: the documents whole, or the list rows kept beside them.
    public enum Columns: Sendable {
        case documents
        /// The list row, with the items of `department` only when `departmentItems` (a reviewer's).
        case listRows(departmentItems: Bool)

        var sql: String {
            switch self {
            case .documents: "a.document"
            case .listRows(let departmentItems):
                "a.list_base, \(departmentItems ? "d" : "a").list_items, a.clock, a.accepted_on, a.promised_by, a.legal_by"
            }
        }
    }

    public static func statement(_ query: ApplicationQuery, page: PageRequest?, columns: Columns = .documents) -> (sql: String, arguments: StatementArguments) {
        let byDepartment = query.department != nil
        let (submitted, id) = byDepartment ? ("d.submitted_at", "d.application_id") : ("a.submitted_at", "a.id")
        var conditions: [String] = []
        var arguments = StatementArguments()
        func add(_ condition: String, _ values: [(any DatabaseValueConvertible)?]) {
            conditions.append(condition)
            arguments += StatementArguments(values)
        }
        let row = byDepartment ? "d" : "a"
        if let department = query.department {
            add("d.department = ?", [department])
            // Literal, so that SQLite sees the partial index's own condition and may read it.
            switch query.pending {
            case true?: conditions.append("d.pending > 0")
            case false?: conditions.append("d.pending = 0")
            case nil: break
            }
        }
        if let firm = query.firm { add("a.firm = ?", [firm]) }
        if let projectID = query.projectID { add("a.project_id = ?", [projectID]) }
        if let helper = query.helper { add("a.helper_id = ?", [helper]) }
        if let statuses = query.statuses {
            add("\(row).status IN (\(statuses.map { _ in "?" }.joined(separator: ",")))", statuses.map(\.rawValue))
        }
        if let clock = query.clock { add("\(row).clock = ?", [clock.rawValue]) }
        if let from = query.promisedFrom { add("\(row).promised_by >= ?", [from.description]) }
        if let before = query.promisedBefore { add("\(row).promised_by < ?", [before.description]) }
        if let from = query.submittedFrom { add("\(submitted) >= ?", [from]) }
        if let before = query.submittedBefore { add("\(submitted) < ?", [before]) }
        if let after = page?.after { add("(\(submitted), \(id)) < (?, ?)", after.keys) }
        // Without statistics SQLite would walk a department's whole history in page order and
        // test each row's clock, or its count of items still to review beside a status; the index of
        // the rows still to review, the clock's or the status's reads only the rows asked for.
        let departmentRows = switch (query.pending, query.clock, query.statuses) {
        case (true?, _, _): "application_departments d INDEXED BY application_departments_pending"
        case (_, _?, _): "application_departments d INDEXED BY application_departments_by_clock"
        case (false?, nil, _?): "application_departments d INDEXED BY application_departments_by_status"
        default: "application_departments d"
        }
        // A project's applications are few, a status's or a firm's many: without statistics SQLite
        // may take the larger range (measured: every issued application of a city read on each
        // submission), so a project's range is named.
        let applicationRows = query.projectID == nil ? "applications a" : "applications a INDEXED BY applications_by_project"
        let source = byDepartment ? "\(departmentRows) JOIN \(applicationRows) ON a.id = d.application_id" : applicationRows
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT \(submitted) AS submitted, \(id) AS id, \(columns.sql) FROM \(source) \(filter) ORDER BY \(submitted) DESC, \(id) DESC"
        if let page {
            sql += " LIMIT ?"
            arguments += [page.limit + 1]
        }
        return (sql, arguments)
    }

    public static func page(_ query: ApplicationQuery, _ page: PageRequest, in db: Database) throws -> Page<Application> {
        let (sql, arguments) = statement(query, page: page)
        return try page.page(of: try Row.fetchAll(db, sql: sql, arguments: arguments), keys: { [$0["submitted"], $0["id"]] },
                             item: { try StoredJSON.decode(Application.self, from: $0["document"] as String) })
    }

    /// A page of list rows as the writing transactions kept them: nothing decoded.
    public static func listRows(_ query: ApplicationQuery, departmentItems: Bool, _ page: PageRequest, in db: Database) throws -> Page<ListedApplication> {
        precondition(!departmentItems || query.department != nil, "a department's items are read beside its rows")
        let (sql, arguments) = statement(query, page: page, columns: .listRows(departmentItems: departmentItems))
        return try page.page(of: try Row.fetchAll(db, sql: sql, arguments: arguments), keys: { [$0["submitted"], $0["id"]] }) { row in
            guard let base: String = row["list_base"], let items: String = row["list_items"],
                  let clock = DeadlineClock(rawValue: row["clock"]) else {
                throw DatabaseError(message: "application \(row["id"] as String? ?? "?") has no list row")
            }
            return ListedApplication(base: base, items: items, deadline: DeadlineBasis(
                clock: clock, accepted: (row["accepted_on"] as String?) != nil, promisedBy: (row["promised_by"] as String?).flatMap(CivilDate.init),
                legalBy: (row["legal_by"] as String?).flatMap(CivilDate.init)))
        }
    }

    public static func all(_ query: ApplicationQuery, in db: Database) throws -> [Application] {
        let (sql, arguments) = statement(query, page: nil)
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try StoredJSON.decode(Application.self, from: $0["document"] as String) }
    }

    static let issuedCount = "SELECT COUNT(*) FROM applications WHERE issued_at >= ? AND issued_at < ?"

    /// How many applications were issued in `period`, counted in the issuance index.
    static func issuedCount(in period: Range<Date>, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: issuedCount, arguments: [period.lowerBound, period.upperBound]) ?? 0
    }

    /// The query columns beside an application's document, and its rows per department, as it
    /// now stands; in the transaction that writes it.
    static func index(_ application: Application, in db: Database) throws {
        try db.execute(sql: "UPDATE applications SET helper_id = ?, amends = ?, clock = ? WHERE id = ?",
                       arguments: [application.helper?.id, application.amends, application.deadlineClock.rawValue, application.id])
        try db.execute(sql: "DELETE FROM application_departments WHERE application_id = ?", arguments: [application.id])
        for department in Set(application.departments) {
            try db.execute(sql: """
                INSERT INTO application_departments (department, submitted_at, application_id, status, clock, promised_by, pending)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [department, application.submittedAt, application.id, application.status.rawValue,
                                 application.deadlineClock.rawValue, application.promisedBy?.description,
                                 pendingReviews(of: department, in: application)])
        }
        try keepListRow(application, in: db)
    }

    /// The application as lists show it, encoded once here rather than on every page read: its
    /// base view, all its items, and each department's own items on that department's row; with
    /// what its deadline is judged from.
    static func keepListRow(_ application: Application, in db: Database) throws {
        guard let project = try Row.fetchOne(db.cachedStatement(sql: "SELECT code, json_extract(document, '$.name') AS name FROM projects WHERE id = ?"),
                                             arguments: [application.projectID]) else {
            throw ApprovalError.notFound("项目 \(application.projectID)")
        }
        let base = ApplicationBase(application, projectCode: project["code"], projectName: project["name"])
        try db.cachedStatement(sql: "UPDATE applications SET list_base = ?, list_items = ?, accepted_on = ?, legal_by = ? WHERE id = ?")
            .execute(arguments: [try PublishedJSON.string(base), try PublishedJSON.string(application.items), application.acceptedOn?.description,
                                 application.legalBy?.description, application.id])
        let byDepartment = try db.cachedStatement(sql: "UPDATE application_departments SET list_items = ? WHERE application_id = ? AND department = ?")
        for department in Set(application.departments) {
            try byDepartment.execute(arguments: [try PublishedJSON.string(application.items.filter { $0.department == department }), application.id, department])
        }
    }

    /// How many of `department`'s items it may review now: undecided, on an application in a state
    /// `review` accepts. Nought otherwise, so an application refused or withdrawn with its items
    /// undecided leaves the reviewer's index.
    static func pendingReviews(of department: String, in application: Application) -> Int {
        guard application.status.isUnderWay else { return 0 }
        return application.items.count { $0.department == department && $0.status == .pending }
    }
}
