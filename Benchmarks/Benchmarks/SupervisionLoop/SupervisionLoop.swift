import Approval
import Benchmark
import BenchmarkSupport
import Foundation
import GRDB
import Hummingbird
import Kernel
import Supervision
import Synchronization
import WebApp

// The supervision loop's latencies, on the whole service's wiring (AppServices) and SQLite:
//
// "IssueToTaskVisible": from the issuer's call to the moment the 质量安全监督站 inspector's queue
// read returns the new certificate's first-inspection task (tasks are written in the issuing
// transaction, so this is issuance plus one queue read).
// "InspectionToTimelineVisible": from an inspector recording a `rectify` to the moment the firm's
// read of the application shows it on the timeline (written in the inspection's transaction).
// Each is measured against a baseline in the same iteration: one write transaction inserting a
// JSON row of the application's size and one read of it — the least any "change, then see it" can
// cost on this database. Quote the ×100 ratios (see README.md).
//
// "WebhookDelivery500": 500 outbox events delivered by WebhookDispatcher over HTTP to a receiver in
// this process (Hummingbird on 127.0.0.1), against the same 500 signed bodies POSTed by the bare
// transport to the same receiver: the cost of ordering, bookkeeping and signing.

let benchmarks: @Sendable () -> Void = {
    Benchmark.teardown = { removeScratchFolders() }

    Benchmark("SupervisionLatency", configuration: .init(
        metrics: [Latency.issueToTask, Latency.inspectionToTimeline, Latency.baseline, Latency.issueRatio, Latency.inspectionRatio],
        warmupIterations: 5, maxDuration: .seconds(10), maxIterations: 500
    )) { (benchmark: Benchmark, fixture: LoopFixture) async in
        do {
            try await fixture.iteration(benchmark)
        } catch {
            benchmark.error("supervision iteration failed: \(error)")
        }
    } setup: {
        try await LoopFixture()
    }

    Benchmark("WebhookDelivery500", configuration: .init(
        metrics: [Webhooks.dispatcher, Webhooks.transport, Webhooks.ratio, Webhooks.eventsPerSecond],
        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 20
    )) { (benchmark: Benchmark, fixture: WebhookFixture) async in
        do {
            try await fixture.iteration(benchmark)
        } catch {
            benchmark.error("webhook iteration failed: \(error)")
        }
    } setup: {
        try await WebhookFixture()
    }
}

