import Approval
import Foundation
import GRDB
import Hummingbird
import Kernel
import Testing
import WebApp

@Suite("The applications list pages by cursor, newest first, with the filters the office needs")
struct ApplicationListTests {
    /// Five applications by one firm, two of them in the same minute, the rest a day apart.
    static func fiveApplications(_ app: TestApp, _ client: TestApp.Client) async throws -> (firm: String, ids: [String]) {
        let projectID = try #require(try await client.createProject(token: try await client.login("chongren")).body?["id"]?.string)
        var ids: [String] = []
        for index in 0..<5 {
            // A day later the session has lapsed: sign in again.
            if index != 2 { app.clock.advance(days: 1) }
            ids.append(try await client.submittedApplication(projectID: projectID, firm: try await client.login("chongren")))
        }
        return (try await client.login("chongren"), ids)
    }

    /// Every page of `path` for `token` (none for a public list), each row named by its `key`,
    /// following each answer's `Link: <…>; rel="next"`.
    static func allPages(_ path: String, token: String?, key: String = "id", in client: TestApp.Client) async throws -> [[String]] {
        var pages: [[String]] = []
        var next: String? = path
        while let uri = next, pages.count < 20 {
            let response = try await client.request(.get, uri, token: token)
            #expect(response.status == .ok, "\(uri): \(response.text)")
            pages.append(response.body?.array.compactMap { $0[key]?.string } ?? [])
            next = response.headers[.init("Link")!].flatMap { link in
                link.firstMatch(of: /<([^>]+)>; rel="next"/).map { String($0.1) }
            }
        }
        return pages
    }

