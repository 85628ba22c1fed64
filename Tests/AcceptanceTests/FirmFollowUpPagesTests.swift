import Foundation
import Hummingbird
import Kernel
import Testing
@testable import WebApp

/// Issue 13, 企业网上办事: what a firm answers after submitting — a correction (补正), the
/// materials it deferred (容缺补交), its helper's messages (一人帮办) — and its credit record, in the
/// browser, through the same services and checks as the API.
@Suite("The firm's follow-up pages: corrections, deferred materials, messages with the helper, and its credit record")
struct FirmFollowUpPagesTests {
    static let reason = "施工合同扫描件第3页不清晰，联系电话有误，请更正"

    /// An accepted application the clerk has asked to correct, on a new project unless `projectID` names one; returns its id.
    static func correctionRequested(_ client: TestApp.Client, firm: String, projectID known: String? = nil) async throws -> String {
        var projectID = known
        if projectID == nil { projectID = try await client.createProject(token: firm).body?["id"]?.string }
        let id = try await client.acceptedApplication(projectID: try #require(projectID), firm: firm)
        let asked = try await client.request(.post, "/api/v1/applications/\(id)/correction-requests", token: try await client.login("clerk"),
                                             json: #"{"reason":"\#(reason)"}"#)
        #expect(asked.body?["status"]?.string == "correction-requested", "\(asked.text)")
        return id
    }

    static func application(_ id: String, token: String, in client: TestApp.Client) async throws -> JSONValue {
        try #require(try await client.request(.get, "/api/v1/applications/\(id)", token: token).body)
    }

    static func material(_ id: String, in application: JSONValue) -> JSONValue? {
        application["materials"]?.array.first { $0["material"]?.string == id }
    }

    /// The `<div class="material">` of the file input `inputID`: the material's name, days left and messages.
    static func materialBlock(_ inputID: String, in page: TestResponse) -> String {
        guard let input = page.text.range(of: #"id="\#(inputID)""#),
              let start = page.text[..<input.lowerBound].range(of: #"<div class="material">"#, options: .backwards) else { return "" }
        let rest = page.text[start.lowerBound...]
        return String(rest[..<(rest.range(of: "</div>")?.upperBound ?? rest.endIndex)])
    }

    static func messagesPage(_ id: String) -> String { "/firm/applications/\(id)/messages" }

    @Test("a promised day reads as the working days left to it, due today, or past, over the bureau's calendar")
    func daysLeftToAPromisedDay() async throws {
        let calendar = try await TestApp().services.catalog.calendar
        let monday = try #require(CivilDate("2026-11-23")), friday = try #require(CivilDate("2026-11-27"))
        let nextMonday = try #require(CivilDate("2026-11-30"))
        #expect(FirmApplicationPage.dueLeft(friday, today: monday, calendar: calendar) == ("还剩 4 个工作日", "ok"))
        #expect(FirmApplicationPage.dueLeft(nextMonday, today: friday, calendar: calendar) == ("还剩 1 个工作日", "warn"), "the weekend does not count")
        #expect(FirmApplicationPage.dueLeft(monday, today: monday, calendar: calendar) == ("今日到期", "warn"))
        #expect(FirmApplicationPage.dueLeft(monday, today: friday, calendar: calendar) == ("已过补交期限", "bad"))
    }

    @Test("the firm answers a correction request from its page: a refusal comes back beside its field with nothing stored, then the answer resumes the clock")
    func correctionResumesTheClock() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: asked on Monday, answered on Tuesday (signed in again: a day outlasts a sign-in)
            let id = try await Self.correctionRequested(client, firm: try await client.login("chongren"))
            let before = try await Self.application(id, token: try await client.login("chongren"), in: client)
            #expect(before["deadline"]?["state"]?.string == "paused")
            let promised = try #require(before["deadline"]?["promisedBy"]?.string.flatMap { CivilDate($0) })
            app.clock.advance(days: 1)
            let firm = try await client.login("chongren")
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get("/firm/applications/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("补正要求：\(Self.reason)") && page.text.contains("王敏于2026年11月23日提出"), "\(page.text)")
            #expect(ApplyWizardPagesTests.input("form[contactPhone]", in: page) == "13871234567", "the form as the application holds it")
            #expect(page.text.contains(#"data-material="construction-contract""#), "each material may be replaced")
            let contract = try #require(try await ApplyWizardPagesTests.upload("clear contract", token: try Browser.formToken(in: page), by: browser)
                .body?["id"]?.string)
            var form = try ApplyWizardPagesTests.completeForm(page, project: "", items: [], files: ["construction-contract": contract])
                .filter { $0.0 != "project" }
            // MUT: the phone left blank
            let refused = try await browser.post("/firm/applications/\(id)/corrections",
                                                 form: form.map { $0.0 == "form[contactPhone]" ? ($0.0, "") : $0 })
            // validate
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(ApplyWizardPagesTests.field("contactPhone", in: refused).contains(#"id="field-contactPhone-error">请填写“联系电话”</p>"#),
                    "\(ApplyWizardPagesTests.field("contactPhone", in: refused))")
            #expect(ApplyWizardPagesTests.input("form[totalAreaM2]", in: refused) == "86500.5")
            #expect(refused.text.contains(#"name="materials[construction-contract]" value="\#(contract)""#), "the uploaded file kept")
            #expect(try await Self.application(id, token: firm, in: client)["status"]?.string == "correction-requested", "nothing stored")

            // MUT: the phone corrected, the contract replaced
            form = form.map { $0.0 == "form[contactPhone]" ? ($0.0, "13900001111") : $0 }
            let answered = try await browser.post("/firm/applications/\(id)/corrections", form: form)
            // validate
            #expect(answered.status == .seeOther && answered.headers[.location] == "/firm/applications/\(id)", "\(answered.text)")
            let after = try await Self.application(id, token: firm, in: client)
            #expect(after["status"]?.string == "accepted", "back where it was")
            #expect(after["deadline"]?["state"]?.string != "paused")
            let moved = try app.services.catalog.calendar.date(addingWorkingDays: 1, to: promised)
            #expect(after["deadline"]?["promisedBy"]?.string == moved.description, "the day it stood still added to the promise")
            #expect(after["form"]?["contactPhone"]?.string == "13900001111")
            #expect(after["form"]?["totalAreaM2"]?.number == 86500.5, "an unchanged number stays a number")
            #expect(Self.material("construction-contract", in: after)?["file"]?.string == contract)
            let corrected = after["timeline"]?.array.first { $0["kind"]?.string == "application.corrected" }
            #expect(corrected?["detail"]?["form"]?.string == "contactPhone", "only the value changed is recorded as corrected")
            #expect(corrected?["detail"]?["materials"]?.string == "construction-contract")
            let shown = try await browser.get("/firm/applications/\(id)")
            #expect(!shown.text.contains("/corrections") && shown.text.contains("提交补正"), "the form gone, the answer on the timeline")
        }
    }

    @Test("a deferred material is listed with its day and the working days left, and once supplied from the page shows as supplied")
    func deferredMaterialSupplied() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let firm = try await client.login("chongren")
            let id = try await DeficiencyDeadlineTests.deferredApplication(client, firm: firm, due: "2026-12-04")
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get("/firm/applications/\(id)")
            let left = try app.services.catalog.calendar.workingDays(after: try #require(CivilDate("2026-11-23")), through: try #require(CivilDate("2026-12-04")))
            let block = Self.materialBlock("supplement-tree-protection-plan", in: page)
            #expect(block.contains("树木清单及保护措施") && block.contains("应于2026年12月4日前补交"), "\(block)")
            #expect(block.contains("还剩 \(left) 个工作日"), "\(block)")
            // MUT: nothing uploaded
            let empty = try await browser.post("/firm/applications/\(id)/supplements",
                                               form: [("csrf", try Browser.formToken(in: page)), ("materials[tree-protection-plan]", "")])
            // validate
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains(#"id="supplement-error">请至少补交一份材料"#), "\(empty.text)")
            #expect(Self.material("tree-protection-plan", in: try await Self.application(id, token: firm, in: client))?["state"]?.string == "deferred")

            // MUT: the plan uploaded through the page's route and supplied
            let plan = try #require(try await ApplyWizardPagesTests.upload("tree plan", token: try Browser.formToken(in: page), by: browser)
                .body?["id"]?.string)
            let supplied = try await browser.post("/firm/applications/\(id)/supplements",
                                                  form: [("csrf", try Browser.formToken(in: page)), ("materials[tree-protection-plan]", plan)])
            // validate
            #expect(supplied.status == .seeOther, "\(supplied.text)")
            let after = try await Self.application(id, token: firm, in: client)
            #expect(Self.material("tree-protection-plan", in: after)?["state"]?.string == "supplied")
            #expect(Self.material("tree-protection-plan", in: after)?["file"]?.string == plan)
            #expect(after["status"]?.string == "accepted", "nothing left outstanding")
            let shown = try await browser.get("/firm/applications/\(id)")
            #expect(shown.text.contains("树木清单及保护措施</a> <span class=\"tag ok\">已补交</span>"), "\(shown.text)")
            #expect(!shown.text.contains("/supplements") && !shown.text.contains("待补交的容缺材料"))
        }
    }

    @Test("the firm writes to its helper from the page and the helper reads it through the API; the helper's reply and name show on the page, paged oldest first")
    func messagesWithTheHelper() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: an application whose helper is 王敏 (clerk)
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let helper = try await client.login("clerk")
            let browser = try await Browser.signedInAs("chongren", client)
            let application = try await browser.get("/firm/applications/\(id)")
            #expect(application.text.contains("帮办专员：王敏") && application.text.contains(#"href="\#(Self.messagesPage(id))""#))
            let page = try await browser.get(Self.messagesPage(id))
            #expect(page.status == .ok && page.text.contains("帮办专员：王敏") && page.text.contains("还没有留言"), "\(page.text)")
            // MUT: a blank message, then one typed
            let blank = try await browser.post(Self.messagesPage(id), form: [("csrf", try Browser.formToken(in: page)), ("text", "  ")])
            let question = "请问施工合同需要加盖骑缝章吗？<附件>"
            let sent = try await browser.post(Self.messagesPage(id), form: [("csrf", try Browser.formToken(in: page)), ("text", question)])
            // validate
            #expect(blank.status == .unprocessableContent)
            #expect(blank.text.contains(#"id="message-text-error">不能为空"#), "\(blank.text)")
            #expect(sent.status == .seeOther && sent.headers[.location] == Self.messagesPage(id))
            let read = try await client.request(.get, "/api/v1/applications/\(id)/messages", token: helper)
            #expect(read.body?.array.compactMap { $0["text"]?.string } == [question], "one message, the blank one not stored: \(read.text)")
            #expect(read.body?[0]?["fromName"]?.string == "张伟")

            // The reverse: the helper answers through the API, and the page pages the thread oldest first.
            let reply = "需要，请在合同每页加盖骑缝章后重新上传。"
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/messages", token: helper, json: #"{"text":"\#(reply)"}"#).status == .created)
            let thread = try await browser.get(Self.messagesPage(id))
            #expect(thread.text.contains("请问施工合同需要加盖骑缝章吗？&lt;附件&gt;"), "as text")
            #expect(thread.text.contains("<strong>王敏</strong>（帮办专员）") && thread.text.contains(reply))
            let first = try await browser.get(Self.messagesPage(id) + "?limit=1")
            let next = try #require(FirmPagesTests.nextPage(in: first), "\(first.text)")
            let api = try await client.request(.get, "/api/v1/applications/\(id)/messages?limit=1", token: firm)
            #expect(next == Self.messagesPage(id) + "?limit=1&cursor=\(try #require(api.headers[.init("X-Next-Cursor")!]))", "the API's own cursor")
            #expect(first.text.contains("骑缝章吗") && !first.text.contains(reply))
            let second = try await browser.get(next)
            #expect(second.text.contains(reply) && !second.text.contains("骑缝章吗") && second.text.contains("第一页"))
        }
    }

