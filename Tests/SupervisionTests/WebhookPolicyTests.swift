import Foundation
import Kernel
@testable import Supervision
import Testing

@Suite("Webhook deliveries are signed so receivers can trust them, and retried with growing pauses")
struct WebhookPolicyTests {
    static let dispatcher = WebhookDispatcher(database: try! AppDatabase(path: FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).sqlite").path, migrations: []), transport: Unreachable(),
                                              dependencies: Dependencies(now: { Date(timeIntervalSince1970: 1_795_399_200) }, makeID: { "id" },
                                                                         randomBytes: { Array(repeating: 0, count: $0) }))

    struct Unreachable: WebhookTransport {
        func post(_ body: Data, to url: String, headers: [(String, String)], timeout: Duration) async -> TransportResult { .failed("unreachable") }
    }

    @Test("a signature checks only with the right secret, the unchanged body and a recent timestamp")
    func signatures() {
        let body = Data(#"{"event":"InspectionRecorded"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_795_399_200)
        let header = WebhookSignature.sign(body: body, secret: "s3cret", timestamp: Int(now.timeIntervalSince1970))
        #expect(WebhookSignature.isValid(header, body: body, secret: "s3cret", now: now))
        #expect(!WebhookSignature.isValid(header, body: body, secret: "other", now: now))
        #expect(!WebhookSignature.isValid(header, body: Data(#"{"event":"Forged"}"#.utf8), secret: "s3cret", now: now))
        #expect(!WebhookSignature.isValid(header, body: body, secret: "s3cret", now: now.addingTimeInterval(3600)))
        #expect(!WebhookSignature.isValid("t=abc,v1=00", body: body, secret: "s3cret", now: now))
    }

    @Test("pauses double from one second up to ten minutes")
    func backoff() {
        #expect([1, 2, 3, 4, 10, 11, 40].map { Self.dispatcher.delay(afterAttempt: $0) } == [1, 2, 4, 8, 512, 600, 600])
    }

    @Test("2xx delivers; 5xx, 408, 429 and network failures retry; other 4xx give up after five refusals")
    func outcomes() {
        func kind(_ result: TransportResult, attempts: Int) -> String {
            switch Self.dispatcher.outcome(of: result, attempts: attempts) {
            case .delivered: "delivered"
            case .retry: "retry"
            case .rejected: "rejected"
            }
        }
        #expect(kind(.status(204), attempts: 1) == "delivered")
        #expect(kind(.status(500), attempts: 9) == "retry")
        #expect(kind(.status(429), attempts: 9) == "retry")
        #expect(kind(.status(408), attempts: 9) == "retry")
        #expect(kind(.failed("connection refused"), attempts: 9) == "retry")
        #expect(kind(.status(400), attempts: 4) == "retry")
        #expect(kind(.status(400), attempts: 5) == "rejected")
    }
}
