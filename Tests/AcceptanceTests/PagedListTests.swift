import Foundation
import GRDB
import Hummingbird
import Kernel
import Synchronization
import Testing
import WebApp
@testable import Approval

/// Issue 12 §1 for the other lists: each pages by keyset cursor in its documented order, the
/// body the array it was, the next page's address in `Link` and `X-Next-Cursor`.
@Suite("The inbox, projects, the public registers and the directories page by cursor like the applications list")
struct PagedListTests {
    @Test("a firm pages through its inbox two at a time: newest first, messages of the same instant by id, each once, nobody else's")
    func inboxPages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: five messages to the firm's account, the second and third in the same instant
            let counter = Mutex(0)
            let notifier = OutboxNotifier(makeID: { counter.withLock { $0 += 1; return "message-\($0)" } })
            let start = app.clock.now
            for minute in [0, 1, 1, 2, 3] {
                let message = OutgoingMessage(reason: "certificate-suspended", subject: "certificate/\(minute)", text: "证照已暂停",
                                              recipients: Recipients(role: .applicant, firm: TestApp.firmA))
                _ = try await app.services.database.write { db in try notifier.notify(message, in: db, at: start.addingTimeInterval(Double(minute * 60))) }
            }
            // MUT
            let pages = try await ApplicationListTests.allPages("/api/v1/notifications?limit=2", token: try await client.login("chongren"), in: client)
            // validate
            #expect(pages == [["message-5", "message-4"], ["message-3", "message-2"], ["message-1"]])
            #expect(try await ApplicationListTests.allPages("/api/v1/notifications?limit=2", token: try await client.login("hanxi"), in: client) == [[]])
        }
    }

    @Test("projects page by code: staff see every project, a firm those it builds or contracts, each once")
    func projectsPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: the firm builds three projects and contracts a fourth another firm registered, which registered a fifth alone
            let chongren = try await client.login("chongren"), hanxi = try await client.login("hanxi")
            func create(_ serial: String, token: String, builder: String, contractor: String?) async throws {
                let created = try await client.request(.post, "/api/v1/projects", token: token, json: """
                    {"code":"2401-420104-04-01-\(serial)","name":"项目\(serial)","district":"420104","address":"武汉市硚口区崇仁路\(serial)号",
                     "category":"房屋建筑工程","builder":{"uscc":"\(builder)"}\(contractor.map { #","contractor":{"uscc":"\#($0)"}"# } ?? "")}
                    """)
                #expect(created.status == .created, "\(created.text)")
            }
            for serial in ["318563", "318561", "318565"] {
                try await create(serial, token: chongren, builder: TestApp.firmA, contractor: TestApp.firmB)
            }
            try await create("318562", token: hanxi, builder: TestApp.firmB, contractor: TestApp.firmA)
            try await create("318564", token: hanxi, builder: TestApp.firmB, contractor: nil)
            let code = { (serial: Int) in "2401-420104-04-01-\(serial)" }
            // MUT
            let all = try await ApplicationListTests.allPages("/api/v1/projects?limit=2", token: try await client.login("clerk"), key: "code", in: client)
            let own = try await ApplicationListTests.allPages("/api/v1/projects?limit=3", token: chongren, key: "code", in: client)
            // validate
            #expect(all == [[code(318561), code(318562)], [code(318563), code(318564)], [code(318565)]])
            #expect(own == [[code(318561), code(318562), code(318563)], [code(318565)]])
        }
    }

    @Test("the public night-work register pages by last night, then certificate number, leaving out a revoked permit; a district's and every district's alike")
    func nightWorkRegisterPages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a reviewed first permit and three issued at once, two ending the same night; one revoked
            let (firm, projectID, first) = try await NightWorkTests.siteWithNightPermit(client)
            var lastNights = [try #require(first["number"]?.string): "2026-11-27"]
            for (from, to) in [("2026-11-28", "2026-12-03"), ("2026-11-30", "2026-12-01"), ("2026-12-02", "2026-12-03")] {
                let repeated = try await client.request(.post, "/api/v1/night-work/applications", token: firm,
                                                        json: NightWorkTests.request(projectID: projectID, first: from, last: to, full: false))
                lastNights[try #require(repeated.body?["certificate"]?["number"]?.string, "\(repeated.text)")] = to
            }
            let revoked = try #require(lastNights.first { $0.value == "2026-12-01" }?.key)
            let revocation = try await client.request(.post, "/api/v1/certificates/\(revoked)/revocation", token: try await client.login("issuer"),
                                                      json: #"{"reason":"以欺骗手段取得许可"}"#)
            #expect(revocation.status == .ok, "\(revocation.text)")
            let expected = lastNights.filter { $0.key != revoked }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
            // MUT
            let district = try await ApplicationListTests.allPages("/api/v1/public/night-work?district=420104&limit=2", token: nil, key: "certificate",
                                                                   in: client)
            let everywhere = try await ApplicationListTests.allPages("/api/v1/public/night-work?limit=1", token: nil, key: "certificate", in: client)
            // validate: the revoked permit's row still ends its page, so that page is short
            #expect(district.flatMap { $0 } == expected, "\(district) of \(lastNights)")
            #expect(district.count == 2)
            #expect(everywhere.flatMap { $0 } == expected)
            #expect(everywhere.count == 4 && everywhere.contains([]), "the revoked permit's page is empty, and the next one follows")
        }
    }

    @Test("the public random draws page newest first, draws of the same instant by id, each once")
    func randomDrawsPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: five draws, two at the start, one a minute later, two a minute after that
            _ = try await client.issuedApplication()
            let admin = try await client.login("admin")
            var drawn: [(minute: Int, id: String, commitment: String)] = []
            for minute in [0, 0, 1, 2, 2] {
                if drawn.last.map({ $0.minute != minute }) ?? false { app.clock.advance(minutes: 1) }
                let committed = try await client.request(.post, "/api/v1/supervision/random-draws", token: admin,
                                                         json: #"{"department":"landscaping","region":"420104","sampleSize":1}"#)
                drawn.append((minute, try #require(committed.body?["id"]?.string, "\(committed.text)"), try #require(committed.body?["commitment"]?.string)))
            }
            // MUT
            let pages = try await ApplicationListTests.allPages("/api/v1/public/random-draws?limit=2", token: nil, in: client)
            // validate
            #expect(pages.map(\.count) == [2, 2, 1])
            #expect(pages.flatMap { $0 } == drawn.sorted { ($0.minute, $0.id) > ($1.minute, $1.id) }.map(\.id))
            let page = try await client.request(.get, "/public/random-draws")
            #expect(page.status == .ok && drawn.allSatisfy { page.text.contains($0.commitment) }, "the page shows the API's first page")
        }
    }

    @Test("an administrator pages through the accounts by username and staff through the firm register by code, each once")
    func directoriesPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: three firms registered besides the two the applicants' accounts registered
            let admin = try await client.login("admin")
            let registered = [TestApp.uscc("91420100MA4L00002"), TestApp.uscc("91420100MA4L00003"), TestApp.contractor]
            for (index, uscc) in registered.enumerated() {
                let firm = try await client.request(.post, "/api/v1/firms", token: admin, json: #"{"uscc":"\#(uscc)","name":"武汉第\#(index + 1)建设有限公司"}"#)
                #expect(firm.status == .created, "\(firm.text)")
            }
            let whole = try await client.request(.get, "/api/v1/accounts?limit=200", token: admin).body?.array.compactMap { $0["username"]?.string } ?? []
            // MUT
            let accounts = try await ApplicationListTests.allPages("/api/v1/accounts?limit=5", token: admin, key: "username", in: client)
            let firms = try await ApplicationListTests.allPages("/api/v1/firms?limit=2", token: try await client.login("clerk"), key: "uscc", in: client)
            // validate
            #expect(Set(["admin", "chongren", "inspector-hb-qk"]).isSubset(of: whole))
            #expect(accounts.flatMap { $0 } == whole.sorted() && Set(whole).count == whole.count)
            #expect(accounts.map(\.count) == Array(repeating: 5, count: whole.count / 5) + (whole.count % 5 == 0 ? [] : [whole.count % 5]))
            #expect(firms == [[TestApp.contractor, registered[0]], [registered[1], TestApp.firmA], [TestApp.firmB]])
        }
    }

    @Test("an application's conversation pages oldest first, messages of the same instant in the order sent, each once; an outsider still reads none")
    func messagesPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: five messages between the firm and its helper, the second and third in the same instant
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let application = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let helper = try await client.login(try #require(try await client.request(.get, "/api/v1/applications/\(application)", token: firm)
                .body?["helper"]?["name"]?.string) == "王敏" ? "clerk" : "clerk-2")
            for (index, (minutes, token)) in [(0, helper), (1, firm), (0, helper), (1, firm), (1, helper)].enumerated() {
                app.clock.advance(minutes: minutes)
                let sent = try await client.request(.post, "/api/v1/applications/\(application)/messages", token: token, json: #"{"text":"第\#(index + 1)条"}"#)
                #expect(sent.status == .created, "\(sent.text)")
            }
            // MUT
            let path = "/api/v1/applications/\(application)/messages"
            let pages = try await ApplicationListTests.allPages("\(path)?limit=2", token: firm, key: "text", in: client)
            // validate
            #expect(pages == [["第1条", "第2条"], ["第3条", "第4条"], ["第5条"]])
            #expect(try await client.request(.get, "\(path)?limit=2", token: try await client.login("hanxi")).status == .notFound)
        }
    }

    @Test("a firm's credit record pages newest first, records of one instant latest written first; the score counts the whole window, and a record older than the window shows on no page")
    func creditRecordsPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: four records in the window, two of them in one instant, and one three years back
            let now = app.clock.now
            try await app.services.database.write { db in
                for (index, (kind, minutesBack)) in [("inspection-passed", 3), ("violation", 2), ("rectification-ordered", 2), ("rectification-met", 1)].enumerated() {
                    try db.execute(sql: """
                        INSERT INTO credit_records (firm, kind, at, on_day, subject, source, note) VALUES (?, ?, ?, '2026-11-23', 'certificate/x', ?, '记录')
                        """, arguments: [TestApp.firmA, kind, now.addingTimeInterval(Double(-60 * minutesBack)), "inspection/\(index)"])
                }
                try db.execute(sql: """
                    INSERT INTO credit_records (firm, kind, at, on_day, subject, source, note) VALUES (?, 'violation', ?, '2023-11-01', 'certificate/old', 'inspection/old', '旧记录')
                    """, arguments: [TestApp.firmA, now.addingTimeInterval(-3 * 365 * 86_400)])
            }
            // MUT
            let firm = try await client.login("chongren")
            let path = "/api/v1/firms/\(TestApp.firmA)/credit"
            var pages: [[String]] = [], scores: Set<Double> = []
            var next: String? = "\(path)?limit=2"
            while let uri = next, pages.count < 5 {
                let response = try await client.request(.get, uri, token: firm)
                #expect(response.status == .ok, "\(response.text)")
                pages.append(response.body?["records"]?.array.compactMap { $0["kind"]?.string } ?? [])
                scores.insert(response.body?["score"]?.number ?? -1)
                next = response.headers[.init("Link")!].flatMap { $0.firstMatch(of: /<([^>]+)>; rel="next"/).map { String($0.1) } }
            }
            // validate
            #expect(pages == [["rectification-met", "rectification-ordered"], ["violation", "inspection-passed"]])
            let whole = try await client.request(.get, path, token: firm)
            #expect(scores == [whole.body?["score"]?.number ?? -2], "every page carries the whole window's score")
            #expect(try await client.request(.get, "\(path)?limit=2", token: try await client.login("hanxi")).status == .notFound)
        }
    }

    @Test("project-code contests page in the order filed, all of them or those of one status, each once")
    func contestsPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: five contests filed a minute apart on one project, three of them still open
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            try await app.services.database.write { db in
                for (index, status) in [ProjectContest.Status.open, .dismissed, .open, .upheld, .open].enumerated() {
                    let contest = ProjectContest(id: "contest-\(index + 1)", projectId: projectID, code: "code", firm: TestApp.firmB,
                                                 reason: "异议", filedAt: app.clock.now.addingTimeInterval(Double(index * 60)), status: status)
                    try db.execute(sql: "INSERT INTO project_contests (id, project_id, firm, status, document) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [contest.id, projectID, contest.firm, status.rawValue, try StoredJSON.encode(contest)])
                }
            }
            // MUT
            let admin = try await client.login("admin")
            let every = try await ApplicationListTests.allPages("/api/v1/projects/contests?limit=2", token: admin, in: client)
            let open = try await ApplicationListTests.allPages("/api/v1/projects/contests?status=open&limit=2", token: admin, in: client)
            // validate
            #expect(every == [["contest-1", "contest-2"], ["contest-3", "contest-4"], ["contest-5"]])
            #expect(open == [["contest-1", "contest-3"], ["contest-5"]])
        }
    }

    @Test("every newly paged list refuses a limit outside 1–200 and a cursor it did not give, naming the parameter")
    func badPagingIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let admin = try await client.login("admin")
            // A cursor of the newest-first lists carries two keys; those of projects and the directories one.
            let twoKeys = Cursor(["2026-11-23 02:00:00.000", "id"]).token, oneKey = Cursor(["key"]).token
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let messages = "/api/v1/applications/\(try await client.acceptedApplication(projectID: projectID, firm: firm))/messages"
            let webhook = try await client.request(.post, "/api/v1/webhooks", token: admin, json: #"{"name":"区监管平台","url":"http://127.0.0.1:9/hook"}"#)
            let deliveries = "/api/v1/webhooks/\(try #require(webhook.body?["subscription"]?["id"]?.string))/deliveries"
            for (path, token, foreign) in [("/api/v1/notifications", admin, oneKey), ("/api/v1/projects", admin, twoKeys),
                                           ("/api/v1/public/night-work", nil, oneKey), ("/api/v1/public/random-draws", nil, oneKey),
                                           ("/api/v1/accounts", admin, twoKeys), ("/api/v1/firms", admin, twoKeys)] + [(messages, admin, oneKey), ("/api/v1/firms/\(TestApp.firmA)/credit", admin, oneKey), ("/api/v1/waste-disposal/confirmations", try await client.login("inspector-cg-hc"), oneKey),
                                              ("/api/v1/projects/contests", admin, twoKeys), (deliveries, admin, twoKeys)] {
                for (query, field) in [("limit=201", "limit"), ("limit=0", "limit"), ("cursor=bm90LWEtY3Vyc29y", "cursor"), ("cursor=\(foreign)", "cursor")] {
                    let response = try await client.request(.get, "\(path)?\(query)", token: token)
                    #expect(response.status == .unprocessableContent && response.body?["error"]?["field"]?.string == field, "\(path)?\(query): \(response.text)")
                }
            }
        }
    }
}
