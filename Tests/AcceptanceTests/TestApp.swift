import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import Supervision
import Synchronization
import Testing
import WebApp

/// The service's clock, moved forward by tests that need days to pass.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(days: Int) {
        current.withLock { $0 += TimeInterval(days * 86_400) }
    }

    func advance(minutes: Int) {
        current.withLock { $0 += TimeInterval(minutes * 60) }
    }
}

/// A JSON document to look into without declaring its shape.
enum JSONValue: Codable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .number(let value) where value == value.rounded() && abs(value) < 1e15: try container.encode(Int64(value))
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var array: [JSONValue] {
        if case .array(let value) = self { return value }
        return []
    }
}

struct TestResponse {
    let status: HTTPResponse.Status
    let body: JSONValue?
    let text: String
    var headers = HTTPFields()
}

/// The whole service over a fresh database and a fixed clock, with an account for every role.
/// A test's own folder (database, keys, files, images), removed once the last copy of the test's
/// app is gone: a suite run leaves nothing behind in the temporary directory.
final class ScratchFolder: Sendable {
    let url: URL

    init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

struct TestApp {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let password = "Test-pass-2026"
    static func uscc(_ prefix: String) -> String { prefix + String(UnifiedSocialCreditCode.checkCharacter(for: prefix)!) }
    static let firmA = uscc("91420104MA4KX1234")
    static let firmB = uscc("91420104MA4KY5678")
    static let contractor = uscc("91420100MA4L00001")

    let configuration: AppConfiguration
    let services: AppServices
    let clock: TestClock
    let scratch: ScratchFolder

    init(now: Date = Date(timeIntervalSince1970: 1_795_399_200), uploadLimit: Int = 1_000_000, firmQuota: Int = 100_000_000) async throws {  // 2026-11-23 10:00 +08:00
        let clock = TestClock(now)
        self.clock = clock
        scratch = try ScratchFolder(prefix: "acceptance")
        let folder = scratch.url
        let counter = Mutex(0)
        configuration = AppConfiguration(
            databasePath: folder.appendingPathComponent("shenguan.sqlite").path, port: 0, publicURL: "https://sg.example.cn",
            catalogDirectory: Self.root.appendingPathComponent("Modules"), openAPIFile: Self.root.appendingPathComponent("openapi.yaml"),
            templatesDirectory: Self.root.appendingPathComponent("Templates"),
            uploadLimitBytes: uploadLimit, firmQuotaBytes: firmQuota, bcryptCost: 4,
            // The test clock stands still, so retries must be due at once to happen at all.
            webhookPolicy: .init(firstDelay: .zero, timeout: .seconds(5), pollInterval: .milliseconds(20)),
            dependencies: Dependencies(now: { clock.now }, makeID: { UUID().uuidString.lowercased() },
                                       randomBytes: { count in counter.withLock { $0 += 1; return (0..<count).map { [n = $0] in UInt8(truncatingIfNeeded: $0 &* 31 &+ n) } } }))
        services = try await AppServices(configuration: configuration)
        let accounts: [NewAccount] = [
            NewAccount(username: "chongren", password: Self.password, role: .applicant, name: "张伟", firm: Self.firmA, firmName: "武汉崇仁置业有限公司"),
            NewAccount(username: "hanxi", password: Self.password, role: .applicant, name: "刘洋", firm: Self.firmB, firmName: "武汉汉西建设有限公司"),
            NewAccount(username: "clerk", password: Self.password, role: .clerk, name: "王敏"),
            NewAccount(username: "clerk-2", password: Self.password, role: .clerk, name: "李娜"),
            NewAccount(username: "reviewer-housing", password: Self.password, role: .reviewer, name: "陈刚", department: "housing"),
            NewAccount(username: "reviewer-landscaping", password: Self.password, role: .reviewer, name: "赵丽", department: "landscaping"),
            NewAccount(username: "reviewer-quality-station", password: Self.password, role: .reviewer, name: "冯涛", department: "quality-station"),
            NewAccount(username: "reviewer-city-management", password: Self.password, role: .reviewer, name: "钱进", department: "city-management"),
            NewAccount(username: "reviewer-traffic-police", password: Self.password, role: .reviewer, name: "孔明", department: "traffic-police"),
            NewAccount(username: "issuer", password: Self.password, role: .issuer, name: "周平"),
            NewAccount(username: "admin", password: Self.password, role: .admin, name: "李强"),
            NewAccount(username: "inspector-cg-qk", password: Self.password, role: .inspector, name: "黄磊", department: "city-management", region: "420104"),
            NewAccount(username: "inspector-cg-hc", password: Self.password, role: .inspector, name: "郑浩", department: "city-management", region: "420984"),
            NewAccount(username: "inspector-cg-dxh", password: Self.password, role: .inspector, name: "郭涛", department: "city-management", region: "420112"),
            NewAccount(username: "inspector-jj-dxh", password: Self.password, role: .inspector, name: "梁成", department: "traffic-police", region: "420112"),
            NewAccount(username: "inspector-cg-wc", password: Self.password, role: .inspector, name: "邓军", department: "city-management", region: "420106"),
            NewAccount(username: "inspector-zaz-qk", password: Self.password, role: .inspector, name: "孙建", department: "quality-station", region: "420104"),
            NewAccount(username: "inspector-zaz-hc", password: Self.password, role: .inspector, name: "吴涛", department: "quality-station", region: "420984"),
            NewAccount(username: "inspector-yl-qk", password: Self.password, role: .inspector, name: "杨帆", department: "landscaping", region: "420104"),
            NewAccount(username: "inspector-yl-qk-2", password: Self.password, role: .inspector, name: "何静", department: "landscaping", region: "420104"),
            NewAccount(username: "inspector-hb-qk", password: Self.password, role: .inspector, name: "罗敏", department: "ecology", region: "420104"),
        ]
        for account in accounts { try await services.accounts.create(account, by: .system) }
    }

