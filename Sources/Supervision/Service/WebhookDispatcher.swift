import Foundation
import Kernel
import Logging
import ServiceLifecycle

/// Delivers the webhook outbox in the background: per subscription in event order, each event
/// signed and carrying an idempotency key, retried with exponential backoff while the receiver is
/// down or failing. Runs beside the HTTP server and never holds up the request that caused an
/// event.
public struct WebhookDispatcher: Service {
    public struct Policy: Sendable {
        /// Delay after the first failure, doubled after each further one up to `maxDelay`.
        public var firstDelay: Duration
        public var maxDelay: Duration
        public var timeout: Duration
        /// A receiver that refuses (4xx other than 408/429) this many times gets the event marked failed.
        public var rejectionsBeforeGivingUp: Int
        /// Idle wait between rounds when nothing was due.
        public var pollInterval: Duration
        public var batchPerSubscription: Int

        public init(firstDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(600), timeout: Duration = .seconds(10),
                    rejectionsBeforeGivingUp: Int = 5, pollInterval: Duration = .milliseconds(500), batchPerSubscription: Int = 500) {
            self.firstDelay = firstDelay
            self.maxDelay = maxDelay
            self.timeout = timeout
            self.rejectionsBeforeGivingUp = rejectionsBeforeGivingUp
            self.pollInterval = pollInterval
            self.batchPerSubscription = batchPerSubscription
        }
    }

    public struct Round: Sendable, Equatable {
        public var delivered = 0
        public var failedAttempts = 0
        public var rejected = 0

        public init() {}
    }

    let database: AppDatabase
    let transport: any WebhookTransport
    let dependencies: Dependencies
    let policy: Policy
    let logger: Logger

    public init(database: AppDatabase, transport: any WebhookTransport, dependencies: Dependencies, policy: Policy = Policy(),
                logger: Logger = Logger(label: "shenguan.webhooks")) {
        self.database = database
        self.transport = transport
        self.dependencies = dependencies
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                // A delivery cut short by shutdown is sent again after restart; receivers dedupe by key.
                let round = try await cancelWhenGracefulShutdown { try await deliverDue() }
                if round.delivered > 0 { continue }
            } catch is CancellationError {
                return
            } catch {
                logger.error("webhook round failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: policy.pollInterval) }
        }
    }

    /// One pass over every active subscription, subscriptions side by side, each in event order.
    public func deliverDue() async throws -> Round {
        let subscriptions = try await database.read { db in try WebhookOutbox.subscriptions(activeOnly: true, in: db) }
        return try await withThrowingTaskGroup(of: Round.self) { group in
            for (subscription, secret) in subscriptions {
                group.addTask { try await deliver(to: subscription, secret: secret) }
            }
            var total = Round()
            for try await round in group {
                total.delivered += round.delivered
                total.failedAttempts += round.failedAttempts
                total.rejected += round.rejected
            }
            return total
        }
    }

    func deliver(to subscription: WebhookSubscription, secret: String) async throws -> Round {
        var round = Round()
        let queue = try await database.read { [policy] db in
            try WebhookOutbox.pending(of: subscription.id, limit: policy.batchPerSubscription, in: db)
        }
        for head in queue {
            guard head.nextAttemptAt <= dependencies.now() else { break }
            let body = Self.body(of: head)
            let timestamp = Int(dependencies.now().timeIntervalSince1970)
            let headers = [("Content-Type", "application/json; charset=utf-8"), ("Idempotency-Key", "shenguan-event-\(head.eventID)"),
                           ("X-Shenguan-Event", head.name), (WebhookSignature.header, WebhookSignature.sign(body: body, secret: secret, timestamp: timestamp))]
            let result = await transport.post(body, to: subscription.url, headers: headers, timeout: policy.timeout)
            let outcome = outcome(of: result, attempts: head.attempts + 1)
            try await database.write { db in try WebhookOutbox.record(outcome, subscription: subscription.id, eventID: head.eventID, in: db) }
            switch outcome {
            case .delivered: round.delivered += 1
            case .rejected(let status, _):
                round.rejected += 1
                logger.warning("webhook \(subscription.name) refused event \(head.eventID) with \(status); moving on")
            case .retry(_, let error, _):
                round.failedAttempts += 1
                logger.notice("webhook \(subscription.name) event \(head.eventID) attempt \(head.attempts + 1) failed: \(error)")
                return round
            }
        }
        return round
    }

    func outcome(of result: TransportResult, attempts: Int) -> DeliveryOutcome {
        let now = dependencies.now()
        switch result {
        case .status(let code) where (200..<300).contains(code):
            return .delivered(status: code, at: now)
        case .status(let code) where (400..<500).contains(code) && code != 408 && code != 429 && attempts >= policy.rejectionsBeforeGivingUp:
            return .rejected(status: code, error: "HTTP \(code)")
        case .status(let code):
            return .retry(status: code, error: "HTTP \(code)", next: now.addingTimeInterval(delay(afterAttempt: attempts)))
        case .failed(let reason):
            return .retry(status: nil, error: String(reason.prefix(500)), next: now.addingTimeInterval(delay(afterAttempt: attempts)))
        }
    }

    /// 1 s, 2 s, 4 s … up to `maxDelay`.
    func delay(afterAttempt attempts: Int) -> TimeInterval {
        let first = Self.seconds(policy.firstDelay), cap = Self.seconds(policy.maxDelay)
        return min(cap, first * pow(2, Double(min(attempts - 1, 30))))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `{"data":<the event as recorded>,"event":…,"id":…,"occurredAt":…,"subject":…}`.
    static func body(of delivery: PendingDelivery) -> Data {
        let encoder = JSONEncoder()
        func quoted(_ text: String) -> String {
            String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
        }
        let occurredAt = RFC3339.string(from: delivery.occurredAt, timeZone: .gmt)
        return Data(#"{"data":\#(delivery.payload),"event":\#(quoted(delivery.name)),"id":\#(delivery.eventID),"occurredAt":\#(quoted(occurredAt)),"subject":\#(quoted(delivery.subject))}"#.utf8)
    }
}
