import Foundation
import GRDB
import Testing
import WebApp
@testable import Approval
@testable import Kernel
@testable import NightWork
@testable import Supervision

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
        var queries = filters.flatMap { name, query in
            [nil, page].map { page in
                let (sql, arguments) = ApplicationListing.statement(query, page: page ?? PageRequest())
                return Query(name: "applications: \(name)\(page == nil ? "" : ", a later page")", sql: sql, arguments: arguments, paged: true)
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
        ]
        for list in keysetLists {
            for page in [PageRequest(), PageRequest(limit: 50, after: Cursor(Array(repeating: "key", count: list.order.keyCount)))] {
                let (sql, arguments) = list.statement(page)
                queries.append(Query(name: "\(list.name)\(page.after == nil ? "" : ", a later page")", sql: sql, arguments: arguments, paged: true))
            }
        }
        // A firm's few projects come from the builder and the contractor indexes, then are sorted.
        let firmProjects = SQLiteApprovalStore.projectsStatement(visibleTo: "F", page: PageRequest(limit: 50, after: Cursor(["code"])))
        queries += [
            Query(name: "a firm's projects", sql: firmProjects.sql, arguments: firmProjects.arguments, paged: false),
            Query(name: "the helper pick", sql: SQLiteApprovalStore.leastBusyHelperSQL, arguments: [], paged: false),
            Query(name: "a firm's credit standing, counted", sql: CreditLedger.countsSQL, arguments: ["F", "2024-12-01", "2026-12-01"], paged: false),
            Query(name: "an upload's firm quota, summed", sql: FileStore.quotaUsedSQL, arguments: ["F"], paged: false),
            Query(name: "an application's 增项 lineage", sql: SQLiteApprovalStore.lineageSQL, arguments: ["id"], paged: false),
            Query(name: "overview: first inspections in a period", sql: TaskQueue.firstInspectionCounts, arguments: ["2026-11-01", "2026-11-30"],
                  paged: false),
            Query(name: "overview: departments' active loads", sql: TaskQueue.activeLoads, arguments: ["2026-12-01"], paged: false),
            Query(name: "overview: awaiting first inspection", sql: TaskQueue.awaitingFirstInspection, arguments: [50], paged: true),
            Query(name: "overview: awaiting first inspection, counted", sql: TaskQueue.awaitingFirstInspectionCount, arguments: [], paged: false),
        ]
        return queries
    }

    @Test("no query behind a list, queue, pick or overview scans a table, and no page is sorted after reading", arguments: queries())
    func queryUsesAnIndex(_ query: Query) async throws {
        let app = try await TestApp()
        let (plan, partialIndexes) = try await app.services.database.read { db in
            (try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.arguments).map { $0["detail"] as String },
             Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")))
        }
        let sorted = plan.contains { $0.contains("TEMP B-TREE") }
        #expect(!(query.paged && sorted), "\(query) sorts before paging: \(plan)")
        // Walking a whole index is reading the table, unless the index holds only the rows still
        // in play (a partial index) or the walk is in the page's order and stops at its LIMIT.
        let scans = plan.filter { step in
            guard step.hasPrefix("SCAN ") else { return false }
            guard let index = step.firstMatch(of: /USING (?:COVERING )?INDEX (\w+)/)?.1 else { return true }
            return !partialIndexes.contains(String(index)) && !(query.paged && !sorted)
        }
        #expect(scans.isEmpty, "\(query) scans: \(plan)")
    }
}