    func run(_ body: @escaping @Sendable (Client) async throws -> Void) async throws {
        try await buildApplication(services, configuration: configuration).test(.router) { client in
            try await body(Client(client: client))
        }
    }

    struct Client {
        let client: any TestClientProtocol

        func request(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, raw: Data? = nil,
                     contentType: String = "application/json", accept: String? = nil, headers extra: [String: String] = [:]) async throws -> TestResponse {
            var headers = HTTPFields()
            for (name, value) in extra { headers[.init(name)!] = value }
            if let accept { headers[.accept] = accept }
            if let token { headers[.authorization] = "Bearer \(token)" }
            let payload = json.map { ByteBuffer(string: $0) } ?? raw.map { ByteBuffer(bytes: $0) }
            if payload != nil { headers[.contentType] = contentType }
            return try await client.execute(uri: uri, method: method, headers: headers, body: payload) { response in
                let text = String(buffer: response.body)
                return TestResponse(status: response.status, body: try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), text: text,
                                    headers: response.headers)
            }
        }

        /// The body's bytes as they are (images, files).
        func raw(_ uri: String, token: String) async throws -> Data {
            try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"], body: nil) { response in
                Data(response.body.readableBytesView)
            }
        }

        func login(_ username: String) async throws -> String {
            let response = try await request(.post, "/api/v1/auth/login", json: #"{"username":"\#(username)","password":"\#(TestApp.password)"}"#)
            #expect(response.status == .ok, "login \(username): \(response.text)")
            return try #require(response.body?["token"]?.string)
        }

        func upload(_ text: String, token: String) async throws -> String {
            let response = try await request(.post, "/api/v1/files", token: token, raw: DemoPDF.document(label: text, title: text), contentType: "application/pdf")
            #expect(response.status == .created, "\(response.text)")
            return try #require(response.body?["id"]?.string)
        }

        func createProject(token: String, builderUSCC: String = TestApp.firmA, name: String = "崇仁路023地块项目") async throws -> TestResponse {
            let quotedName = String(decoding: try JSONEncoder().encode(name), as: UTF8.self)
            return try await request(.post, "/api/v1/projects", token: token, json: """
                {"code":"2401-420104-04-01-318562","name":\(quotedName),"district":"420104",
                 "address":"武汉市硚口区崇仁路与解放大道交汇处西北侧","category":"房屋建筑工程",
                 "builder":{"name":"武汉崇仁置业有限公司","uscc":"\(builderUSCC)"},
                 "contractor":{"name":"中建三局第一建设工程有限责任公司","uscc":"\(TestApp.contractor)"}}
                """)
        }
    }
}