enum Latency {
    static let issueToTask = BenchmarkMetric.custom("Issue → task visible (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let inspectionToTimeline = BenchmarkMetric.custom("Inspection → timeline visible (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let baseline = BenchmarkMetric.custom("Baseline write + read (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let issueRatio = BenchmarkMetric.custom("Issue→task / baseline (x100)", polarity: .prefersSmaller, useScalingFactor: false)
    static let inspectionRatio = BenchmarkMetric.custom("Inspection→timeline / baseline (x100)", polarity: .prefersSmaller, useScalingFactor: false)
}

enum Webhooks {
    static let dispatcher = BenchmarkMetric.custom("Dispatcher, 500 events (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    static let transport = BenchmarkMetric.custom("Bare POSTs, 500 (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    static let ratio = BenchmarkMetric.custom("Dispatcher / bare (x100)", polarity: .prefersSmaller, useScalingFactor: false)
    static let eventsPerSecond = BenchmarkMetric.custom("Dispatcher events/s", polarity: .prefersLarger, useScalingFactor: false)
}

final class LoopFixture: Sendable {
    let lifecycle: LifecycleFixture
    let quality = Actor(id: "u-q", username: "inspector-zaz-qk", name: "孙建", role: .inspector, department: "quality-station", region: "420104")
    let baselineDocument: String
    private let counter = Mutex(0)

    init() async throws {
        lifecycle = try await LifecycleFixture()
        try await lifecycle.database.write { db in
            try db.execute(sql: "CREATE TABLE scratch (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
        }
        baselineDocument = #"{"filler":"\#(String(repeating: "x", count: 2_048))"}"#
    }

    func iteration(_ benchmark: Benchmark) async throws {
        let services = lifecycle.services
        let clock = ContinuousClock()
        let id = try await lifecycle.approvedApplication(number: lifecycle.nextNumber())

        let issueStart = clock.now
        _ = try await services.approval.issue(id, by: lifecycle.issuer)
        // The queue pages most urgent first and this task is the newest: found by its application.
        let task = try await services.database.read { db in try SupervisionRouting.tasks(applicationID: id, in: db) }
            .first { $0.department == quality.department && $0.region == quality.region && $0.kind == "first-inspection" }
        let issueEnd = clock.now
        guard let task else { throw BenchmarkFailure("no first-inspection task for \(id)") }

        let inspectionStart = clock.now
        _ = try await services.supervision.record(InspectionDraft(result: .rectify, findings: "安全防护不到位", rectifyBy: benchmarkDay.adding(days: 7)),
                                                  task: task.id, idempotencyKey: nil, by: quality)
        let details = try await services.approval.details(id, for: lifecycle.applicant)
        let inspectionEnd = clock.now
        guard details.timeline.contains(where: { $0.action == "supervision.inspected" }) else { throw BenchmarkFailure("inspection not on the timeline") }

        let baselineStart = clock.now
        let row = counter.withLock { $0 += 1; return "row-\($0)" }
        try await services.database.write { [baselineDocument] db in
            try db.execute(sql: "INSERT INTO scratch (id, document) VALUES (?, ?)", arguments: [row, baselineDocument])
        }
        _ = try await services.database.read { db in try String.fetchOne(db, sql: "SELECT document FROM scratch WHERE id = ?", arguments: [row]) }
        let baselineEnd = clock.now

        let baseline = max(microseconds(baselineEnd - baselineStart), 1)
        let issue = microseconds(issueEnd - issueStart), inspection = microseconds(inspectionEnd - inspectionStart)
        benchmark.measurement(Latency.issueToTask, issue)
        benchmark.measurement(Latency.inspectionToTimeline, inspection)
        benchmark.measurement(Latency.baseline, baseline)
        benchmark.measurement(Latency.issueRatio, issue * 100 / baseline)
        benchmark.measurement(Latency.inspectionRatio, inspection * 100 / baseline)
    }
}

/// A receiver on a loopback port that answers 204 to every POST and counts them.
final class CountingReceiver: Sendable {
    final class Tally: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func add() { count.withLock { $0 += 1 } }
    }

    let received = Tally()
    let port: Int
    private let task: Task<Void, any Error>

    init() async throws {
        let router = Router()
        let received = self.received
        router.post("hook") { _, _ -> HTTPResponse.Status in
            received.add()
            return .noContent
        }
        let chosen = Int.random(in: 30_000..<60_000)
        port = chosen
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: chosen)))
        task = Task { try await application.runService() }
        try await Task.sleep(for: .milliseconds(300))
    }

    deinit { task.cancel() }
}

final class WebhookFixture: Sendable {
    static let events = 500
    let services: AppServices
    let receiver: CountingReceiver
    let dispatcher: WebhookDispatcher
    let secret: String

    init() async throws {
        services = try await appServices(in: try scratchFolder("webhooks"))
        receiver = try await CountingReceiver()
        let admin = Actor(id: "u-admin", username: "admin", name: "李强", role: .admin)
        secret = try await services.webhooks.create(NewWebhook(name: "市监管平台", url: "http://127.0.0.1:\(receiver.port)/hook"), by: admin).secret
        dispatcher = WebhookDispatcher(database: services.database, transport: HTTPWebhookTransport(), dependencies: services.dependencies)
    }

    /// 500 `InspectionRecorded` events in the outbox, as the bus writes them, outside the measurement.
    func enqueue() async throws {
        let bus = EventBus()
        WebhookService.subscribeOutbox(to: bus)
        try await services.database.write { db in
            for index in 0..<Self.events {
                try bus.publish(InspectionRecorded(
                    inspectionID: "i-\(index)", taskID: "t-\(index)", taskTitle: "首次监督检查", certificateNumber: "420104-2026-ZH-000001",
                    applicationID: "a-1", item: "ZJ-SGXK", firm: uscc("91420104MA4KX1234"), department: "quality-station", region: "420104",
                    inspectorID: "u-q", inspectorName: "孙建", result: "pass", findings: "", rectifyBy: nil, followUp: false,
                    suspendsCertificate: true, recordedAt: fixedNow), in: db, at: fixedNow)
            }
        }
    }

    func iteration(_ benchmark: Benchmark) async throws {
        try await enqueue()
        let bodies = try await services.database.read { db in
            try Row.fetchAll(db, sql: "SELECT payload FROM domain_events ORDER BY id DESC LIMIT ?", arguments: [Self.events]).map { Data(($0["payload"] as String).utf8) }
        }
        let clock = ContinuousClock()
        let before = receiver.received.value
        let start = clock.now
        var delivered = 0
        while delivered < Self.events {
            let round = try await dispatcher.deliverDue()
            guard round.delivered > 0 else { throw BenchmarkFailure("delivery stalled after \(delivered)") }
            delivered += round.delivered
        }
        let middle = clock.now
        let transport = HTTPWebhookTransport()
        for body in bodies {
            let signature = WebhookSignature.sign(body: body, secret: secret, timestamp: Int(fixedNow.timeIntervalSince1970))
            guard await transport.post(body, to: "http://127.0.0.1:\(receiver.port)/hook", headers: [("Content-Type", "application/json"),
                                                                                                     (WebhookSignature.header, signature)],
                                       timeout: .seconds(10)) == .status(204) else { throw BenchmarkFailure("bare POST failed") }
        }
        let end = clock.now
        guard receiver.received.value - before == 2 * Self.events else { throw BenchmarkFailure("receiver count mismatch") }
        let dispatched = max(microseconds(middle - start), 1), bare = max(microseconds(end - middle), 1)
        benchmark.measurement(Webhooks.dispatcher, dispatched / 1_000)
        benchmark.measurement(Webhooks.transport, bare / 1_000)
        benchmark.measurement(Webhooks.ratio, dispatched * 100 / bare)
        benchmark.measurement(Webhooks.eventsPerSecond, Self.events * 1_000_000 / dispatched)
    }
}
