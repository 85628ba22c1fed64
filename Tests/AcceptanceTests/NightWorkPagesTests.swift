import Foundation
import Hummingbird
import Kernel
import Testing
import WebApp

/// Issue 13 on night work: the firm applies in the browser and gets the same decision as the API
/// gives — at once, with its reasons on the application's page and the certificate when issued.
/// The clock stands at 2026-11-23 10:00 +08:00.
@Suite("夜间施工 on the web: the firm's form decided at once by the rules, refusals beside their fields")
struct NightWorkPagesTests {
    static let apply = "/firm/night-work/apply"

    /// The form as the page posts it, for a repeat on a site whose last permit gives the rest.
    static func form(_ page: TestResponse, project: String, first: String = "2026-11-25", last: String = "2026-11-27", start: String = "22:00",
                     end: String = "04:00", extra: [(String, String)] = []) throws -> [(String, String)] {
        [("csrf", try Browser.formToken(in: page)), ("project", project), ("firstNight", first), ("lastNight", last), ("start", start),
         ("end", end), ("reason", "concrete-pour"), ("measures", ""), ("responsibleName", ""), ("responsiblePhone", "")] + extra
    }

    static func nightApplications(_ client: TestApp.Client, firm: String) async throws -> Int {
        try await client.request(.get, "/api/v1/applications?limit=200", token: firm).body?.array.filter {
            $0["items"]?.array.compactMap { $0["code"]?.string } == ["CG-YJSG"]
        }.count ?? 0
    }

