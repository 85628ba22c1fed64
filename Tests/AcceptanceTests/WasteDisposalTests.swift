import CGD
import Foundation
import GRDB
import Hummingbird
import Kernel
import Testing
import WasteDisposal
import WebApp

/// 建筑垃圾处置核准 跨域审管联动, driven over HTTP along the seed's route: 硚口 (出土) → 东西湖
/// (过境) → 汉川 (消纳). The clock stands at 2026-11-23 10:00 +08:00.
@Suite("建筑垃圾处置: a certificate per vehicle, supervised along the route, trips kept from the scans")
struct WasteDisposalTests {
    static let transporter = TestApp.uscc("91420112MA4KT0001")

    /// A disposal request body; `vehicles` as JSON, other fields overridable by raw JSON fragments.
    static func request(projectID: String, vehicles: String = #"[{"plate":"鄂A12345","capacityM3":20},{"plate":"鄂AD12345","capacityM3":18}]"#,
                        route: String = #"{"origin":"420104","transit":["420112"],"disposal":"420984"}"#, site: String = "HC-XN-01",
                        volume: String = "6000", wasteType: String = "工程渣土", validFrom: String = "2026-11-23", validTo: String = "2027-02-22",
                        materials: String = "[]") -> String {
        """
        {"projectId":"\(projectID)","wasteType":"\(wasteType)","volumeM3":\(volume),"route":\(route),"disposalSite":"\(site)",
         "transporter":{"name":"武汉顺通渣土运输有限公司","uscc":"\(transporter)"},"vehicles":\(vehicles),
         "validFrom":"\(validFrom)","validTo":"\(validTo)","contact":{"name":"张伟","phone":"13871234567"},"materials":\(materials)}
        """
    }

    /// The transporter's fleet as an administrator registers it; every plate the tests use.
    static func registerFleet(_ client: TestApp.Client) async throws {
        let vehicles = [("鄂A12345", 20), ("鄂AD12345", 18), ("鄂A67890", 20), ("鄂A12345F", 20)].enumerated().map { index, vehicle in
            #"{"plate":"\#(vehicle.0)","type":"重型自卸货车","capacityM3":\#(vehicle.1),"gpsDevice":"BD-2026-\#(index + 1)"}"#
        }
        let body = #"{"transporter":{"name":"武汉顺通渣土运输有限公司","uscc":"\#(transporter)"},"vehicles":["# + vehicles.joined(separator: ",") + "]}"
        let registered = try await client.request(.post, "/api/v1/waste-disposal/vehicles", token: try await client.login("admin"), json: body)
        #expect(registered.status == .created, "\(registered.text)")
    }

    /// The item's materials, uploaded by the firm.
    static func materials(_ client: TestApp.Client, firm: String) async throws -> String {
        var materials: [String] = []
        for material in ["business-licence", "waste-disposal-plan", "transport-contract", "disposal-site-agreement", "vehicle-documents",
                         "washing-facility-photos", "route-plan"] {
            materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
        }
        return "[" + materials.joined(separator: ",") + "]"
    }

