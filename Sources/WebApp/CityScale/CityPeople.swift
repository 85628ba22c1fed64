import Foundation
import Kernel

/// The generated city's accounts: its firms, the bureau's clerks, a reviewer per department, an
/// issuer, and an inspector per department in each district.
struct CityPeople {
    let firms: [Actor]
    let clerks: [Actor]
    let reviewers: [String: Actor]
    let issuer: Actor
    let inspectors: [String: Actor]

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func create(plan: CityGenerator.Plan, services: AppServices) async throws -> CityPeople {
        func account(_ username: String, _ role: Role, _ name: String, firm: String? = nil, firmName: String? = nil,
                     department: String? = nil, region: String? = nil) async throws -> Actor {
            try await services.accounts.create(NewAccount(username: username, password: CityGenerator.password, role: role, name: name, firm: firm,
                                                          firmName: firmName, department: department, region: region), by: .system)
        }
        var firms: [Actor] = []
        for index in 0..<plan.firms {
            let prefix = String(format: "91420100CT%07d", index + 1)
            guard let check = UnifiedSocialCreditCode.checkCharacter(for: prefix) else { throw Missing(description: "no check character for \(prefix)") }
            firms.append(try await account(String(format: "city-firm-%05d", index + 1), .applicant, "经办人\(index + 1)", firm: prefix + String(check),
                                           firmName: String(format: "城市示范建设有限公司%05d", index + 1)))
        }
        var clerks: [Actor] = []
        for index in 1...10 { clerks.append(try await account(String(format: "city-clerk-%02d", index), .clerk, "受理员\(index)")) }
        var reviewers: [String: Actor] = [:]
        var inspectors: [String: Actor] = [:]
        for department in services.catalog.departments.keys.sorted() {
            reviewers[department] = try await account("city-reviewer-\(department)", .reviewer, "审查员", department: department)
            for region in services.catalog.regions.keys.sorted() {
                inspectors["\(department)/\(region)"] = try await account("insp-\(department)-\(region)", .inspector, "监管员",
                                                                          department: department, region: region)
            }
        }
        return CityPeople(firms: firms, clerks: clerks, reviewers: reviewers, issuer: try await account("city-issuer", .issuer, "出证员"),
                          inspectors: inspectors)
    }

    func reviewer(_ department: String) throws -> Actor {
        guard let reviewer = reviewers[department] else { throw Missing(description: "no reviewer for \(department)") }
        return reviewer
    }

    func inspector(_ department: String, _ region: String) throws -> Actor {
        guard let inspector = inspectors["\(department)/\(region)"] else { throw Missing(description: "no inspector for \(department) in \(region)") }
        return inspector
    }
}
