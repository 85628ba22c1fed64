import Approval
import Foundation
import Hummingbird
import Kernel
import Testing
@testable import WebApp

/// Issue 13, 企业网上办事: a firm applies for the 一证制 bundle in the browser — the menu, the
/// combined notice, one form filled with what it gave before, its materials uploaded, and the
/// submission through the same service as `POST /api/v1/applications`.
@Suite("The firm's 一证制 wizard: menu, notice, one form, uploads and submission, through the API's own checks")
struct ApplyWizardPagesTests {
    static let menu = "/firm/apply/comprehensive-permit"

    /// The wizard's form for `items` on `projectID`.
    static func formAddress(project projectID: String, items: [String]) -> String {
        "\(menu)/form?project=\(projectID)" + items.map { "&items=\($0)" }.joined()
    }

    /// The value of the form's input named `name` (`form[contactPhone]`), as the page fills it in.
    static func input(_ name: String, in page: TestResponse) -> String? {
        let escaped = name.replacingOccurrences(of: "[", with: #"\["#).replacingOccurrences(of: "]", with: #"\]"#)
        return page.text.firstMatch(of: try! Regex<(Substring, Substring)>(#"name="\#(escaped)" type="[a-z]+" value="([^"]*)""#)).map { String($0.1) }
    }

    /// The HTML from the label of field `key` to the next field's label: the input and its messages.
    static func field(_ key: String, in page: TestResponse) -> String {
        guard let start = page.text.range(of: #"<label for="field-\#(key)">"#) else { return "" }
        let rest = page.text[start.upperBound...]
        return String(rest[..<(rest.range(of: "<label for=")?.lowerBound ?? rest.endIndex)])
    }

    /// Uploads `label` as a PDF the way the form's script does: raw bytes to the page route, the
    /// session cookie and the page's form token in `X-CSRF-Token`.
    static func upload(_ label: String, token: String?, by browser: Browser) async throws -> TestResponse {
        var headers = ["Cookie": browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
        if let token { headers["X-CSRF-Token"] = token }
        return try await browser.client.request(.post, "/files", raw: DemoPDF.document(label: label, title: label), contentType: "application/pdf",
                                                headers: headers)
    }

    /// The form as the page posts it: each field the page asks filled in (those `blank` left
    /// empty, as a browser posts them), with the files uploaded for `files`.
    static func completeForm(_ page: TestResponse, project projectID: String, items: [String], files: [String: String],
                             blank: Set<String> = []) throws -> [(String, String)] {
        let values = [
            "contactName": "张伟", "contactPhone": "13871234567", "contractorUscc": TestApp.contractor, "contractPriceYuan": "368000000",
            "totalAreaM2": "86500.5", "structureType": "框架-剪力墙", "startDate": "2026-12-01", "endDate": "2028-06-30", "greenspaceAreaM2": "420",
        ]
        let asked = values.filter { page.text.contains(#"name="form[\#($0.key)]""#) }.sorted { $0.key < $1.key }
        return [("csrf", try Browser.formToken(in: page)), ("project", projectID)] + items.map { ("items[]", $0) }
            + asked.map { ("form[\($0.key)]", blank.contains($0.key) ? "" : $0.value) }
            + files.sorted { $0.key < $1.key }.map { ("materials[\($0.key)]", $0.value) }
    }

    static func applications(of firm: String, in client: TestApp.Client) async throws -> [JSONValue] {
        try await client.request(.get, "/api/v1/applications", token: firm).body?.array ?? []
    }

    @Test("the menu lists the bundle's items with the rules of each, and only the firm's own projects; the firm's pages link to it")
    func menuListsTheBundle() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let chongren = Browser(client), hanxi = Browser(client)
            try await chongren.signIn("chongren")
            try await hanxi.signIn("hanxi")
            // MUT
            let page = try await chongren.get(Self.menu)
            let others = try await hanxi.get(Self.menu)
            // validate
            #expect(page.status == .ok, "\(page.text)")
            let offered = page.text.matches(of: /name="items" value="([A-Z]{2}-[A-Z]{4})"/).map { String($0.1) }
            #expect(offered == ["ZJ-SGXK", "ZJ-ZLAQ", "CG-JZLJ", "CG-DLWJ", "CG-DLZY", "YL-LDZY", "SW-PSXK", "CG-YJSG", "ZJ-QZJX"], "the bundle's menu, in order")
            for code in offered { #expect(page.text.contains(try #require(app.services.catalog.items[code]).name), "\(code) by name") }
            #expect(page.text.contains(#"value="ZJ-SGXK" checked disabled"#), "the always-included item is ticked for good")
            #expect(page.text.contains("本组合必选"))
            #expect(page.text.contains("须同时选择“建设工程质量安全监督手续”"), "ZJ-QZJX's rule: \(page.text)")
            #expect(page.text.contains("须同时选择“占用城市道路许可”"), "CG-DLWJ's rule")
            #expect(page.text.contains("承诺 2 个工作日（法定 7 个工作日）") && page.text.contains("需联合踏勘"))
            #expect(page.text.contains("已依法确定施工总承包单位"), "the item's preconditions")
            #expect(page.text.contains(#"href="/guide/items/ZJ-SGXK""#))
            #expect(page.text.contains(#"name="project" value="\#(projectID)" checked"#), "the firm's one project, chosen")
            #expect(others.status == .ok)
            #expect(!others.text.contains(projectID) && others.text.contains("本单位还没有登记项目"), "another firm's project is not offered")
            #expect(try await chongren.get("/firm/applications").text.contains(#"href="\#(Self.menu)""#))
            #expect(try await chongren.get("/firm/projects").text.contains(#"href="\#(Self.menu)?project=\#(projectID)""#))
            #expect(try await Browser.signedInAs("clerk", client).get(Self.menu).status == .forbidden, "staff do not apply")
        }
    }

    @Test("the form asks only the chosen items' fields, filled with what the firm gave before on the project, under the combined notice")
    func formShowsTheChosenItemsFields() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: an earlier 施工许可 + 临时占绿 application on the project
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            _ = try await client.submittedApplication(projectID: projectID, firm: firm)
            let browser = try await Browser.signedInAs("chongren", client)
            // MUT
            let page = try await browser.get(Self.formAddress(project: projectID, items: ["CG-DLZY"]))
            let broken = try await browser.get(Self.formAddress(project: projectID, items: ["CG-DLWJ"]))
            let unchosen = try await browser.get("\(Self.menu)/form?items=CG-DLZY")
            // validate
            #expect(page.status == .ok, "\(page.text)")
            let keys = page.text.matches(of: /<label for="field-([A-Za-z0-9]+)">/).map { String($0.1) }
            #expect(keys == ["contactName", "contactPhone", "contractorUscc", "contractPriceYuan", "totalAreaM2", "structureType", "startDate",
                             "endDate", "roadName", "occupationAreaM2", "occupationPurpose"], "施工许可 (always) and 占道, each field once")
            #expect(Self.input("form[contactPhone]", in: page) == "13871234567")
            #expect(Self.input("form[contractorUscc]", in: page) == TestApp.contractor)
            #expect(Self.input("form[contractPriceYuan]", in: page) == "368000000")
            #expect(Self.input("form[startDate]", in: page) == "2026-12-01")
            #expect(page.text.contains(#"<option value="框架-剪力墙" selected>"#))
            #expect(Self.input("form[roadName]", in: page) == "", "nothing known for the new item's own field")
            #expect(!page.text.contains("greenspaceAreaM2"), "an item not chosen asks nothing")
            #expect(page.text.contains("一次性告知：申请材料") && page.text.contains("<td>占用道路位置及范围平面图</td>"))
            #expect(page.text.contains("承诺 3 个工作日内办结"), "the slowest chosen item's promise")
            #expect(page.text.contains(#"name="materials[construction-contract]""#) && page.text.contains(#"data-material="traffic-organisation-plan""#))
            #expect(!page.text.contains(#"data-material="business-licence""#) && page.text.contains("电子证照库自动调取"), "fetched, not uploaded")
            #expect(page.text.contains(#"name="items[]" value="ZJ-SGXK""#) && page.text.contains(#"name="items[]" value="CG-DLZY""#))
            #expect(broken.status == .unprocessableContent)
            #expect(broken.text.contains(#"id="items-error">选择事项 CG-DLWJ 须同时选择 CG-DLZY"#), "the menu again, the rule beside the items: \(broken.text)")
            #expect(broken.text.contains(#"value="CG-DLWJ" checked"#), "the choice kept")
            #expect(unchosen.status == .unprocessableContent && unchosen.text.contains(#"id="project-error">请选择申请的项目"#))
        }
    }

    @Test("a missing required field comes back beside its field with the values and files kept, and nothing is stored")
    func missingFieldShownBesideIt() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a project with nothing known yet
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get(Self.formAddress(project: projectID, items: []))
            #expect(Self.input("form[contactPhone]", in: page) == "")
            let contract = try #require(try await Self.upload("contract", token: try Browser.formToken(in: page), by: browser).body?["id"]?.string)
            var form = try Self.completeForm(page, project: projectID, items: ["ZJ-SGXK"], files: ["construction-contract": contract],
                                             blank: ["contactPhone"])
            form.append(("form[contactName]", "<b>张伟</b>"))
            form.removeAll { $0 == ("form[contactName]", "张伟") }
            // MUT
            let refused = try await browser.post(Self.menu, form: form)
            // validate
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(Self.field("contactPhone", in: refused).contains(#"<p class="error" role="alert" id="field-contactPhone-error">请填写“联系电话”</p>"#),
                    "\(Self.field("contactPhone", in: refused))")
            #expect(Self.field("contactPhone", in: refused).contains(#"aria-invalid="true""#))
            #expect(!Self.field("contactName", in: refused).contains("field-contactName-error"), "only the field at fault")
            #expect(Self.input("form[contactName]", in: refused) == "&lt;b&gt;张伟&lt;/b&gt;", "kept, as text")
            #expect(Self.input("form[totalAreaM2]", in: refused) == "86500.5")
            #expect(refused.text.contains(#"name="materials[construction-contract]" value="\#(contract)""#), "the uploaded file kept")
            #expect(try await Self.applications(of: firm, in: client).isEmpty, "nothing stored")

            // The next refusal is the materials': the one missing is named above the list.
            let typed = try await browser.post(Self.menu, form: try Self.completeForm(refused, project: projectID, items: ["ZJ-SGXK"],
                                                                                      files: ["construction-contract": contract]))
            #expect(typed.status == .unprocessableContent)
            #expect(typed.text.contains(#"id="materials-error">缺少必要材料“建设资金已落实承诺书”（funding-commitment）"#), "\(typed.text)")
            #expect(try await Self.applications(of: firm, in: client).isEmpty)
        }
    }

    @Test("a submission or an upload without the page's form token is refused with 403, and nothing is stored")
    func postsNeedTheFormToken() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get(Self.formAddress(project: projectID, items: []))
            let contract = try await client.upload("contract", token: firm), funding = try await client.upload("funding", token: firm)
            let form = try Self.completeForm(page, project: projectID, items: ["ZJ-SGXK"],
                                             files: ["construction-contract": contract, "funding-commitment": funding])
            // MUT
            let without = try await browser.post(Self.menu, form: form.filter { $0.0 != "csrf" })
            let forged = try await browser.post(Self.menu, form: form.map { $0.0 == "csrf" ? ("csrf", "forged") : $0 })
            let upload = try await Self.upload("contract", token: nil, by: browser)
            let forgedUpload = try await Self.upload("contract", token: "forged", by: browser)
            // validate
            #expect(without.status == .forbidden && forged.status == .forbidden)
            #expect(without.text.contains("表单已过期或并非来自本站页面"))
            #expect(upload.status == .forbidden && forgedUpload.status == .forbidden)
            #expect(try await Self.applications(of: firm, in: client).isEmpty)
            // With the token the same form goes through.
            #expect(try await browser.post(Self.menu, form: form).status == .seeOther)
        }
    }

    @Test("a complete submission with uploaded files creates the application, as the API would, and opens its page")
    func completeSubmissionCreatesTheApplication() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: the form for 施工许可 + 临时占绿, each material uploaded through the page's route but the deferrable tree plan
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let page = try await browser.get(Self.formAddress(project: projectID, items: ["YL-LDZY"]))
            let token = try Browser.formToken(in: page)
            var files: [String: String] = [:]
            for material in ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan"] {
                let uploaded = try await Self.upload(material, token: token, by: browser)
                #expect(uploaded.status == .created, "\(uploaded.text)")
                files[material] = try #require(uploaded.body?["id"]?.string)
            }
            let notAPDF = try await browser.client.request(.post, "/files", raw: Data("plain text".utf8), contentType: "text/plain",
                                                           headers: ["Cookie": "shenguan_session=\(try #require(browser.cookies["shenguan_session"]))",
                                                                     "X-CSRF-Token": token])
            #expect(notAPDF.status == .unprocessableContent && notAPDF.text.hasPrefix("只接受"), "the file store's refusal, as text: \(notAPDF.text)")
            // MUT
            let submitted = try await browser.post(Self.menu, form: try Self.completeForm(page, project: projectID, items: ["ZJ-SGXK", "YL-LDZY"],
                                                                                          files: files))
            // validate
            #expect(submitted.status == .seeOther, "\(submitted.text)")
            let location = try #require(submitted.headers[.location])
            let id = try #require(location.firstMatch(of: /^\/firm\/applications\/([0-9a-f-]{36})$/).map { String($0.1) }, "\(location)")
            let stored = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(stored.body?["status"]?.string == "submitted")
            #expect(stored.body?["bundle"]?.string == "comprehensive-permit")
            #expect(stored.body?["project"]?["id"]?.string == projectID)
            #expect(stored.body?["items"]?.array.compactMap { $0["code"]?.string } == ["ZJ-SGXK", "YL-LDZY"])
            #expect(stored.body?["form"]?["contactPhone"]?.string == "13871234567")
            #expect(stored.body?["form"]?["contractPriceYuan"]?.number == 368_000_000, "a money field stored as a number")
            let materials = stored.body?["materials"]?.array ?? []
            #expect(materials.first { $0["material"]?.string == "construction-contract" }?["file"]?.string == files["construction-contract"])
            #expect(materials.first { $0["material"]?.string == "tree-protection-plan" }?["state"]?.string == "missing", "deferrable, left for 容缺")
            #expect(materials.first { $0["material"]?.string == "business-licence" }?["state"]?.string == "electronic")
            let opened = try await browser.get(location)
            #expect(opened.status == .ok && opened.text.contains("崇仁路023地块项目") && opened.text.contains("已提交"), "\(opened.text)")
        }
    }

    @Test("the stage permit is applied for in the same wizard, offered beside 一证制; a bundle with its own form is not served by it")
    func stagePermitThroughTheWizard() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let stage = "/firm/apply/staged-permit"
            let list = try await browser.get("/firm/applications")
            let menu = try await browser.get(stage)
            let page = try await browser.get("\(stage)/form?project=\(projectID)&items=ZJ-ZLAQ")
            let token = try Browser.formToken(in: page)
            let asked = page.text.matches(of: /name="materials\[([a-z0-9-]+)\]"/).map { String($0.1) }
            var files: [String: String] = [:]
            for material in asked where material != "pit-expert-review" {
                files[material] = try #require(try await Self.upload(material, token: token, by: browser).body?["id"]?.string)
            }
            let values = ["contactName": "张伟", "contactPhone": "13871234567", "contractorUscc": TestApp.contractor, "excavationDepthM": "4.5",
                          "stageScope": "基坑支护和土方开挖", "startDate": "2026-12-01", "endDate": "2027-04-30", "supervisorUscc": TestApp.firmB,
                          "projectManagerName": "李强", "totalAreaM2": "86500.5", "contractPriceYuan": ""]
            let fields = page.text.matches(of: /<label for="field-([A-Za-z0-9]+)">/).map { String($0.1) }
            // MUT
            let submitted = try await browser.post(stage, form: [("csrf", token), ("project", projectID), ("items[]", "ZJ-JKTF"), ("items[]", "ZJ-ZLAQ")]
                + fields.map { ("form[\($0)]", values[$0] ?? "") } + files.sorted { $0.key < $1.key }.map { ("materials[\($0.key)]", $0.value) })
            // validate
            #expect(list.text.contains(#"href="\#(Self.menu)">申请建筑工程综合许可证</a>"#), "\(list.text)")
            #expect(list.text.contains(#"href="\#(stage)">申请分阶段施工许可（基坑支护和土方开挖）</a>"#))
            #expect(!list.text.contains("/firm/apply/waste-disposal"), "waste disposal is applied for on its own form")
            #expect(try await browser.get("/firm/projects").text.contains(#"href="\#(stage)?project=\#(projectID)""#))
            let offered = menu.text.matches(of: /name="items" value="([A-Z]{2}-[A-Z]{4})"/).map { String($0.1) }
            #expect(menu.status == .ok && offered == ["ZJ-JKTF", "ZJ-ZLAQ"], "the stage bundle's menu: \(offered)")
            #expect(menu.text.contains(#"value="ZJ-JKTF" checked disabled"#), "the stage's own item is always included")
            #expect(fields.contains("excavationDepthM") && fields.contains("supervisorUscc"), "both items' fields: \(fields)")
            #expect(submitted.status == .seeOther, "\(submitted.text)")
            let id = try #require(submitted.headers[.location]?.firstMatch(of: /^\/firm\/applications\/([0-9a-f-]{36})$/).map { String($0.1) })
            let stored = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(stored.body?["bundle"]?.string == "staged-permit")
            #expect(stored.body?["items"]?.array.compactMap { $0["code"]?.string } == ["ZJ-JKTF", "ZJ-ZLAQ"])
            #expect(stored.body?["form"]?["excavationDepthM"]?.number == 4.5)
            #expect(try await browser.get("/firm/apply/waste-disposal").status == .notFound)
            #expect(try await browser.get("/firm/apply/no-such-bundle/form?project=\(projectID)").status == .notFound)
        }
    }

    @Test("the posted form becomes the API's body: numbers as numbers, a blank required field blank, a blank optional one left out, files in order")
    func postedFormBecomesTheAPIsBody() {
        let fields = [FormField(key: "contactName", label: "联系人", type: .text, required: true, options: nil),
                      FormField(key: "treesAffected", label: "涉及树木数量（株）", type: .number, required: false, options: nil),
                      FormField(key: "totalAreaM2", label: "建筑面积（平方米）", type: .areaM2, required: true, options: nil),
                      FormField(key: "contractPriceYuan", label: "合同价格（元）", type: .moneyYuan, required: true, options: nil)]
        let posted = ApplyWizardForm(project: "p-1", items: ["ZJ-SGXK", "YL-LDZY"],
                                     form: ["contactName": "  ", "treesAffected": "", "totalAreaM2": " 86500.5 ", "contractPriceYuan": "三亿"],
                                     materials: ["funding-commitment": "f-2", "construction-contract": "f-1", "site-plan": ""], commitment: "on")
        let input = posted.application(bundle: "comprehensive-permit", fields: fields)
        #expect(input.form == ["contactName": .string(""), "totalAreaM2": .number(86500.5), "contractPriceYuan": .string("三亿")])
        #expect(input.materials.map(\.material) == ["construction-contract", "funding-commitment"] && input.materials.map(\.file) == ["f-1", "f-2"])
        #expect(input.projectId == "p-1" && input.bundle == "comprehensive-permit" && input.items == ["ZJ-SGXK", "YL-LDZY"] && input.commitment == true)
        #expect(ApplyWizardForm(project: "p-1", items: ["ZJ-SGXK"]).application(bundle: "comprehensive-permit", fields: fields).commitment == false)
    }

    @Test("another firm's project cannot be used: not offered, its form not found, its submission refused, nothing stored")
    func anotherFirmsProjectIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: 崇仁's project; 汉西 signed in
            let projectID = try #require(try await client.createProject(token: try await client.login("chongren")).body?["id"]?.string)
            let hanxiToken = try await client.login("hanxi")
            let hanxi = try await Browser.signedInAs("hanxi", client)
            let token = try Browser.formToken(in: try await hanxi.get(Self.menu))
            let contract = try await client.upload("contract", token: hanxiToken), funding = try await client.upload("funding", token: hanxiToken)
            // MUT
            let menu = try await hanxi.get("\(Self.menu)?project=\(projectID)")
            let form = try await hanxi.get(Self.formAddress(project: projectID, items: []))
            let submitted = try await hanxi.post(Self.menu, form: [("csrf", token), ("project", projectID), ("items[]", "ZJ-SGXK"),
                                                                  ("form[contactName]", "刘洋"), ("form[contactPhone]", "13871234567"),
                                                                  ("materials[construction-contract]", contract), ("materials[funding-commitment]", funding)])
            // validate
            #expect(menu.status == .notFound && form.status == .notFound)
            #expect(!form.text.contains("崇仁路023地块项目"))
            #expect(submitted.status == .unprocessableContent, "\(submitted.text)")
            #expect(submitted.text.contains("项目不存在或不属于本单位") && !submitted.text.contains("崇仁路023地块项目"))
            #expect(try await Self.applications(of: hanxiToken, in: client).isEmpty)
        }
    }
}

extension Browser {
    static func signedInAs(_ username: String, _ client: TestApp.Client) async throws -> Browser {
        let browser = Browser(client)
        try await browser.signIn(username)
        return browser
    }
}
