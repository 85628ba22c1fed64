import Foundation
import Hummingbird
import Kernel
import Testing
import WebApp

/// Issue 13, the web in Chinese for 建筑垃圾处置核准: the firm's 一键申报 form, the office's view of
/// an application's trips and volumes, and the disposal region's confirmation queue — each through
/// the same service call as the API, with the signed-in account. The clock stands at 2026-11-23.
@Suite("Waste disposal in the browser: 一键申报, trips and volumes, the disposal region's confirmations")
struct WasteDisposalPagesTests {
    static let apply = "/firm/waste-disposal/apply"
    static let queue = "/waste-disposal/confirmations"

    /// The form as the page posts it, on the seed's route 硚口 → 东西湖 → 汉川; `changes` replace fields.
    static func form(_ page: TestResponse, project projectID: String, files: [String: String] = [:],
                     _ changes: [String: String] = [:]) throws -> [(String, String)] {
        var fields = ["projectId": projectID, "wasteType": "工程渣土", "volumeM3": "6000", "disposalRegion": "420984", "disposalSite": "HC-XN-01",
                      "transporterName": "武汉顺通渣土运输有限公司", "transporterUscc": WasteDisposalTests.transporter,
                      "vehicles": "鄂A12345 20\n鄂AD12345 18", "validFrom": "2026-11-23", "validTo": "2027-02-22", "contactName": "张伟",
                      "contactPhone": "13871234567"]
        fields.merge(changes) { $1 }
        return [("csrf", try Browser.formToken(in: page)), ("transit[]", "420112")] + fields.sorted { $0.key < $1.key }
            + files.sorted { $0.key < $1.key }.map { ("materials[\($0.key)]", $0.value) }
    }

    /// The disposal item's materials, uploaded the way the form's script does.
    static func uploads(by browser: Browser, token: String) async throws -> [String: String] {
        var files: [String: String] = [:]
        for material in ["business-licence", "waste-disposal-plan", "transport-contract", "disposal-site-agreement", "vehicle-documents",
                         "washing-facility-photos", "route-plan"] {
            let uploaded = try await ApplyWizardPagesTests.upload(material, token: token, by: browser)
            files[material] = try #require(uploaded.body?["id"]?.string, "\(uploaded.text)")
        }
        return files
    }

    /// The transporter's fleet registered, and a firm with a project, signed in: its token, the project and its browser.
    static func firmWithProject(_ client: TestApp.Client) async throws -> (firm: String, projectID: String, browser: Browser) {
        try await WasteDisposalTests.registerFleet(client)
        let firm = try await client.login("chongren")
        let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
        return (firm, projectID, try await Browser.signedInAs("chongren", client))
    }

