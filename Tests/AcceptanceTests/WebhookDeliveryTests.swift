import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import Supervision
import Synchronization
import Testing
import WebApp

/// A stand-in for the city's 互联网+监管 platform: a real HTTP server on a loopback port that keeps
/// what it receives and can be taken down (answering 500).
final class Receiver: Sendable {
    struct Delivery: Sendable {
        let body: Data
        let signature: String?
        let idempotencyKey: String?
        let event: String?
    }

    private let state = Mutex<(down: Bool, received: [Delivery], refused: Int)>((false, [], 0))

    var received: [Delivery] { state.withLock { $0.received } }
    var refused: Int { state.withLock { $0.refused } }

    func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    var application: some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = Data((try await request.collectBody(upTo: 1_048_576)).readableBytesView)
            return self.state.withLock { state in
                if state.down {
                    state.refused += 1
                    return .internalServerError
                }
                state.received.append(Delivery(body: body, signature: request.headers[.init(WebhookSignature.header)!],
                                               idempotencyKey: request.headers[.init("Idempotency-Key")!],
                                               event: request.headers[.init("X-Shenguan-Event")!]))
                return .noContent
            }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

/// Waits, up to `seconds`, for something a background service does.
func eventually(within seconds: Double = 15, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within \(seconds) s")
}

@Suite("Supervision events reach external systems as signed webhooks, in order, even after the receiver was down")
struct WebhookDeliveryTests {
    @Test("the loop end to end: a permit issued and inspected twice (rectify, violation) while the city platform is down reaches it afterwards, in order, signed, each once")
    func deliveryAfterOutage() async throws {
        let app = try await TestApp()
        let receiver = Receiver()
        try await receiver.application.test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await app.run { client in
                let admin = try await client.login("admin")
                let created = try await client.request(.post, "/api/v1/webhooks", token: admin,
                                                       json: #"{"name":"武汉市互联网+监管平台","url":"http://127.0.0.1:\#(port)/hook"}"#)
                #expect(created.status == .created, "\(created.text)")
                let secret = try #require(created.body?["secret"]?.string)

                receiver.setDown(true)
                let issued = try await client.issuedApplication()
                let landscaping = try await client.login("inspector-yl-qk")
                let greenspace = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: landscaping)["id"]?.string)
                _ = try await client.request(.post, "/api/v1/supervision/tasks/\(greenspace)/inspections", token: landscaping,
                                             json: #"{"result":"rectify","findings":"树木未设围护","rectifyBy":"2026-11-30"}"#)
                let quality = try await client.login("inspector-zaz-qk")
                let first = try #require(try await SupervisionLoopTests.task("first-inspection", in: client, token: quality)["id"]?.string)
                _ = try await client.request(.post, "/api/v1/supervision/tasks/\(first)/inspections", token: quality,
                                             json: #"{"result":"violation","findings":"未按规定设置安全防护"}"#)
                // The service's own dispatcher keeps retrying the first event while the receiver is down.
                try await eventually { receiver.refused >= 3 }
                #expect(receiver.received.isEmpty)
                let id = try #require(created.body?["subscription"]?["id"]?.string)
                let waiting = try await client.request(.get, "/api/v1/webhooks/\(id)/deliveries?status=pending&limit=200", token: admin)
                let oldest = try #require(waiting.body?.array.last, "\(waiting.text)")
                #expect(oldest["event"]?.string == "PermitIssued" && oldest["attempts"]?.number ?? 0 >= 1 && oldest["lastError"]?.string != nil,
                        "the held-back first event shows its attempts and the receiver's error: \(oldest)")
                #expect(try await client.request(.get, "/api/v1/webhooks", token: admin).body?[0]?["lastError"]?.string != nil)
                receiver.setDown(false)
                try await eventually {
                    let status = try await client.request(.get, "/api/v1/webhooks", token: admin)
                    return status.body?[0]?["pending"]?.number == 0 && status.body?[0]?["delivered"]?.number ?? 0 > 0
                }

                let events = receiver.received.compactMap(\.event)
                #expect(events.first == "PermitIssued")
                #expect(events.contains("CertificateIssued"))
                #expect(events.filter { $0 == "SupervisionTaskOpened" }.count == 5)
                #expect(events.filter { $0 == "InspectionRecorded" }.count == 2)
                #expect(events.last == "CertificateStatusChanged")
                let ids = receiver.received.map { delivery in
                    (try? JSONDecoder().decode(JSONValue.self, from: delivery.body))?["id"]?.number ?? -1
                }
                #expect(ids == ids.sorted() && Set(ids).count == ids.count)
                #expect(Set(receiver.received.compactMap(\.idempotencyKey)).count == receiver.received.count)
                for delivery in receiver.received {
                    #expect(WebhookSignature.isValid(delivery.signature ?? "", body: delivery.body, secret: secret, now: app.clock.now))
                    #expect(!WebhookSignature.isValid(delivery.signature ?? "", body: delivery.body, secret: "another-secret", now: app.clock.now))
                }
                let inspection = try #require(receiver.received.last { $0.event == "InspectionRecorded" })
                let payload = try JSONDecoder().decode(JSONValue.self, from: inspection.body)
                #expect(payload["data"]?["applicationID"]?.string == issued.applicationID)
                #expect(payload["data"]?["result"]?.string == "violation")

                let status = try await client.request(.get, "/api/v1/webhooks", token: admin)
                #expect(status.body?[0]?["pending"]?.number == 0)
                #expect(status.body?[0]?["delivered"]?.number == Double(receiver.received.count))
                #expect(status.body?[0]?["lastError"] == nil, "a success clears the last error: \(status.text)")
                let pages = try await ApplicationListTests.allPages("/api/v1/webhooks/\(id)/deliveries?status=delivered&limit=4", token: admin,
                                                                     key: "event", in: client)
                #expect(Array(pages.joined()) == receiver.received.compactMap(\.event).reversed(), "newest first, each once")
                let failed = try await client.request(.get, "/api/v1/webhooks/\(id)/deliveries?status=failed", token: admin)
                #expect(failed.body?.array.isEmpty == true)
                #expect(try await client.request(.get, "/api/v1/webhooks/\(id)/deliveries?status=lost", token: admin).body?["error"]?["field"]?.string == "status")
                #expect(try await client.request(.get, "/api/v1/webhooks/\(id)/deliveries", token: issued.issuer).status == .forbidden)
                #expect(try await client.request(.get, "/api/v1/webhooks/none/deliveries", token: admin).status == .notFound)
                let dispatcher = WebhookDispatcher(database: app.services.database, transport: HTTPWebhookTransport(),
                                                   dependencies: app.services.dependencies)
                #expect(try await dispatcher.deliverDue() == WebhookDispatcher.Round())

                let application = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                #expect(application.body?["timeline"]?.array.filter { $0["kind"]?.string == "supervision.inspected" }.count == 2)
                #expect(application.body?["certificates"]?[0]?["status"]?.string == "suspended")
                let credit = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)/credit", token: issued.firm)
                #expect(Set(credit.body?["records"]?.array.compactMap { $0["kind"]?.string } ?? []) == ["rectification-ordered", "violation"])
            }
        }
    }

    @Test("only an admin connects receivers; a bad address or event is named; a removed receiver gets nothing more")
    func managingReceivers() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let admin = try await client.login("admin")
            #expect(try await client.request(.post, "/api/v1/webhooks", token: try await client.login("issuer"),
                                             json: #"{"name":"x","url":"http://127.0.0.1:9/hook"}"#).status == .forbidden)
            let badURL = try await client.request(.post, "/api/v1/webhooks", token: admin, json: #"{"name":"x","url":"ftp://example.cn/hook"}"#)
            #expect(badURL.body?["error"]?["field"]?.string == "url")
            let badEvent = try await client.request(.post, "/api/v1/webhooks", token: admin,
                                                    json: #"{"name":"x","url":"http://127.0.0.1:9/hook","events":["PermitIssued","Gossip"]}"#)
            #expect(badEvent.body?["error"]?["field"]?.string == "events[1]")
            let created = try await client.request(.post, "/api/v1/webhooks", token: admin,
                                                   json: #"{"name":"区监管平台","url":"http://127.0.0.1:9/hook","events":["InspectionRecorded"]}"#)
            let id = try #require(created.body?["subscription"]?["id"]?.string)
            #expect(try await client.request(.delete, "/api/v1/webhooks/\(id)", token: admin).status == .noContent)
            #expect(try await client.request(.delete, "/api/v1/webhooks/\(id)", token: admin).status == .notFound)
            _ = try await client.issuedApplication()
            let listed = try await client.request(.get, "/api/v1/webhooks", token: admin)
            #expect(listed.body?[0]?["subscription"]?["active"] == .bool(false))
            #expect(listed.body?[0]?["pending"]?.number == 0)
        }
    }

    @Test("an external platform's inspector account reports an inspection by certificate; it is recorded like a local one, once")
    func inboundInspection() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let number = try #require(issued.certificate["number"]?.string)
            let platform = try await client.login("inspector-yl-qk")
            let body = #"{"kind":"greenspace-check","result":"pass","findings":"市平台巡查：现场与许可一致"}"#
            for _ in 0..<2 {
                let reported = try await client.request(.post, "/api/v1/supervision/certificates/\(number)/inspections", token: platform, json: body,
                                                        headers: ["Idempotency-Key": "city-platform-88121"])
                #expect(reported.status == .created, "\(reported.text)")
                #expect(reported.body?["task"]?["kind"]?.string == "greenspace-check")
            }
            let timeline = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            #expect(timeline.body?["timeline"]?.array.filter { $0["kind"]?.string == "supervision.inspected" }.count == 1)
            let unknown = try await client.request(.post, "/api/v1/supervision/certificates/420104-2026-ZH-999999/inspections", token: platform, json: body)
            #expect(unknown.status == .notFound)
            let wrongQueue = try await client.request(.post, "/api/v1/supervision/certificates/\(number)/inspections",
                                                      token: try await client.login("inspector-cg-qk"), json: #"{"result":"pass"}"#)
            #expect(wrongQueue.status == .notFound)
        }
    }
}
