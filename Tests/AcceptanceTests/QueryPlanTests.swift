import Foundation
import GRDB
import Testing
import WebApp
@testable import Approval
import Certificates
@testable import Kernel
@testable import NightWork
@testable import Supervision
@testable import WasteDisposal

/// Issue 12 §3: the SQL behind the lists, queues, picks and overviews, as SQLite plans it on a
/// migrated database. A full `SCAN` of a table reads every row the city ever wrote, and a
/// temporary B-tree for ORDER BY sorts every matching row before a page of them is answered.
@Suite("Every list, queue, pick and overview query is an index range, not a scan")
struct QueryPlanTests {
    struct Query: CustomStringConvertible {
        let name: String
        let sql: String
        let arguments: StatementArguments
        /// A page must come in index order; an unpaged count or a few rows may be sorted.
        let paged: Bool
        /// The index a query must read when a larger one also fits its filter.
        var index: String? = nil
        /// Unfiltered, in the table's own (rowid) order: walking the table is walking the page.
        var inTableOrder = false
        var description: String { name }
    }

    static func queries() -> [Query] {
        let page = PageRequest(limit: 50, after: Cursor(["2026-12-01 08:00:00.000", "id"]))
        let filters: [(String, ApplicationQuery)] = [
            ("all applications", ApplicationQuery()), ("a firm's", ApplicationQuery(firm: "F")), ("a status", ApplicationQuery(statuses: [.underReview])),
            ("a department's", ApplicationQuery(department: "housing")),
            ("a department's of a status", ApplicationQuery(department: "housing", statuses: [.underReview])),
            ("a helper's", ApplicationQuery(helper: "clerk")), ("paused", ApplicationQuery(clock: .paused)),
            ("overdue", ApplicationQuery(clock: .running, promisedBefore: CivilDate("2026-12-01"))),
            ("a department's overdue", ApplicationQuery(department: "housing", clock: .running, promisedBefore: CivilDate("2026-12-01"))),
            ("submitted in a period", ApplicationQuery(submittedFrom: Date(timeIntervalSince1970: 0), submittedBefore: Date())),
        ]
        // A reviewer's queue reads only the department's work in hand, never its history.
        let reviewerLists: [(String, ApplicationQuery, index: String)] = [
            ("a department's still to review", ApplicationQuery(department: "housing", pending: true), "application_departments_pending"),
            ("a department's still to review, overdue",
             ApplicationQuery(department: "housing", pending: true, clock: .running, promisedBefore: CivilDate("2026-12-01")),
             "application_departments_pending"),
            ("a department's still to review, due soon",
             ApplicationQuery(department: "housing", pending: true, clock: .running, promisedFrom: CivilDate("2026-12-01"),
                              promisedBefore: CivilDate("2026-12-04")),
             "application_departments_pending"),
            ("a department's reviewed, waiting for others", ApplicationQuery(department: "housing", pending: false, statuses: [.underReview]),
             "application_departments_by_status"),
        ]
        let lists = filters.map { ($0, $1, index: String?.none) } + reviewerLists.map { ($0, $1, index: Optional($2)) }
        // The API reads the list rows the transactions keep (a reviewer's items beside its department's
        // rows), the pages the documents: the same range either way.
        var queries = lists.flatMap { name, query, index in
            [nil, page].flatMap { page in
                [(ApplicationListing.Columns.documents, ""), (.listRows(departmentItems: query.department != nil), ", as list rows")].map { columns, label in
                    let (sql, arguments) = ApplicationListing.statement(query, page: page ?? PageRequest(), columns: columns)
                    return Query(name: "applications: \(name)\(page == nil ? "" : ", a later page")\(label)", sql: sql, arguments: arguments, paged: true,
                                 index: index)
                }
            }
        }
        let queue = PageRequest(limit: 50, after: Cursor(["2026-12-01", "2026-11-20", "id"]))
        for statuses in [[TaskStatus.open, .claimed], [.closed]] {
            let (sql, arguments) = TaskQueue.queueStatement(department: "city-management", region: "420104", statuses: statuses, page: queue)
            queries.append(Query(name: "an inspector's queue of \(statuses)", sql: sql, arguments: arguments, paged: true))
        }
        let keysetLists: [(name: String, order: KeysetOrder, statement: (PageRequest) -> (sql: String, arguments: StatementArguments))] = [
            ("an account's inbox", OutboxNotifier.inboxOrder, { OutboxNotifier.inboxStatement(account: "account", page: $0) }),
            ("every project", SQLiteApprovalStore.projectOrder, { SQLiteApprovalStore.projectsStatement(visibleTo: nil, page: $0) }),
            ("night work in a district", NightWorkStore.registerOrder,
             { NightWorkStore.registerStatement(district: "420104", lastNightFrom: CivilDate("2026-12-01")!, page: $0) }),
            ("night work in every district", NightWorkStore.registerOrder,
             { NightWorkStore.registerStatement(district: nil, lastNightFrom: CivilDate("2026-12-01")!, page: $0) }),
            ("the published random draws", SupervisionService.drawOrder, SupervisionService.publishedDrawsStatement(page:)),
            ("every account", SQLiteAccountStore.summaryOrder, SQLiteAccountStore.summariesStatement(page:)),
            ("the firm register", FirmRegister.order, FirmRegister.statement(page:)),
            ("the public register of certificates", CertificateRegistry.publishedOrder, { CertificateRegistry.publishedStatement(district: nil, page: $0) }),
            ("a district's public register of certificates", CertificateRegistry.publishedOrder,
             { CertificateRegistry.publishedStatement(district: "420104", page: $0) }),
            ("an application's messages", SQLiteApprovalStore.messageOrder, { SQLiteApprovalStore.messagesStatement(applicationID: "A", page: $0) }),
            ("a firm's credit record in its window", CreditLedger.recordOrder,
             { CreditLedger.recordsStatement(firm: "F", after: CivilDate("2024-12-01")!, through: CivilDate("2026-12-01")!, page: $0) }),
            ("a receiver's deliveries", WebhookOutbox.deliveryOrder, { WebhookOutbox.deliveriesStatement(subscription: "S", status: nil, page: $0) }),
            ("a receiver's failed deliveries", WebhookOutbox.deliveryOrder, { WebhookOutbox.deliveriesStatement(subscription: "S", status: .failed, page: $0) }),
            ("a disposal region's confirmations", Confirmations.queueOrder,
             { Confirmations.queueStatement(region: "420984", department: "city-management", page: $0) }),
            ("a disposal permit's trips", TripLog.tripOrder, { TripLog.tripsStatement(applicationID: "A", page: $0) }),
            ("an application's certificates", CertificateRegistry.applicationOrder,
             { CertificateRegistry.applicationStatement(applicationID: "A", page: $0) }),
            ("the certificates issued in a period (the register's export)", CertificateRegistry.issuedOrder,
             { CertificateRegistry.issuedStatement(from: Date(timeIntervalSince1970: 1_795_000_000), before: Date(timeIntervalSince1970: 1_796_000_000), page: $0) }),
            ("every issued certificate (the register's export)", CertificateRegistry.issuedOrder,
             { CertificateRegistry.issuedStatement(from: nil, before: nil, page: $0) }),
        ]
        for list in keysetLists {
            for page in [PageRequest(), PageRequest(limit: 50, after: Cursor(Array(repeating: "key", count: list.order.keyCount)))] {
                let (sql, arguments) = list.statement(page)
                queries.append(Query(name: "\(list.name)\(page.after == nil ? "" : ", a later page")", sql: sql, arguments: arguments, paged: true))
            }
        }
        for page in [PageRequest(), PageRequest(limit: 50, after: Cursor(["7"]))] {
            let later = page.after == nil ? "" : ", a later page"
            let every = SQLiteApprovalStore.contestsStatement(status: nil, page: page)
            let open = SQLiteApprovalStore.contestsStatement(status: .open, page: page)
            queries += [
                Query(name: "every project-code contest\(later)", sql: every.sql, arguments: every.arguments, paged: true, inTableOrder: true),
                Query(name: "the open project-code contests\(later)", sql: open.sql, arguments: open.arguments, paged: true,
                      index: "project_contests_on_status"),
            ]
        }
        // A firm's few projects come from the builder and the contractor indexes, then are sorted.
        let firmProjects = SQLiteApprovalStore.projectsStatement(visibleTo: "F", page: PageRequest(limit: 50, after: Cursor(["code"])))
        queries += [
            Query(name: "a firm's projects", sql: firmProjects.sql, arguments: firmProjects.arguments, paged: false),
            Query(name: "the helper pick", sql: SQLiteApprovalStore.leastBusyHelperSQL, arguments: [], paged: false),
            Query(name: "a firm's issued applications on a project (the staged permit's check)",
                  sql: ApplicationListing.statement(ApplicationQuery(firm: "F", projectID: "P", statuses: [.issued]), page: nil).sql,
                  arguments: ["F", "P", "issued"], paged: false, index: "applications_by_project"),
            Query(name: "a firm's forms on a project (一表申请)", sql: SQLiteApprovalStore.knownFormSQL, arguments: ["P", "F"], paged: false,
                  index: "applications_by_project"),
            Query(name: "a firm's credit standing, counted", sql: CreditLedger.countsSQL, arguments: ["F", "2024-12-01", "2026-12-01"], paged: false),
            Query(name: "an upload's firm quota, summed", sql: FileStore.quotaUsedSQL, arguments: ["F"], paged: false),
            Query(name: "an application's 增项 lineage", sql: SQLiteApprovalStore.lineageSQL, arguments: ["id"], paged: false),
            Query(name: "overview: first inspections in a period", sql: TaskQueue.firstInspectionCounts, arguments: ["2026-11-01", "2026-11-30"],
                  paged: false),
            Query(name: "overview: departments' active loads", sql: TaskQueue.activeLoads, arguments: ["2026-12-01"], paged: false),
            Query(name: "overview: awaiting first inspection", sql: TaskQueue.awaitingFirstInspection, arguments: [50], paged: true),
            Query(name: "overview: awaiting first inspection, counted", sql: TaskQueue.awaitingFirstInspectionCount, arguments: [], paged: false),
            Query(name: "dashboard: applications issued in a week, counted", sql: ApplicationListing.issuedCount,
                  arguments: [Date(timeIntervalSince1970: 1_795_399_200), Date(timeIntervalSince1970: 1_796_004_000)], paged: false,
                  index: "applications_by_issuance"),
            Query(name: "a disposal permit's totals", sql: TripLog.figuresSQL.totals, arguments: ["A"], paged: false),
            Query(name: "a disposal permit's trips by quarter hour", sql: TripLog.figuresSQL.quarters, arguments: ["A"], paged: true),
            Query(name: "a disposal permit's scans by region", sql: TripLog.figuresSQL.regions, arguments: ["A"], paged: false),
            Query(name: "a disposal permit's trips by vehicle", sql: TripLog.figuresSQL.vehicles, arguments: ["A"], paged: false),
            Query(name: "a firm's disposal permits with their figures", sql: TripLog.firmSummarySQL, arguments: ["F"], paged: true),
            Query(name: "dashboard: the tasks longest overdue", sql: TaskQueue.overdue, arguments: ["2026-12-01", 8], paged: true),
            Query(name: "dashboard: a department's tasks longest overdue", sql: TaskQueue.overdueInDepartment, arguments: ["housing", "2026-12-01", 8],
                  paged: false),
        ]
        return queries
    }

