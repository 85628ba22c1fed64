import Foundation
import Hummingbird
import Kernel
import Testing
import WebApp

/// Issue 13: the bureau console's dashboard (four figures as inline SVG bar charts, their numbers
/// in tables) and its CSV exports of the applications list and the certificates register.
@Suite("The console's dashboard and its CSV exports")
struct ConsoleDashboardTests {
    /// A table row of the page as the template writes it.
    static func row(_ cells: Any...) -> String {
        "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
    }

    /// The records of a CSV body, read as RFC 4180 says (quoted cells, doubled quotes, CRLF).
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch (quoted, scalar) {
            case (true, "\"") where pending == "\"": cell.unicodeScalars.append("\""); pending = scalars.next()
            case (true, "\""): quoted = false
            case (true, _): cell.unicodeScalars.append(scalar)
            case (false, "\""): quoted = true
            case (false, ","): record.append(cell); cell = ""
            case (false, "\r") where pending == "\n": record.append(cell); records.append(record); (record, cell) = ([], ""); pending = scalars.next()
            default: cell.unicodeScalars.append(scalar)
            }
        }
        return records
    }

    @Test("an application issued this week is counted in this week's bar and row, and a week later in the bar of the week before")
    func issuedPermitsPerWeek() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (clerk, before, _) = try await ConsolePagesTests.signedIn("clerk", at: "/console/dashboard", in: client)
            #expect(before.text.contains(Self.row("2026年11月23日", 0)), "this week so far, nothing issued: \(before.text)")
            #expect(before.text.contains(#"<a href="/console/dashboard" aria-current="page">统计概览</a>"#), "in the console's navigation")
            // MUT: issued on Monday 2026-11-23
            _ = try await client.issuedApplication()
            // validate
            let now = try await clerk.get("/console/dashboard")
            #expect(now.text.contains(Self.row("2026年11月23日", 1)), "\(now.text)")
            #expect(now.text.contains("<title>2026年11月23日：1 件</title>"), "the week's bar")
            #expect(now.text.contains(Self.row("2026年9月7日–9月13日", 0)), "twelve weeks from the Monday eleven weeks back")
            #expect(now.text.matches(of: /<title>[^<]*：\d+ 件<\/title>/).count == 12, "a bar a week")
            // MUT: a week later, signed in again
            app.clock.advance(days: 7)
            let (clerkNextWeek, later, _) = try await ConsolePagesTests.signedIn("clerk", at: "/console/dashboard", in: client)
            // validate
            #expect(later.text.contains(Self.row("2026年11月23日–11月29日", 1)) && later.text.contains(Self.row("2026年11月30日", 0)), "\(later.text)")
            #expect(later.text.contains("<title>2026年11月23日–11月29日：1 件</title>") && later.text.contains("<title>2026年11月30日：0 件</title>"))
            let asked = try await clerkNextWeek.get("/console/dashboard?from=2026-11-01&to=2026-11-22")
            #expect(asked.status == .ok && asked.text.contains("共出证 <span class=\"figure-total\">0</span> 件"), "before the issuance: \(asked.text)")
            #expect(asked.text.contains(Self.row("2026年11月1日", 0)), "a period from a Sunday starts with that Sunday alone")
        }
    }

    @Test("each department's open and overdue supervision tasks are its queues', the closure rate is the overview's, and the overdue tasks link to their application")
    func supervisionFigures() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a permit whose tasks go to three departments; the greenspace check passed in time
            let issued = try await client.issuedApplication()
            let landscaping = try await client.login("inspector-yl-qk")
            let greenspace = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(greenspace)/inspections", token: landscaping,
                                             json: #"{"result":"pass"}"#).status == .created)
            app.clock.advance(days: 8)
            // MUT
            let (_, page, _) = try await ConsolePagesTests.signedIn("clerk", at: "/console/dashboard?from=2026-11-23&to=2026-11-29", in: client)
            // validate: each department as its inspectors' queues hold it
            var overdueInAll = 0
            for inspector in ["inspector-cg-qk", "inspector-zaz-qk", "inspector-yl-qk", "inspector-hb-qk"] {
                let queue = try await client.request(.get, "/api/v1/supervision/tasks", token: try await client.login(inspector)).body?.array ?? []
                guard let name = queue.first?["departmentName"]?.string else { continue }
                let overdue = queue.filter { $0["overdue"] == .bool(true) }.count
                overdueInAll += overdue
                #expect(page.text.contains(Self.row(name, queue.count, overdue)), "\(inspector): \(queue.count) open, \(overdue) overdue in \(page.text)")
            }
            #expect(overdueInAll > 0)
            #expect(page.text.contains("各部门超期未办结的监管任务共 <span class=\"figure-total\">\(overdueInAll)</span> 项"), "\(page.text)")
            #expect(page.text.contains(#"<a href="/console/applications/\#(issued.applicationID)">崇仁路023地块项目 · 首次监督检查</a>"#))
            let overview = try await client.request(.get, "/api/v1/supervision/overview?from=2026-11-23&to=2026-11-29", token: try await client.login("clerk"))
            let (permits, inTime) = (try #require(overview.body?["permitsIssued"]?.number), try #require(overview.body?["firstInspectedInTime"]?.number))
            #expect((permits, inTime) == (2, 1))
            #expect(page.text.contains(Self.row("2026年11月23日–11月29日", Int(permits), Int(inTime), "50%")), "\(page.text)")
            #expect(page.text.contains("<title>2026年11月23日–11月29日：50%（1/2）</title>"))
            #expect(page.text.contains("闭环率 50%"))
            for chart in ["issued", "loads", "closure", "overdue"] {
                #expect(page.text.contains(#"role="img" aria-labelledby="\#(chart)-title \#(chart)-desc">"#), "\(chart) has its title and description")
            }
            let reviewer = try await ConsolePagesTests.signedIn("reviewer-housing", at: "/console/dashboard", in: client).1
            #expect(reviewer.text.contains("本部门（") && reviewer.text.contains("共 <span class=\"figure-total\">0</span> 项"),
                    "a reviewer's overdue list is its own department's: \(reviewer.text)")
        }
    }

    @Test("a firm and an inspector are refused the dashboard and the exports, as every console page")
    func outsidersAreRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            for username in ["chongren", "inspector-zaz-qk"] {
                let (browser, account, _) = try await ConsolePagesTests.signedIn(username, at: "/account", in: client)
                #expect(!account.text.contains("/console/dashboard") && !account.text.contains("/console/export"), "not in its navigation")
                for path in ["/console/dashboard", "/console/export", "/console/export/applications.csv", "/console/export/certificates.csv"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .forbidden, "\(username) \(path)")
                    #expect(page.text.contains("审批局工作台仅供审批局工作人员使用"), "\(page.text)")
                }
            }
        }
    }

    @Test("a date that is none, a period backwards or too long is named beside its field, on the dashboard and the export page")
    func badDatesAreNamed() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (clerk, _, _) = try await ConsolePagesTests.signedIn("clerk", at: "/console/dashboard", in: client)
            // MUT
            let garbled = try await clerk.get("/console/dashboard?from=2026-02-30&to=tomorrow")
            let backwards = try await clerk.get("/console/dashboard?from=2026-11-20&to=2026-11-01")
            let long = try await clerk.get("/console/dashboard?from=2025-11-01&to=2026-11-01")
            let export = try await clerk.get("/console/export/applications.csv?status=stuck&submittedFrom=2026-13-01")
            let certificates = try await clerk.get("/console/export/certificates.csv?issuedFrom=2026-11-20&issuedTo=2026-11-01")
            // validate
            #expect(garbled.status == .unprocessableContent)
            #expect(garbled.text.contains(#"<p class="error" role="alert" id="from-error">请输入有效的日期（如 2026-12-01）</p>"#), "\(garbled.text)")
            #expect(garbled.text.contains(#"id="to-error">请输入有效的日期"#) && garbled.text.contains(#"value="tomorrow" aria-invalid="true""#))
            #expect(!garbled.text.contains("<svg"), "no figures for a period that is none")
            #expect(backwards.status == .unprocessableContent && backwards.text.contains(#"id="from-error">开始日期不能晚于结束日期"#))
            #expect(long.status == .unprocessableContent && long.text.contains(#"id="from-error">统计期最长 26 周"#), "\(long.text)")
            #expect(export.status == .unprocessableContent && export.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(export.text.contains(#"id="status-error">未知取值 stuck"#) && export.text.contains(#"id="submittedFrom-error">请输入有效的日期"#),
                    "\(export.text)")
            #expect(certificates.status == .unprocessableContent && certificates.text.contains(#"id="issuedFrom-error">开始日期不能晚于结束日期"#))
        }
    }

    @Test("the applications export is UTF-8 with a BOM and a header, holds one row per application in the filter, quotes a comma and a quote and neutralises a leading '='")
    func applicationsExport() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: two applications on a project whose name a spreadsheet would run
            let name = #"=HYPERLINK("http://evil"),崇仁"023"地块"#
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm, name: name).body?["id"]?.string)
            let submitted = try await client.submittedApplication(projectID: projectID, firm: firm)
            let accepted = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let (clerk, exportPage, _) = try await ConsolePagesTests.signedIn("clerk", at: "/console/export", in: client)
            #expect(exportPage.text.contains(#"action="/console/export/applications.csv""#) && exportPage.text.contains(#"<option value="submitted">已提交</option>"#))
            // MUT
            let all = try await clerk.get("/console/export/applications.csv")
            let filtered = try await clerk.get("/console/export/applications.csv?status=submitted&submittedFrom=2026-11-23&submittedTo=2026-11-23")
            let later = try await clerk.get("/console/export/applications.csv?submittedFrom=2026-11-24")
            // validate
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(all.headers[.contentDisposition] == #"attachment; filename="applications-2026-11-23.csv""#)
            #expect(all.text.hasPrefix("\u{FEFF}申请编号,项目代码,项目名称,申请单位,申请单位统一社会信用代码,申请事项,状态,提交日期,"), "\(all.text)")
            #expect(all.text.unicodeScalars.first == "\u{FEFF}")
            #expect(all.text.contains(#","'=HYPERLINK(""http://evil""),崇仁""023""地块","#), "quoted, its quotes doubled, an apostrophe first: \(all.text)")
            let records = Self.records(String(all.text.dropFirst()))
            #expect(Set(records.dropFirst().map(\.[0])) == [accepted, submitted] && records.count == 3, "a row per application: \(records)")
            #expect(records.allSatisfy { $0.count == records[0].count })
            let row = try #require(records.first { $0.first == submitted })
            #expect(row[2] == "'" + name && row[3] == "武汉崇仁置业有限公司" && row[6] == "已提交" && row[7] == "2026-11-23", "\(row)")
            #expect(row[5].hasPrefix("建筑工程施工许可证核发、"), "the items: \(row)")
            #expect(Self.records(String(filtered.text.dropFirst())).dropFirst().map(\.[0]) == [submitted], "\(filtered.text)")
            #expect(Self.records(String(later.text.dropFirst())).count == 1, "the header alone: \(later.text)")
        }
    }

    @Test("a reviewer's export holds what its list holds: its department's applications with its own items; another department's is refused")
    func reviewerExportIsLimited() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            for (reviewer, expected) in [("reviewer-housing", [id]), ("reviewer-quality-station", [])] {
                let (browser, page, _) = try await ConsolePagesTests.signedIn(reviewer, at: "/console/export", in: client)
                #expect(page.text.contains("审查人员只能导出本部门的申请") && !page.text.contains("全部部门"), "\(page.text)")
                // MUT
                let export = try await browser.get("/console/export/applications.csv")
                // validate
                let listed = try await client.request(.get, "/api/v1/applications", token: try await client.login(reviewer)).body?.array ?? []
                let rows = Self.records(String(export.text.dropFirst())).dropFirst()
                #expect(rows.map(\.[0]) == expected && listed.compactMap { $0["id"]?.string } == expected, "\(reviewer): \(export.text)")
                if let row = rows.first { #expect(row[5] == "建筑工程施工许可证核发", "only its own item: \(row)") }
            }
            let (housing, _, _) = try await ConsolePagesTests.signedIn("reviewer-housing", at: "/console/export", in: client)
            let other = try await housing.get("/console/export/applications.csv?department=landscaping")
            #expect(other.status == .forbidden && other.text.contains("审查人员只能查看本部门的申请"), "\(other.text)")
        }
    }

    @Test("the certificates register lists each issued certificate in its issue period, for the departments whose permits it holds")
    func certificatesExport() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let number = try #require(issued.certificate["number"]?.string)
            let (clerk, _, _) = try await ConsolePagesTests.signedIn("clerk", at: "/console/export", in: client)
            // MUT
            let register = try await clerk.get("/console/export/certificates.csv?issuedFrom=2026-11-23&issuedTo=2026-11-23")
            let before = try await clerk.get("/console/export/certificates.csv?issuedTo=2026-11-22")
            // validate
            #expect(register.status == .ok && register.headers[.contentDisposition] == #"attachment; filename="certificates-2026-11-23.csv""#)
            let records = Self.records(String(register.text.dropFirst()))
            #expect(records.first?.prefix(3) == ["证照编号", "状态", "持证单位"])
            #expect(records.dropFirst().map { [$0[0], $0[2]] } == [[number, "武汉崇仁置业有限公司"]], "\(register.text)")
            #expect(records.last?[9] == "2026-11-23" && records.last?[10] == issued.applicationID)
            #expect(Self.records(String(before.text.dropFirst())).count == 1)
            for (reviewer, rows) in [("reviewer-housing", 1), ("reviewer-quality-station", 0)] {
                let (browser, _, _) = try await ConsolePagesTests.signedIn(reviewer, at: "/console/export", in: client)
                let export = try await browser.get("/console/export/certificates.csv")
                #expect(Self.records(String(export.text.dropFirst())).count == 1 + rows, "\(reviewer): \(export.text)")
            }
        }
    }
}