    @Test("a clerk pages through every application two at a time: newest first, none repeated or skipped, the last page says there is no next")
    func pagesCoverTheListOnce() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (firm, ids) = try await Self.fiveApplications(app, client)
            let clerk = try await client.login("clerk")
            let pages = try await Self.allPages("/api/v1/applications?limit=2", token: clerk, in: client)
            #expect(pages.map(\.count) == [2, 2, 1])
            let listed = pages.flatMap { $0 }
            #expect(Set(listed) == Set(ids) && listed.count == ids.count)
            #expect(listed.first == ids.last && listed.last == ids.first, "newest first: \(listed) of \(ids)")
            // The firm's own list pages the same way, and one page of 50 holds all five.
            #expect(try await Self.allPages("/api/v1/applications?limit=3", token: firm, in: client).flatMap { $0 } == listed)
            #expect(try await Self.allPages("/api/v1/applications", token: clerk, in: client) == [listed])
        }
    }

    @Test("filters by status, department, deadline and days of submission keep their cursor through the pages")
    func filtersCarryThroughPages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, ids) = try await Self.fiveApplications(app, client)
            let clerk = try await client.login("clerk")
            for id in ids.prefix(3) {
                _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: clerk, json: #"{"decision":"accept"}"#)
            }
            // Newest first; the two of the same minute by id.
            let all = try await client.request(.get, "/api/v1/applications", token: clerk).body?.array ?? []
            let order = all.compactMap { $0["id"]?.string }
            let day = Dictionary(uniqueKeysWithValues: all.compactMap { row in row["id"]?.string.map { ($0, String(row["submittedAt"]?.string?.prefix(10) ?? "")) } })
            func expected(_ subset: ArraySlice<String>) -> [String] { order.filter(subset.contains) }

            let accepted = try await Self.allPages("/api/v1/applications?status=accepted&limit=2", token: clerk, in: client)
            #expect(accepted.flatMap { $0 } == expected(ids.prefix(3)))
            let waiting = try await Self.allPages("/api/v1/applications?deadline=not-started&limit=1", token: clerk, in: client)
            #expect(waiting.flatMap { $0 } == expected(ids.suffix(2)))
            let onTime = try await Self.allPages("/api/v1/applications?deadline=on-time&department=landscaping&limit=2", token: clerk, in: client)
            #expect(onTime.flatMap { $0 } == expected(ids.prefix(3)))
            let landscaping = try await Self.allPages("/api/v1/applications?limit=2", token: try await client.login("reviewer-landscaping"), in: client)
            #expect(landscaping.flatMap { $0 } == order, "a reviewer sees every application asking its department")
            let from = try #require(day[ids[1]]), to = try #require(day[ids[3]])
            let ranged = try await Self.allPages("/api/v1/applications?submittedFrom=\(from)&submittedTo=\(to)&limit=2", token: clerk, in: client)
            #expect(ranged.flatMap { $0 } == expected(ids[1...3]), "\(from)…\(to)")
        }
    }

    @Test("a limit over 200 or under 1, a cursor the server did not give, an unknown filter value or another department's list is refused, naming the parameter")
    func badPagingIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let clerk = try await client.login("clerk")
            let reviewer = try await client.login("reviewer-housing")
            for (query, field) in [("limit=201", "limit"), ("limit=0", "limit"), ("limit=ten", "limit"), ("cursor=bm90LWEtY3Vyc29y", "cursor"),
                                   ("cursor=%%%", "cursor"), ("status=lost", "status"), ("deadline=late", "deadline"),
                                   ("department=nowhere", "department"), ("submittedFrom=2026-13-01", "submittedFrom")] {
                let response = try await client.request(.get, "/api/v1/applications?\(query)", token: clerk)
                #expect(response.status == .unprocessableContent && response.body?["error"]?["field"]?.string == field, "\(query): \(response.text)")
            }
            let other = try await client.request(.get, "/api/v1/applications?department=landscaping", token: reviewer)
            #expect(other.status == .forbidden, "\(other.text)")
        }
    }

    @Test("a pending filter other than true or false, or without a department whose items it counts, is refused naming pending")
    func badPendingFilterIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let clerk = try await client.login("clerk")
            let reviewer = try await client.login("reviewer-housing")
            for (query, token) in [("department=housing&pending=yes", clerk), ("pending=1", reviewer), ("pending=TRUE", reviewer),
                                   ("pending=true", clerk), ("pending=false", try await client.login("chongren"))] {
                let response = try await client.request(.get, "/api/v1/applications?\(query)", token: token)
                #expect(response.status == .unprocessableContent && response.body?["error"]?["field"]?.string == "pending", "\(query): \(response.text)")
            }
            for (query, token) in [("department=housing&pending=true", clerk), ("pending=false", reviewer)] {
                let response = try await client.request(.get, "/api/v1/applications?\(query)", token: token)
                #expect(response.status == .ok, "\(query): \(response.text)")
            }
        }
    }

    /// Each row of the list for `token`, beside the one application's answer to the same caller
    /// less its form, timeline and certificates: the two must say the same.
    static func expectRowsMatchTheirApplications(_ token: String, _ who: String, count: Int, in client: TestApp.Client) async throws -> [JSONValue] {
        let rows = try await client.request(.get, "/api/v1/applications", token: token).body?.array ?? []
        #expect(rows.count == count, "\(who)")
        for row in rows {
            let id = try #require(row["id"]?.string)
            guard case .object(var own)? = try await client.request(.get, "/api/v1/applications/\(id)", token: token).body else {
                Issue.record("\(who): no answer for \(id)")
                continue
            }
            for key in ["form", "timeline", "certificates"] { own[key] = nil }
            #expect(row == .object(own), "\(who), \(id): the list row against the application's own answer")
        }
        return rows
    }

    @Test("each row of the list says what the application's own answer says, less its form, timeline and certificates: after every change, with today's deadline, a reviewer's with its department's items only")
    func rowsSayWhatTheApplicationSays() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, ids) = try await Self.fiveApplications(app, client)
            let clerk = try await client.login("clerk")
            for id in ids.prefix(3) {
                _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: clerk, json: #"{"decision":"accept"}"#)
            }
            let decided = try await client.request(.post, "/api/v1/applications/\(ids[0])/reviews", token: try await client.login("reviewer-housing"),
                                                   json: #"{"item":"ZJ-SGXK","decision":"approve","opinion":"符合许可条件"}"#)
            #expect(decided.status == .ok, "\(decided.text)")
            let rows = try await Self.expectRowsMatchTheirApplications(clerk, "clerk", count: 5, in: client)
            #expect(rows.first { $0["id"]?.string == ids[0] }?["items"]?.array.map { $0["status"]?.string ?? "" }.sorted() == ["approved", "pending"])
            let landscaping = try await Self.expectRowsMatchTheirApplications(try await client.login("reviewer-landscaping"), "reviewer", count: 5, in: client)
            #expect(landscaping.allSatisfy { $0["items"]?.array.map { $0["code"]?.string } == ["YL-LDZY"] }, "\(landscaping)")

            // Forty days on, with nothing written meanwhile, the accepted ones are overdue in the list as on their pages.
            app.clock.advance(days: 40)
            let later = try await Self.expectRowsMatchTheirApplications(try await client.login("clerk"), "clerk, forty days on", count: 5, in: client)
            #expect(later.filter { $0["deadline"]?["state"]?.string == "overdue" }.count == 3, "\(later.map { $0["deadline"] })")
        }
    }

    @Test("a database whose applications were written before list rows were kept lists them the same once migrated")
    func listRowsBackfilled() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, ids) = try await Self.fiveApplications(app, client)
            let clerk = try await client.login("clerk")
            _ = try await client.request(.post, "/api/v1/applications/\(ids[1])/acceptance", token: clerk, json: #"{"decision":"accept"}"#)
            let before = try await client.request(.get, "/api/v1/applications", token: clerk).body
            let reviewer = try await client.login("reviewer-housing")
            let reviewerBefore = try await client.request(.get, "/api/v1/applications", token: reviewer).body

            let writer = app.services.database.writer
            try await writer.writeWithoutTransaction { db in
                try db.execute(sql: """
                    ALTER TABLE applications DROP COLUMN list_base;
                    ALTER TABLE applications DROP COLUMN list_items;
                    ALTER TABLE applications DROP COLUMN accepted_on;
                    ALTER TABLE applications DROP COLUMN legal_by;
                    ALTER TABLE application_departments DROP COLUMN list_items;
                    DELETE FROM grdb_migrations WHERE identifier = 'approval-15-keep-list-rows';
                    """)
            }
            var migrator = DatabaseMigrator()
            ApprovalMigrations.register(in: &migrator)
            try migrator.migrate(writer)
            #expect(try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM applications WHERE list_base IS NULL") } == 0)
            #expect(try await client.request(.get, "/api/v1/applications", token: clerk).body == before)
            #expect(try await client.request(.get, "/api/v1/applications", token: reviewer).body == reviewerBefore)
            #expect(before?.array.count == 5)
        }
    }

    /// Each request looks its session up on the calling thread and reads its page from the pool:
    /// a lookup that waited for one of the pool's readers, held by reads waiting to resume on a
    /// thread the lookups held, hung the server under load.
    @Test("two hundred signed-in list requests at once are all answered", .timeLimit(.minutes(1)))
    func concurrentListsAreAllAnswered() async throws {
        let app = try await TestApp()
        try await app.run { client in
            _ = try await Self.fiveApplications(app, client)
            let clerk = try await client.login("clerk")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await client.request(.get, "/api/v1/applications", token: clerk).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.count == 200 && statuses.allSatisfy { $0 == .ok }, "\(Set(statuses.map(\.code)))")
        }
    }
}
