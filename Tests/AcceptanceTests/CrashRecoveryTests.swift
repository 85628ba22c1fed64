import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Kernel
import Supervision
import Synchronization
import Testing
import WebApp

/// `shenguan serve` as a child process on a loopback port, to be killed without warning.
/// Unchecked: its properties never change after `init`; requests and the kill only read them.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let base: String

    init(database: String, port: Int) throws {
        base = "http://127.0.0.1:\(port)"
        process.executableURL = CommandLine.executable
        process.arguments = ["serve", "--db", database, "--host", "127.0.0.1", "--port", String(port)]
        process.currentDirectoryURL = TestApp.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for `/healthz` to answer 200.
    func ready() async throws -> Bool {
        for _ in 0..<300 {
            if let (_, status) = try? await call("GET", "/healthz"), status == 200 { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func call(_ method: String, _ path: String, token: String? = nil, json: String? = nil) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

@Suite("Nothing half-written survives a crash")
struct CrashRecoveryTests {
    static func freePort() -> Int { Int.random(in: 20_000..<60_000) }

    @Test("kill -9 during a burst of issuance: after restart every issued permit has its certificate and all its tasks, every task its permit, every event its webhook delivery, serials stay gap-free")
    func killDuringIssuance() async throws {
        let app = try await TestApp()
        _ = try await app.services.webhooks.create(NewWebhook(name: "市监管平台", url: "http://127.0.0.1:9/hook"),
                                                   by: Actor(id: "u-admin", username: "admin", name: "李强", role: .admin))
        let approved = Mutex<[String]>([])
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            for _ in 0..<24 {
                let id = try await client.approvedApplication(projectID: projectID, firm: firm)
                approved.withLock { $0.append(id) }
            }
        }
        let pending = approved.withLock { $0 }
        let database = app.configuration.databasePath

        let server = try ServerProcess(database: database, port: Self.freePort())
        #expect(try await server.ready())
        let (session, _) = try await server.call("POST", "/api/v1/auth/login", json: #"{"username":"issuer","password":"\#(TestApp.password)"}"#)
        let token = try #require((try JSONDecoder().decode(JSONValue.self, from: session))["token"]?.string)
        let answered = Counter()
        await withTaskGroup(of: Void.self) { group in
            for id in pending {
                group.addTask {
                    if (try? await server.call("POST", "/api/v1/applications/\(id)/issuance", token: token))?.1 == 200 {
                        answered.increment()
                    }
                }
            }
            group.addTask {
                while answered.value < 6 { try? await Task.sleep(for: .milliseconds(5)) }
                server.kill()
            }
        }
        let issuedBeforeCrash = answered.value
        #expect(issuedBeforeCrash < pending.count, "the burst finished before the kill; the test proves nothing")

        let restarted = try ServerProcess(database: database, port: Self.freePort())
        defer { restarted.stop() }
        #expect(try await restarted.ready())
        let pool = try DatabasePool(path: database)
        try await pool.read { db in
            let issued = try String.fetchAll(db, sql: "SELECT id FROM applications WHERE status = 'issued'")
            #expect(issued.count >= issuedBeforeCrash)
            for id in issued {
                let numbers = try String.fetchAll(db, sql: "SELECT number FROM certificates WHERE application_id = ?", arguments: [id])
                #expect(numbers.count == 1, "application \(id) has \(numbers.count) certificates")
                let kinds = try String.fetchAll(db, sql: "SELECT json_extract(document, '$.kind') FROM supervision_tasks WHERE certificate_number = ? ORDER BY 1",
                                                arguments: [numbers.first ?? ""])
                #expect(kinds == ["first-inspection", "greenspace-check", "market-inspection", "restoration-check"], "\(id): \(kinds)")
            }
            let orphanTasks = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM supervision_tasks t LEFT JOIN certificates c ON c.number = t.certificate_number WHERE c.number IS NULL
                """)
            #expect(orphanTasks == 0)
            let strayCertificates = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM certificates c JOIN applications a ON a.id = c.application_id WHERE a.status <> 'issued'
                """)
            #expect(strayCertificates == 0)
            let undeliverable = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM domain_events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id
                WHERE e.name IN ('PermitIssued', 'CertificateIssued', 'SupervisionTaskOpened') AND d.event_id IS NULL
                """)
            #expect(undeliverable == 0, "events without their webhook delivery")
            let serials = try Int.fetchAll(db, sql: "SELECT CAST(substr(number, -6) AS INTEGER) FROM certificates ORDER BY 1")
            #expect(serials == Array(0..<serials.count).map { $0 + 1 })
        }

        let (rest, _) = try await restarted.call("POST", "/api/v1/auth/login", json: #"{"username":"issuer","password":"\#(TestApp.password)"}"#)
        let again = try #require((try JSONDecoder().decode(JSONValue.self, from: rest))["token"]?.string)
        for id in pending {
            let (_, status) = try await restarted.call("POST", "/api/v1/applications/\(id)/issuance", token: again)
            #expect(status == 200 || status == 409, "issuing \(id) after the restart answered \(status)")
        }
        let total = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM certificates") }
        #expect(total == pending.count)
    }
}
