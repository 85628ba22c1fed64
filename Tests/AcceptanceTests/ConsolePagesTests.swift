import Foundation
import Hummingbird
import Kernel
import Testing
import WebApp

/// Issue 13 §3: the bureau console. The clerk, two reviewers and the issuer work their queues in
/// the browser through the same service calls as the API, with the same checks.
@Suite("The bureau console: the clerk's, reviewers' and issuer's queues and the application page they act on")
struct ConsolePagesTests {
    /// The ids of the applications a console page links to, in order.
    static func applicationLinks(in html: String) -> [String] {
        html.matches(of: /href="\/console\/applications\/([0-9a-f-]{36})"/).map { String($0.1) }
    }

    /// The HTML of the queue's list titled `title`, up to the end of its section.
    static func list(_ title: String, in page: TestResponse) -> String {
        guard let start = page.text.range(of: "<h2>\(title)</h2>") else { return "" }
        let rest = page.text[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    static func status(of id: String, in client: TestApp.Client) async throws -> String? {
        try await client.request(.get, "/api/v1/applications/\(id)", token: try await client.login("clerk")).body?["status"]?.string
    }

    /// A browser signed in as `username`, with the form token of `page` (which it opens).
    static func signedIn(_ username: String, at page: String, in client: TestApp.Client) async throws -> (Browser, TestResponse, String) {
        let browser = Browser(client)
        try await browser.signIn(username)
        let opened = try await browser.get(page)
        #expect(opened.status == .ok, "\(page): \(opened.text)")
        return (browser, opened, try Browser.formToken(in: opened))
    }

    @Test("a clerk accepts an application from its queue page and it leaves the queue")
    func clerkAcceptsFromTheQueue() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a complete application waiting for acceptance
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.submittedApplication(projectID: projectID, firm: firm)
            let (clerk, queue, _) = try await Self.signedIn("clerk", at: "/console/acceptance", in: client)
            #expect(Self.applicationLinks(in: Self.list("待受理申请", in: queue)) == [id])
            #expect(queue.text.contains("武汉崇仁置业有限公司") && queue.text.contains("建筑工程施工许可"), "\(queue.text)")
            let page = try await clerk.get("/console/applications/\(id)")
            #expect(page.text.contains("申请材料齐全") && page.text.contains(#"value="accept">受理</button>"#), "\(page.text)")
            #expect(page.text.contains("联系电话") && page.text.contains("13871234567"), "the form under the catalog's labels")
            #expect(page.text.contains("2026年12月1日"), "a date field written as a day: \(page.text)")
            // MUT
            let accepted = try await clerk.post("/console/applications/\(id)/acceptance",
                                                form: [("csrf", try Browser.formToken(in: page)), ("decision", "accept")])
            // validate
            #expect(accepted.status == .seeOther && accepted.headers[.location] == "/console/applications/\(id)", "\(accepted.text)")
            #expect(try await Self.status(of: id, in: client) == "accepted")
            let after = try await clerk.get("/console/applications/\(id)")
            #expect(after.text.contains("已受理") && after.text.contains("还剩 "), "\(after.text)")
            #expect(!after.text.contains(#"value="accept""#), "accepted once: no acceptance form any more")
            let queueAfter = try await clerk.get("/console/acceptance")
            #expect(Self.applicationLinks(in: Self.list("待受理申请", in: queueAfter)).isEmpty)
            #expect(queueAfter.text.contains("没有待受理的申请"))
        }
    }

