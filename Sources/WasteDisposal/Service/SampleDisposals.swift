import Approval
import CapabilityKit
import Foundation
import Kernel

/// The demo at the seed's scale (`SampleProjects/waste-disposal.yaml`): firms, sites and their
/// vehicles generated in order, each application taken through the route's own path — applied,
/// accepted, reviewed, confirmed by the disposal region and sealed. A site already loaded is skipped.
struct SampleDisposals {
    struct Settings: Decodable {
        struct Route: Decodable {
            let origin: String
            let transit: [String]
            let disposal: String
        }

        let sites: Int
        let firms: Int
        let vehicles: Int
        let firmPrefix: String
        let projectCodePrefix: String
        let plateSeries: String
        let capacityM3: [Double]
        let wasteType: String
        let volumeM3PerVehicle: Double
        let route: Route
        let disposalSite: String
        let transporter: Transporter
        let validDays: Int
        let clerk: String
        /// The reviewer of each department of the bundle.
        let reviewers: [String]
        let confirmer: String
    }

    struct SampleError: Error, CustomStringConvertible {
        let description: String
    }

    let service: WasteDisposalService
    let engines: Engines

    static let password = "Demo-2026!"

    func load(_ settings: Settings) async throws {
        var accounts = Dictionary(try await engines.accounts.all().map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
        let staff = accounts
        let reviewers = settings.reviewers.compactMap { staff[$0] }
        guard let clerk = staff[settings.clerk], let confirmer = staff[settings.confirmer], reviewers.count == settings.reviewers.count else {
            throw SampleError(description: "waste-disposal.yaml names a clerk, reviewer or confirmer that accounts.yaml does not hold")
        }
        let today = engines.catalog.calendar.today(at: engines.dependencies.now())
        var plate = 0
        for site in 0..<settings.sites {
            let firm = try await self.firm(site % settings.firms, settings, known: &accounts)
            let count = settings.vehicles / settings.sites + (site < settings.vehicles % settings.sites ? 1 : 0)
            defer { plate += count }
            let code = settings.projectCodePrefix + String(format: "%05d", site + 1)
            guard try await engines.approval.store.project(code: code)?.isVisible(to: firm.firm ?? "") != true else { continue }
            let project = try await engines.approval.createProject(NewProject(
                code: code, name: "硚口区建筑垃圾跨域处置示范工地\(site + 1)号", district: settings.route.origin,
                address: "武汉市硚口区古田路\(200 + site)号", category: "房屋建筑工程",
                builder: NewParty(uscc: firm.firm!), contractor: nil), by: firm)
            var materials: [MaterialUpload] = []
            for material in ["business-licence", "waste-disposal-plan", "transport-contract", "disposal-site-agreement", "vehicle-documents",
                             "washing-facility-photos", "route-plan"] {
                let file = try await engines.files.store(DemoPDF.document(label: "\(project.code) \(material)", title: "\(project.name) \(material)（演示材料）"),
                                                         by: firm)
                materials.append(MaterialUpload(material: material, file: file.id))
            }
            let vehicles = (0..<count).map { index in
                DisposalApplicationInput.VehicleInput(plate: settings.plateSeries + String(format: "%04d", plate + index + 1),
                                                      capacityM3: settings.capacityM3[(plate + index) % settings.capacityM3.count])
            }
            let fleet = vehicles.map { vehicle in
                RegisteredVehicle(plate: vehicle.plate!, transporter: settings.transporter, type: "重型自卸货车", capacityM3: vehicle.capacityM3!,
                                  gpsDevice: "BD-" + String(format: "%06d", plate + 1), registeredAt: engines.dependencies.now(), registeredBy: "演示数据")
            }
            try await engines.database.write { db in try VehicleRegister.save(fleet, in: db) }
            let input = DisposalApplicationInput(
                projectId: project.id, wasteType: settings.wasteType, volumeM3: settings.volumeM3PerVehicle * Double(count),
                route: .init(origin: settings.route.origin, transit: settings.route.transit, disposal: settings.route.disposal),
                disposalSite: settings.disposalSite, transporter: .init(name: settings.transporter.name, uscc: settings.transporter.uscc),
                vehicles: vehicles, validFrom: today.description, validTo: today.adding(days: settings.validDays - 1).description,
                contact: .init(name: firm.name, phone: String(format: "1387100%04d", site)), materials: materials)
            let applied = try await service.apply(input, by: firm)
            _ = try await engines.approval.accept(applied.id, AcceptanceDecision(decision: .accept), by: clerk)
            for reviewer in reviewers {
                for item in service.bundleItems where engines.catalog.items[item]?.department == reviewer.department {
                    _ = try await engines.approval.review(applied.id, ReviewDecision(item: item, decision: .approve, opinion: nil), by: reviewer)
                }
            }
            let sealed = try await engines.approval.meetCondition(service.rules.confirmation.id, of: applied.id, by: confirmer)
            guard sealed.status == .issued else { throw SampleError(description: "demo disposal \(code) ended \(sealed.status)") }
        }
    }

    static func firmName(_ index: Int) -> String { "武汉硚建示范置业第\(index + 1)号有限公司" }

    /// The `index`th demo firm's applicant account, created on first use.
    func firm(_ index: Int, _ settings: Settings, known accounts: inout [String: Actor]) async throws -> Actor {
        let username = String(format: "waste-firm-%02d", index + 1)
        if let existing = accounts[username] { return existing }
        let prefix = settings.firmPrefix + String(format: "%05d", index + 1)
        guard let check = UnifiedSocialCreditCode.checkCharacter(for: prefix) else { throw SampleError(description: "no check character for \(prefix)") }
        let created = try await engines.accounts.create(NewAccount(username: username, password: Self.password, role: .applicant,
                                                                   name: "示范工地经办人\(index + 1)", firm: prefix + String(check),
                                                                   firmName: Self.firmName(index)), by: .system)
        accounts[username] = created
        return created
    }
}