    /// What `ANALYZE` measured on a generated city of 20,000 applications (`shenguan generate-city`;
    /// indexes added since, estimated alike). An empty database has no statistics and SQLite guesses;
    /// with these it weighs each index as on a grown database, where a wrong pick reads a city's
    /// history (it chose the index of every issued application for one project's).
    static let cityStatistics: [(table: String, index: String?, stat: String)] = [
        ("credit_records", "credit_records_by_firm_day", "70012 1751 3 1"), ("files", "files_by_firm", "200 5 1"),
        ("accounts", "accounts_by_role", "179 36 1"),
        ("accounts", "sqlite_autoindex_accounts_1", "179 1"),
        ("accounts", "sqlite_autoindex_accounts_2", "179 1"),
        ("application_departments", "application_departments", "40000 20000 1 1"),
        ("application_departments", "application_departments_by_clock", "40000 20000 6667 1 1"),
        ("application_departments", "application_departments_by_status", "40000 20000 2858 1 1"),
        ("application_departments", "application_departments_of_application", "40000 2"),
        ("application_departments", "application_departments_pending", "1500 750 1 1"),
        ("application_files", "application_files_on_application_id", "100000 5"),
        ("application_files", "application_files_on_file_id", "100000 500"),
        ("application_files", "sqlite_autoindex_application_files_1", "100000 5 1 1"),
        ("applications", "applications_by_clock", "20000 6667 1 1"),
        ("applications", "applications_by_firm", "20000 500 1 1"),
        ("applications", "applications_by_helper", "20000 2000 1 1"),
        ("applications", "applications_by_issuance", "17743 1"),
        ("applications", "applications_by_project", "20000 2 2 1"),
        ("applications", "applications_by_status", "20000 2858 1 1"),
        ("applications", "applications_by_submission", "20000 1 1"),
        ("applications", "applications_on_project_id", "20000 2"),
        ("applications", "applications_open_by_helper", "1357 136"),
        ("applications", "sqlite_autoindex_applications_1", "20000 1"),
        ("audit_log", "audit_log_on_subject", "437155 4"),
        ("certificates", "certificates_by_issuance", "17743 1 1"),
        ("certificates", "certificates_by_district_issuance", "17743 17743 1 1"),
        ("certificates", "certificates_by_project", "17743 2 2"),
        ("certificates", "certificates_on_application_id", "17743 1"),
        ("certificates", "certificates_on_holder_uscc", "17743 444"),
        ("certificates", "sqlite_autoindex_certificates_1", "17743 1"),
        ("domain_events", "domain_events_on_subject", "445639 12"),
        ("files", "sqlite_autoindex_files_1", "200 1"),
        ("firms", "sqlite_autoindex_firms_1", "40 1"),
        ("inspections", "inspections_on_task_id", "70012 1"),
        ("inspections", "sqlite_autoindex_inspections_1", "70012 1"),
        ("inspections", "sqlite_autoindex_inspections_2", "70012 1556 1556"),
        ("notifications", "notifications_inbox", "70972 1578 2 1"),
        ("notifications", "sqlite_autoindex_notifications_1", "70972 1"),
        ("projects", "projects_on_builder_uscc", "10000 250"),
        ("projects", "projects_on_contractor_uscc", "10000 250"),
        ("projects", "projects_on_owner_firm", "10000 250"),
        ("projects", "sqlite_autoindex_projects_1", "10000 1"),
        ("projects", "sqlite_autoindex_projects_2", "10000 1"),
        ("scans", "scans_on_certificate_number", "175030 10"),
        ("scans", "scans_on_inspector_id", "175030 3890"),
        ("scans", "sqlite_autoindex_scans_1", "175030 1"),
        ("supervision_tasks", "sqlite_autoindex_supervision_tasks_1", "70972 1"),
        ("supervision_tasks", "supervision_tasks_active_by_department", "960 320 18"),
        ("supervision_tasks", "supervision_tasks_active_by_due", "960 18 1"),
        ("supervision_tasks", "supervision_tasks_active_queue", "960 320 54 3 2 1"),
        ("supervision_tasks", "supervision_tasks_awaiting_first", "480 35 1"),
        ("supervision_tasks", "supervision_tasks_first_by_opening", "35486 107 107 102 102"),
        ("supervision_tasks", "supervision_tasks_on_application_id", "70972 4"),
        ("supervision_tasks", "supervision_tasks_on_certificate_number", "70972 4"),
        ("supervision_tasks", "supervision_tasks_queue", "70972 23658 1578 1127 8 4 1")
    ]

