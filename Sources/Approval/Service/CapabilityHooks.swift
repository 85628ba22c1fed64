import Foundation
import Kernel

/// An earlier application a capability links to a new one: its answers and files are reused
/// (nothing asked twice) and, when `supersededOnIssue`, issuing the new application supersedes its
/// certificates.
public struct LinkedApplication: Sendable, Equatable {
    public let id: String
    public let form: [String: FormValue]
    public let files: [String: String]
    public let supersededOnIssue: Bool

    public init(id: String, form: [String: FormValue], files: [String: String], supersededOnIssue: Bool) {
        self.id = id
        self.form = form
        self.files = files
        self.supersededOnIssue = supersededOnIssue
    }

    /// An application's form and the files of its submitted materials.
    public init(_ application: Application, supersededOnIssue: Bool) {
        self.init(id: application.id, form: application.form,
                  files: Dictionary(application.materials.compactMap { material in material.file.map { (material.material, $0) } },
                                    uniquingKeysWith: { _, newer in newer }),
                  supersededOnIssue: supersededOnIssue)
    }
}

/// The hook through which a capability (分阶段施工许可) links applications without the core
/// knowing its rules.
public protocol LinkedApplicationSource: Sendable {
    func linked(to items: [CatalogItem], project: Project, firm: String, store: any ApprovalStore) async throws -> [LinkedApplication]
}

/// The hook through which a capability assigns a helper to a new application (一人帮办).
public protocol HelperAssigner: Sendable {
    func helper(for application: Application, store: any ApprovalStore) async throws -> Helper?
}