    @Test("a repeat on a site with a night-work permit, applied for on the page, is issued at once and opens on its page with the certificate")
    func repeatIssuedAtOnceFromThePage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a site whose first night-work permit a reviewer approved
            let site = try await NightWorkTests.siteWithNightPermit(client)
            let browser = try await Browser.signedInAs("chongren", client)
            let list = try await browser.get("/firm/applications")
            let page = try await browser.get("\(Self.apply)?project=\(site.projectID)")
            // MUT
            let submitted = try await browser.post(Self.apply, form: try Self.form(page, project: site.projectID))
            // validate
            #expect(list.text.contains(#"href="\#(Self.apply)">申请夜间施工许可</a>"#), "the firm's list offers it")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains(#"<option value="\#(site.projectID)" selected>"#), "the project named in the address, chosen")
            #expect(page.text.contains(try #require(site.certificate["number"]?.string)), "the site's last permit, which a repeat starts from")
            #expect(page.text.contains(#"name="start" type="time" value="22:00""#) && page.text.contains(#"name="end" type="time" value="06:00""#),
                    "the night the rules set, filled in")
            #expect(page.text.contains("混凝土连续浇筑") && page.text.contains("需提交：夜间连续施工作业的理由说明及证明材料"), "each reason with its evidence")
            #expect(page.text.contains("学校") && page.text.contains("每次最多 5 晚"), "sensitive places with their rule")
            #expect(submitted.status == .seeOther, "\(submitted.text)")
            let location = try #require(submitted.headers[.location])
            let id = try #require(location.firstMatch(of: /^\/firm\/applications\/([0-9a-f-]{36})$/).map { String($0.1) }, "\(location)")
            let stored = try await client.request(.get, "/api/v1/applications/\(id)", token: site.firm)
            #expect(stored.body?["status"]?.string == "issued", "\(stored.text)")
            #expect(stored.body?["form"]?["nightWorkMeasures"]?.string == "泵车加装隔声罩，场界设隔声屏障", "the measures of the last permit")
            let opened = try await browser.get(location)
            #expect(opened.text.contains("智能审批：准予许可"), "the decision on the timeline: \(opened.text)")
            #expect(opened.text.contains("夜间施工许可") && opened.text.contains(#"href="/public/night-work""#), "its notice, where residents read it")
        }
    }

    @Test("a window outside the night, half a responsible person or a site without a permit comes back beside its field, values kept, nothing stored")
    func refusalsBesideTheirFields() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let site = try await NightWorkTests.siteWithNightPermit(client)
            let bare = try #require(try await client.request(.post, "/api/v1/projects", token: site.firm, json: """
                {"code":"2401-420104-04-01-900001","name":"无许可工地","district":"420104","address":"武汉市硚口区古田二路","category":"房屋建筑工程",
                 "builder":{"name":"武汉崇仁置业有限公司","uscc":"\(TestApp.firmA)"}}
                """).body?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get(Self.apply)
            let before = try await Self.nightApplications(client, firm: site.firm)
            // MUT
            let lateEnd = try await browser.post(Self.apply, form: try Self.form(page, project: site.projectID, end: "07:00"))
            let halfPerson = try await browser.post(Self.apply, form: try Self.form(page, project: site.projectID)
                .filter { $0.0 != "responsibleName" } + [("responsibleName", "王建国")])
            let noPermit = try await browser.post(Self.apply, form: try Self.form(page, project: bare))
            let noDate = try await browser.post(Self.apply, form: try Self.form(page, project: site.projectID, first: ""))
            let forged = try await browser.post(Self.apply, form: try Self.form(page, project: site.projectID).filter { $0.0 != "csrf" })
            // validate
            #expect(lateEnd.status == .unprocessableContent, "\(lateEnd.text)")
            #expect(lateEnd.text.contains(#"<p class="error" role="alert" id="night-end-error">结束时间 07:00 不在夜间时段"#), "\(lateEnd.text)")
            #expect(lateEnd.text.contains(#"name="firstNight" type="date" value="2026-11-25""#), "the values kept")
            #expect(halfPerson.text.contains(#"id="night-responsiblePhone-error">请填写现场负责人电话"#), "\(halfPerson.text)")
            #expect(noPermit.text.contains(#"id="night-project-error">工地尚无有效的施工许可或阶段施工许可"#), "\(noPermit.text)")
            #expect(noDate.text.contains(#"id="night-firstNight-error">请选择首个作业夜"#))
            #expect(forged.status == .forbidden)
            #expect(try await Self.nightApplications(client, firm: site.firm) == before, "nothing stored")
            #expect(try await Browser.signedInAs("clerk", client).get(Self.apply).status == .forbidden, "staff do not apply")
        }
    }

    @Test("a case the rules deny lands on its page with the reason, and the firm sends it back from there for a person to review")
    func deniedThenSentToAPerson() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: eight nights near a school, over the five the rules allow there
            let site = try await NightWorkTests.siteWithNightPermit(client)
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get(Self.apply)
            let denied = try await browser.post(Self.apply, form: try Self.form(page, project: site.projectID, first: "2026-11-24", last: "2026-12-01",
                                                                            extra: [("receptors[]", "school")]))
            let location = try #require(denied.headers[.location], "\(denied.text)")
            let opened = try await browser.get(location)
            let id = String(location.dropFirst("/firm/applications/".count))
            // MUT
            let blank = try await browser.post("\(location)/resubmissions", form: [("csrf", try Browser.formToken(in: opened)), ("item", "ZJ-SGXK")])
            let sent = try await browser.post("\(location)/resubmissions", form: [("csrf", try Browser.formToken(in: opened)), ("item", "CG-YJSG"),
                                                                               ("note", "混凝土浇筑不可中断，请人工审核")])
            // validate
            #expect(opened.text.contains("夜间施工许可：不予许可"), "\(opened.text)")
            #expect(opened.text.contains("工地周边有学校，单次许可不超过 5 晚，本次申请 8 晚"), "the rule's reason")
            #expect(opened.text.contains("此决定由智能审批规则作出"))
            #expect(blank.status == .unprocessableContent, "an item the application does not hold: \(blank.text)")
            #expect(blank.text.contains("本申请不含事项 ZJ-SGXK"))
            #expect(sent.status == .seeOther, "\(sent.text)")
            let stored = try await client.request(.get, "/api/v1/applications/\(id)", token: site.firm)
            #expect(stored.body?["status"]?.string == "under-review", "\(stored.text)")
            #expect(stored.body?["items"]?[0]?["status"]?.string == "pending")
            let after = try await browser.get(location)
            #expect(!after.text.contains("重新提交，请人员审查"), "the form is gone once the item is back under review")
            #expect(after.text.contains("混凝土浇筑不可中断，请人工审核"), "the note on the timeline")
        }
    }

    @Test("a site's first application must say its measures and bring its evidence: each refusal named beside its field or upload list, nothing stored")
    func firstApplicationNeedsItsEvidence() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a site with a construction permit and no night work yet
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get("\(Self.apply)?project=\(projectID)")
            let person = [("measures", "泵车加装隔声罩"), ("responsibleName", "王建国"), ("responsiblePhone", "13707156628")]
            // MUT
            let noMeasures = try await browser.post(Self.apply, form: try Self.form(page, project: projectID))
            let noEvidence = try await browser.post(Self.apply, form: try Self.form(page, project: projectID).filter { !person.map(\.0).contains($0.0) } + person)
            // validate
            #expect(!page.text.contains("本工地已有夜间施工许可"), "no earlier permit to start from")
            #expect(noMeasures.status == .unprocessableContent)
            #expect(noMeasures.text.contains(#"id="night-measures-error">请填写“降噪措施及主要设备”"#), "the form's key, on the page's field: \(noMeasures.text)")
            #expect(noEvidence.status == .unprocessableContent)
            #expect(noEvidence.text.contains(#"<p class="error" role="alert" id="materials-error">缺少必要材料“夜间连续施工作业的理由说明及证明材料”"#),
                    "\(noEvidence.text)")
            #expect(noEvidence.text.contains(#"id="night-measures" name="measures" rows="4">泵车加装隔声罩</textarea>"#), "the values kept")
            #expect(try await Self.nightApplications(client, firm: issued.firm) == 0)
        }
    }
}
