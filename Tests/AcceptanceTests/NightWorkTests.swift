import Foundation
import GRDB
import Hummingbird
import Kernel
import Testing
import WebApp

/// 夜间施工 智能审批 + 智能监管, driven over HTTP as firms, reviewers, inspectors, residents and
/// monitors do. The clock stands at 2026-11-23 10:00 +08:00.
@Suite("夜间施工: rules decide at once, a repeat is issued on the spot, the public is told, monitors and residents reach the queues")
struct NightWorkTests {
    /// A night-work request body; `full` adds what a site's first application must say.
    static func request(projectID: String, first: String = "2026-11-25", last: String = "2026-11-27", start: String = "22:00",
                        end: String = "04:00", reason: String = "concrete-pour", receptors: [String]? = nil, materials: String? = nil,
                        full: Bool = true) -> String {
        var fields = [#""projectId":"\#(projectID)""#, #""firstNight":"\#(first)""#, #""lastNight":"\#(last)""#, #""start":"\#(start)""#,
                      #""end":"\#(end)""#, #""reason":"\#(reason)""#]
        if full {
            fields.append(#""measures":"泵车加装隔声罩，场界设隔声屏障""#)
            fields.append(#""responsible":{"name":"王建国","phone":"13707156628"}"#)
        }
        if let receptors { fields.append(#""receptors":[\#(receptors.map { "\"\($0)\"" }.joined(separator: ","))]"#) }
        if let materials { fields.append(#""materials":\#(materials)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The evidence a first application uploads.
    static func evidence(_ client: TestApp.Client, firm: String) async throws -> String {
        var materials: [String] = []
        for material in ["night-work-justification", "noise-control-plan", "resident-notice"] {
            materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
        }
        return "[" + materials.joined(separator: ",") + "]"
    }

    /// A site with an issued construction permit and a first night-work permit a reviewer approved.
    static func siteWithNightPermit(_ client: TestApp.Client) async throws -> (firm: String, projectID: String, certificate: JSONValue) {
        let issued = try await client.issuedApplication()
        let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            .body?["project"]?["id"]?.string)
        let first = try await client.request(.post, "/api/v1/night-work/applications", token: issued.firm,
                                             json: request(projectID: projectID, materials: try await evidence(client, firm: issued.firm)))
        let id = try #require(first.body?["applicationId"]?.string, "\(first.text)")
        _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-city-management"),
                                     json: #"{"item":"CG-YJSG","decision":"approve"}"#)
        let certificate = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: issued.issuer)
        return (issued.firm, projectID, try #require(certificate.body?["certificates"]?[0], "\(certificate.text)"))
    }

    /// A noise monitor an admin registers on the site; its token.
    static func monitor(_ projectID: String, _ client: TestApp.Client) async throws -> String {
        let device = try await client.request(.post, "/api/v1/monitoring/devices", token: try await client.login("admin"),
                                              json: #"{"projectId":"\#(projectID)","name":"北侧场界"}"#)
        return try #require(device.body?["token"]?.string, "\(device.text)")
    }

    @Test("a site's first night work goes to a person with the reason; the repeat is issued at once, published, and its hours are on /v/")
    func firstReviewedThenRepeatIssuedAtOnce() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)

            // The first application: reviewed, with the rule that sent it there.
            let first = try await client.request(.post, "/api/v1/night-work/applications", token: issued.firm,
                                                 json: Self.request(projectID: projectID, materials: try await Self.evidence(client, firm: issued.firm)))
            #expect(first.status == .created, "\(first.text)")
            #expect(first.body?["decision"]?.string == "review")
            #expect(first.body?["reasons"]?.array.compactMap { $0["rule"]?.string } == ["first-application"])
            #expect(first.body?["certificate"] == nil)
            let firstID = try #require(first.body?["applicationId"]?.string)
            let reviewer = try await client.login("reviewer-city-management")
            let approved = try await client.request(.post, "/api/v1/applications/\(firstID)/reviews", token: reviewer,
                                                    json: #"{"item":"CG-YJSG","decision":"approve"}"#)
            #expect(approved.body?["status"]?.string == "approved", "\(approved.text)")
            #expect(approved.body?["rules"]?["reasons"]?[0]?["message"]?.string?.contains("首次申请") == true)
            let firstCertificate = try await client.request(.post, "/api/v1/applications/\(firstID)/issuance", token: issued.issuer)
            #expect(firstCertificate.status == .ok, "\(firstCertificate.text)")

            // The repeat: only the dates and the reason; decided and issued in the same request.
            let repeated = try await client.request(.post, "/api/v1/night-work/applications", token: issued.firm,
                                                    json: Self.request(projectID: projectID, first: "2026-11-30", last: "2026-12-01",
                                                                       start: "22:30", end: "02:00", full: false))
            #expect(repeated.status == .created, "\(repeated.text)")
            #expect(repeated.body?["decision"]?.string == "approved")
            #expect(repeated.body?["status"]?.string == "issued")
            #expect(repeated.body?["reasons"]?.array.compactMap { $0["rule"]?.string } == ["linked-permit", "rules-passed"])
            let number = try #require(repeated.body?["certificate"]?["number"]?.string)
            #expect(number.contains("-YJ-"))

            // Issued by the rules and the electronic seal, no issuer: the timeline says so.
            let repeatID = try #require(repeated.body?["applicationId"]?.string)
            let details = try await client.request(.get, "/api/v1/applications/\(repeatID)", token: issued.firm)
            let kinds = details.body?["timeline"]?.array.compactMap { $0["kind"]?.string } ?? []
            #expect(kinds == ["application.submitted", "application.rules-decided", "application.accepted", "item.reviewed", "application.decided",
                              "application.issued"])
            #expect(details.body?["timeline"]?.array.last?["actor"]?["name"]?.string == "智能审批")
            #expect(details.body?["form"]?["nightWorkMeasures"]?.string == "泵车加装隔声罩，场界设隔声屏障")

            // 网络公示: both permits, the phone masked.
            let notices = try await client.request(.get, "/api/v1/public/night-work?district=420104")
            let published = try #require(notices.body?.array.first { $0["certificate"]?.string == number })
            #expect(published["start"]?.string == "22:30" && published["end"]?.string == "02:00")
            #expect(published["firstNight"]?.string == "2026-11-30" && published["lastNight"]?.string == "2026-12-01")
            #expect(published["responsible"]?["phone"]?.string == "137****6628")
            #expect(published["address"]?.string == "武汉市硚口区崇仁路与解放大道交汇处西北侧")
            #expect(notices.body?.array.count == 2)
            let page = try await client.request(.get, "/public/night-work?district=420104")
            #expect(page.status == .ok && page.text.contains(number) && page.text.contains("137****6628") && !page.text.contains("13707156628"))

            // An inspector at the gate reads the nights and hours from the QR alone.
            let qr = try #require(repeated.body?["certificate"]?["qr"]?.string)
            let verdict = try await client.request(.get, String(qr.dropFirst("https://sg.example.cn".count)), accept: "application/json")
            let permit = try #require(verdict.body?["certificate"]?["permits"]?[0])
            let details2 = permit["details"]?.array.map { ($0["label"]?.string ?? "", $0["value"]?.string ?? "") } ?? []
            #expect(details2.contains { $0 == ("作业时段", "每夜 22:30 至次日 02:00") })
            #expect(details2.contains { $0 == ("作业夜", "2026-11-30 至 2026-12-01 夜间，共 2 晚") })
            #expect(details2.contains { $0 == ("现场负责人", "王建国 137****6628") })
            #expect(verdict.body?["certificate"]?["validTo"]?.string == "2026-12-02")
            let html = try await client.request(.get, String(qr.dropFirst("https://sg.example.cn".count)))
            #expect(html.text.contains("每夜 22:30 至次日 02:00"))
            let print = try await client.request(.get, String(qr.dropFirst("https://sg.example.cn".count)) + "/print")
            #expect(print.text.contains("作业时段：每夜 22:30 至次日 02:00"))
            let png = try await client.raw("/api/v1/certificates/\(number)/image", token: issued.firm)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

            // Issued like any permit, it opens the night patrols its catalog entry names.
            let patrols = try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: try await client.login("inspector-cg-qk"))
            #expect(patrols.body?.array.contains { $0["certificateNumber"]?.string == number && $0["kind"]?.string == "night-site-patrol" } == true)
        }
    }

    @Test("rules deny with their reasons — five nights at most near a school, none in exam week — and the firm may ask a person")
    func deniedWithReasons() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let site = try await Self.siteWithNightPermit(client)
            let denied = try await client.request(.post, "/api/v1/night-work/applications", token: site.firm,
                                                  json: Self.request(projectID: site.projectID, first: "2026-11-24", last: "2026-12-01",
                                                                     receptors: ["school"], full: false))
            #expect(denied.status == .created, "\(denied.text)")
            #expect(denied.body?["decision"]?.string == "denied")
            #expect(denied.body?["status"]?.string == "denied")
            let reasons = denied.body?["reasons"]?.array ?? []
            #expect(reasons.compactMap { $0["rule"]?.string } == ["receptor-max-nights"])
            #expect(reasons.first?["message"]?.string == "工地周边有学校，单次许可不超过 5 晚，本次申请 8 晚")
            #expect(denied.body?["certificate"] == nil)
            let id = try #require(denied.body?["applicationId"]?.string)
            let asked = try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: site.firm,
                                                 json: #"{"item":"CG-YJSG","note":"混凝土浇筑不可中断，请人工审核"}"#)
            #expect(asked.body?["status"]?.string == "under-review", "\(asked.text)")
            #expect(asked.body?["items"]?[0]?["status"]?.string == "pending")
        }
    }

    @Test("a firm whose credit fell below B is sent to a reviewer even for a repeat, and loses 告知承诺")
    func lowCreditGoesToReview() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let site = try await Self.siteWithNightPermit(client)
            let now = app.clock.now
            try await app.services.database.write { db in
                for index in 0..<2 {
                    try db.execute(sql: """
                        INSERT INTO credit_records (firm, kind, at, on_day, subject, source, note) VALUES (?, 'violation', ?, '2026-11-23', 'certificate/x', ?, '违规')
                        """, arguments: [TestApp.firmA, now, "inspection/test-\(index)"])
                }
            }
            let repeated = try await client.request(.post, "/api/v1/night-work/applications", token: site.firm,
                                                    json: Self.request(projectID: site.projectID, first: "2026-11-30", last: "2026-12-01", full: false))
            #expect(repeated.body?["decision"]?.string == "review", "\(repeated.text)")
            #expect(repeated.body?["reasons"]?.array.compactMap { $0["rule"]?.string } == ["credit-level"])
            #expect(repeated.body?["reasons"]?[0]?["message"]?.string == "申请单位信用等级为 C（重点关注），低于 B 级，转人工审核")
        }
    }

    @Test("a window outside the night, an end before its start, too many nights, a past night or a site without a permit: 422 naming the field, nothing stored")
    func badInput() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let cases: [(String, String)] = [
                (Self.request(projectID: projectID, start: "21:00"), "start"),
                (Self.request(projectID: projectID, end: "06:30"), "end"),
                (Self.request(projectID: projectID, start: "02:00", end: "01:00"), "end"),
                (Self.request(projectID: projectID, first: "2026-11-27", last: "2026-11-25"), "lastNight"),
                (Self.request(projectID: projectID, first: "2026-11-24", last: "2026-12-09"), "lastNight"),
                (Self.request(projectID: projectID, first: "2026-11-20", last: "2026-11-21"), "firstNight"),
                (Self.request(projectID: projectID, reason: "party"), "reason"),
                (Self.request(projectID: projectID, receptors: ["zoo"]), "receptors[0]"),
            ]
            for (body, field) in cases {
                let refused = try await client.request(.post, "/api/v1/night-work/applications", token: issued.firm, json: body)
                #expect(refused.status == .unprocessableContent, "\(field): \(refused.text)")
                #expect(refused.body?["error"]?["field"]?.string == field, "\(refused.text)")
            }
            let hanxi = try await client.login("hanxi")
            let bare = try #require(try await client.request(.post, "/api/v1/projects", token: hanxi, json: """
                {"code":"2407-420104-04-01-462935","name":"汉西三路道路工程","district":"420104","address":"汉西三路","category":"市政道路工程",
                 "builder":{"name":"武汉汉西建设有限公司","uscc":"\(TestApp.firmB)"}}
                """).body?["id"]?.string)
            let noPermit = try await client.request(.post, "/api/v1/night-work/applications", token: hanxi, json: Self.request(projectID: bare))
            #expect(noPermit.status == .unprocessableContent)
            #expect(noPermit.body?["error"]?["field"]?.string == "projectId")
            #expect(noPermit.body?["error"]?["message"]?.string?.contains("施工许可") == true)
            let listed = try await client.request(.get, "/api/v1/applications", token: issued.firm)
            #expect(listed.body?.array.count == 1, "only the construction permit's application: \(listed.text)")
        }
    }

    @Test("readings over 55 dB(A) at night without a permit raise exactly one alert per site per night, in the ecology queue")
    func noiseWithoutPermit() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let admin = try await client.login("admin")
            let device = try await client.request(.post, "/api/v1/monitoring/devices", token: admin,
                                                  json: #"{"projectId":"\#(projectID)","name":"东侧场界1号"}"#)
            #expect(device.status == .created, "\(device.text)")
            let token = try #require(device.body?["token"]?.string)
            func send(_ readings: [(String, Double)]) async throws -> TestResponse {
                let body = readings.map { #"{"at":"\#($0.0)","dBA":\#($0.1)}"# }.joined(separator: ",")
                return try await client.request(.post, "/api/v1/monitoring/noise", token: token, json: #"{"readings":[\#(body)]}"#)
            }
            let quiet = try await send([("2026-11-21T23:00:00+08:00", 48.2), ("2026-11-21T14:00:00+08:00", 66)])
            #expect(quiet.status == .accepted && quiet.body?["alerts"]?.array.isEmpty == true, "\(quiet.text)")
            let loud = try await send([("2026-11-21T23:10:00+08:00", 61.5), ("2026-11-22T01:20:00+08:00", 63), ("2026-11-22T02:00:00+08:00", 58)])
            #expect(loud.body?["accepted"]?.number == 3)
            #expect(loud.body?["alerts"]?.array.count == 1, "\(loud.text)")
            let again = try await send([("2026-11-22T03:00:00+08:00", 70)])
            #expect(again.body?["alerts"]?.array.isEmpty == true, "same site, same night: no second alert")
            let nextNight = try await send([("2026-11-22T22:30:00+08:00", 59)])
            #expect(nextNight.body?["alerts"]?.array.count == 1)
            let credit = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: issued.firm)
            #expect(credit.body?["records"]?.array.contains { $0["kind"]?.string == "repeated-alerts" } != true, "two alerts are not yet repeated")
            let thirdNight = try await send([("2026-11-20T23:30:00+08:00", 66)])
            #expect(thirdNight.body?["alerts"]?.array.count == 1)
            let after = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: issued.firm)
            #expect(after.body?["records"]?.array.filter { $0["kind"]?.string == "repeated-alerts" }.count == 1, "\(after.text)")

            let inspector = try await client.login("inspector-hb-qk")
            let queue = try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: inspector)
            let alerts = queue.body?.array.filter { $0["kind"]?.string == "noise-alert" } ?? []
            #expect(alerts.count == 3)
            #expect(alerts.allSatisfy { $0["title"]?.string == "夜间无证施工噪声超标告警核查" && $0["raisedBy"]?.string == "噪声在线监测告警" })
            #expect(alerts.contains { $0["evidence"]?.array.contains { $0.string?.contains("63.0 dB(A)") == true } == true })
            let nights = try await client.request(.get, "/api/v1/night-work/sites/\(projectID)/nights?from=2026-11-21&to=2026-11-22", token: admin)
            #expect(nights.body?[1]?["readings"]?.number == 5 && nights.body?[1]?["overLimit"]?.number == 4, "\(nights.text)")
            #expect(nights.body?[1]?["alerts"]?[0]?["readings"]?.number == 4)

            // Bad batches are refused whole, naming the reading.
            let impossible = try await send([("2026-11-22T23:00:00+08:00", 50), ("2026-11-22T23:01:00+08:00", 300)])
            #expect(impossible.status == .unprocessableContent && impossible.body?["error"]?["field"]?.string == "readings[1].dBA")
            let future = try await send([("2026-11-24T23:00:00+08:00", 50)])
            #expect(future.body?["error"]?["field"]?.string == "readings[0].at")
            let elsewhere = try await client.request(.post, "/api/v1/monitoring/noise", token: token,
                                                     json: #"{"projectId":"another","readings":[{"at":"2026-11-22T23:00:00+08:00","dBA":50}]}"#)
            #expect(elsewhere.body?["error"]?["field"]?.string == "projectId")
            let nights2 = try await client.request(.get, "/api/v1/night-work/sites/\(projectID)/nights?from=2026-11-22&to=2026-11-22", token: admin)
            #expect(nights2.body?[0]?["readings"]?.number == 1, "nothing of a refused batch is stored")
            _ = try await client.request(.delete, "/api/v1/monitoring/devices/\(try #require(device.body?["id"]?.string))", token: admin)
            #expect(try await send([("2026-11-22T23:00:00+08:00", 50)]).status == .unauthorized)
        }
    }

    @Test("readings over the limit inside a permitted window raise an alert that the measures are not working")
    func noiseInsidePermit() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let site = try await Self.siteWithNightPermit(client)
            let token = try await Self.monitor(site.projectID, client)
            app.clock.advance(days: 3)
            let loud = try await client.request(.post, "/api/v1/monitoring/noise", token: token, json: """
                {"readings":[{"at":"2026-11-25T23:30:00+08:00","dBA":62},{"at":"2026-11-26T04:30:00+08:00","dBA":60}]}
                """)
            #expect(loud.body?["alerts"]?.array.count == 2, "\(loud.text)")
            let queue = try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: try await client.login("inspector-hb-qk"))
            let titles = Set(queue.body?.array.filter { $0["kind"]?.string == "noise-alert" }.compactMap { $0["title"]?.string } ?? [])
            #expect(titles == ["许可时段内噪声超标告警核查", "夜间无证施工噪声超标告警核查"], "23:30 is permitted, 04:30 is after 04:00")
        }
    }

    @Test("an unresolved noise alert at the site sends the next application to a person; once an inspector finds it a false alarm, the repeat is issued at once")
    func recentAlertGoesToReview() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let site = try await Self.siteWithNightPermit(client)
            let token = try await Self.monitor(site.projectID, client)
            let alert = try await client.request(.post, "/api/v1/monitoring/noise", token: token,
                                                 json: #"{"readings":[{"at":"2026-11-22T23:30:00+08:00","dBA":64}]}"#)
            let taskID = try #require(alert.body?["alerts"]?[0]?.string, "\(alert.text)")
            let reviewed = try await client.request(.post, "/api/v1/night-work/applications", token: site.firm,
                                                    json: Self.request(projectID: site.projectID, first: "2026-11-30", last: "2026-12-01", full: false))
            #expect(reviewed.body?["decision"]?.string == "review", "\(reviewed.text)")
            #expect(reviewed.body?["reasons"]?[0]?["message"]?.string == "该工地近 30 日有 1 次未排除的夜间噪声超标告警，转人工审核")

            let inspected = try await client.request(.post, "/api/v1/supervision/tasks/\(taskID)/inspections", token: try await client.login("inspector-hb-qk"),
                                                     json: #"{"result":"pass","findings":"经核实为过往重型车辆噪声，工地未施工"}"#)
            #expect(inspected.status == .created, "\(inspected.text)")
            let issued = try await client.request(.post, "/api/v1/night-work/applications", token: site.firm,
                                                  json: Self.request(projectID: site.projectID, first: "2026-12-02", last: "2026-12-03", full: false))
            #expect(issued.body?["decision"]?.string == "approved" && issued.body?["certificate"]?["number"]?.string != nil, "\(issued.text)")
        }
    }

    @Test("a resident's complaint becomes a task in the district's queue and shows on the approving office's timeline; a fourth a day is refused")
    func complaintReachesQueueAndOffice() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let site = try await Self.siteWithNightPermit(client)
            let number = try #require(site.certificate["number"]?.string)
            let complaint = try await client.request(.post, "/api/v1/public/night-work/\(number)/complaints",
                                                     json: #"{"phone":"13900001111","text":"凌晨一点仍在打桩，噪声很大","at":"2026-11-23T01:00:00+08:00"}"#)
            #expect(complaint.status == .created, "\(complaint.text)")
            let taskID = try #require(complaint.body?["taskId"]?.string)
            let queue = try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: try await client.login("inspector-cg-qk"))
            let task = try #require(queue.body?.array.first { $0["id"]?.string == taskID })
            #expect(task["title"]?.string == "夜间施工居民投诉核查" && task["raisedBy"]?.string == "居民投诉")
            #expect(task["evidence"]?.array.contains { $0.string == "投诉人：匿名 13900001111" } == true)
            let applicationID = try #require(task["applicationID"]?.string)
            let timeline = try await client.request(.get, "/api/v1/applications/\(applicationID)", token: try await client.login("clerk"))
            let entry = try #require(timeline.body?["timeline"]?.array.first { $0["kind"]?.string == "night-work.complaint" })
            #expect(entry["detail"]?["text"]?.string == "凌晨一点仍在打桩，噪声很大" && entry["detail"]?["phone"]?.string == "139****1111")

            for _ in 0..<2 {
                _ = try await client.request(.post, "/api/v1/public/night-work/\(number)/complaints", json: #"{"phone":"13900001111","text":"又在施工"}"#)
            }
            let fourth = try await client.request(.post, "/api/v1/public/night-work/\(number)/complaints", json: #"{"phone":"13900001111","text":"又在施工"}"#)
            #expect(fourth.status == .tooManyRequests && fourth.body?["error"]?["code"]?.string == "too-many-complaints")
            let noPhone = try await client.request(.post, "/api/v1/public/night-work/\(number)/complaints", json: #"{"phone":"123","text":"吵"}"#)
            #expect(noPhone.status == .unprocessableContent && noPhone.body?["error"]?["field"]?.string == "phone")
            let unknown = try await client.request(.post, "/api/v1/public/night-work/420104-2026-YJ-999999/complaints",
                                                   json: #"{"phone":"13900002222","text":"吵"}"#)
            #expect(unknown.status == .notFound)

            // The page's form: a resident posts it, is sent back to the notice, the complaint counted.
            let form = "phone=13900003333&name=%E6%9D%8E&text=%E5%87%8C%E6%99%A8%E5%90%B5%E9%97%B9"
            let posted = try await client.request(.post, "/public/night-work/\(number)/complaints?district=420104", raw: Data(form.utf8),
                                                  contentType: "application/x-www-form-urlencoded")
            #expect(posted.status == .seeOther)
            let queue2 = try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: try await client.login("inspector-cg-qk"))
            #expect(queue2.body?.array.contains { $0["evidence"]?.array.contains { $0.string == "投诉内容：凌晨吵闹" } == true } == true)
            for garbage in ["phone=1&phone=2&text=x", "%%%=&&=%zz", "a[b]=1&a[b][c]=2", ""] {
                let refused = try await client.request(.post, "/public/night-work/\(number)/complaints", raw: Data(garbage.utf8),
                                                       contentType: "application/x-www-form-urlencoded")
                #expect(refused.status == .unprocessableContent && refused.text.contains("请填写电话和投诉内容"), "\(garbage): \(refused.status)")
            }
        }
    }
}