    @Test("the credit page shows the level, score and the records an inspection made, newest first through the API's cursor, linked from the firm's navigation")
    func creditShowsInspectionRecords() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a rectification order and a violation found on the firm's issued permit
            let issued = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let greenspace = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(greenspace)/inspections", token: landscaping, json: """
                {"result":"rectify","findings":"东侧两株香樟未设围护","rectifyBy":"2026-11-30",
                 "checklist":[{"id":"within-permitted-area","answer":"yes"},{"id":"trees-protected","answer":"no"}]}
                """).status == .created)
            let quality = try await client.login("inspector-zaz-qk")
            let first = try #require(try await SupervisionLoopTests.task("first-inspection", in: client, token: quality)["id"]?.string)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(first)/inspections", token: quality, json: """
                {"result":"violation","findings":"实际施工单位与许可载明的单位不一致","checklist":[{"id":"contractor-matches","answer":"no"}]}
                """).status == .created)
            let credit = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: issued.firm)
            let records = credit.body?["records"]?.array ?? []
            #expect(records.count == 2)
            let browser = try await Browser.signedInAs("chongren", client)
            // MUT
            let page = try await browser.get("/firm/credit")
            // validate
            #expect(page.status == .ok, "\(page.text)")
            #expect(try await browser.get("/firm/applications").text.contains(#"href="/firm/credit""#), "in the firm's navigation")
            let level = try #require(credit.body?["level"]?.string), name = try #require(credit.body?["levelName"]?.string)
            let score = Int(try #require(credit.body?["score"]?.number)), number = try #require(issued.certificate["number"]?.string)
            #expect(page.text.contains("\(level) 级 · \(name)") && page.text.contains("<td>\(score) 分</td>"))
            #expect(page.text.contains("监管检查责令整改") && page.text.contains("-3 分") && page.text.contains("监管检查发现违法违规"))
            #expect(page.text.contains("2026年11月23日") && page.text.contains("证照编号 \(number)"))
            let notes = records.compactMap { $0["note"]?.string }
            let positions = try notes.map { try #require(page.text.range(of: $0), "\($0) on the page").lowerBound }
            #expect(positions == positions.sorted(), "in the API's order, newest first")
            let paged = try await browser.get("/firm/credit?limit=1")
            let api = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit?limit=1", token: issued.firm)
            #expect(FirmPagesTests.nextPage(in: paged) == "/firm/credit?limit=1&cursor=\(try #require(api.headers[.init("X-Next-Cursor")!]))")
            #expect(paged.text.contains(notes[0]) && !paged.text.contains(notes[1]))
            let other = try await Browser.signedInAs("hanxi", client).get("/firm/credit")
            #expect(other.status == .ok && other.text.contains("计分期间内没有信用记录") && !other.text.contains(notes[0]), "each firm its own")
        }
    }

    @Test("a correction, a supplement or a message posted without the page's form token is refused with 403, and nothing changes")
    func postsNeedTheFormToken() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let deferred = try await DeficiencyDeadlineTests.deferredApplication(client, firm: firm, due: "2026-12-04")
            let corrected = try await Self.correctionRequested(client, firm: firm,
                                                               projectID: try Self.application(deferred, token: firm, in: client)["project"]?["id"]?.string)
            let plan = try await client.upload("tree plan", token: firm)
            let browser = try await Browser.signedInAs("chongren", client)
            // MUT
            let correction = try await browser.post("/firm/applications/\(corrected)/corrections", form: [("form[contactPhone]", "13900001111")])
            let supplement = try await browser.post("/firm/applications/\(deferred)/supplements",
                                                    form: [("csrf", "forged"), ("materials[tree-protection-plan]", plan)])
            let message = try await browser.post(Self.messagesPage(deferred), form: [("text", "你好")])
            // validate
            #expect(correction.status == .forbidden && supplement.status == .forbidden && message.status == .forbidden)
            #expect(try await Self.application(corrected, token: firm, in: client)["status"]?.string == "correction-requested")
            #expect(Self.material("tree-protection-plan", in: try await Self.application(deferred, token: firm, in: client))?["state"]?.string == "deferred")
            #expect(try await client.request(.get, "/api/v1/applications/\(deferred)/messages", token: firm).body?.array.isEmpty == true)
            // With the token the same supplement goes through.
            let page = try await browser.get("/firm/applications/\(deferred)")
            #expect(try await browser.post("/firm/applications/\(deferred)/supplements",
                                           form: [("csrf", try Browser.formToken(in: page)), ("materials[tree-protection-plan]", plan)]).status == .seeOther)
        }
    }

    @Test("another firm gets 404 for the application's messages and its answers, as in the API, and nothing changes")
    func anotherFirmIsNotFound() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let deferred = try await DeficiencyDeadlineTests.deferredApplication(client, firm: firm, due: "2026-12-04")
            let corrected = try await Self.correctionRequested(client, firm: firm,
                                                               projectID: try Self.application(deferred, token: firm, in: client)["project"]?["id"]?.string)
            let hanxiToken = try await client.login("hanxi")
            let hanxiPlan = try await client.upload("tree plan", token: hanxiToken)
            let hanxi = try await Browser.signedInAs("hanxi", client)
            let token = try Browser.formToken(in: try await hanxi.get("/firm/applications"))
            // MUT
            let messages = try await hanxi.get(Self.messagesPage(deferred))
            let message = try await hanxi.post(Self.messagesPage(deferred), form: [("csrf", token), ("text", "你好")])
            let correction = try await hanxi.post("/firm/applications/\(corrected)/corrections", form: [("csrf", token), ("form[contactPhone]", "13900001111")])
            let supplement = try await hanxi.post("/firm/applications/\(deferred)/supplements",
                                                  form: [("csrf", token), ("materials[tree-protection-plan]", hanxiPlan)])
            // validate
            let api = try await client.request(.get, "/api/v1/applications/\(deferred)/messages", token: hanxiToken)
            #expect(api.status == .notFound)
            for response in [messages, message, correction, supplement] {
                #expect(response.status == .notFound, "\(response.text)")
                #expect(!response.text.contains("崇仁路023地块项目"))
            }
            #expect(messages.text.contains(try #require(api.body?["error"]?["message"]?.string)), "the API's own message")
            #expect(try await Self.application(corrected, token: firm, in: client)["status"]?.string == "correction-requested")
            #expect(Self.material("tree-protection-plan", in: try await Self.application(deferred, token: firm, in: client))?["state"]?.string == "deferred")
            #expect(try await client.request(.get, "/api/v1/applications/\(deferred)/messages", token: firm).body?.array.isEmpty == true)
            #expect(try await Browser.signedInAs("clerk", client).get("/firm/credit").status == .forbidden, "the firm's pages are the firm's")
        }
    }
}