    /// A disposal application on the seed's route submitted through the API, accepted, and approved by
    /// both departments: it waits for 汉川's confirmation. Its id.
    static func awaitingConfirmation(_ client: TestApp.Client) async throws -> String {
        let (firm, projectID, _) = try await firmWithProject(client)
        let applied = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm,
                                               json: WasteDisposalTests.request(projectID: projectID,
                                                                                materials: try await WasteDisposalTests.materials(client, firm: firm)))
        let id = try #require(applied.body?["id"]?.string, "\(applied.text)")
        _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
        for (reviewer, item) in [("reviewer-city-management", "CG-JZLJ"), ("reviewer-traffic-police", "JG-HYTX")] {
            _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login(reviewer),
                                         json: #"{"item":"\#(item)","decision":"approve"}"#)
        }
        return id
    }

    @Test("the firm applies through the page and the application is the one the API would make; the firm's pages link to the form and to its trips")
    func firmAppliesThroughThePage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let (firm, projectID, browser) = try await Self.firmWithProject(client)
            let list = try await browser.get("/firm/applications")
            let page = try await browser.get("\(Self.apply)?project=\(projectID)")
            let files = try await Self.uploads(by: browser, token: try Browser.formToken(in: page))
            // MUT
            let submitted = try await browser.post(Self.apply, form: try Self.form(page, project: projectID, files: files))
            // validate
            #expect(list.text.contains(#"<a href="/firm/waste-disposal/apply">申请建筑垃圾处置核准（随车电子证）</a>"#), "\(list.text)")
            #expect(try await browser.get("/firm/projects").text.contains(#"href="/firm/waste-disposal/apply?project=\#(projectID)""#))
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains(#"<option value="\#(projectID)" selected>崇仁路023地块项目（硚口区）</option>"#))
            #expect(page.text.contains("出土地：<strong>硚口区</strong>"), "the route starts at the project's district")
            #expect(page.text.contains("汉川市马口镇建筑垃圾消纳场（汉川市，受纳工程渣土、工程泥浆、拆除垃圾，剩余容量 1200000 立方米）"))
            #expect(page.text.contains(#"name="transit[]" value="420112""#) && page.text.contains(#"<option value="工程渣土">"#))
            #expect(page.text.contains(#"name="validFrom" type="date" value="2026-11-23""#), "starting today")
            #expect(page.text.contains(#"data-material="route-plan""#))
            #expect(submitted.status == .seeOther, "\(submitted.text)")
            let location = try #require(submitted.headers[.location])
            let id = try #require(location.firstMatch(of: /^\/firm\/applications\/([0-9a-f-]{36})$/).map { String($0.1) }, "\(location)")
            let applied = try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)", token: firm)
            #expect(applied.body?["items"]?.array.compactMap(\.string) == ["CG-JZLJ", "JG-HYTX"], "\(applied.text)")
            #expect(applied.body?["plan"]?["route"]?["origin"]?.string == "420104")
            #expect(applied.body?["plan"]?["route"]?["transit"]?.array.compactMap(\.string) == ["420112"])
            #expect(applied.body?["plan"]?["vehicles"]?.array.compactMap { $0["plate"]?.string } == ["鄂A12345", "鄂AD12345"])
            #expect(applied.body?["plan"]?["vehicles"]?[1]?["capacityM3"]?.number == 18)
            #expect(applied.body?["plan"]?["validTo"]?.string == "2027-02-22")
            #expect(applied.body?["steps"]?["current"]?.number == 2)
            let details = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(details.body?["materials"]?.array.filter { $0["state"]?.string == "submitted" }.count == 7, "\(details.text)")
            #expect(details.body?["form"]?["contactPhone"]?.string == "13871234567")
            let shown = try await browser.get(location)
            #expect(shown.text.contains(#"<a href="/waste-disposal/applications/\#(id)/trips">运输趟次与方量核对</a>"#), "\(shown.text)")
            #expect(try await Browser.signedInAs("clerk", client).get(Self.apply).status == .forbidden, "staff do not apply")
        }
    }

    @Test("a bad vehicle line, a validity over three months or an unknown site comes back beside its field with the values kept, and nothing is stored")
    func refusalsShownBesideTheirFields() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let (firm, projectID, browser) = try await Self.firmWithProject(client)
            let page = try await browser.get(Self.apply)
            // MUT
            let lines = try await browser.post(Self.apply, form: try Self.form(page, project: projectID, ["vehicles": "鄂A12345 20\n\n鄂Z 18\n鄂AD12345\n鄂A12345 20"]))
            let unregistered = try await browser.post(Self.apply, form: try Self.form(page, project: projectID, ["vehicles": "鄂A12345 20\n鄂A99999 20"]))
            let long = try await browser.post(Self.apply, form: try Self.form(page, project: projectID, ["validTo": "2027-03-01"]))
            let site = try await browser.post(Self.apply, form: try Self.form(page, project: projectID, ["disposalSite": "XX-XN-09"]))
            let capacity = try await browser.post(Self.apply, form: try Self.form(page, project: projectID, ["vehicles": "鄂A12345 18"]))
            // validate
            #expect(lines.status == .unprocessableContent, "\(lines.text)")
            #expect(lines.text.contains("<li>第 3 行：车牌号格式不正确：鄂Z</li>"), "\(lines.text)")
            #expect(lines.text.contains("<li>第 4 行：应为车牌号和核定容积（立方米），如“鄂A12345 20”</li>"))
            #expect(lines.text.contains("<li>第 5 行：车牌 鄂A12345 重复登记</li>"), "every bad line, by its number")
            #expect(!lines.text.contains("第 1 行"))
            #expect(lines.text.contains(">鄂A12345 20\n\n鄂Z 18\n鄂AD12345\n鄂A12345 20</textarea>"), "the lines kept as typed")
            #expect(unregistered.status == .unprocessableContent)
            #expect(unregistered.text.contains("<li>第 2 行：车辆 鄂A99999 未在运输车辆登记中或已注销</li>"), "the service's refusal, by its line: \(unregistered.text)")
            #expect(long.status == .unprocessableContent)
            #expect(long.text.contains(#"id="validTo-error">有效期最长3个月（至 2027-02-22）</p>"#), "\(long.text)")
            #expect(long.text.contains(#"name="validTo" type="date" value="2027-03-01" aria-invalid="true""#))
            #expect(long.text.contains(#"name="transporterName" type="text" value="武汉顺通渣土运输有限公司""#), "values kept")
            #expect(long.text.contains(#"value="420112" checked"#) && long.text.contains(#"<option value="HC-XN-01" selected>"#))
            #expect(long.text.contains(#"<option value="\#(projectID)" selected>"#))
            #expect(site.status == .unprocessableContent)
            #expect(site.text.contains(#"id="disposalSite-error">未登记的消纳场 XX-XN-09</p>"#), "\(site.text)")
            #expect(capacity.text.contains("<li>第 1 行：与登记的核定容积 20 立方米不符</li>"), "\(capacity.text)")
            #expect(try await client.request(.get, "/api/v1/applications", token: firm).body?.array.isEmpty == true, "nothing stored")
        }
    }

    @Test("a form without its CSRF token is refused with 403, and nothing is stored or confirmed")
    func formsWithoutTheirTokenAreRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let id = try await Self.awaitingConfirmation(client)
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.request(.get, "/api/v1/projects", token: firm).body?[0]?["id"]?.string)
            let browser = try await Browser.signedInAs("chongren", client)
            let form = try Self.form(try await browser.get(Self.apply), project: projectID)
            let hanchuan = try await Browser.signedInAs("inspector-cg-hc", client)
            // MUT
            let without = try await browser.post(Self.apply, form: form.filter { $0.0 != "csrf" })
            let forged = try await browser.post(Self.apply, form: form.map { $0.0 == "csrf" ? ("csrf", "forged") : $0 })
            let confirm = try await hanchuan.post("\(Self.queue)/\(id)", form: [])
            // validate
            #expect(without.status == .forbidden && forged.status == .forbidden)
            #expect(confirm.status == .forbidden)
            #expect(try await client.request(.get, "/api/v1/applications", token: firm).body?.array.count == 1, "only the API's application")
            #expect(try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)", token: firm).body?["status"]?.string == "approved",
                    "still waiting for 汉川")
        }
    }

    @Test("the trips page shows the three steps, the vehicles, open trips marked and the volume over the approved; another firm is not found, an inspector off the route forbidden")
    func tripsPageReconcilesTheVolume() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: 30 m³ approved; one 20 m³ load scanned along the route to the site, an 18 m³ one leaves and has not arrived
            let (_, id, certificates) = try await WasteDisposalTests.issuedPermit(client, volume: "30")
            let qrs = certificates.compactMap { $0["qr"]?.string }
            #expect(qrs.count == 2)
            for (inspector, checkpoint, qr) in [("inspector-cg-qk", "origin", qrs[0]), ("inspector-jj-dxh", "transit", qrs[0]),
                                                ("inspector-cg-hc", "disposal", qrs[0]), ("inspector-cg-qk", "origin", qrs[1])] {
                app.clock.advance(minutes: 40)
                let scan = try await client.request(.post, "/api/v1/scans", token: try await client.login(inspector),
                                                    json: #"{"qr":"\#(qr)","checkpoint":"\#(checkpoint)"}"#)
                #expect(scan.status == .created, "\(scan.text)")
            }
            let address = "/waste-disposal/applications/\(id)/trips"
            // MUT
            let firmBrowser = try await Browser.signedInAs("chongren", client)
            let page = try await firmBrowser.get(address)
            let firstOfOne = try await firmBrowser.get("\(address)?limit=1")
            let next = try #require(firstOfOne.text.firstMatch(of: /<a href="([^"]+)" rel="next">/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
            let secondOfOne = try await firmBrowser.get(next)
            let apiPage = try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)/trips?limit=1", token: try await client.login("chongren"))
            let transit = try await Browser.signedInAs("inspector-cg-dxh", client).get(address)
            let other = try await Browser.signedInAs("hanxi", client).get(address)
            let offRoute = try await Browser.signedInAs("inspector-cg-wc", client).get(address)
            // validate
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains(#"<li class="done">1 一键申报 ✓</li>"#))
            #expect(page.text.contains("3 审批局统一出证（2 张随车电子证） ✓"), "\(page.text)")
            #expect(page.text.contains("出土 硚口区 → 过境 东西湖区 → 消纳 汉川市"))
            #expect(page.text.contains("已于2026年11月23日由"), "汉川's confirmation, dated in Chinese")
            #expect(page.text.contains("核准处置量<strong>30 立方米</strong>"))
            #expect(page.text.contains(#"<li class="over">已运出（按车辆核定容积）<strong>38 立方米</strong>"#), "20 and 18 m³ loads")
            #expect(page.text.contains("消纳场已受纳<strong>20 立方米</strong>"))
            #expect(page.text.contains("已运出量超过核准处置量 8 立方米"))
            #expect(page.text.contains(#"<tr class="open"><td class="code">鄂AD12345</td>"#), "the open trip marked")
            #expect(page.text.contains(#"<span class="tag warn">未闭合</span>"#))
            #expect(page.text.contains("2026年11月23日 11:20 东西湖区 途中检查"), "each scan, when and where")
            #expect(page.text.contains("<li>硚口区：2 次</li>") && page.text.contains("<li>东西湖区：1 次</li>") && page.text.contains("<li>汉川市：1 次</li>"))
            #expect(page.text.contains(#"<div class="scroll"><table class="catalog">"#), "tables scroll inside their card on a phone")
            #expect(page.text.contains(#"href="/firm/applications/\#(id)""#))
            #expect(!firstOfOne.text.contains(#"<tr class="open">"#) && secondOfOne.text.contains(#"<tr class="open"><td class="code">鄂AD12345</td>"#),
                    "the trips page by page, first to leave first")
            #expect(!secondOfOne.text.contains(#"rel="next""#) && secondOfOne.text.contains("← 第一页"))
            for shown in [firstOfOne, secondOfOne] {
                #expect(shown.text.contains(#"未闭合趟次：<span class="tag warn">1</span>"#) && shown.text.contains("<strong>38 立方米</strong>"),
                        "the figures count every trip on every page")
            }
            #expect(apiPage.body?["trips"]?.array.count == 1 && apiPage.body?["volume"]?["carriedM3"]?.number == 38, "\(apiPage.text)")
            #expect(apiPage.headers[.init("X-Next-Cursor")!] != nil && apiPage.headers[.init("Link")!]?.contains("limit=1") == true)
            #expect(transit.status == .ok, "an inspector of a region on the route: \(transit.text)")
            #expect(other.status == .notFound)
            #expect(offRoute.status == .forbidden)
        }
    }

    @Test("a permit's vehicle certificates page on the firm's and the console's page of the application, by the register's cursor")
    func vehicleCertificatesPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a permit of two vehicles
            let (_, id, certificates) = try await WasteDisposalTests.issuedPermit(client, volume: "30")
            let numbers = certificates.compactMap { $0["number"]?.string }
            #expect(numbers.count == 2)
            for (account, path) in [("chongren", "/firm/applications/\(id)"), ("clerk", "/console/applications/\(id)")] {
                let browser = try await Browser.signedInAs(account, client)
                // MUT
                let first = try await browser.get("\(path)?limit=1")
                let next = try #require(first.text.firstMatch(of: /<a href="([^"]+)" rel="next">/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") },
                                        "\(account): \(first.text)")
                let second = try await browser.get(next)
                let whole = try await browser.get(path)
                // validate
                #expect(next.hasPrefix("\(path)?limit=1&cursor="), "\(next)")
                #expect(first.text.contains(numbers[0]) && !first.text.contains(numbers[1]), "\(account): one card a page")
                #expect(second.text.contains(numbers[1]) && !second.text.contains(numbers[0]) && second.text.contains("← 第一页"))
                #expect(whole.text.contains(numbers[0]) && whole.text.contains(numbers[1]) && !whole.text.contains(#"rel="next""#))
                #expect(try await browser.get("\(path)?cursor=broken").status == .unprocessableContent, "a bad cursor is named, not ignored")
            }
        }
    }

    @Test("the disposal region's staff confirm from the queue page: the permit is issued and leaves the queue; others cannot")
    func disposalRegionConfirmsFromTheQueue() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let id = try await Self.awaitingConfirmation(client)
            let hanchuan = try await Browser.signedInAs("inspector-cg-hc", client)
            let dongxihu = try await Browser.signedInAs("inspector-cg-dxh", client)
            let queue = try await hanchuan.get(Self.queue)
            let token = try Browser.formToken(in: queue)
            // MUT
            let elsewhere = try await dongxihu.post("\(Self.queue)/\(id)", form: [("csrf", try Browser.formToken(in: try await dongxihu.get(Self.queue)))])
            let confirmed = try await hanchuan.post("\(Self.queue)/\(id)", form: [("csrf", token)])
            let again = try await hanchuan.post("\(Self.queue)/\(id)", form: [("csrf", token)])
            // validate
            #expect(queue.status == .ok, "\(queue.text)")
            #expect(try await hanchuan.get("/inspector/tasks").text.contains(#"<a href="\#(Self.queue)""#), "the queue in an inspector's navigation")
            #expect(queue.text.contains(#"<form method="post" action="/waste-disposal/confirmations/\#(id)">"#))
            #expect(queue.text.contains("应于 2026年11月26日 前确认"), "three working days")
            #expect(queue.text.contains("路线：硚口区 → 东西湖区 → 汉川市") && queue.text.contains("消纳场：汉川市马口镇建筑垃圾消纳场"))
            #expect(queue.text.contains("工程渣土 6000 立方米 · 2 辆车"))
            #expect(elsewhere.status == .forbidden, "only the disposal region confirms: \(elsewhere.text)")
            #expect(confirmed.status == .seeOther, "\(confirmed.text)")
            let location = try #require(confirmed.headers[.location])
            #expect(location == "\(Self.queue)?confirmed=\(id)")
            let after = try await hanchuan.get(location)
            #expect(after.text.contains("已确认受纳申请 \(id)") && after.text.contains("目前没有待确认的申请"), "\(after.text)")
            let firm = try await client.login("chongren")
            #expect(try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)", token: firm).body?["status"]?.string == "issued")
            #expect(again.status == .conflict && again.text.contains("已于 2026-11-23"), "\(again.text)")
            #expect(try await Browser.signedInAs("chongren", client).get(Self.queue).status == .forbidden, "a firm has no queue")
            #expect(try await Browser.signedInAs("chongren", client).get("/firm/applications/\(id)").text.contains("运输趟次与方量核对"))
            #expect(try await Browser.signedInAs("clerk", client).get("/console/applications/\(id)").text.contains(#"href="/waste-disposal/applications/\#(id)/trips""#),
                    "the office's view, from the console's page of the application")
        }
    }
}