    @Test("accept with deficiencies defers a missing material to a due date; an invalid due date or an undeferred material is shown beside its field and stores nothing")
    func acceptWithDeficiencies() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: the tree plan (deferrable) not submitted
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.submittedApplication(projectID: projectID, firm: firm, without: ["tree-protection-plan"])
            let (clerk, page, csrf) = try await Self.signedIn("clerk", at: "/console/applications/\(id)", in: client)
            #expect(page.text.contains(#"name="deferred[]" value="tree-protection-plan" checked"#), "\(page.text)")
            #expect(page.text.contains("涉及树木清单及保护措施") && page.text.contains(#"value="accept">容缺受理</button>"#))
            let action = "/console/applications/\(id)/acceptance"
            // MUT: a day already past, a date that is none, no date, the missing material left out
            let past = try await clerk.post(action, form: [("csrf", csrf), ("decision", "accept"), ("deferred[]", "tree-protection-plan"),
                                                           ("supplementDue", "2026-11-20")])
            let garbled = try await clerk.post(action, form: [("csrf", csrf), ("decision", "accept"), ("deferred[]", "tree-protection-plan"),
                                                              ("supplementDue", "2026-13-45")])
            let undated = try await clerk.post(action, form: [("csrf", csrf), ("decision", "accept"), ("deferred[]", "tree-protection-plan")])
            let undeferred = try await clerk.post(action, form: [("csrf", csrf), ("decision", "accept"), ("supplementDue", "2026-12-04")])
            // validate: each refused beside its field, the form as posted, nothing stored
            #expect(past.status == .unprocessableContent)
            #expect(past.text.contains(#"<p class="error" role="alert" id="supplementDue-error">补交日期应晚于今天</p>"#), "\(past.text)")
            #expect(past.text.contains(#"value="2026-11-20" aria-invalid="true""#), "the date as posted")
            #expect(garbled.status == .unprocessableContent && garbled.text.contains(#"id="supplementDue-error">请选择有效的日期"#), "\(garbled.text)")
            #expect(undated.status == .unprocessableContent && undated.text.contains(#"id="supplementDue-error">容缺受理须约定补交日期"#))
            #expect(undeferred.status == .unprocessableContent)
            #expect(undeferred.text.contains(#"id="deferred-error">材料 tree-protection-plan 未提交，须列入容缺材料或要求补正"#), "\(undeferred.text)")
            #expect(undeferred.text.contains(#"value="tree-protection-plan">"#), "left unticked as posted")
            #expect(try await Self.status(of: id, in: client) == "submitted")
            // MUT: the material deferred to a day to come
            let accepted = try await clerk.post(action, form: [("csrf", csrf), ("decision", "accept"), ("deferred[]", "tree-protection-plan"),
                                                               ("supplementDue", "2026-12-04")])
            // validate
            #expect(accepted.status == .seeOther, "\(accepted.text)")
            let stored = try await client.request(.get, "/api/v1/applications/\(id)", token: try await client.login("clerk"))
            #expect(stored.body?["status"]?.string == "accepted-with-deficiencies")
            let tree = stored.body?["materials"]?.array.first { $0["material"]?.string == "tree-protection-plan" }
            #expect(tree?["state"]?.string == "deferred" && tree?["due"]?.string == "2026-12-04", "\(stored.text)")
            let after = try await clerk.get("/console/applications/\(id)")
            #expect(after.text.contains("容缺待补交，应于2026年12月4日前补交") && after.text.contains("容缺受理"), "\(after.text)")
            #expect(after.text.contains("容缺材料补交期限：2026年12月4日"), "on the timeline")
        }
    }

    @Test("a refusal without a reason is refused with the field named and changes nothing; with one, the application is refused and the reason shown")
    func refusalNeedsAReason() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.submittedApplication(projectID: projectID, firm: firm)
            let (clerk, _, csrf) = try await Self.signedIn("clerk", at: "/console/applications/\(id)", in: client)
            let action = "/console/applications/\(id)/acceptance"
            // MUT
            let blank = try await clerk.post(action, form: [("csrf", csrf), ("decision", "refuse"), ("reason", "  ")])
            // validate
            #expect(blank.status == .unprocessableContent)
            #expect(blank.text.contains(#"<p class="error" role="alert" id="reason-error">不能为空</p>"#), "\(blank.text)")
            #expect(blank.text.contains("<details open>") && blank.text.contains(#"<label for="reason">不予受理原因</label>"#), "the refusal form opened")
            #expect(try await Self.status(of: id, in: client) == "submitted")
            // MUT
            let refused = try await clerk.post(action, form: [("csrf", csrf), ("decision", "refuse"), ("reason", "项目不属于本局审批权限")])
            // validate
            #expect(refused.status == .seeOther)
            #expect(try await Self.status(of: id, in: client) == "refused")
            let page = try await clerk.get("/console/applications/\(id)")
            #expect(page.text.contains("不予受理原因") && page.text.contains("项目不属于本局审批权限"))
            #expect(!page.text.contains(#"name="decision""#), "no form once decided")
        }
    }

    @Test("two reviewers of different departments each see only their department's work, items and materials, and approve their own item")
    func reviewersWorkTheirOwnDepartment() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: 施工许可 (housing) + 临时占用绿地 (landscaping), accepted
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let materials = try await client.request(.get, "/api/v1/applications/\(id)", token: firm).body?["materials"]?.array ?? []
            func file(_ material: String) throws -> String {
                try #require(materials.first { $0["material"]?.string == material }?["file"]?.string)
            }
            let (housing, housingQueue, _) = try await Self.signedIn("reviewer-housing", at: "/console/reviews", in: client)
            let (landscaping, landscapingQueue, _) = try await Self.signedIn("reviewer-landscaping", at: "/console/reviews", in: client)
            let (quality, qualityQueue, _) = try await Self.signedIn("reviewer-quality-station", at: "/console/reviews", in: client)
            #expect(Self.applicationLinks(in: housingQueue.text) == [id] && Self.applicationLinks(in: landscapingQueue.text) == [id])
            #expect(Self.applicationLinks(in: qualityQueue.text).isEmpty, "another department's work is not in its queue")
            let housingPage = try await housing.get("/console/applications/\(id)")
            #expect(housingPage.text.contains(#"<input type="hidden" name="item" value="ZJ-SGXK">"#))
            let items = Self.list("申请事项", in: housingPage)
            #expect(items.contains("建筑工程施工许可") && !items.contains("临时占用绿地"), "only its department's items: \(items)")
            #expect(!housingPage.text.contains(#"value="YL-LDZY""#))
            #expect(housingPage.text.contains(#"href="/files/\#(try file("construction-contract"))""#))
            #expect(!housingPage.text.contains(try file("greenspace-location-map")), "only the materials its items ask for")
            #expect(housingPage.text.contains("尚未安排联合踏勘"), "its item needs a survey, shown read-only")
            #expect(try await housing.get("/files/\(try file("construction-contract"))").status == .ok)
            #expect(try await housing.get("/files/\(try file("greenspace-location-map"))").status == .notFound, "the file store's rule")
            #expect(try await quality.get("/console/applications/\(id)").status == .notFound, "as the API: not its department's")
            // MUT: housing approves; landscaping denies without an opinion, then approves
            let approved = try await housing.post("/console/applications/\(id)/reviews", form: [
                ("csrf", try Browser.formToken(in: housingPage)), ("item", "ZJ-SGXK"), ("decision", "approve"), ("opinion", "符合法定条件"),
            ])
            let waiting = try await housing.get("/console/reviews")
            let landscapingPage = try await landscaping.get("/console/applications/\(id)")
            let landscapingToken = try Browser.formToken(in: landscapingPage)
            let denied = try await landscaping.post("/console/applications/\(id)/reviews", form: [
                ("csrf", landscapingToken), ("item", "YL-LDZY"), ("decision", "deny"), ("opinion", ""),
            ])
            let statusAfterDenial = try await Self.status(of: id, in: client)
            let approvedToo = try await landscaping.post("/console/applications/\(id)/reviews", form: [
                ("csrf", landscapingToken), ("item", "YL-LDZY"), ("decision", "approve"),
            ])
            // validate
            #expect(approved.status == .seeOther, "\(approved.text)")
            let housingAfter = try await housing.get("/console/applications/\(id)")
            #expect(housingAfter.text.contains("准予许可") && housingAfter.text.contains("意见：符合法定条件"))
            #expect(!housingAfter.text.contains(#"name="item""#), "its item decided: no review form")
            #expect(Self.applicationLinks(in: waiting.text) == [id])
            #expect(Self.applicationLinks(in: Self.list("已审结，待他部门", in: waiting)) == [id], "\(waiting.text)")
            #expect(denied.status == .unprocessableContent)
            #expect(denied.text.contains(#"id="opinion-YL-LDZY-error">不能为空</p>"#), "\(denied.text)")
            #expect(statusAfterDenial == "under-review", "the refused denial stored nothing")
            #expect(approvedToo.status == .seeOther)
            #expect(try await Self.status(of: id, in: client) == "approved")
        }
    }

    @Test("an application leaves a department's review queue, in the API and on the console, once that department has decided its items, and stays in the queue of a department that has not; an administrator sees the bureau's running work")
    func reviewQueueHoldsOnlyItemsStillToReview() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: 施工许可 (housing) + 临时占用绿地 (landscaping), one accepted, one not yet
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let notAccepted = try await client.submittedApplication(projectID: projectID, firm: firm)
            let clerk = try await client.login("clerk")
            /// The ids in `department`'s list through the API: the reviewer's own, and the clerk's
            /// naming the department.
            func pending(_ department: String, _ pending: Bool) async throws -> [String] {
                let reviewer = try await ApplicationListTests.allPages("/api/v1/applications?pending=\(pending)", token: try await client.login("reviewer-\(department)"),
                                                                       in: client).flatMap { $0 }
                let named = try await ApplicationListTests.allPages("/api/v1/applications?department=\(department)&pending=\(pending)", token: clerk,
                                                                    in: client).flatMap { $0 }
                #expect(reviewer == named, "\(department): the reviewer's list is the department's")
                return reviewer
            }
            /// The ids on the department's console queue, still to review and reviewed here.
            func queue(_ department: String) async throws -> (toReview: [String], reviewed: [String]) {
                let page = try await Self.signedIn("reviewer-\(department)", at: "/console/reviews", in: client).1
                let toReview = ["已超期", "即将到期", "审查中"].flatMap { Self.applicationLinks(in: Self.list($0, in: page)) }
                return (toReview, Self.applicationLinks(in: Self.list("已审结，待他部门", in: page)))
            }
            let before = (housing: try await pending("housing", true), landscaping: try await pending("landscaping", true),
                          housingQueue: try await queue("housing"))
            // MUT: housing approves its item
            let housingReview = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-housing"),
                                                         json: #"{"item":"ZJ-SGXK","decision":"approve"}"#)
            let afterHousing = (housing: try await pending("housing", true), housingDone: try await pending("housing", false),
                                landscaping: try await pending("landscaping", true),
                                housingQueue: try await queue("housing"), landscapingQueue: try await queue("landscaping"))
            let admin = try await Self.signedIn("admin", at: "/console/reviews", in: client).1
            // MUT: landscaping decides its item
            let landscapingReview = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-landscaping"),
                                                             json: #"{"item":"YL-LDZY","decision":"approve"}"#)
            let afterBoth = (housing: try await pending("housing", true), landscaping: try await pending("landscaping", true),
                             housingQueue: try await queue("housing"), landscapingQueue: try await queue("landscaping"))
            // validate
            #expect(before.housing == [id] && before.landscaping == [id], "an application not yet accepted cannot be reviewed: \(notAccepted)")
            #expect(before.housingQueue.toReview == [id] && before.housingQueue.reviewed.isEmpty)
            #expect(housingReview.status == .ok, "\(housingReview.text)")
            #expect(afterHousing.housing.isEmpty, "housing has decided its item")
            #expect(afterHousing.housingDone.contains(id) && afterHousing.housingDone.contains(notAccepted))
            #expect(afterHousing.landscaping == [id], "landscaping has not")
            #expect(afterHousing.housingQueue.toReview.isEmpty && afterHousing.housingQueue.reviewed == [id])
            #expect(afterHousing.landscapingQueue.toReview == [id] && afterHousing.landscapingQueue.reviewed.isEmpty)
            #expect(Self.applicationLinks(in: Self.list("审查中", in: admin)) == [id] && !admin.text.contains("已审结，待他部门"), "\(admin.text)")
            #expect(landscapingReview.status == .ok, "\(landscapingReview.text)")
            #expect(afterBoth.housing.isEmpty && afterBoth.landscaping.isEmpty)
            #expect(afterBoth.housingQueue.toReview.isEmpty && afterBoth.housingQueue.reviewed.isEmpty, "decided: in no list of either queue")
            #expect(afterBoth.landscapingQueue.toReview.isEmpty && afterBoth.landscapingQueue.reviewed.isEmpty)
            #expect(try await Self.status(of: id, in: client) == "approved")
        }
    }

    @Test("the issuer issues from its queue and the certificate appears on the page with its image and QR page")
    func issuerIssues() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.approvedApplication(projectID: projectID, firm: firm)
            let (issuer, queue, _) = try await Self.signedIn("issuer", at: "/console/issuance", in: client)
            #expect(Self.applicationLinks(in: Self.list("准予许可，待出证", in: queue)) == [id], "\(queue.text)")
            #expect(queue.text.contains("审批决定于 2026年11月23日"))
            let page = try await issuer.get("/console/applications/\(id)")
            #expect(page.text.contains(#"<button type="submit">出证</button>"#), "\(page.text)")
            // MUT
            let issued = try await issuer.post("/console/applications/\(id)/issuance", form: [("csrf", try Browser.formToken(in: page))])
            // validate
            #expect(issued.status == .seeOther, "\(issued.text)")
            let certificate = try #require(try await client.request(.get, "/api/v1/applications/\(id)", token: firm).body?["certificates"]?[0])
            let number = try #require(certificate["number"]?.string)
            let jws = try #require(certificate["qr"]?.string?.components(separatedBy: "/v/").last)
            let after = try await issuer.get("/console/applications/\(id)")
            #expect(after.text.contains("已出证") && after.text.contains(number), "\(after.text)")
            #expect(after.text.contains(#"href="/certificates/\#(number)/image""#) && after.text.contains(#"href="/v/\#(jws)""#))
            #expect(!after.text.contains(#"<button type="submit">出证</button>"#))
            let image = try await issuer.get("/certificates/\(number)/image")
            #expect(image.status == .ok && image.headers[.contentType] == "image/png")
            #expect(Self.applicationLinks(in: try await issuer.get("/console/issuance").text).isEmpty, "it left the queue")
        }
    }

    @Test("a firm or an inspector cannot open or act in the console (403); a reviewer of another department, as in the API, finds nothing (404); a clerk cannot review (403)")
    func outsidersAreRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let submitted = try await client.submittedApplication(projectID: projectID, firm: firm)
            let accepted = try await client.acceptedApplication(projectID: projectID, firm: firm)
            for username in ["chongren", "inspector-yl-qk"] {
                let (browser, account, csrf) = try await Self.signedIn(username, at: "/account", in: client)
                #expect(!account.text.contains("/console/"), "no console in its navigation")
                for path in ["/console/acceptance", "/console/reviews", "/console/issuance", "/console/applications/\(submitted)"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .forbidden, "\(username) \(path)")
                    #expect(page.text.contains("仅供"), "\(page.text)")
                }
                let posted = try await browser.post("/console/applications/\(submitted)/acceptance", form: [("csrf", csrf), ("decision", "accept")])
                #expect(posted.status == .forbidden, "\(username)")
            }
            #expect(try await Self.status(of: submitted, in: client) == "submitted")
            let (reviewer, _, reviewerToken) = try await Self.signedIn("reviewer-quality-station", at: "/console/reviews", in: client)
            #expect(try await reviewer.get("/console/acceptance").status == .forbidden, "not a reviewer's queue")
            let api = try await client.request(.get, "/api/v1/applications/\(accepted)", token: try await client.login("reviewer-quality-station"))
            let page = try await reviewer.get("/console/applications/\(accepted)")
            #expect(api.status == .notFound && page.status == .notFound)
            #expect(page.text.contains(try #require(api.body?["error"]?["message"]?.string)), "the API's own message")
            let review = try await reviewer.post("/console/applications/\(accepted)/reviews", form: [
                ("csrf", reviewerToken), ("item", "ZJ-SGXK"), ("decision", "approve"),
            ])
            #expect(review.status == .notFound)
            let (housing, _, housingToken) = try await Self.signedIn("reviewer-housing", at: "/console/reviews", in: client)
            let othersItem = try await housing.post("/console/applications/\(accepted)/reviews", form: [
                ("csrf", housingToken), ("item", "YL-LDZY"), ("decision", "approve"),
            ])
            #expect(othersItem.status == .forbidden, "another department's item: \(othersItem.text)")
            let (clerk, _, clerkToken) = try await Self.signedIn("clerk", at: "/console/acceptance", in: client)
            let clerkReview = try await clerk.post("/console/applications/\(accepted)/reviews", form: [
                ("csrf", clerkToken), ("item", "ZJ-SGXK"), ("decision", "approve"),
            ])
            #expect(clerkReview.status == .forbidden)
            let items = try await client.request(.get, "/api/v1/applications/\(accepted)", token: firm).body?["items"]?.array ?? []
            #expect(items.allSatisfy { $0["status"]?.string == "pending" }, "nobody's review was stored: \(items)")
        }
    }

    @Test("the clerk schedules the joint survey from the application's page; each department's reviewer records its findings there on the day, and is told the day before it; a missing date or finding is named beside its field and stores nothing")
    func jointSurveyFromThePage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: an accepted application whose items need 住建's and 园林's site visit
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let page = "/console/applications/\(id)"
            func survey() async throws -> JSONValue? {
                try await client.request(.get, "/api/v1/applications/\(id)", token: try await client.login("chongren")).body?["survey"]
            }
            let (clerk, clerkPage, clerkToken) = try await Self.signedIn("clerk", at: page, in: client)
            #expect(clerkPage.text.contains("安排联合踏勘"))
            // MUT: the clerk forgets the date, then schedules
            let undated = try await clerk.post("\(page)/survey", form: [("csrf", clerkToken), ("date", ""), ("place", "现场东门")])
            let scheduled = try await clerk.post("\(page)/survey", form: [("csrf", clerkToken), ("date", "2026-11-25"), ("place", "现场东门")])
            // validate
            #expect(undated.status == .unprocessableContent && undated.text.contains(#"id="survey-date-error">请选择踏勘日期"#), "\(undated.text)")
            #expect(undated.text.contains(#"value="现场东门""#), "the place kept")
            #expect(scheduled.status == .seeOther, "\(scheduled.text)")
            #expect(try await survey()?["departments"]?.array.compactMap { $0["department"]?.string } == ["housing", "landscaping"])

            let early = try await Self.signedIn("reviewer-housing", at: page, in: client).1
            #expect(early.text.contains("联合踏勘安排在2026年11月25日，踏勘后录入本部门意见") && !early.text.contains(#"name="findings""#))
            app.clock.advance(days: 2)
            let (housing, onTheDay, housingToken) = try await Self.signedIn("reviewer-housing", at: page, in: client)
            #expect(onTheDay.text.contains(#"name="findings""#))
            let blank = try await housing.post("\(page)/survey-findings", form: [("csrf", housingToken), ("findings", " "), ("meets", "yes")])
            #expect(blank.status == .unprocessableContent && blank.text.contains(#"id="survey-findings-error""#), "\(blank.text)")
            #expect(try await survey()?["departments"]?[0]?["meets"] == nil, "nothing stored")
            let recorded = try await housing.post("\(page)/survey-findings", form: [("csrf", housingToken), ("findings", "现场已具备施工条件"), ("meets", "yes")])
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            #expect(try await survey()?["departments"]?[0]?["meets"] == .bool(true))
            #expect(!(try await housing.get(page)).text.contains(#"name="findings""#), "recorded once")
        }
    }

    @Test("a console form posted without its CSRF token is refused (403) and changes nothing")
    func consoleFormsNeedTheirToken() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.submittedApplication(projectID: projectID, firm: firm)
            let (clerk, _, _) = try await Self.signedIn("clerk", at: "/console/applications/\(id)", in: client)
            let otherToken = try await Self.signedIn("clerk-2", at: "/console/acceptance", in: client).2
            // MUT
            let bare = try await clerk.post("/console/applications/\(id)/acceptance", form: [("decision", "accept")])
            let borrowed = try await clerk.post("/console/applications/\(id)/acceptance", form: [("csrf", otherToken), ("decision", "accept")])
            // validate
            #expect(bare.status == .forbidden && borrowed.status == .forbidden)
            #expect(bare.text.contains("表单已过期或并非来自本站页面"))
            #expect(try await Self.status(of: id, in: client) == "submitted")
        }
    }

    @Test("nearly-due and overdue work is marked on the reviewer's queue and on the clerk's 限时办结 lists")
    func overdueWorkIsMarked() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            func deadline() async throws -> String? {
                try await client.request(.get, "/api/v1/applications/\(id)", token: try await client.login("clerk")).body?["deadline"]?["state"]?.string
            }
            let fresh = try await Self.signedIn("reviewer-housing", at: "/console/reviews", in: client).1
            #expect(Self.applicationLinks(in: Self.list("审查中", in: fresh)) == [id] && !fresh.text.contains(#"class="overdue""#))
            // MUT: the days pass until it is due soon, then past its promised date
            var days = 0
            while try await deadline() != "due-soon", days < 15 {
                app.clock.advance(days: 1)
                days += 1
            }
            let soon = try await Self.signedIn("reviewer-housing", at: "/console/reviews", in: client).1
            while try await deadline() != "overdue", days < 30 {
                app.clock.advance(days: 1)
                days += 1
            }
            let late = try await Self.signedIn("reviewer-housing", at: "/console/reviews", in: client).1
            let clerkLate = try await Self.signedIn("clerk", at: "/console/acceptance", in: client).1
            // validate
            #expect(Self.applicationLinks(in: Self.list("即将到期", in: soon)) == [id], "\(soon.text)")
            #expect(soon.text.contains(#"<li class="due-soon">"#))
            let overdue = Self.list("已超期", in: late)
            #expect(Self.applicationLinks(in: overdue) == [id] && overdue.contains(#"<li class="overdue">"#), "\(late.text)")
            #expect(overdue.contains(#"<span class="tag bad">已超期 "#), "\(overdue)")
            #expect(Self.applicationLinks(in: Self.list("审查中", in: late)).isEmpty)
            #expect(Self.applicationLinks(in: Self.list("限时办结督办：已超期", in: clerkLate)) == [id], "\(clerkLate.text)")
        }
    }

    @Test("a queue list pages alone through the API's cursor: 更多 continues the whole queue's list, 下一页 carries the cursor")
    func queueListsPageByCursor() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, ids) = try await ApplicationListTests.fiveApplications(app, client)
            let clerk = Browser(client)
            try await clerk.signIn("clerk")
            let whole = try await clerk.get("/console/acceptance?limit=2")
            let more = try #require(whole.text.firstMatch(of: /<a href="([^"]+)">更多/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
            var pages = [Self.applicationLinks(in: Self.list("待受理申请", in: whole))]
            var next: String? = more + "&limit=2"
            while let address = next, pages.count < 10 {
                let page = try await clerk.get(address)
                #expect(page.status == .ok && page.text.contains("第一页"), "\(address): \(page.text)")
                pages.append(Self.applicationLinks(in: page.text))
                next = FirmPagesTests.nextPage(in: page)
            }
            let api = try await ApplicationListTests.allPages("/api/v1/applications?status=submitted&limit=2", token: try await client.login("clerk"),
                                                              in: client)
            #expect(pages == api, "the API's pages")
            #expect(Set(pages.flatMap { $0 }) == Set(ids))
            #expect(try await clerk.get("/console/acceptance?list=nothing").status == .unprocessableContent)
            #expect(try await clerk.get("/console/acceptance?list=submitted&cursor=not-a-cursor").status == .unprocessableContent)
        }
    }
}
