import Crypto
import Foundation
import Hummingbird
import Supervision
import Testing
import WebApp

@Suite("审管联动: an issued permit's tasks reach the departments' queues, and what inspectors find flows back to the approving office")
struct SupervisionLoopTests {
    /// The open task of `kind` in the queue of the inspector behind `token`.
    static func task(_ kind: String, in client: TestApp.Client, token: String) async throws -> JSONValue {
        let queue = try await client.request(.get, "/api/v1/supervision/tasks", token: token)
        #expect(queue.status == .ok, "\(queue.text)")
        return try #require(queue.body?.array.first { $0["kind"]?.string == kind }, "no \(kind) in \(queue.text)")
    }

    @Test("issuing a permit puts each routed task in its own department's and region's queue, due on working days, with its checklist")
    func tasksAppear() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let quality = try await client.login("inspector-zaz-qk")
            let first = try await Self.task("first-inspection", in: client, token: quality)
            #expect(first["title"]?.string == "首次监督检查")
            #expect(first["dueOn"]?.string == "2026-11-30")
            #expect(first["certificateNumber"] == issued.certificate["number"])
            #expect(first["applicationID"]?.string == issued.applicationID)
            #expect(first["project"]?["name"]?.string == "崇仁路023地块项目")
            #expect(first["checklist"]?.array.count == 5)
            #expect(first["firstInspection"] == .bool(true))

