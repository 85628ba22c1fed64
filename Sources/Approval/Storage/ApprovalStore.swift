import Foundation
import Kernel

/// Which applications to list.
public struct ApplicationQuery: Sendable {
    public var firm: String?
    public var projectID: String?
    /// Only applications this clerk helps (一人帮办).
    public var helper: String?
    public var department: String?
    /// With `department`: true for only the applications in which that department still has an
    /// item to decide and review is possible (accepted, accepted with deficiencies, under review),
    /// false for only those in which it has none.
    public var pending: Bool?
    public var statuses: [ApplicationStatus]?
    public var clock: DeadlineClock?
    /// Only applications whose promised date is on or after this day.
    public var promisedFrom: CivilDate?
    /// Only applications whose promised date is before this day.
    public var promisedBefore: CivilDate?
    public var submittedFrom: Date?
    public var submittedBefore: Date?

    public init(firm: String? = nil, projectID: String? = nil, helper: String? = nil, department: String? = nil, pending: Bool? = nil,
                statuses: [ApplicationStatus]? = nil, clock: DeadlineClock? = nil, promisedFrom: CivilDate? = nil, promisedBefore: CivilDate? = nil,
                submittedFrom: Date? = nil, submittedBefore: Date? = nil) {
        self.helper = helper
        self.firm = firm
        self.projectID = projectID
        self.department = department
        self.pending = pending
        self.statuses = statuses
        self.clock = clock
        self.promisedFrom = promisedFrom
        self.promisedBefore = promisedBefore
        self.submittedFrom = submittedFrom
        self.submittedBefore = submittedBefore
    }
}

/// Persistence of projects and applications. Each method is one transaction: a change, its audit
/// records and its domain events (with their in-process subscribers) commit together or not at all.
public protocol ApprovalStore: Sendable {
    func insert(_ project: Project, audit: AuditEntry, at date: Date) async throws
    func project(id: String) async throws -> Project?
    func projects(ids: Set<String>) async throws -> [String: Project]
    /// A page of the projects `firm` builds or contracts (all of them for nil), by code.
    func projects(visibleTo firm: String?, page: PageRequest) async throws -> Page<Project>
    /// The registered firms among `usccs`.
    func firms(_ usccs: [String]) async throws -> [String: Firm]
    func project(code: String) async throws -> Project?
    /// Applications holding a 容缺 material still deferred past its promised day and not yet
    /// recorded as overdue.
    func applicationsWithDeficiencies(dueBefore day: CivilDate) async throws -> [String]
    /// Files a contest; a firm's second open contest on the same project is a conflict.
    func insert(_ contest: ProjectContest, audit: AuditEntry, at date: Date) async throws
    func contests(status: ProjectContest.Status?, page: PageRequest) async throws -> Page<ProjectContest>
    /// Saves the project's new parties and settles its open contests: upheld for a firm that is
    /// now a party, dismissed otherwise.
    func reassign(_ project: Project, audit: AuditEntry, at date: Date) async throws
    /// Dismisses an open contest; returns it, or nil when there is no open contest of that id.
    func dismissContest(id: String, resolution: String, audit: AuditEntry, at date: Date) async throws -> ProjectContest?
    func insert(_ application: Application, effects: Effects, at date: Date) async throws
    func application(id: String) async throws -> (application: Application, project: Project)?
    /// An application's site — its project's region, address and parties — and the text values of
    /// `fields` on its form, read out of the stored documents without decoding either (a
    /// capability's annex may be large): what a scan shows an inspector.
    func site(ofApplication id: String, formText fields: [String]) async throws -> (site: ProjectSite, form: [String: String])?
    /// Loads the application, applies `change`, saves it with the effects the change returns.
    func update(applicationID: String, at date: Date,
                _ change: @Sendable (inout Application, Project) throws -> Effects) async throws -> Application
    func applications(_ query: ApplicationQuery) async throws -> [Application]
    /// One page of a list, newest first.
    func applications(_ query: ApplicationQuery, page: PageRequest) async throws -> Page<Application>
    /// The same page as list rows, as the writing transactions kept them; a department's own items
    /// when `departmentItems` (the query names the department).
    func listedApplications(_ query: ApplicationQuery, departmentItems: Bool, page: PageRequest) async throws -> Page<ListedApplication>
    /// How many applications were issued in each period (instants, the end left out).
    func issuedCounts(in periods: [Range<Date>]) async throws -> [Int]
    /// 一表申请: what the firm already told on a project — each field's value on its newest
    /// application there that was not refused or withdrawn.
    func knownForm(firm: String, projectID: String) async throws -> [String: FormValue]
    func timeline(applicationID: String) async throws -> [AuditRecord]
    func record(_ audit: AuditEntry, at date: Date) async throws
    func file(id: String) async throws -> StoredFile?
    /// A page of the firm's records on the days after `after` through `through`, newest first.
    func creditRecords(firm: String, after: CivilDate, through: CivilDate, page: PageRequest) async throws -> Page<CreditEntry>
    /// How many records of each kind the firm has on the days after `after` through `through`.
    func creditCounts(firm: String, after: CivilDate, through: CivilDate) async throws -> [CreditEventKind: Int]
    /// An original application and every application that amends it (增项), oldest first.
    func lineage(root: String) async throws -> [Application]
    /// 一人帮办: the clerk with the fewest bundle applications still under way.
    func leastBusyHelper() async throws -> Helper?
    func insert(_ message: ApplicationMessage, audit: AuditEntry) async throws
    func messages(applicationID: String, page: PageRequest) async throws -> Page<ApplicationMessage>
}
