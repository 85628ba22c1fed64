import Certificates
import Crypto
import Foundation
import Kernel
import Synchronization

/// A register with one issued certificate, a fixed clock and a key folder of its own.
struct CertificateHarness {
    static let issuer = Actor(id: "i", username: "issuer", name: "周平", role: .issuer)
    let folder: URL
    let database: AppDatabase
    let events: EventBus
    let keys: SigningKeys
    let service: CertificateService
    let clock: Clock

    final class Clock: Sendable {
        let current: Mutex<Date>
        init(_ start: Date) { current = Mutex(start) }
        var now: Date { current.withLock { $0 } }
    }

    init(keys existing: SigningKeys? = nil, folder existingFolder: URL? = nil, start: Date = Date(timeIntervalSince1970: 1_795_399_200)) async throws {
        folder = existingFolder ?? FileManager.default.temporaryDirectory.appendingPathComponent("certificates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try AppDatabase(path: folder.appendingPathComponent("db.sqlite").path, migrations: [CertificateMigrations.self])
        let keys = try existing ?? SigningKeys.load(from: folder.appendingPathComponent("keys"), now: start)
        self.keys = keys
        let bus = EventBus()
        CertificateRegistry.subscribe(to: bus, bundles: ["comprehensive-permit": BundleCertificate(kind: "ZH", template: "comprehensive-permit")], keys: keys)
        events = bus
        let clock = Clock(start)
        self.clock = clock
        let dependencies = Dependencies(now: { clock.now }, makeID: { UUID().uuidString }, randomBytes: { Array(repeating: 1, count: $0) })
        service = try await CertificateService(database: database, events: bus, keys: keys, dependencies: dependencies,
                                               timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    }

    /// Issues a certificate for one 90-day waste permit (or a bundle) and returns it.
    func issue(application: String = UUID().uuidString, bundle: String? = nil, validityDays: Int? = 90) async throws -> Certificate {
        let event = PermitIssued(
            applicationID: application, bundle: bundle, projectID: "p1", projectCode: "2401-420104-04-01-318562",
            projectName: "崇仁路023地块项目", district: "420104", holderName: "武汉崇仁置业有限公司", holderUSCC: "91420104MA4KX12345",
            permits: [IssuedPermit(item: "CG-JZLJ", name: "城市建筑垃圾处置核准", department: "city-management", certificateKind: "LJ", certificateTemplate: "waste-disposal", validityDays: validityDays)],
            issuedAt: clock.now, issuedOn: CivilDate("2026-11-23")!)
        try await database.write { [events] db in try events.publish(event, in: db, at: event.issuedAt) }
        return try await service.certificates(applicationID: application).first!
    }

    /// Issues one vehicle's card of a waste permit, held by `holder` along `route`.
    func issueVehicleCard(holder: String, route: PermitRoute) async throws -> Certificate {
        let application = UUID().uuidString
        let vehicle = PermitSubject(kind: "plate", id: "鄂AD12345", details: [PermitDetail(key: "capacity", label: "核定容积（立方米）", value: "18")])
        let event = PermitIssued(
            applicationID: application, bundle: nil, projectID: "p1", projectCode: "2401-420104-04-01-318562",
            projectName: "崇仁路023地块项目", district: "420104", holderName: holder, holderUSCC: "91420104MA4KX12345",
            permits: [IssuedPermit(item: "CG-JZLJ", name: "城市建筑垃圾处置核准", department: "city-management", certificateKind: "LJ",
                                   certificateTemplate: "waste-disposal", validityDays: 90,
                                   details: [PermitDetail(key: "wasteType", label: "建筑垃圾种类", value: "工程渣土、拆除垃圾、装修垃圾")],
                                   route: route, subjects: [vehicle], subjectTemplate: "waste-vehicle")],
            issuedAt: clock.now, issuedOn: CivilDate("2026-11-23")!)
        try await database.write { [events] db in try events.publish(event, in: db, at: event.issuedAt) }
        return try await service.certificates(applicationID: application).first!
    }

    func advance(days: Int) {
        clock.current.withLock { $0 = $0.addingTimeInterval(Double(days) * 86_400) }
    }
}

/// Builds tokens a forger would try.
enum Forgery {
    static func base64URL(_ text: String) -> String { Data(text.utf8).base64URLEncoded }

    static func parts(_ jws: String) -> [String] { jws.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }

    static func signed(header: String, payload: String, with key: Curve25519.Signing.PrivateKey) throws -> String {
        let input = "\(base64URL(header)).\(payload)"
        return "\(input).\(Data(try key.signature(for: Data(input.utf8))).base64URLEncoded)"
    }
}