            let landscaping = try await client.login("inspector-yl-qk")
            let kinds = try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: landscaping).body?.array.compactMap { $0["kind"]?.string }
            #expect(kinds == ["greenspace-check", "restoration-check"])

            for other in ["inspector-zaz-hc", "inspector-cg-qk"] {
                let queue = try await client.request(.get, "/api/v1/supervision/tasks", token: try await client.login(other))
                #expect(queue.body?.array.isEmpty == true, "\(other) sees \(queue.text)")
            }
            let badStatus = try await client.request(.get, "/api/v1/supervision/tasks?status=done", token: quality)
            #expect(badStatus.status == .unprocessableContent)
            #expect(badStatus.body?["error"]?["field"]?.string == "status")
            #expect(try await client.request(.get, "/api/v1/supervision/tasks", token: issued.firm).status == .forbidden)
        }
    }

    @Test("a rectification order and a violation show at once on the firm's timeline and credit, and the violation suspends the certificate")
    func findingsFlowBack() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let greenspace = try #require(try await Self.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            let photo = try await client.request(.post, "/api/v1/files", token: landscaping, raw: Data([0xFF, 0xD8, 0xFF, 0xE0]), contentType: "image/jpeg")
            let photoID = try #require(photo.body?["id"]?.string, "\(photo.text)")
            let rectify = try await client.request(.post, "/api/v1/supervision/tasks/\(greenspace)/inspections", token: landscaping, json: """
                {"result":"rectify","findings":"东侧两株香樟未设围护","rectifyBy":"2026-11-30",
                 "checklist":[{"id":"within-permitted-area","answer":"yes"},{"id":"trees-protected","answer":"no","note":"东侧"}],
                 "photos":["\(photoID)"],"location":{"latitude":30.5838,"longitude":114.2369}}
                """)
            #expect(rectify.status == .created, "\(rectify.text)")
            #expect(rectify.body?["task"]?["status"]?.string == "closed")
            #expect(rectify.body?["followUp"]?["dueOn"]?.string == "2026-11-30")
            #expect(rectify.body?["followUp"]?["title"]?.string == "整改复查：临时占绿现场检查")

            let quality = try await client.login("inspector-zaz-qk")
            let first = try #require(try await Self.task("first-inspection", in: client, token: quality)["id"]?.string)
            let violation = try await client.request(.post, "/api/v1/supervision/tasks/\(first)/inspections", token: quality, json: """
                {"result":"violation","findings":"实际施工单位与许可载明的单位不一致","checklist":[{"id":"contractor-matches","answer":"no"}]}
                """)
            #expect(violation.status == .created, "\(violation.text)")

            let timeline = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            let inspections = timeline.body?["timeline"]?.array.filter { $0["kind"]?.string == "supervision.inspected" } ?? []
            #expect(inspections.map { $0["actor"]?["name"]?.string } == ["杨帆", "孙建"])
            #expect(inspections.map { $0["detail"]?["result"]?.string } == ["rectify", "violation"])
            #expect(inspections.first?["detail"]?["rectifyBy"]?.string == "2026-11-30")

            let credit = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: issued.firm)
            #expect(credit.status == .ok, "\(credit.text)")
            #expect(Set(credit.body?["records"]?.array.compactMap { $0["kind"]?.string } ?? []) == ["rectification-ordered", "violation"])
            #expect(credit.body?["score"]?.number == 77)
            #expect(credit.body?["level"]?.string == "C")
            #expect(try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: try await client.login("hanxi")).status == .notFound)

            let qr = try #require(issued.certificate["qr"]?.string)
            let check = try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/").last!, accept: "application/json")
            #expect(check.body?["status"]?.string == "suspended")
            #expect(check.body?["certificate"]?["statusReason"]?.string?.contains("实际施工单位与许可载明的单位不一致") == true)
            let restoration = try await Self.task("restoration-check", in: client, token: landscaping)
            #expect(restoration["certificateStatus"]?.string == "suspended")
        }
    }

    @Test("the follow-up that finds the rectification done counts in the firm's favour")
    func rectificationMet() async throws {
        let app = try await TestApp()
        try await app.run { client in
            _ = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let greenspace = try #require(try await Self.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            let ordered = try await client.request(.post, "/api/v1/supervision/tasks/\(greenspace)/inspections", token: landscaping,
                                                   json: #"{"result":"rectify","findings":"围护不全","rectifyBy":"2026-11-27"}"#)
            let followUp = try #require(ordered.body?["followUp"]?["id"]?.string)
            app.clock.advance(days: 3)
            let done = try await client.request(.post, "/api/v1/supervision/tasks/\(followUp)/inspections", token: try await client.login("inspector-yl-qk"),
                                                json: #"{"result":"pass","findings":"已补设围护"}"#)
            #expect(done.status == .created, "\(done.text)")
            let credit = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: try await client.login("chongren"))
            #expect(credit.body?["records"]?.array.compactMap { $0["kind"]?.string } == ["rectification-met", "rectification-ordered"])
            #expect(credit.body?["score"]?.number == 99)
            #expect(credit.body?["level"]?.string == "A")
        }
    }

    @Test("the same inspection sent twice under one Idempotency-Key is recorded once; another body under that key is refused")
    func idempotentInspections() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let task = try #require(try await Self.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            let body = #"{"result":"pass","findings":"现场与许可一致"}"#
            var ids: [String] = []
            for _ in 0..<2 {
                let response = try await client.request(.post, "/api/v1/supervision/tasks/\(task)/inspections", token: landscaping, json: body,
                                                        headers: ["Idempotency-Key": "pad-7f3a-0001"])
                #expect(response.status == .created, "\(response.text)")
                ids.append(try #require(response.body?["inspection"]?["id"]?.string))
            }
            #expect(ids[0] == ids[1])
            let detail = try await client.request(.get, "/api/v1/supervision/tasks/\(task)", token: landscaping)
            #expect(detail.body?["inspections"]?.array.count == 1)
            let timeline = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            #expect(timeline.body?["timeline"]?.array.filter { $0["kind"]?.string == "supervision.inspected" }.count == 1)

            let changed = try await client.request(.post, "/api/v1/supervision/tasks/\(task)/inspections", token: landscaping,
                                                   json: #"{"result":"violation","findings":"另一份记录"}"#, headers: ["Idempotency-Key": "pad-7f3a-0001"])
            #expect(changed.status == .unprocessableContent)
            #expect(changed.body?["error"]?["code"]?.string == "idempotency-key-reused")
            let again = try await client.request(.post, "/api/v1/supervision/tasks/\(task)/inspections", token: landscaping, json: body)
            #expect(again.status == .conflict)
            #expect(again.body?["error"]?["message"]?.string?.contains("closed") == true)
        }
    }

    @Test("another department or region gets 403; a colleague's claimed task 409; a pass over a failed checklist item or a rectification without a date 422")
    func rules() async throws {
        let app = try await TestApp()
        try await app.run { client in
            _ = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let task = try #require(try await Self.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            let url = "/api/v1/supervision/tasks/\(task)/inspections"
            for stranger in ["inspector-zaz-qk", "inspector-cg-hc"] {
                let response = try await client.request(.post, url, token: try await client.login(stranger), json: #"{"result":"pass"}"#)
                #expect(response.status == .forbidden, "\(stranger): \(response.text)")
            }
            let failedPass = try await client.request(.post, url, token: landscaping, json: #"{"result":"pass","checklist":[{"id":"trees-protected","answer":"no"}]}"#)
            #expect(failedPass.status == .unprocessableContent)
            #expect(failedPass.body?["error"]?["field"]?.string == "checklist[0].answer")
            let unknownItem = try await client.request(.post, url, token: landscaping, json: #"{"result":"pass","checklist":[{"id":"fire-exits","answer":"yes"}]}"#)
            #expect(unknownItem.body?["error"]?["field"]?.string == "checklist[0].id")
            let noDate = try await client.request(.post, url, token: landscaping, json: #"{"result":"rectify","findings":"围护不全"}"#)
            #expect(noDate.body?["error"]?["field"]?.string == "rectifyBy")
            let pastDate = try await client.request(.post, url, token: landscaping, json: #"{"result":"rectify","findings":"围护不全","rectifyBy":"2026-11-01"}"#)
            #expect(pastDate.body?["error"]?["field"]?.string == "rectifyBy")
            let noFindings = try await client.request(.post, url, token: landscaping, json: #"{"result":"violation"}"#)
            #expect(noFindings.body?["error"]?["field"]?.string == "findings")
            let badResult = try await client.request(.post, url, token: landscaping, json: #"{"result":"fine"}"#)
            #expect(badResult.status == .badRequest)
            #expect(badResult.body?["error"]?["field"]?.string == "result")
            let strangerPhoto = try await client.request(.post, url, token: landscaping, json: #"{"result":"pass","photos":["no-such-file"]}"#)
            #expect(strangerPhoto.body?["error"]?["field"]?.string == "photos[0]")

            let colleague = try await client.login("inspector-yl-qk-2")
            let claimed = try await client.request(.post, "/api/v1/supervision/tasks/\(task)/claim", token: colleague)
            #expect(claimed.body?["claimedBy"]?["name"]?.string == "何静")
            let taken = try await client.request(.post, url, token: landscaping, json: #"{"result":"pass"}"#)
            #expect(taken.status == .conflict)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(task)/release", token: landscaping).status == .conflict)
            let released = try await client.request(.post, "/api/v1/supervision/tasks/\(task)/release", token: colleague)
            #expect(released.body?["status"]?.string == "open")
            #expect(try await client.request(.post, url, token: landscaping, json: #"{"result":"pass"}"#).status == .created)
            let nothing = try await client.request(.get, "/api/v1/supervision/tasks/00000000-0000-0000-0000-000000000000", token: landscaping)
            #expect(nothing.status == .notFound)
        }
    }

    @Test("an inspector pages through the queue most urgent first, each task once, and a bad cursor is refused naming it")
    func queuePagesMostUrgentFirst() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            for _ in 0..<3 {
                let id = try await client.approvedApplication(projectID: projectID, firm: firm)
                #expect(try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer")).status == .ok)
                app.clock.advance(minutes: 60)
            }
            let inspector = try await client.login("inspector-yl-qk")
            let whole = try await client.request(.get, "/api/v1/supervision/tasks", token: inspector).body?.array.compactMap { $0["id"]?.string } ?? []
            #expect(whole.count >= 3)
            let pages = try await ApplicationListTests.allPages("/api/v1/supervision/tasks?status=open&limit=2", token: inspector, in: client)
            #expect(pages.flatMap { $0 } == whole && pages.dropLast().allSatisfy { $0.count == 2 }, "\(pages) of \(whole)")
            let due = try await client.request(.get, "/api/v1/supervision/tasks", token: inspector).body?.array.compactMap { $0["dueOn"]?.string } ?? []
            #expect(due == due.sorted())
            let bad = try await client.request(.get, "/api/v1/supervision/tasks?cursor=WyJ4Il0", token: inspector)
            #expect(bad.status == .unprocessableContent && bad.body?["error"]?["field"]?.string == "cursor", "\(bad.text)")
        }
    }

    @Test("the office sees permits awaiting their first inspection, what each department has overdue, and the closure rate")
    func officeOverview() async throws {
        let app = try await TestApp()
        try await app.run { client in
            _ = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let greenspace = try #require(try await Self.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(greenspace)/inspections", token: landscaping,
                                             json: #"{"result":"pass"}"#).status == .created)
            app.clock.advance(days: 8)
            let clerk = try await client.login("clerk")
            let overview = try await client.request(.get, "/api/v1/supervision/overview?from=2026-11-01&to=2026-11-30", token: clerk)
            #expect(overview.status == .ok, "\(overview.text)")
            #expect(overview.body?["permitsIssued"]?.number == 2)
            #expect(overview.body?["firstInspectedInTime"]?.number == 1)
            #expect(overview.body?["closureRate"]?.number == 0.5)
            let awaiting = overview.body?["awaitingFirstInspection"]?.array ?? []
            #expect(awaiting.map { $0["kind"]?.string } == ["first-inspection"])
            #expect(overview.body?["awaitingFirstInspectionCount"]?.number == 1)
            #expect(awaiting.first?["overdue"] == .bool(true))
            let quality = overview.body?["departments"]?.array.first { $0["department"]?.string == "quality-station" }
            #expect(quality?["overdue"]?.number == 1)
            #expect(quality?["name"]?.string != nil)
            #expect(try await client.request(.get, "/api/v1/supervision/overview", token: try await client.login("chongren")).status == .forbidden)
            let backwards = try await client.request(.get, "/api/v1/supervision/overview?from=2026-12-01&to=2026-11-01", token: clerk)
            #expect(backwards.body?["error"]?["field"]?.string == "from")
        }
    }

    @Test("revoking a certificate takes its unworked tasks out of the queues")
    func revocationCancelsTasks() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let number = try #require(issued.certificate["number"]?.string)
            let revoked = try await client.request(.post, "/api/v1/certificates/\(number)/revocation", token: issued.issuer, json: #"{"reason":"以欺骗手段取得许可"}"#)
            #expect(revoked.status == .ok, "\(revoked.text)")
            let landscaping = try await client.login("inspector-yl-qk")
            #expect(try await client.request(.get, "/api/v1/supervision/tasks", token: landscaping).body?.array.isEmpty == true)
            let cancelled = try await client.request(.get, "/api/v1/supervision/tasks?status=cancelled", token: landscaping).body?.array ?? []
            #expect(cancelled.count == 2)
            #expect(cancelled.first?["cancelReason"]?.string?.contains("以欺骗手段取得许可") == true)
        }
    }

    @Test("inspectors are told of a new task, of one nearly due and of one overdue, each once; the firm is told of a suspension")
    func notifications() async throws {
        let app = try await TestApp()
        try await app.run { client in
            _ = try await client.issuedApplication()
            for inspector in ["inspector-yl-qk", "inspector-yl-qk-2"] {
                let inbox = try await client.request(.get, "/api/v1/notifications", token: try await client.login(inspector))
                #expect(inbox.body?.array.compactMap { $0["reason"]?.string } == ["task-opened", "task-opened"], "\(inbox.text)")
                #expect(inbox.body?.array.contains { $0["text"]?.string?.contains("临时占绿现场检查") == true } == true)
            }
            #expect(try await client.request(.get, "/api/v1/notifications", token: try await client.login("inspector-cg-qk")).body?.array.isEmpty == true)

            app.clock.advance(days: 4)  // Friday 2026-11-27: the five-day tasks fall due on Monday
            #expect(try await app.services.supervision.sendReminders() == 2)
            #expect(try await app.services.supervision.sendReminders() == 0)
            app.clock.advance(days: 4)  // Tuesday 2026-12-01: overdue
            #expect(try await app.services.supervision.sendReminders() == 2)
            let landscaping = try await client.login("inspector-yl-qk")
            let reasons = try await client.request(.get, "/api/v1/notifications", token: landscaping).body?.array.compactMap { $0["reason"]?.string }
            #expect(reasons?.filter { $0 == "task-due-soon" }.count == 1)
            #expect(reasons?.filter { $0 == "task-overdue" }.count == 1)

            let quality = try await client.login("inspector-zaz-qk")
            let first = try #require(try await Self.task("first-inspection", in: client, token: quality)["id"]?.string)
            _ = try await client.request(.post, "/api/v1/supervision/tasks/\(first)/inspections", token: quality,
                                         json: #"{"result":"violation","findings":"深基坑无专项方案"}"#)
            let firm = try await client.request(.get, "/api/v1/notifications", token: try await client.login("chongren"))
            let suspended = firm.body?.array.first { $0["reason"]?.string == "certificate-suspended" }
            #expect(suspended?["text"]?.string?.contains("深基坑无专项方案") == true)
            #expect(suspended?["deliveredAt"] == nil)
        }
    }
}

@Suite("双随机一公开: random permits, random inspectors, the draw and its results public")
struct RandomDrawTests {
    @Test("commit, then reveal: the seed's hash and the pools are public before any pick; the picks go to the drawn inspectors; seed and picks are public once inspected, and they check out")
    func drawAndPublish() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let admin = try await client.login("admin")
            let committed = try await client.request(.post, "/api/v1/supervision/random-draws", token: admin,
                                                     json: #"{"department":"landscaping","region":"420104","sampleSize":3}"#)
            #expect(committed.status == .created, "\(committed.text)")
            let drawID = try #require(committed.body?["id"]?.string)
            let commitment = try #require(committed.body?["commitment"]?.string)
            #expect(commitment.count == 64)
            #expect(committed.body?["seed"] == nil, "the seed stays secret")
            #expect(committed.body?["status"]?.string == "committed")
            #expect(committed.body?["candidates"]?.array.compactMap(\.string) == [issued.certificate["number"]?.string].compactMap { $0 })
            #expect(committed.body?["inspectorPool"]?.array.compactMap(\.string).sorted() == ["何静", "杨帆"])
            let published = try await client.request(.get, "/api/v1/public/random-draws")
            #expect(published.body?[0]?["commitment"]?.string == commitment, "published before any pick")
            #expect(published.body?[0]?["picks"]?.array.isEmpty == true)

            let drawn = try await client.request(.post, "/api/v1/supervision/random-draws/\(drawID)/picks", token: admin)
            #expect(drawn.status == .ok, "\(drawn.text)")
            #expect(drawn.body?["seed"] == nil)
            #expect(try await client.request(.post, "/api/v1/supervision/random-draws/\(drawID)/picks", token: admin).status == .conflict)
            let inspectorName = try #require(drawn.body?["picks"]?[0]?["inspector"]?.string)
            let username = inspectorName == "杨帆" ? "inspector-yl-qk" : "inspector-yl-qk-2"
            let token = try await client.login(username)
            let task = try await SupervisionLoopTests.task("random-inspection", in: client, token: token)
            #expect(task["status"]?.string == "claimed")
            #expect(task["claimedBy"]?["name"]?.string == inspectorName)
            #expect(task["title"]?.string == "双随机抽查：临时占绿现场检查")

            let before = try await client.request(.get, "/api/v1/public/random-draws")
            #expect(before.body?[0]?["status"]?.string == "drawn")
            #expect(before.body?[0]?["seed"] == nil && before.body?[0]?["picks"]?.array.isEmpty == true, "nobody learns the picks before the inspection")
            #expect(before.body?[0]?["pickCount"]?.number == 1)
            let taskID = try #require(task["id"]?.string)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(taskID)/inspections", token: token,
                                             json: #"{"result":"pass","findings":"抽查未发现问题"}"#).status == .created)
            let after = try await client.request(.get, "/api/v1/public/random-draws")
            #expect(after.body?[0]?["status"]?.string == "revealed")
            #expect(after.body?[0]?["picks"]?[0]?["resultLabel"]?.string == "合格")
            let seed = try #require(after.body?[0]?["seed"]?.string), salt = try #require(after.body?[0]?["salt"]?.string)
            let recomputed = SHA256.hash(data: Data("shenguan-random-draw/v1|\(drawID)|\(seed)|\(salt)".utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(recomputed == commitment, "the revealed seed is the one committed to")
            var generator = SeededDraw(seed: try #require(UInt64(seed)))
            let candidates = after.body?[0]?["candidates"]?.array.compactMap(\.string) ?? []
            let repeated = generator.pick(3, of: candidates, inspectors: ["pool"])
            #expect(repeated.map(\.0) == after.body?[0]?["picks"]?.array.compactMap { $0["certificateNumber"]?.string }, "anyone can repeat the draw")
            let page = try await client.request(.get, "/public/random-draws")
            #expect(page.status == .ok)
            #expect(page.text.contains(seed) && page.text.contains(commitment) && page.text.contains("崇仁路023地块项目") && page.text.contains("合格"))
        }
    }

    @Test("only an admin draws; an unknown department, a bad size, a seed of one's choosing, or a region with nothing to draw is named")
    func drawRules() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let admin = try await client.login("admin")
            let url = "/api/v1/supervision/random-draws"
            #expect(try await client.request(.post, url, token: try await client.login("clerk"),
                                             json: #"{"department":"landscaping","region":"420104","sampleSize":1}"#).status == .forbidden)
            for (body, field) in [(#"{"department":"police","region":"420104","sampleSize":1}"#, "department"),
                                  (#"{"department":"landscaping","region":"420104","sampleSize":0}"#, "sampleSize"),
                                  (#"{"department":"landscaping","region":"420104","sampleSize":1,"seed":"20261123"}"#, "seed"),
                                  (#"{"department":"landscaping","region":"420104","sampleSize":1}"#, "region")] {
                let response = try await client.request(.post, url, token: admin, json: body)
                #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
                #expect(response.body?["error"]?["field"]?.string == field, "\(body): \(response.text)")
            }
        }
    }
}