    /// A disposal permit for two vehicles on the seed's route, taken to issuance; the firm's token,
    /// the application and its vehicles' certificates as the application lists them.
    static func issuedPermit(_ client: TestApp.Client, volume: String = "6000", validFrom: String = "2026-11-23",
                             validTo: String = "2027-02-22") async throws -> (firm: String, id: String, certificates: [JSONValue]) {
        try await registerFleet(client)
        let firm = try await client.login("chongren")
        let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
        let applied = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm,
                                               json: request(projectID: projectID, volume: volume, validFrom: validFrom, validTo: validTo,
                                                             materials: try await materials(client, firm: firm)))
        let id = try #require(applied.body?["id"]?.string, "\(applied.text)")
        _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
        for (reviewer, item) in [("reviewer-city-management", "CG-JZLJ"), ("reviewer-traffic-police", "JG-HYTX")] {
            _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login(reviewer),
                                         json: #"{"item":"\#(item)","decision":"approve"}"#)
        }
        let issued = try await client.request(.post, "/api/v1/waste-disposal/applications/\(id)/confirmation", token: try await client.login("inspector-cg-hc"))
        #expect(issued.body?["status"]?.string == "issued", "\(issued.text)")
        let details = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
        return (firm, id, details.body?["certificates"]?.array ?? [])
    }

    /// A 综合许可证 of 施工许可 and 建筑垃圾处置核准 for a new project — the site approval valid 90
    /// days, the certificate longer: the project's id and the certificate.
    static func comprehensiveWithSiteApproval(_ client: TestApp.Client, firm: String) async throws -> (projectID: String, certificate: JSONValue) {
        let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
        var materials: [String] = []
        for material in ["construction-contract", "funding-commitment", "business-licence", "waste-disposal-plan", "transport-contract",
                         "disposal-site-agreement", "vehicle-documents", "washing-facility-photos"] {
            materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
        }
        let bundle = try await client.request(.post, "/api/v1/applications", token: firm, json: """
            {"projectId":"\(projectID)","bundle":"comprehensive-permit","items":["ZJ-SGXK","CG-JZLJ"],
             "form":{"contactName":"张伟","contactPhone":"13871234567","contractorUscc":"\(TestApp.contractor)",
                     "contractPriceYuan":368000000,"totalAreaM2":86500.5,"structureType":"框架-剪力墙",
                     "startDate":"2026-12-01","endDate":"2027-06-30","wasteType":"工程渣土","volumeM3":50000,
                     "disposalSite":"汉川市马口镇建筑垃圾消纳场","transporterUscc":"\(Self.transporter)"},
             "materials":[\(materials.joined(separator: ","))]}
            """)
        let bundleID = try #require(bundle.body?["id"]?.string, "\(bundle.text)")
        _ = try await client.request(.post, "/api/v1/applications/\(bundleID)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
        for (reviewer, item) in [("reviewer-housing", "ZJ-SGXK"), ("reviewer-city-management", "CG-JZLJ")] {
            _ = try await client.request(.post, "/api/v1/applications/\(bundleID)/reviews", token: try await client.login(reviewer),
                                         json: #"{"item":"\#(item)","decision":"approve"}"#)
        }
        let issued = try await client.request(.post, "/api/v1/applications/\(bundleID)/issuance", token: try await client.login("issuer"))
        return (projectID, try #require(issued.body?["certificates"]?[0], "\(issued.text)"))
    }

    static func queue(_ client: TestApp.Client, _ inspector: String) async throws -> [JSONValue] {
        try await client.request(.get, "/api/v1/supervision/tasks?status=open", token: try await client.login(inspector)).body?.array ?? []
    }

    @Test("硚口 → 东西湖 → 汉川: one certificate per vehicle, tasks in all three regions, scans by each region's inspectors close a trip")
    func routeEndToEnd() async throws {
        let app = try await TestApp()
        try await app.run { client in
            try await Self.registerFleet(client)
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let applied = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm,
                                                   json: Self.request(projectID: projectID, materials: try await Self.materials(client, firm: firm)))
            #expect(applied.status == .created, "\(applied.text)")
            let id = try #require(applied.body?["id"]?.string)
            #expect(applied.body?["items"]?.array.compactMap(\.string) == ["CG-JZLJ", "JG-HYTX"])

            #expect(applied.body?["steps"]?["count"]?.number == 3)
            #expect(applied.body?["steps"]?["current"]?.number == 2)

            // Step 2: city management and traffic police approve their parts in parallel, and the disposal region confirms it will take the waste.
            _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
            let traffic = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-traffic-police"),
                                                   json: #"{"item":"JG-HYTX","decision":"approve"}"#)
            #expect(traffic.body?["status"]?.string == "under-review", "\(traffic.text)")
            let reviewed = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-city-management"),
                                                    json: #"{"item":"CG-JZLJ","decision":"approve"}"#)
            #expect(reviewed.body?["status"]?.string == "approved", "approved, and waiting for 汉川: \(reviewed.text)")
            let early = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            #expect(early.status == .conflict)
            #expect(early.body?["error"]?["code"]?.string == "conditions-unmet", "\(early.text)")
            let notTheirs = try await client.request(.post, "/api/v1/waste-disposal/applications/\(id)/confirmation",
                                                     token: try await client.login("inspector-cg-dxh"))
            #expect(notTheirs.status == .forbidden, "only the disposal region confirms: \(notTheirs.text)")
            #expect(try await client.request(.post, "/api/v1/waste-disposal/applications/\(id)/confirmation",
                                             token: try await client.login("hanxi")).status == .notFound, "another firm learns nothing")
            let hanchuan = try await client.login("inspector-cg-hc")
            let queue = try await client.request(.get, "/api/v1/waste-disposal/confirmations", token: hanchuan)
            #expect(queue.body?.array.compactMap { $0["applicationId"]?.string } == [id], "\(queue.text)")
            #expect(queue.body?[0]?["dueOn"]?.string == "2026-11-26", "three working days")
            let confirmed = try await client.request(.post, "/api/v1/waste-disposal/applications/\(id)/confirmation", token: hanchuan)
            #expect(confirmed.status == .ok, "\(confirmed.text)")

            // Step 3: sealed at once, with no issuer.
            #expect(confirmed.body?["status"]?.string == "issued")
            #expect(confirmed.body?["steps"]?["current"]?.number == 3)
            #expect(confirmed.body?["steps"]?["steps"]?[2]?["done"] == .bool(true))
            #expect(try await client.request(.get, "/api/v1/waste-disposal/confirmations", token: hanchuan).body?.array.isEmpty == true)
            let again = try await client.request(.post, "/api/v1/waste-disposal/applications/\(id)/confirmation", token: hanchuan)
            #expect(again.status == .conflict)

            // One certificate per vehicle, numbered in one series, each naming its plate.
            let details = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            let certificates = details.body?["certificates"]?.array ?? []
            #expect(certificates.compactMap { $0["plate"]?.string } == ["鄂A12345", "鄂AD12345"], "\(details.text)")
            let numbers = certificates.compactMap { $0["number"]?.string }
            #expect(numbers.count == 2)
            #expect(numbers.allSatisfy { $0.hasPrefix(String(numbers[0].dropLast(5))) && $0.split(separator: "-").count == 5 })
            #expect(certificates.allSatisfy { $0["validTo"]?.string == "2027-02-22" })
            let qr = try #require(certificates.first?["qr"]?.string)

            // Issuing opened the catalog's tasks in the origin's, the transit's and the disposal region's queues.
            #expect(try await Self.queue(client, "inspector-cg-qk").contains { $0["kind"]?.string == "origin-site-check" })
            #expect(try await Self.queue(client, "inspector-cg-dxh").contains { $0["kind"]?.string == "transit-patrol" })
            #expect(try await Self.queue(client, "inspector-jj-dxh").contains { $0["kind"]?.string == "transit-traffic-check" })
            #expect(try await Self.queue(client, "inspector-cg-hc").contains { $0["kind"]?.string == "disposal-site-check" })
            #expect(try await Self.queue(client, "inspector-cg-wc").isEmpty)

            // The QR carries the plate and the route, signed; /v/ shows them.
            let verified = try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/")[1], accept: "application/json")
            #expect(verified.body?["certificate"]?["subject"]?["id"]?.string == "鄂A12345", "\(verified.text)")
            #expect(verified.body?["certificate"]?["route"]?["transit"]?[0]?.string == "420112")

            // Each region's inspector scans at its checkpoint and sees the details; the trip opens and closes.
            for (inspector, checkpoint) in [("inspector-cg-qk", "origin"), ("inspector-jj-dxh", "transit"), ("inspector-cg-hc", "disposal")] {
                app.clock.advance(minutes: 40)
                let scan = try await client.request(.post, "/api/v1/scans", token: try await client.login(inspector),
                                                    json: #"{"qr":"\#(qr)","checkpoint":"\#(checkpoint)"}"#)
                #expect(scan.status == .created, "\(scan.text)")
                #expect(scan.body?["verification"]?["valid"] == .bool(true))
                #expect(scan.body?["verification"]?["site"] != nil, "\(inspector) of a region on the route sees the site")
                let number = try #require(numbers.first)
                #expect(try await client.request(.get, "/api/v1/certificates/\(number)", token: try await client.login(inspector)).status == .ok)
            }

            // An inspector of a fourth region sees the public validity only; the sighting off the
            // route starts a trip that nobody has closed.
            let outsider = try await client.login("inspector-cg-wc")
            app.clock.advance(minutes: 120)
            let elsewhere = try await client.request(.post, "/api/v1/scans", token: outsider, json: #"{"qr":"\#(qr)","checkpoint":"transit"}"#)
            #expect(elsewhere.status == .created, "\(elsewhere.text)")
            #expect(elsewhere.body?["verification"]?["valid"] == .bool(true))
            #expect(elsewhere.body?["verification"]?["site"] == nil)
            #expect(try await client.request(.get, "/api/v1/certificates/\(numbers[0])", token: outsider).status == .forbidden)
            #expect(try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)/trips", token: outsider).status == .forbidden)
            let finding = try await Self.queue(client, "inspector-cg-wc")
            #expect(finding.map { $0["kind"]?.string } == ["scan-finding"], "a vehicle off its route is a task where it was seen")

            // The office's view: the trips with their scans, and the volume carried against the approved and the received.
            let trips = try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)/trips", token: try await client.login("reviewer-city-management"))
            #expect(trips.status == .ok, "\(trips.text)")
            let list = trips.body?["trips"]?.array ?? []
            #expect(list.count == 2, "\(trips.text)")
            #expect(list.first?["plate"]?.string == "鄂A12345")
            #expect(list.first?["closedAt"]?.string != nil)
            #expect(list.first?["scans"]?.array.compactMap { $0["checkpoint"]?.string } == ["origin", "transit", "disposal"])
            #expect(list.last?["closedAt"] == nil)
            #expect(list.last?["scans"]?[0]?["region"]?.string == "420106")
            #expect(trips.body?["openTrips"]?.number == 1)
            #expect(trips.body?["volume"]?["approvedM3"]?.number == 6000)
            #expect(trips.body?["volume"]?["carriedM3"]?.number == 40)
            #expect(trips.body?["volume"]?["confirmedM3"]?.number == 20)
            #expect(trips.body?["scansByRegion"]?["420112"]?.number == 1)
            #expect(trips.body?["vehicles"]?.array.compactMap { $0["trips"]?.number } == [2, 0])
            #expect(trips.body?["byDay"]?.array.compactMap { $0["trips"]?.number } == [2], "both left on 2026-11-23")
            let supervision = trips.body?["supervision"]?.array ?? []
            #expect(Set(supervision.compactMap { $0["region"]?.string }) == ["420104", "420112", "420984", "420106"], "\(supervision)")
            #expect(supervision.contains { $0["kind"]?.string == "scan-finding" && $0["region"]?.string == "420106" })

            // The site register counts what 汉川's site received.
            let sites = try await client.request(.get, "/api/v1/waste-disposal/sites")
            let site = sites.body?.array.first { $0["site"]?["id"]?.string == "HC-XN-01" }
            #expect(site?["receivedM3"]?.number == 20, "\(sites.text)")
            #expect(site?["remainingM3"]?.number == 1_199_980)
            #expect(try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)/trips", token: firm).status == .ok)
            let perFirm = try await client.request(.get, "/api/v1/waste-disposal/firms/\(TestApp.firmA)", token: try await client.login("reviewer-city-management"))
            #expect(perFirm.body?[0]?["vehicles"]?.number == 2, "\(perFirm.text)")
            #expect(perFirm.body?[0]?["openTrips"]?.number == 1)
            #expect(perFirm.body?[0]?["volume"]?["carriedM3"]?.number == 40)
            #expect(try await client.request(.get, "/api/v1/waste-disposal/firms/\(TestApp.firmA)", token: try await client.login("hanxi")).status == .notFound)
            #expect(try await client.request(.get, "/api/v1/waste-disposal/applications/\(id)/trips", token: try await client.login("hanxi")).status == .notFound)
        }
    }

    @Test("the route's tasks end when the last vehicle's certificate does, not before")
    func seriesTasksEndWithTheLastVehicle() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client)
            let issuer = try await client.login("issuer")
            let numbers = permit.certificates.compactMap { $0["number"]?.string }
            #expect(numbers.count == 2)
            for (index, number) in numbers.enumerated() {
                let revoked = try await client.request(.post, "/api/v1/certificates/\(number)/revocation", token: issuer, json: #"{"reason":"运输合同解除"}"#)
                #expect(revoked.status == .ok, "\(revoked.text)")
                let transit = try await Self.queue(client, "inspector-cg-dxh").filter { $0["kind"]?.string == "transit-patrol" }
                #expect(transit.count == (index == 0 ? 1 : 0), "after \(index + 1) of 2 revoked")
            }
        }
    }

    @Test("vehicles of a permit asked from a later day read 'not yet valid' until that day")
    func permitStartsOnTheDayAsked() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client, validFrom: "2026-11-25", validTo: "2027-02-24")
            let certificate = try #require(permit.certificates.first)
            #expect(certificate["validFrom"]?.string == "2026-11-25")
            let jws = try #require(certificate["qr"]?.string?.components(separatedBy: "/v/").last)
            #expect(try await client.request(.get, "/v/\(jws)", accept: "application/json").body?["status"]?.string == "not-yet-valid")
            app.clock.advance(days: 2)
            #expect(try await client.request(.get, "/v/\(jws)", accept: "application/json").body?["status"]?.string == "valid")
        }
    }

    @Test("a disposal application that breaks a rule is refused with the field named, and nothing is stored")
    func badInputIsRefusedWhole() async throws {
        let app = try await TestApp()
        try await app.run { client in
            try await Self.registerFleet(client)
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let cases: [(String, String)] = [
                (Self.request(projectID: projectID, route: #"{"origin":"420104","transit":["999999"],"disposal":"420984"}"#), "route.transit[0]"),
                (Self.request(projectID: projectID, route: #"{"origin":"420104","transit":[],"disposal":"420112"}"#), "disposalSite"),
                (Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂A1234","capacityM3":20}]"#), "vehicles[0].plate"),
                (Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂AI2345","capacityM3":20}]"#), "vehicles[0].plate"),
                (Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂A123456","capacityM3":20}]"#), "vehicles[0].plate"),
                (Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂A12345","capacityM3":20},{"plate":"鄂a12345","capacityM3":18}]"#), "vehicles[1].plate"),
                (Self.request(projectID: projectID, vehicles: "[]"), "vehicles"),
                (Self.request(projectID: projectID, volume: "0"), "volumeM3"),
                (Self.request(projectID: projectID, volume: "-5"), "volumeM3"),
                (Self.request(projectID: projectID, validTo: "2027-02-23"), "validTo"),
                (Self.request(projectID: projectID, validTo: "2026-11-22"), "validTo"),
                (Self.request(projectID: projectID, validFrom: "2026-11-22"), "validFrom"),
                (Self.request(projectID: projectID, wasteType: "生活垃圾"), "wasteType"),
                (Self.request(projectID: projectID, site: "HC-XN-02"), "disposalSite"),
                (Self.request(projectID: projectID, route: #"{"origin":"420106","transit":[],"disposal":"420984"}"#), "route.origin"),
                (Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂A13579","capacityM3":20}]"#), "vehicles[0].plate"),
                (Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂A12345","capacityM3":30}]"#), "vehicles[0].capacityM3"),
            ]
            for (body, field) in cases {
                let refused = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm, json: body)
                #expect(refused.status == .unprocessableContent, "\(field): \(refused.text)")
                #expect(refused.body?["error"]?["field"]?.string == field, "\(refused.text)")
            }
            let stored = try await app.services.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM applications") ?? -1 }
            #expect(stored == 0)

            // A new-energy plate of eight characters is a plate.
            let accepted = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm,
                                                     json: Self.request(projectID: projectID, vehicles: #"[{"plate":"鄂A12345F","capacityM3":20}]"#,
                                                                        materials: try await Self.materials(client, firm: firm)))
            #expect(accepted.status == .created, "\(accepted.text)")
        }
    }

    @Test("a replaced vehicle's old QR reads revoked; scanning it opens one task in the scanning region, however often it is scanned")
    func replacedVehicleIsRevokedAndItsScansRaiseOneTask() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client)
            let oldQR = try #require(permit.certificates.first?["qr"]?.string)
            let oldNumber = try #require(permit.certificates.first?["number"]?.string)

            let replaced = try await client.request(.post, "/api/v1/waste-disposal/applications/\(permit.id)/vehicles", token: permit.firm,
                                                    json: #"{"plate":"鄂A67890","capacityM3":20,"replaces":"鄂A12345","reason":"原车辆送修"}"#)
            #expect(replaced.status == .created, "\(replaced.text)")
            #expect(replaced.body?["revoked"]?.string == oldNumber)
            let newNumber = try #require(replaced.body?["number"]?.string)
            #expect(newNumber == String(oldNumber.dropLast(4)) + "0003", "the next place in the permit's series")

            let old = try await client.request(.get, "/v/" + oldQR.components(separatedBy: "/v/")[1], accept: "application/json")
            #expect(old.body?["status"]?.string == "revoked", "\(old.text)")
            #expect(old.body?["certificate"]?["statusReason"]?.string?.contains(newNumber) == true)
            let newQR = try #require(replaced.body?["qr"]?.string)
            let current = try await client.request(.get, "/v/" + newQR.components(separatedBy: "/v/")[1], accept: "application/json")
            #expect(current.body?["status"]?.string == "valid")
            #expect(current.body?["certificate"]?["subject"]?["id"]?.string == "鄂A67890")

            // The same plate cannot hold two valid certificates of the permit; a plate must be a plate.
            let twice = try await client.request(.post, "/api/v1/waste-disposal/applications/\(permit.id)/vehicles", token: permit.firm,
                                                 json: #"{"plate":"鄂A67890","capacityM3":20}"#)
            #expect(twice.status == .unprocessableContent)
            #expect(twice.body?["error"]?["field"]?.string == "plate")
            let other = try await client.request(.post, "/api/v1/waste-disposal/applications/\(permit.id)/vehicles", token: try await client.login("hanxi"),
                                                 json: #"{"plate":"鄂A24680","capacityM3":20}"#)
            #expect(other.status == .notFound)

            // The old truck turns up at the origin gate twice: one task in that region's queue, with both scans as evidence.
            let inspector = try await client.login("inspector-cg-qk")
            for _ in 0..<2 {
                let scan = try await client.request(.post, "/api/v1/scans", token: inspector, json: #"{"qr":"\#(oldQR)","checkpoint":"origin"}"#)
                #expect(scan.body?["verification"]?["status"]?.string == "revoked", "\(scan.text)")
            }
            let findings = try await Self.queue(client, "inspector-cg-qk").filter { $0["kind"]?.string == "scan-finding" }
            #expect(findings.count == 1)
            #expect(findings.first?["evidence"]?.array.count == 2, "\(findings)")
            #expect(findings.first?["certificateNumber"]?.string == oldNumber)
        }
    }

    @Test("a permit's figures count every trip, by the bureau's day, each vehicle and each region, while its trips come a page at a time")
    func tripFiguresCountEveryTrip() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client)
            let qr = { (plate: String) throws -> String in
                try #require(permit.certificates.first { $0["plate"]?.string == plate }?["qr"]?.string)
            }
            let scan = { (plate: String, inspector: String, checkpoint: String) async throws in
                let answer = try await client.request(.post, "/api/v1/scans", token: try await client.login(inspector),
                                                      json: #"{"qr":"\#(try qr(plate))","checkpoint":"\#(checkpoint)"}"#)
                #expect(answer.status == .created, "\(answer.text)")
            }
            app.clock.advance(minutes: 13 * 60 + 50)
            try await scan("鄂A12345", "inspector-cg-qk", "origin")  // 23:50 on the 23rd, bureau time
            app.clock.advance(minutes: 20)
            try await scan("鄂AD12345", "inspector-cg-qk", "origin")  // 00:10 on the 24th
            try await scan("鄂A12345", "inspector-jj-dxh", "transit")
            try await scan("鄂A12345", "inspector-cg-hc", "disposal")

            let firmToken = try await client.login("chongren")
            let view = try await client.request(.get, "/api/v1/waste-disposal/applications/\(permit.id)/trips?limit=1", token: firmToken)
            #expect(view.status == .ok, "\(view.text)")
            #expect(view.body?["trips"]?.array.count == 1, "one page of one trip")
            #expect(view.headers[.init("X-Next-Cursor")!] != nil)
            #expect(view.body?["openTrips"]?.number == 1)
            #expect(view.body?["byDay"]?.array.map { [$0["date"]?.string ?? "", "\($0["trips"]?.number ?? 0)", "\($0["carriedM3"]?.number ?? 0)"] }
                    == [["2026-11-23", "1.0", "20.0"], ["2026-11-24", "1.0", "18.0"]], "\(view.text)")
            #expect(view.body?["scansByRegion"]?["420104"]?.number == 2)
            #expect(view.body?["scansByRegion"]?["420112"]?.number == 1)
            #expect(view.body?["scansByRegion"]?["420984"]?.number == 1)
            #expect(view.body?["vehicles"]?.array.map { $0["trips"]?.number } == [1, 1])
            #expect(view.body?["volume"]?["carriedM3"]?.number == 38)
            #expect(view.body?["volume"]?["confirmedM3"]?.number == 20)
            let firm = try await client.request(.get, "/api/v1/waste-disposal/firms/\(TestApp.firmA)", token: firmToken)
            #expect(firm.body?[0]?["trips"]?.number == 2 && firm.body?[0]?["openTrips"]?.number == 1, "\(firm.text)")
        }
    }

    @Test("a database whose trips were recorded before the figures were kept counts them when it is migrated")
    func tripFiguresBackfilled() throws {
        let database = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        WasteDisposalMigrations.register(in: &migrator)
        // The one table of another module an earlier waste migration reads (the approved volume, from the application).
        try database.write { db in try db.execute(sql: "CREATE TABLE applications (id TEXT PRIMARY KEY, document TEXT NOT NULL)") }
        try migrator.migrate(database, upTo: "waste-disposal-7-confirmations-in-order")
        // 23:50 and 00:10 bureau time (+08:00): two days, two quarter hours.
        let (late, early) = (Date(timeIntervalSince1970: 1_795_449_000), Date(timeIntervalSince1970: 1_795_450_200))
        try database.write { db in
            for (id, certificate, opened, closed, capacity, regions) in [
                ("t1", "C-0001", late, Optional(early), 20.0, ["420104", "420112", "420984"]), ("t2", "C-0002", early, nil, 18.0, ["420104"]),
            ] {
                let scans = regions.map { #"{"scanID":"s","at":0,"checkpoint":"origin","region":"\#($0)","department":"d","inspector":"i","valid":true}"# }
                try db.execute(sql: """
                    INSERT INTO waste_trips (id, application_id, certificate_number, plate, opened_at, closed_at, capacity_m3, document)
                    VALUES (?, 'A', ?, 'P', ?, ?, ?, ?)
                    """, arguments: [id, certificate, opened, closed, capacity, #"{"scans":[\#(scans.joined(separator: ","))]}"#])
            }
            try db.execute(sql: "INSERT INTO waste_volumes (application_id, carried_m3, confirmed_m3) VALUES ('A', 38, 20)")
        }
        try migrator.migrate(database)
        try database.read { db in
            let totals = try #require(try Row.fetchOne(db, sql: "SELECT trips, open_trips FROM waste_volumes WHERE application_id = 'A'"))
            #expect(totals["trips"] as Int == 2 && totals["open_trips"] as Int == 1)
            #expect(try Row.fetchAll(db, sql: "SELECT quarter, trips, carried_m3 FROM waste_trip_quarters ORDER BY quarter").map {
                [$0["quarter"] as Int, $0["trips"] as Int, Int($0["carried_m3"] as Double)]
            } == [[1_795_449_000 / 900, 1, 20], [1_795_450_200 / 900, 1, 18]])
            #expect(try Row.fetchAll(db, sql: "SELECT region, scans FROM waste_scan_regions ORDER BY region").map { "\($0["region"] as String)=\($0["scans"] as Int)" }
                    == ["420104=2", "420112=1", "420984=1"])
            #expect(try Int.fetchAll(db, sql: "SELECT trips FROM waste_certificate_trips ORDER BY certificate_number") == [1, 1])
        }
    }

    @Test("loads past the approved volume open a task at the origin; trips that never arrive open one at the origin and one at disposal")
    func reconciliationRaisesTasks() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client, volume: "30")
            let inspector = try await client.login("inspector-cg-qk")
            for certificate in permit.certificates {
                let qr = try #require(certificate["qr"]?.string)
                let scan = try await client.request(.post, "/api/v1/scans", token: inspector, json: #"{"qr":"\#(qr)","checkpoint":"origin"}"#)
                #expect(scan.status == .created, "\(scan.text)")
            }
            let origin = try await Self.queue(client, "inspector-cg-qk")
            #expect(origin.filter { $0["kind"]?.string == "over-volume" }.count == 1, "38 m³ carried against 30 approved")
            #expect(origin.first { $0["kind"]?.string == "over-volume" }?["raisedBy"]?.string?.contains("超过核准处置量 30") == true)

            let waste = try #require(app.services.capabilities.lazy.compactMap { $0 as? WasteDisposalCapability }.first)
            let sweep = waste.unclosedTrips(app.services.engines)
            app.clock.advance(minutes: 7 * 60)
            #expect(try await sweep.sweep() == 0, "not yet overdue")
            app.clock.advance(minutes: 2 * 60)
            #expect(try await sweep.sweep() == 2)
            #expect(try await sweep.sweep() == 0, "each trip is flagged once")
            #expect(try await Self.queue(client, "inspector-cg-qk").filter { $0["kind"]?.string == "unclosed-trip" }.count == 2)
            let disposal = try await Self.queue(client, "inspector-cg-hc").filter { $0["kind"]?.string == "unclosed-trip" }
            #expect(disposal.count == 2)
            #expect(disposal.first?["evidence"]?.array.first?.string?.contains("扫码") == true)
            #expect(try await Self.queue(client, "inspector-cg-dxh").filter { $0["kind"]?.string == "unclosed-trip" }.isEmpty)
        }
    }

    @Test("a site whose 综合许可证 includes 建筑垃圾处置核准 is not reviewed again: only the route and vehicles are asked, and the certificates name it")
    func comprehensivePermitSiteApprovalIsReused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            try await Self.registerFleet(client)
            let firm = try await client.login("chongren")
            let (projectID, comprehensive) = try await Self.comprehensiveWithSiteApproval(client, firm: firm)
            let sitePermit = try #require(comprehensive["permits"]?.array.first { $0["item"]?.string == "CG-JZLJ" }?["number"]?.string,
                                          "\(comprehensive)")

            // The route, the site, the transporter, the vehicles and the traffic item's route plan: no other material, no contact, no site review.
            let routePlan = #"[{"material":"route-plan","file":"\#(try await client.upload("route-plan", token: firm))"}]"#
            let body = Self.request(projectID: projectID, materials: routePlan)
                .replacingOccurrences(of: #","contact":{"name":"张伟","phone":"13871234567"}"#, with: "")
            let applied = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm, json: body)
            #expect(applied.status == .created, "\(applied.text)")
            #expect(applied.body?["status"]?.string == "under-review", "the disposal item decided by the rules, the traffic item with its reviewer")
            let decided = try await client.request(.get, "/api/v1/applications/\(try #require(applied.body?["id"]?.string))", token: firm)
            #expect(decided.body?["items"]?.array.map { [$0["code"]?.string, $0["status"]?.string] } == [["CG-JZLJ", "approved"], ["JG-HYTX", "pending"]],
                    "\(decided.text)")
            _ = try await client.request(.post, "/api/v1/applications/\(try #require(applied.body?["id"]?.string))/reviews",
                                         token: try await client.login("reviewer-traffic-police"), json: #"{"item":"JG-HYTX","decision":"approve"}"#)
            #expect(applied.body?["plan"]?["siteApproval"]?.string == sitePermit)
            let id = try #require(applied.body?["id"]?.string)
            let details = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(details.body?["rules"]?["reasons"]?[0]?["rule"]?.string == "site-approved", "\(details.text)")

            let sealed = try await client.request(.post, "/api/v1/waste-disposal/applications/\(id)/confirmation", token: try await client.login("inspector-cg-hc"))
            #expect(sealed.body?["status"]?.string == "issued", "\(sealed.text)")
            let certificates = try await client.request(.get, "/api/v1/applications/\(id)", token: firm).body?["certificates"]?.array ?? []
            #expect(certificates.count == 2)
            let qr = try #require(certificates.first?["qr"]?.string)
            let verified = try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/")[1], accept: "application/json")
            let signed = verified.body?["certificate"]?["permits"]?[0]?["details"]?.array ?? []
            #expect(signed.contains { $0["key"]?.string == "k" && $0["value"]?.string == sitePermit }, "\(verified.text)")
        }
    }

    @Test("a vehicle's card shows its plate and a QR that still reads at half the image's size, with claims kept short")
    func vehicleCardReadsFromADistance() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client)
            let qr = try #require(permit.certificates.first?["qr"]?.string)
            let number = try #require(permit.certificates.first?["number"]?.string)
            let png = try await client.raw("/api/v1/certificates/\(number)/image", token: permit.firm)
            #expect(try decodeQR(png) == qr)
            #expect(try decodeQR(try halfSize(png)) == qr, "read from a distance")
            // No names in a vehicle's claims: the QR's text stays short enough for a sparse code.
            #expect(qr.utf8.count < 560, "\(qr.utf8.count) bytes")
        }
    }

    @Test("administrators keep the transport register: only a registered, current vehicle of the named transporter may be applied for")
    func vehicleRegisterGatesApplications() async throws {
        let app = try await TestApp()
        try await app.run { client in
            try await Self.registerFleet(client)
            let admin = try await client.login("admin")
            let firm = try await client.login("chongren")
            let other = TestApp.uscc("91420112MA4KT0002")
            let steal = #"{"transporter":{"name":"武汉另一运输有限公司","uscc":"\#(other)"},"vehicles":[{"plate":"鄂A12345","type":"重型自卸货车","capacityM3":20,"gpsDevice":"BD-9"}]}"#
            #expect(try await client.request(.post, "/api/v1/waste-disposal/vehicles", token: firm, json: steal).status == .forbidden)
            let taken = try await client.request(.post, "/api/v1/waste-disposal/vehicles", token: admin, json: steal)
            #expect(taken.status == .unprocessableContent, "a plate belongs to one transporter at a time: \(taken.text)")
            let badDevice = steal.replacingOccurrences(of: "BD-9", with: "北斗").replacingOccurrences(of: "鄂A12345", with: "鄂A11111")
            let refused = try await client.request(.post, "/api/v1/waste-disposal/vehicles", token: admin, json: badDevice)
            #expect(refused.body?["error"]?["field"]?.string == "vehicles[0].gpsDevice", "\(refused.text)")
            let fleet = try await client.request(.get, "/api/v1/waste-disposal/vehicles?transporter=\(Self.transporter)", token: firm)
            #expect(fleet.body?.array.count == 4, "\(fleet.text)")

            #expect(try await client.request(.delete, "/api/v1/waste-disposal/vehicles/鄂AD12345".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!,
                                             token: admin).status == .noContent)
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let applied = try await client.request(.post, "/api/v1/waste-disposal/applications", token: firm, json: Self.request(projectID: projectID))
            #expect(applied.status == .unprocessableContent)
            #expect(applied.body?["error"]?["field"]?.string == "vehicles[1].plate", "deregistered: \(applied.text)")
        }
    }

    @Test("a vehicle struck off the transport register loses its certificates at once; the permit's other vehicles keep theirs")
    func deregisteredVehicleIsRevoked() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await Self.issuedPermit(client)
            var statusByPlate: [String: String] = [:]
            let readAll = {
                for certificate in permit.certificates {
                    let qr = try #require(certificate["qr"]?.string)
                    let read = try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/")[1], accept: "application/json")
                    let plate = try #require(read.body?["certificate"]?["subject"]?["id"]?.string, "\(read.text)")
                    statusByPlate[plate] = read.body?["status"]?.string
                }
            }
            try await readAll()
            #expect(statusByPlate["鄂AD12345"] == "valid")

            let admin = try await client.login("admin")
            #expect(try await client.request(.delete, "/api/v1/waste-disposal/vehicles/鄂AD12345".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!,
                                             token: admin).status == .noContent)
            try await readAll()
            #expect(statusByPlate["鄂AD12345"] == "revoked", "\(statusByPlate)")
            #expect(statusByPlate.filter { $0.key != "鄂AD12345" }.values.allSatisfy { $0 == "valid" }, "\(statusByPlate)")
        }
    }
}

/// The PNG scaled to half its width and height, as a phone sees it from twice as far.
func halfSize(_ png: Data) throws -> Data {
    try png.withUnsafeBytes { buffer -> Data in
        guard let image = gdImageCreateFromPngPtr(Int32(buffer.count), UnsafeMutableRawPointer(mutating: buffer.baseAddress)) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        defer { gdImageDestroy(image) }
        gdImageSetInterpolationMethod(image, GD_BILINEAR_FIXED)
        guard let small = gdImageScale(image, UInt32(image.pointee.sx / 2), UInt32(image.pointee.sy / 2)) else { throw CocoaError(.fileWriteUnknown) }
        defer { gdImageDestroy(small) }
        var size: Int32 = 0
        guard let bytes = gdImagePngPtr(small, &size) else { throw CocoaError(.fileWriteUnknown) }
        defer { gdFree(bytes) }
        return Data(bytes: bytes, count: Int(size))
    }
}
