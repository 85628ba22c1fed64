import Foundation
import Hummingbird
import Kernel
import Testing
import WebApp

/// Issue 13 §2, first pages: a firm follows its applications in the browser, through the same
/// services and checks as the API.
@Suite("The firm's pages: its applications and projects, each application whole, nobody else's")
struct FirmPagesTests {
    /// The `href`s of a page's links to applications, in order.
    static func applicationLinks(in page: TestResponse) -> [String] {
        page.text.matches(of: /href="\/firm\/applications\/([0-9a-f-]{36})"/).map { String($0.1) }
    }

    static func nextPage(in page: TestResponse) -> String? {
        page.text.firstMatch(of: /<a href="([^"]+)" rel="next">下一页/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
    }

    @Test("a firm sees its own applications and projects, with status, dates and days left in Chinese, and not another firm's (404 as in the API)")
    func ownApplicationsOnly() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: 崇仁 submits one application, which the clerk accepts
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let promised = try #require(try await client.request(.get, "/api/v1/applications/\(id)", token: firm).body?["deadline"])
            let chongren = Browser(client), hanxi = Browser(client)
            try await chongren.signIn("chongren")
            try await hanxi.signIn("hanxi")
            // MUT
            let own = try await chongren.get("/firm/applications")
            let projects = try await chongren.get("/firm/projects")
            let others = try await hanxi.get("/firm/applications")
            let othersProjects = try await hanxi.get("/firm/projects")
            let peek = try await hanxi.get("/firm/applications/\(id)")
            // validate
            #expect(own.status == .ok)
            #expect(Self.applicationLinks(in: own) == [id])
            #expect(own.text.contains("崇仁路023地块项目"))
            #expect(own.text.contains("建筑工程施工许可"), "its items by name")
            #expect(own.text.contains("已受理") && own.text.contains("提交于 2026年11月23日"), "\(own.text)")
            let left = try #require(promised["remainingWorkingDays"]?.number.map { Int($0) })
            let promisedBy = try #require(promised["promisedBy"]?.string.flatMap { CivilDate($0) })
            #expect(own.text.contains("还剩 \(left) 个工作日"), "\(own.text)")
            #expect(own.text.contains("承诺 \(promisedBy.year)年\(promisedBy.components.month)月\(promisedBy.components.day)日 前办结"))
            #expect(projects.text.contains("2401-420104-04-01-318562") && projects.text.contains("建设单位"))
            #expect(Self.applicationLinks(in: others).isEmpty && others.text.contains("本单位还没有提交申请"))
            #expect(!othersProjects.text.contains("崇仁路023地块项目"))
            let api = try await client.request(.get, "/api/v1/applications/\(id)", token: try await client.login("hanxi"))
            #expect(peek.status == .notFound && api.status == .notFound)
            #expect(peek.text.contains(try #require(api.body?["error"]?["message"]?.string)), "the API's own message: \(peek.text)")
            #expect(!peek.text.contains("崇仁路023地块项目"))
        }
    }

    @Test("the list pages through the API's cursor: 下一页 carries it, and the pages hold each application once, newest first")
    func pagingFollowsTheCursor() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (firm, ids) = try await ApplicationListTests.fiveApplications(app, client)
            let browser = Browser(client)
            try await browser.signIn("chongren")
            var pages: [[String]] = []
            var next: String? = "/firm/applications?limit=2"
            while let address = next, pages.count < 10 {
                let page = try await browser.get(address)
                #expect(page.status == .ok, "\(address): \(page.text)")
                pages.append(Self.applicationLinks(in: page))
                next = Self.nextPage(in: page)
                #expect(pages.count == 1 || page.text.contains("第一页"))
            }
            #expect(pages == (try await ApplicationListTests.allPages("/api/v1/applications?limit=2", token: firm, in: client)), "the API's pages")
            #expect(pages.map(\.count) == [2, 2, 1])
            #expect(Set(pages.flatMap { $0 }) == Set(ids))
            let api = try await client.request(.get, "/api/v1/applications?limit=2", token: firm)
            let first = try await browser.get("/firm/applications?limit=2")
            #expect(Self.nextPage(in: first) == "/firm/applications?limit=2&cursor=\(try #require(api.headers[.init("X-Next-Cursor")!]))",
                    "the API's own cursor")
            #expect(try await browser.get("/firm/applications?cursor=not-a-cursor").status == .unprocessableContent)
        }
    }

    @Test("an application's page shows deferred materials to supply, the decisions, the inspection that came back and the certificate with its image and QR page")
    func applicationPageIsWhole() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: one application accepted with the tree plan deferred; another approved (with an
            // opinion), issued and inspected on site
            let firm = try await client.login("chongren")
            let deferred = try await DeficiencyDeadlineTests.deferredApplication(client, firm: firm, due: "2026-12-04")
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(deferred)", token: firm).body?["project"]?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            for (reviewer, item) in [("reviewer-housing", "ZJ-SGXK"), ("reviewer-landscaping", "YL-LDZY")] {
                _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login(reviewer),
                                             json: #"{"item":"\#(item)","decision":"approve","opinion":"符合<条件>"}"#)
            }
            let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            let certificate = try #require(issued.body?["certificates"]?[0], "\(issued.text)")
            let number = try #require(certificate["number"]?.string)
            let jws = try #require(certificate["qr"]?.string?.components(separatedBy: "/v/").last)
            let inspector = try await client.login("inspector-yl-qk")
            let task = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: inspector)["id"]?.string)
            let inspected = try await client.request(.post, "/api/v1/supervision/tasks/\(task)/inspections", token: inspector, json: """
                {"result":"rectify","findings":"东侧两株香樟未设围护","rectifyBy":"2026-11-30",
                 "checklist":[{"id":"within-permitted-area","answer":"yes"},{"id":"trees-protected","answer":"no"}]}
                """)
            #expect(inspected.status == .created, "\(inspected.text)")
            let browser = Browser(client)
            try await browser.signIn("chongren")
            // MUT
            let page = try await browser.get("/firm/applications/\(id)")
            let waiting = try await browser.get("/firm/applications/\(deferred)")
            // validate
            #expect(waiting.text.contains("待补交的容缺材料") && waiting.text.contains("树木清单及保护措施"))
            #expect(waiting.text.contains("容缺待补交，应于2026年12月4日前补交"), "\(waiting.text)")
            #expect(waiting.text.contains("撤回申请"), "an application under way may be withdrawn")
            #expect(page.status == .ok)
            #expect(!page.text.contains("待补交的容缺材料"))
            #expect(page.text.contains("准予许可") && page.text.contains("意见：符合&lt;条件&gt;"))
            #expect(page.text.contains("监管检查：临时占绿现场检查") && page.text.contains("结果：责令整改"))
            #expect(page.text.contains("检查情况：东侧两株香樟未设围护") && page.text.contains("整改期限：2026年11月30日"))
            #expect(page.text.contains(number) && page.text.contains(#"href="/v/\#(jws)""#))
            #expect(page.text.contains("已办结"), "an issued application's clock is closed")
            #expect(!page.text.contains("撤回申请"), "an issued application cannot be withdrawn")
            let image = try await client.request(.get, "/certificates/\(number)/image", headers: ["Cookie": "shenguan_session=\(try #require(browser.cookies["shenguan_session"]))"])
            #expect(image.status == .ok && image.headers[.contentType] == "image/png")
            let hanxi = Browser(client)
            try await hanxi.signIn("hanxi")
            #expect(try await hanxi.get("/certificates/\(number)/image").status == .notFound)
        }
    }

    @Test("a firm registers a project on its page as the API would, its own code filled in as the builder; a bad code or party is named beside its field and nothing is stored")
    func registersAProject() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let firm = try await client.login("chongren")
            let browser = try await Browser.signedInAs("chongren", client)
            let blank = try await browser.get("/firm/projects/new")
            let token = try Browser.formToken(in: blank)
            func form(code: String = "2412-420104-04-01-000777", contractor: String = TestApp.contractor) -> [(String, String)] {
                [("csrf", token), ("code", code), ("name", "汉正街东片改造项目"), ("district", "420104"), ("address", "武汉市硚口区汉正街"),
                 ("category", "房屋建筑工程"), ("builderUscc", TestApp.firmA), ("builderName", ""), ("contractorUscc", contractor), ("contractorName", "中建三局第一建设工程有限责任公司")]
            }
            // MUT
            let badCode = try await browser.post("/firm/projects", form: form(code: "2412-42"))
            let badContractor = try await browser.post("/firm/projects", form: form(contractor: "91420100MA4L0000X"))
            let registered = try await browser.post("/firm/projects", form: form())
            let again = try await browser.post("/firm/projects", form: form())
            // validate
            #expect(blank.status == .ok, "\(blank.text)")
            #expect(blank.text.contains(#"name="builderUscc" type="text" value="\#(TestApp.firmA)""#), "the firm itself as the builder")
            #expect(badCode.status == .unprocessableContent)
            #expect(badCode.text.contains(#"id="project-code-error">项目代码格式应为"#), "\(badCode.text)")
            #expect(badCode.text.contains(#"name="name" type="text" value="汉正街东片改造项目""#), "the values kept")
            #expect(badContractor.text.contains(#"id="project-contractorUscc-error">"#), "\(badContractor.text)")
            #expect(registered.status == .seeOther, "\(registered.text)")
            let location = try #require(registered.headers[.location])
            let listed = try await browser.get(location)
            #expect(listed.text.contains("项目已登记：汉正街东片改造项目"), "\(listed.text)")
            let projects = try await client.request(.get, "/api/v1/projects", token: firm).body?.array ?? []
            #expect(projects.compactMap { $0["code"]?.string } == ["2412-420104-04-01-000777"], "one project, as the API stores it")
            #expect(projects.first?["contractor"]?["uscc"]?.string == TestApp.contractor)
            #expect(again.status == .conflict && again.text.contains(#"<p class="error" role="alert">"#), "the code taken: \(again.text)")
        }
    }
}
