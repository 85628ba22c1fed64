import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// Where each role starts, and the navigation it has.
extension PageFrame {
    /// Where an account lands after signing in: a firm at its applications, the bureau's staff at
    /// the queue they work (an administrator at the first of the three), an inspector at its task
    /// queue, anyone else at its account.
    static func home(for actor: Actor) -> String {
        switch actor.role {
        case .applicant: "/firm/applications"
        case .inspector: InspectorPagesController.home
        default: ConsoleQueue.home(of: actor.role)?.path ?? "/account"
        }
    }

    /// The role's own pages, any `capabilities` pages it starts work on, then the account and the guide.
    static func links(for role: Role, adding capabilities: [(String, String)] = []) -> [(String, String)] {
        let own: [(String, String)] = switch role {
        case .applicant: [("我的申请", "/firm/applications"), ("我的项目", "/firm/projects"), ("信用记录", FirmFollowUpPagesController.credit)]
        case .inspector: [("监管任务", InspectorPagesController.home)]
        default: ConsoleQueue.all.filter { $0.roles.contains(role) }.map { ($0.title, $0.path) }
            + [("统计概览", ConsoleDashboardController.path), ("导出", ConsoleExportController.path)]
        }
        return own + capabilities + [("我的账号", "/account"), ("办事指南", "/")]
    }
}

/// Builds the frame of a signed-in page; the account's unit is named as the register and the
/// catalog name it.
struct PageFrames: PageFraming {
    let accounts: AccountService
    let catalog: Catalog
    let capabilityLinks: CapabilityLinks

    func frame(for actor: Actor, request: Request) async throws -> PageFrame {
        guard let session = WebSession.token(in: request) else { throw KernelError.unauthenticated }
        let path = request.uri.path
        return PageFrame(name: actor.name, role: PageText.role(actor.role), unit: try await unit(of: actor),
                         csrf: WebSession.csrfToken(forSession: session),
                         nav: PageFrame.links(for: actor.role, adding: capabilityPages(for: actor.role)).map {
                             PageFrame.Link(title: $0.0, href: $0.1, current: path == $0.1)
                         })
    }

    /// The capabilities' pages the role starts work on; a firm's new applications are listed on
    /// 我的申请 instead, so its navigation stays short.
    func capabilityPages(for role: Role) -> [(String, String)] {
        role == .applicant ? [] : capabilityLinks.starts(for: role).map { ($0.title, $0.href) }
    }

    func unit(of actor: Actor) async throws -> String? {
        if let firm = actor.firm { return try await accounts.firm(uscc: firm)?.name ?? firm }
        let department = actor.department.map { catalog.departments[$0]?.name ?? $0 }
        let region = actor.region.map { catalog.regions[$0]?.name ?? $0 }
        let unit = [region, department].compactMap { $0 }.joined(separator: " ")
        return unit.isEmpty ? nil : unit
    }
}