    enum Statistics: String, CaseIterable, CustomStringConvertible {
        case none, city
        var description: String { rawValue }
    }

    @Test("no query behind a list, queue, pick or overview scans a table, and no page is sorted after reading, on a new database and with a grown city's statistics",
          arguments: queries(), Statistics.allCases)
    func queryUsesAnIndex(_ query: Query, statistics: Statistics) async throws {
        let app = try await TestApp()
        if statistics == .city {
            try await app.services.database.write { db in
                try db.execute(sql: "ANALYZE")
                try db.execute(sql: "DELETE FROM sqlite_stat1")
                for row in Self.cityStatistics {
                    try db.execute(sql: "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", arguments: [row.table, row.index, row.stat])
                }
                try db.execute(sql: "ANALYZE sqlite_schema")
            }
        }
        // On the connection that loaded the statistics.
        let (plan, partialIndexes) = try await app.services.database.write { db in
            (try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.arguments).map { $0["detail"] as String },
             Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")))
        }
        let sorted = plan.contains { $0.contains("TEMP B-TREE") }
        #expect(!(query.paged && sorted), "\(query) sorts before paging: \(plan)")
        // Walking a whole index is reading the table, unless the index holds only the rows still
        // in play (a partial index) or the walk is in the page's order and stops at its LIMIT; the
        // same holds for the table itself, walked in rowid order by a list in that order.
        let scans = plan.filter { step in
            // A JSON value's fields (json_each) and a subquery's rows come from the rows an
            // index found, not from a table.
            guard step.hasPrefix("SCAN "), !step.contains("VIRTUAL TABLE"), !step.hasPrefix("SCAN (subquery") else { return false }
            guard let index = step.firstMatch(of: /USING (?:COVERING )?INDEX (\w+)/)?.1 else { return !(query.inTableOrder && !sorted) }
            return !partialIndexes.contains(String(index)) && !(query.paged && !sorted)
        }
        #expect(scans.isEmpty, "\(query) scans: \(plan)")
        if let index = query.index {
            #expect(plan.contains { $0.contains("INDEX \(index) ") }, "\(query) does not read \(index): \(plan)")
        }
    }
}
