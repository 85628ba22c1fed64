import Foundation
import Hummingbird
import Testing
import WebApp

/// Issue 13 §4: an inspector on a phone opens a certificate's QR, sees at a glance whether it is
/// in force, records the scan or an inspection, and works the task queue — through the same
/// services and checks as the API, and safe to resend when a record was kept offline.
@Suite("The inspector's pages: the QR at a glance, one tap to record, the task queue, offline records stored once")
struct InspectorPagesTests {
    static func jws(_ certificate: JSONValue?) throws -> String {
        try #require(certificate?["qr"]?.string).components(separatedBy: "/v/").last!
    }

    /// The `href`s of a page's links to tasks, in order.
    static func taskLinks(in page: TestResponse) -> [String] {
        page.text.matches(of: /<a class="title" href="\/inspector\/tasks\/([0-9a-f-]{36})"/).map { String($0.1) }
    }

    static func nextPage(in page: TestResponse) -> String? {
        page.text.firstMatch(of: /<a href="([^"]+)" rel="next">下一页/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
    }

    /// The scans the approving office sees on a disposal permit's trips, by checkpoint.
    static func officeSeesScans(of application: String, _ client: TestApp.Client) async throws -> [String] {
        let trips = try await client.request(.get, "/api/v1/waste-disposal/applications/\(application)/trips",
                                             token: try await client.login("reviewer-city-management"))
        #expect(trips.status == .ok, "\(trips.text)")
        return (trips.body?["trips"]?.array ?? []).flatMap { $0["scans"]?.array ?? [] }.compactMap { $0["checkpoint"]?.string }
    }

    /// The API's view of a task: its status and how many inspections it holds.
    static func task(_ id: String, for inspector: String, _ client: TestApp.Client) async throws -> (status: String?, inspections: Int) {
        let detail = try await client.request(.get, "/api/v1/supervision/tasks/\(id)", token: try await client.login(inspector))
        return (detail.body?["task"]?["status"]?.string, detail.body?["inspections"]?.array.count ?? -1)
    }

    @Test("a signed-in inspector opening a vehicle's QR sees the validity banner, the plate and the record-scan form; posting it records a scan the approving office sees")
    func scanFromTheQRPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a disposal permit on 硚口 → 东西湖 → 汉川, and 硚口's city-management inspector signed in
            let permit = try await WasteDisposalTests.issuedPermit(client)
            let jws = try Self.jws(permit.certificates.first)
            let inspector = Browser(client)
            try await inspector.signIn("inspector-cg-qk")
            // MUT
            let page = try await inspector.get("/v/\(jws)")
            // validate: the verdict at a glance, the plate, the route, whom to call, the form with the origin checked
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<section class="banner ok""#) && page.text.contains(#"<div class="banner-word">有效</div>"#), "\(page.text)")
            #expect(page.text.contains(#"<div class="banner-plate">鄂A12345</div>"#))
            #expect(page.text.contains("出土 硚口区 → 过境 东西湖区 → 消纳 汉川市"), "\(page.text)")
            #expect(page.text.contains("工地地址") && page.text.contains("武汉市硚口区崇仁路与解放大道交汇处西北侧"))
            #expect(page.text.contains("2026年11月23日 至 2027年2月22日"), "dates in Chinese")
            #expect(page.text.contains(#"<form method="post" action="/inspector/scans""#))
            #expect(page.text.contains(#"value="origin" checked"#), "an inspector of the origin scans at the origin")
            #expect(page.text.contains("本证待办检查任务"), "its origin-site-check on this permit")
            #expect(!page.text.contains("本次扫码已记录"))
            #expect(try await Self.officeSeesScans(of: permit.id, client).isEmpty)

            let posted = try await inspector.post("/inspector/scans", form: [
                ("csrf", try Browser.formToken(in: page)), ("qr", jws), ("checkpoint", "origin"), ("latitude", "30.583800"),
                ("longitude", "114.236900"), ("place", "崇仁路工地北门"), ("idempotencyKey", ""),
            ])
            #expect(posted.status == .seeOther, "\(posted.text)")
            #expect(posted.headers[.location] == "/v/\(jws)?recorded=scan")
            #expect(try await inspector.get("/v/\(jws)?recorded=scan").text.contains("本次扫码已记录"))
            #expect(try await Self.officeSeesScans(of: permit.id, client) == ["origin"], "the trip opened by the scan, as the office sees it")
        }
    }

    @Test("an anonymous visitor and a signed-in firm see the public page of the same QR, without any form")
    func publicPageStaysPublic() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let jws = try Self.jws(issued.certificate)
            let firm = Browser(client)
            try await firm.signIn("chongren")
            for page in [try await client.request(.get, "/v/\(jws)"), try await firm.get("/v/\(jws)")] {
                #expect(page.status == .ok)
                #expect(page.text.contains(#"<section class="verdict ok">"#) && page.text.contains("证照真实有效"), "\(page.text)")
                #expect(!page.text.contains("<form") && !page.text.contains("banner"))
                #expect(!page.text.contains("13871234567") && !page.text.contains("工地地址"))
            }
        }
    }

    @Test("a revoked certificate shows the revoked banner with its reason; a forged code shows 无效; both still take a scan")
    func revokedAndForged() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let number = try #require(issued.certificate["number"]?.string)
            let revoked = try await client.request(.post, "/api/v1/certificates/\(number)/revocation", token: issued.issuer, json: #"{"reason":"建设单位申请注销"}"#)
            #expect(revoked.status == .ok, "\(revoked.text)")
            let inspector = Browser(client)
            try await inspector.signIn("inspector-zaz-qk")
            let page = try await inspector.get("/v/\(try Self.jws(issued.certificate))")
            #expect(page.text.contains(#"<section class="banner bad""#) && page.text.contains(#"<div class="banner-word">已撤销</div>"#), "\(page.text)")
            #expect(page.text.contains("建设单位申请注销") && page.text.contains("变更日期 2026年11月23日"), "\(page.text)")
            #expect(page.text.contains(#"<input type="hidden" name="checkpoint" value="site">"#), "a permit without a route is scanned on site")
            let forged = try await inspector.get("/v/aaa.bbb.ccc")
            #expect(forged.text.contains(#"<section class="banner bad""#) && forged.text.contains(">无效<"), "\(forged.text)")
            #expect(forged.text.contains(#"action="/inspector/scans""#), "a forged code is evidence: it can be recorded")
        }
    }

    @Test("an inspector of a region off the route is shown the verdict but not the site or whom to call, as the API; one on the route is")
    func restrictedDetailsFollowTheAPI() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await WasteDisposalTests.issuedPermit(client)
            let jws = try Self.jws(permit.certificates.first)
            let outsider = Browser(client), transit = Browser(client)
            try await outsider.signIn("inspector-cg-wc")
            try await transit.signIn("inspector-cg-dxh")
            let far = try await outsider.get("/v/\(jws)")
            let near = try await transit.get("/v/\(jws)")
            let api = try await client.request(.post, "/api/v1/scans", token: try await client.login("inspector-cg-wc"), json: #"{"qr":"\#(jws)","checkpoint":"transit"}"#)
            #expect(far.text.contains(#"<section class="banner ok""#))
            #expect(!far.text.contains("工地地址") && !far.text.contains("武汉市硚口区崇仁路与解放大道交汇处西北侧"), "\(far.text)")
            #expect(api.body?["verification"]?["site"] == nil, "the API hides the same")
            #expect(!far.text.contains("本证待办检查任务"))
            #expect(near.text.contains("工地地址") && near.text.contains("武汉市硚口区崇仁路与解放大道交汇处西北侧"))
            #expect(near.text.contains(#"value="transit" checked"#))
        }
    }

    @Test("the task queue lists the inspector's tasks most urgent first, overdue marked, and pages by the API's cursor; it is the inspector's home")
    func taskQueue() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: 临时占绿现场检查 (due in 5 working days) and 绿地恢复检查 (20) in 杨帆's queue; ten days on, the first is overdue
            _ = try await client.issuedApplication()
            app.clock.advance(days: 10)
            let token = try await client.login("inspector-yl-qk")
            let inspector = Browser(client)
            let signedIn = try await inspector.signIn("inspector-yl-qk")
            #expect(signedIn.headers[.location] == "/inspector/tasks")
            // MUT
            var pages: [[String]] = []
            var next: String? = "/inspector/tasks?limit=1"
            var texts: [String] = []
            while let address = next, pages.count < 5 {
                let page = try await inspector.get(address)
                #expect(page.status == .ok, "\(address): \(page.text)")
                pages.append(Self.taskLinks(in: page))
                texts.append(page.text)
                next = Self.nextPage(in: page)
            }
            // validate: the API's pages, soonest due first, the overdue one marked
            #expect(pages == (try await ApplicationListTests.allPages("/api/v1/supervision/tasks?limit=1", token: token, in: client)), "the API's pages")
            #expect(pages.map(\.count) == [1, 1])
            let api = try await client.request(.get, "/api/v1/supervision/tasks", token: token).body?.array ?? []
            #expect(api.compactMap { $0["kind"]?.string } == ["greenspace-check", "restoration-check"])
            #expect(api.map { $0["overdue"] } == [.bool(true), .bool(false)])
            #expect(texts[0].contains(#"<li class="overdue">"#) && texts[0].contains("已逾期") && texts[0].contains("临时占绿现场检查"), "\(texts[0])")
            #expect(!texts[1].contains("已逾期") && texts[1].contains("前完成"))
            #expect(try await Browser(client).get("/inspector/tasks").status == .seeOther, "signed out: to the sign-in page")
            let firm = Browser(client)
            try await firm.signIn("chongren")
            #expect(try await firm.get("/inspector/tasks").status == .forbidden)
        }
    }

    @Test("claiming and recording an inspection on the task page closes the task as the API would, and the result reaches the firm's timeline")
    func inspectionFromTheTaskPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let task = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: try await client.login("inspector-yl-qk"))["id"]?.string)
            let inspector = Browser(client)
            try await inspector.signIn("inspector-yl-qk")
            let page = try await inspector.get("/inspector/tasks/\(task)")
            #expect(page.status == .ok)
            #expect(page.text.contains("领取任务") && page.text.contains("检查清单") && page.text.contains("记录检查结果"))
            let claimed = try await inspector.post("/inspector/tasks/\(task)/claim", form: [("csrf", try Browser.formToken(in: page))])
            #expect(claimed.status == .seeOther && claimed.headers[.location] == "/inspector/tasks/\(task)")
            #expect(try await Self.task(task, for: "inspector-yl-qk", client).status == "claimed")
            let mine = try await inspector.get("/inspector/tasks/\(task)")
            #expect(mine.text.contains("杨帆（我）") && mine.text.contains("退回任务"), "\(mine.text)")
            let colleague = Browser(client)
            try await colleague.signIn("inspector-yl-qk-2")
            let theirs = try await colleague.get("/inspector/tasks/\(task)")
            #expect(!theirs.text.contains("记录检查结果"), "claimed by 杨帆: only 杨帆 records it")

            let recorded = try await inspector.post("/inspector/tasks/\(task)/inspections", form: [
                ("csrf", try Browser.formToken(in: mine)), ("checklist[within-permitted-area]", "yes"), ("checklist[trees-protected]", "no"),
                ("result", "rectify"), ("findings", "东侧两株香樟未设围护"), ("rectifyBy", "2026-11-30"), ("latitude", "30.5838"),
                ("longitude", "114.2369"), ("place", "基坑东侧"), ("idempotencyKey", "web-task-page-0001"),
            ])
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            let api = try await client.request(.get, "/api/v1/supervision/tasks/\(task)", token: try await client.login("inspector-yl-qk"))
            #expect(api.body?["task"]?["status"]?.string == "closed")
            #expect(api.body?["task"]?["result"]?.string == "rectify")
            #expect(api.body?["inspections"]?[0]?["location"]?["description"]?.string == "基坑东侧")
            #expect(api.body?["inspections"]?[0]?["checklist"]?.array.count == 2)
            let closed = try await inspector.get("/inspector/tasks/\(task)")
            #expect(closed.text.contains("已完成") && closed.text.contains("检查发现：东侧两株香樟未设围护") && closed.text.contains("整改期限：2026年11月30日"))
            #expect(closed.text.contains("整改复查任务") && !closed.text.contains("提交检查结果"), "\(closed.text)")
            let timeline = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            let inspections = timeline.body?["timeline"]?.array.filter { $0["kind"]?.string == "supervision.inspected" } ?? []
            #expect(inspections.map { $0["detail"]?["result"]?.string } == ["rectify"])
        }
    }

    @Test("an invalid inspection shows the error beside its field with what was posted, and stores nothing")
    func invalidInspection() async throws {
        let app = try await TestApp()
        try await app.run { client in
            _ = try await client.issuedApplication()
            let task = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: try await client.login("inspector-yl-qk"))["id"]?.string)
            let inspector = Browser(client)
            try await inspector.signIn("inspector-yl-qk")
            let token = try Browser.formToken(in: try await inspector.get("/inspector/tasks/\(task)"))
            let cases: [(form: [(String, String)], field: String, message: String)] = [
                ([("result", "rectify"), ("findings", "围护不全")], "rectifyBy-error", "责令整改须给出整改期限"),
                ([("result", "violation")], "findings-error", "违法违规须写明检查发现的问题"),
                ([("findings", "未选结果")], "result-error", "请选择检查结果"),
                ([("result", "pass"), ("checklist[within-permitted-area]", "yes"), ("checklist[trees-protected]", "no")],
                 "checklist-trees-protected-error", "不符合，结果不能为合格"),
            ]
            for (form, field, message) in cases {
                let refused = try await inspector.post("/inspector/tasks/\(task)/inspections", form: [("csrf", token)] + form)
                #expect(refused.status == .unprocessableContent, "\(form)")
                #expect(refused.text.contains(#"<p class="error" id="\#(field)">\#(message)"#), "\(field): \(refused.text)")
            }
            let echoed = try await inspector.post("/inspector/tasks/\(task)/inspections", form: [("csrf", token), ("result", "rectify"), ("findings", "围护不全")])
            #expect(echoed.text.contains(#"value="rectify" checked"#) && echoed.text.contains(">围护不全</textarea>"), "what was posted comes back")
            let stored = try await Self.task(task, for: "inspector-yl-qk", client)
            #expect(stored.status == "open" && stored.inspections == 0)
        }
    }

    @Test("the same offline record posted twice with one idempotency key is stored once, for a scan and for an inspection")
    func offlineRecordsStoredOnce() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await WasteDisposalTests.issuedPermit(client)
            let jws = try Self.jws(permit.certificates.first)
            let inspector = Browser(client)
            try await inspector.signIn("inspector-cg-qk")
            let page = try await inspector.get("/v/\(jws)")
            let token = try Browser.formToken(in: page)
            let scan = [("csrf", token), ("qr", jws), ("checkpoint", "origin"), ("latitude", ""), ("longitude", ""), ("place", ""),
                        ("idempotencyKey", "web-0f3a9c"), ("queued", "1")]
            for _ in 0..<2 {
                let sent = try await inspector.post("/inspector/scans", form: scan)
                #expect(sent.status == .noContent, "\(sent.text)")
            }
            #expect(try await Self.officeSeesScans(of: permit.id, client) == ["origin"])
            let otherPlace = try await inspector.post("/inspector/scans", form: scan.map { $0.0 == "checkpoint" ? ("checkpoint", "transit") : $0 })
            #expect(otherPlace.status == .unprocessableContent && otherPlace.text.contains("Idempotency-Key"), "another record under the key: \(otherPlace.text)")

            let task = try #require(try await SupervisionLoopTests.task("origin-site-check", in: client, token: try await client.login("inspector-cg-qk"))["id"]?.string)
            let inspection = [("csrf", token), ("result", "pass"), ("findings", "车辆冲洗到位"), ("idempotencyKey", "web-7b21de"), ("queued", "1")]
            for _ in 0..<2 {
                let sent = try await inspector.post("/inspector/tasks/\(task)/inspections", form: inspection)
                #expect(sent.status == .noContent, "\(sent.text)")
            }
            let stored = try await Self.task(task, for: "inspector-cg-qk", client)
            #expect(stored.status == "closed" && stored.inspections == 1)
            let late = try await inspector.post("/inspector/tasks/\(task)/inspections",
                                                form: inspection.map { $0.0 == "idempotencyKey" ? ("idempotencyKey", "web-other") : $0 })
            #expect(late.status == .conflict, "a record the task no longer takes is refused for good")
            #expect(late.headers[.contentType]?.hasPrefix("text/plain") == true && late.text.contains("不能再记录检查"), "\(late.text)")

            // The API's scan takes the same key.
            let apiToken = try await client.login("inspector-cg-hc")
            var ids: [String?] = []
            for _ in 0..<2 {
                let sent = try await client.request(.post, "/api/v1/scans", token: apiToken, json: #"{"qr":"\#(jws)","checkpoint":"disposal"}"#,
                                                    headers: ["Idempotency-Key": "pad-scan-0001"])
                #expect(sent.status == .created)
                ids.append(sent.body?["scan"]?["id"]?.string)
            }
            #expect(ids[0] != nil && ids[0] == ids[1])
            #expect(try await Self.officeSeesScans(of: permit.id, client) == ["origin", "disposal"])
        }
    }

    @Test("a scan, claim or inspection form without the CSRF token is refused (403) and stores nothing")
    func formsNeedTheirToken() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await WasteDisposalTests.issuedPermit(client)
            let jws = try Self.jws(permit.certificates.first)
            let task = try #require(try await SupervisionLoopTests.task("origin-site-check", in: client, token: try await client.login("inspector-cg-qk"))["id"]?.string)
            let inspector = Browser(client)
            try await inspector.signIn("inspector-cg-qk")
            let attempts: [(String, [(String, String)])] = [
                ("/inspector/scans", [("qr", jws), ("checkpoint", "origin")]),
                ("/inspector/tasks/\(task)/claim", []),
                ("/inspector/tasks/\(task)/inspections", [("result", "pass"), ("findings", "车辆冲洗到位")]),
            ]
            for (path, form) in attempts {
                let refused = try await inspector.post(path, form: form)
                #expect(refused.status == .forbidden, "\(path)")
                let forged = try await inspector.post(path, form: [("csrf", "bm90LXRoZS10b2tlbg")] + form)
                #expect(forged.status == .forbidden, "\(path) with another token")
            }
            #expect(try await Self.officeSeesScans(of: permit.id, client).isEmpty)
            let stored = try await Self.task(task, for: "inspector-cg-qk", client)
            #expect(stored.status == "open" && stored.inspections == 0)
        }
    }
}