extension TestApp.Client {
    /// A firm's 施工许可 + 临时占用绿地 application taken straight to issuance; returns the firm's
    /// and the issuer's tokens and the issued certificate as the issuance response lists it.
    func issuedCertificate() async throws -> (firm: String, issuer: String, certificate: JSONValue) {
        let issued = try await issuedApplication()
        return (issued.firm, issued.issuer, issued.certificate)
    }

    struct Issued {
        let firm: String
        let issuer: String
        let applicationID: String
        let certificate: JSONValue
    }

    func issuedApplication(projectName: String = "崇仁路023地块项目") async throws -> Issued {
        let firm = try await login("chongren")
        let projectID = try #require(try await createProject(token: firm, name: projectName).body?["id"]?.string)
        let id = try await approvedApplication(projectID: projectID, firm: firm)
        let issuer = try await login("issuer")
        let issued = try await request(.post, "/api/v1/applications/\(id)/issuance", token: issuer)
        return Issued(firm: firm, issuer: issuer, applicationID: id, certificate: try #require(issued.body?["certificates"]?[0], "\(issued.text)"))
    }

    /// A 施工许可 + 临时占用绿地 application on `projectID`, accepted and approved by both
    /// departments, ready for issuance; returns its id.
    func approvedApplication(projectID: String, firm: String) async throws -> String {
        let id = try await acceptedApplication(projectID: projectID, firm: firm)
        for (reviewer, item) in [("reviewer-housing", "ZJ-SGXK"), ("reviewer-landscaping", "YL-LDZY")] {
            _ = try await request(.post, "/api/v1/applications/\(id)/reviews", token: try await login(reviewer), json: #"{"item":"\#(item)","decision":"approve"}"#)
        }
        return id
    }

    /// The same application, submitted and accepted, waiting for both departments' reviews.
    func acceptedApplication(projectID: String, firm: String) async throws -> String {
        let id = try await submittedApplication(projectID: projectID, firm: firm)
        _ = try await request(.post, "/api/v1/applications/\(id)/acceptance", token: try await login("clerk"), json: #"{"decision":"accept"}"#)
        return id
    }

    /// The same application, submitted with every material but those `without` (deferrable ones,
    /// for 容缺), waiting for acceptance.
    func submittedApplication(projectID: String, firm: String, without: Set<String> = []) async throws -> String {
        var materials: [String] = []
        for material in ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan", "tree-protection-plan"]
        where !without.contains(material) {
            materials.append(#"{"material":"\#(material)","file":"\#(try await upload(material, token: firm))"}"#)
        }
        let submitted = try await request(.post, "/api/v1/applications", token: firm, json: """
            {"projectId":"\(projectID)","bundle":"comprehensive-permit","items":["ZJ-SGXK","YL-LDZY"],
             "form":{"contactName":"张伟","contactPhone":"13871234567","contractorUscc":"\(TestApp.contractor)",
                     "contractPriceYuan":368000000,"totalAreaM2":86500.5,"structureType":"框架-剪力墙",
                     "startDate":"2026-12-01","endDate":"2028-06-30","greenspaceAreaM2":420},
             "materials":[\(materials.joined(separator: ","))]}
            """)
        return try #require(submitted.body?["id"]?.string, "\(submitted.text)")
    }
}
