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

    /// A page of the applications `actor` may see, newest first: a firm its own, a reviewer its
    /// department's, the bureau's staff all (or one department's). Each filter is an index range.
    public func applications(for actor: Actor, _ filter: ApplicationFilter = ApplicationFilter(),
                             page: PageRequest = PageRequest()) async throws -> Page<(application: Application, deadline: Deadline)> {
        let now = dependencies.now()
        return try await store.applications(try query(for: actor, filter, today: calendar.today(at: now)), page: page)
            .map { (restricted($0, timeline: [], for: actor).0, deadline(of: $0, at: now)) }
    }

    /// The same page as list rows kept by the writing transactions, each with its deadline today
    /// and, for a reviewer, its department's items: what the API's list answers, nothing decoded.
    public func listedApplications(for actor: Actor, _ filter: ApplicationFilter = ApplicationFilter(),
                                   page: PageRequest = PageRequest()) async throws -> Page<(row: ListedApplication, deadline: Deadline)> {
        let today = calendar.today(at: dependencies.now())
        return try await store.listedApplications(try query(for: actor, filter, today: today), departmentItems: actor.role == .reviewer, page: page)
            .map { ($0, $0.deadline.deadline(today: today, calendar: calendar, warnWithinWorkingDays: warnWithinWorkingDays)) }
    }

    /// The query for what `actor` may see of `filter`: refuses what it may not ask.
    func query(for actor: Actor, _ filter: ApplicationFilter, today: CivilDate) throws -> ApplicationQuery {
        var query = ApplicationQuery(department: filter.department, statuses: filter.status.map { [$0] })
        if filter.helpedByMe { query.helper = actor.id }
        switch actor.role {
        case .applicant: query.firm = actor.firm ?? ""
        case .reviewer:
            guard filter.department == nil || filter.department == actor.department else {
                throw ApprovalError.forbidden("审查人员只能查看本部门的申请")
            }
            query.department = actor.department ?? ""
        case .clerk, .issuer, .admin: break
        case .inspector: throw ApprovalError.forbidden("监管人员请通过监管任务查看")
        }
        if let pending = filter.pending {
            guard query.department != nil else {
                throw ApprovalError.invalidField(field: "pending", message: "按待审查筛选时须指定部门（department）")
            }
            query.pending = pending
        }
        if let state = filter.deadline { constrain(&query, to: state, today: today) }
        query.submittedFrom = filter.submittedFrom?.start(in: calendar.timeZone)
        query.submittedBefore = filter.submittedTo?.adding(days: 1).start(in: calendar.timeZone)
        return query
    }

    /// A deadline state as the index finds it: the clock, and for a running one the range of
    /// promised dates that is overdue, due soon or on time today.
    func constrain(_ query: inout ApplicationQuery, to state: Deadline.State, today: CivilDate) {
        let warnFrom = (try? calendar.date(addingWorkingDays: warnWithinWorkingDays + 1, to: today)) ?? today.adding(days: warnWithinWorkingDays + 1)
        switch state {
        case .notStarted: query.clock = .notStarted
        case .paused: query.clock = .paused
        case .closed: query.clock = .closed
        case .overdue: (query.clock, query.promisedBefore) = (.running, today)
        case .dueSoon: (query.clock, query.promisedFrom, query.promisedBefore) = (.running, today, warnFrom)
        case .onTime: (query.clock, query.promisedFrom) = (.running, warnFrom)
        }
    }

    public func deadline(of application: Application, at now: Date) -> Deadline {
        application.deadline(today: calendar.today(at: now), calendar: calendar, warnWithinWorkingDays: warnWithinWorkingDays)
    }
}

/// What a list of applications asks for, besides the caller's own scope.
public struct ApplicationFilter: Sendable {
    public var status: ApplicationStatus?
    public var deadline: Deadline.State?
    public var department: String?
    /// True: only the applications in which the department (the reviewer's own, or `department`)
    /// still has an item to review; false: only those in which it has none.
    public var pending: Bool?
    /// Only the applications the caller helps (一人帮办; clerks).
    public var helpedByMe: Bool
    /// Submitted on or after this day, and on or before `submittedTo` (the bureau's days).
    public var submittedFrom: CivilDate?
    public var submittedTo: CivilDate?

    public init(status: ApplicationStatus? = nil, deadline: Deadline.State? = nil, department: String? = nil, pending: Bool? = nil,
                helpedByMe: Bool = false, submittedFrom: CivilDate? = nil, submittedTo: CivilDate? = nil) {
        self.status = status
        self.deadline = deadline
        self.department = department
        self.pending = pending
        self.helpedByMe = helpedByMe
        self.submittedFrom = submittedFrom
        self.submittedTo = submittedTo
    }
}
