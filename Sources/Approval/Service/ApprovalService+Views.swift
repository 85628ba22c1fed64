import Foundation
import Kernel

public struct ApplicationDetails: Sendable {
    public let application: Application
    public let project: Project
    public let deadline: Deadline
    /// Every step, with who took it; reads by staff are audited but not part of the timeline.
    public let timeline: [AuditRecord]
}

extension ApprovalService {
    static let readAction = "application.read"

    /// The application as its firm or a member of staff sees it. A read by staff is recorded,
    /// since the form holds personal data (contact names and phone numbers).
    public func details(_ applicationID: String, for actor: Actor) async throws -> ApplicationDetails {
        let (application, project) = try await visibleApplication(applicationID, to: actor)
        let now = dependencies.now()
        if actor.role.isStaff {
            try await store.record(AuditEntry(actor: actor, action: Self.readAction, subject: application.subject), at: now)
        }
        let timeline = try await store.timeline(applicationID: applicationID).filter { $0.action != Self.readAction }
        let (visible, visibleTimeline) = restricted(application, timeline: timeline, for: actor)
        return ApplicationDetails(application: visible, project: project, deadline: deadline(of: application, at: now), timeline: visibleTimeline)
    }

    /// A reviewer sees only its own department's items, and only their reviews in the timeline.
    func restricted(_ application: Application, timeline: [AuditRecord], for actor: Actor) -> (Application, [AuditRecord]) {
        guard actor.role == .reviewer else { return (application, timeline) }
        var visible = application
        visible.items = application.items.filter { $0.department == actor.department }
        let codes = Set(visible.items.map(\.code))
        return (visible, timeline.filter { record in record.detail?["item"].map(codes.contains) ?? true })
    }

    /// - Parameter helpedByMe: only the applications the caller helps (一人帮办; clerks).
    public func applications(for actor: Actor, status: ApplicationStatus? = nil, deadline state: Deadline.State? = nil,
                             helpedByMe: Bool = false) async throws -> [(application: Application, deadline: Deadline)] {
        var query = ApplicationQuery(statuses: status.map { [$0] })
        if helpedByMe { query.helper = actor.id }
        switch actor.role {
        case .applicant: query.firm = actor.firm ?? ""
        case .reviewer: query.department = actor.department ?? ""
        case .clerk, .issuer, .admin: break
        case .inspector: throw ApprovalError.forbidden("监管人员请通过监管任务查看")
        }
        let now = dependencies.now()
        return try await store.applications(query)
            .map { (restricted($0, timeline: [], for: actor).0, deadline(of: $0, at: now)) }
            .filter { state == nil || $0.1.state == state }
    }

    public func deadline(of application: Application, at now: Date) -> Deadline {
        application.deadline(today: calendar.today(at: now), calendar: calendar, warnWithinWorkingDays: warnWithinWorkingDays)
    }
}
