import Crypto
import Foundation
import HummingbirdBcrypt
import Synchronization

/// A new account as an administrator or the sample data describes it.
public struct NewAccount: Sendable, Codable {
    public var username: String
    public var password: String
    public var role: Role
    public var name: String
    public var firm: String?
    /// The firm's name, registering it with the account when the code is new; when given for a
    /// registered firm it must be the registered name.
    public var firmName: String?
    public var department: String?
    public var region: String?

    public init(username: String, password: String, role: Role, name: String, firm: String? = nil, firmName: String? = nil,
                department: String? = nil, region: String? = nil) {
        self.username = username
        self.password = password
        self.role = role
        self.name = name
        self.firm = firm
        self.firmName = firmName
        self.department = department
        self.region = region
    }
}

public struct Session: Sendable {
    public let token: String
    public let actor: Actor
    public let expiresAt: Date
}

/// Accounts, bcrypt passwords and bearer sessions. Tokens are random, shown once, and stored only
/// as their SHA-256, so a copy of the database does not let anyone log in.
public struct AccountService: Sendable {
    let store: any AccountStore
    let catalog: Catalog
    let dependencies: Dependencies
    let bcryptCost: UInt8
    let sessionLifetime: TimeInterval

    let signIn: SignInPolicy

    public init(store: any AccountStore, catalog: Catalog, dependencies: Dependencies, bcryptCost: UInt8 = 11, sessionLifetime: TimeInterval = 12 * 3600,
                signIn: SignInPolicy = SignInPolicy()) {
        self.store = store
        self.catalog = catalog
        self.dependencies = dependencies
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.signIn = signIn
    }

    /// Creates an account; the role decides which of firm, department and region it must name.
    @discardableResult
    public func create(_ account: NewAccount, by creator: Actor) async throws -> Actor {
        guard creator.role == .admin else { throw KernelError.forbidden("只有管理员可以创建账号") }
        try validate(account)
        let hash = try await offloaded { Bcrypt.hash(account.password, cost: bcryptCost) }
        let actor = Actor(id: dependencies.makeID(), username: account.username, name: account.name, role: account.role,
                          firm: account.firm, department: account.department, region: account.region)
        let audit = AuditEntry(actor: creator, action: "account.created", subject: "account/\(actor.id)",
                               after: ["username": actor.username, "role": actor.role.rawValue])
        let firmName = try account.firmName.map { try Firm.checkedName($0, field: "firmName") }
        try await store.insert(actor, passwordHash: hash, firmName: firmName, audit: audit, at: dependencies.now())
        return actor
    }

    /// 单位登记: an administrator registers a firm the bureau deals with (a contractor with no
    /// account yet, say) under its one name.
    public func registerFirm(uscc: String?, name: String?, by actor: Actor) async throws -> Firm {
        guard actor.role == .admin else { throw KernelError.forbidden("只有管理员可以登记单位") }
        guard let uscc else { throw KernelError.missingField("uscc") }
        let code: UnifiedSocialCreditCode
        do { code = try UnifiedSocialCreditCode(uscc) } catch { throw KernelError.invalidField(field: "uscc", message: error.message) }
        return try await store.registerFirm(uscc: code.value, name: try Firm.checkedName(name, field: "name"), by: actor, at: dependencies.now())
    }

    public func firm(uscc: String) async throws -> Firm? {
        try await store.firm(uscc: uscc.uppercased())
    }

    /// How many keys a cursor of the firm register carries.
    public static var firmsKeyCount: Int { FirmRegister.order.keyCount }

    /// A page of the firm register, by code.
    public func firms(for actor: Actor, page: PageRequest) async throws -> Page<Firm> {
        guard actor.role.isStaff else { throw KernelError.forbidden("只有审批局工作人员可以查看单位名录") }
        return try await store.firms(page: page)
    }

    public func all() async throws -> [Actor] {
        try await store.all()
    }

    public func exists(username: String) async throws -> Bool {
        try await store.account(username: username) != nil
    }

    /// Checks a password and opens a session. An unknown user and a wrong password get the same
    /// error after the same bcrypt work, so neither the answer nor its time tells which names
    /// exist; repeated failures for a name or from an address lock sign-in for a while (429).
    public func login(username: String, password: String, address: String?) async throws -> Session {
        let now = dependencies.now()
        let name = String(username.prefix(64)), address = address ?? "unknown"
        let failures = try await store.signInFailures(username: name, address: address, since: now.addingTimeInterval(-signIn.window),
                                                      limit: (signIn.failuresPerAccount, signIn.failuresPerAddress))
        if let retryAt = signIn.lockedUntil(failures) {
            throw KernelError.signInLocked(until: RFC3339.string(from: retryAt, timeZone: catalog.calendar.timeZone),
                                           seconds: max(1, Int(retryAt.timeIntervalSince(now).rounded(.up))))
        }
        let stored = try await store.account(username: name)
        let hash = if let stored { stored.passwordHash } else { try await decoyHash() }
        let matches = try await offloaded { Bcrypt.verify(password, hash: hash) }
        guard let stored, matches else {
            try await store.recordSignInFailure(username: name, address: address, at: now)
            throw KernelError.unauthenticated
        }
        guard stored.disabledAt == nil else { throw KernelError.accountDisabled }
        try await store.clearSignInFailures(username: name)
        let token = Data(dependencies.randomBytes(32)).base64URLEncoded
        let expiresAt = now.addingTimeInterval(sessionLifetime)
        try await store.insertSession(tokenHash: Self.digest(token), accountID: stored.actor.id, expiresAt: expiresAt)
        return Session(token: token, actor: stored.actor, expiresAt: expiresAt)
    }

    /// A hash of no one's password at this service's cost, so an unknown name costs a real check.
    func decoyHash() async throws -> String {
        if let known = Self.decoys.withLock({ $0[bcryptCost] }) { return known }
        let cost = bcryptCost
        let made = try await offloaded { Bcrypt.hash(UUID().uuidString, cost: cost) }
        return Self.decoys.withLock { decoys in
            if let known = decoys[cost] { return known }
            decoys[cost] = made
            return made
        }
    }

    static let decoys = Mutex<[UInt8: String]>([:])

    /// The actor behind a bearer token, or nil when it is unknown or expired.
    public func actor(forToken token: String) async throws -> Actor? {
        try await store.actor(sessionTokenHash: Self.digest(token), at: dependencies.now())
    }

    public func logout(token: String) async throws {
        try await store.deleteSession(tokenHash: Self.digest(token))
    }

    func validate(_ account: NewAccount) throws {
        guard account.username.wholeMatch(of: /[a-z][a-z0-9._-]{2,31}/) != nil else {
            throw KernelError.invalidField(field: "username", message: "用户名为3–32位小写字母、数字或 . _ -，以字母开头")
        }
        if let problem = PasswordPolicy.problem(with: account.password, username: account.username) {
            throw KernelError.invalidField(field: "password", message: problem)
        }
        guard !account.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw KernelError.missingField("name") }
        if let scalar = PrintableText.firstForbidden(in: account.name) {
            throw KernelError.invalidField(field: "name", message: PrintableText.refusal(scalar))
        }
        switch account.role {
        case .applicant:
            guard let firm = account.firm else { throw KernelError.missingField("firm") }
            do { _ = try UnifiedSocialCreditCode(firm) } catch { throw KernelError.invalidField(field: "firm", message: error.message) }
        case .reviewer, .inspector:
            guard let department = account.department else { throw KernelError.missingField("department") }
            guard catalog.departments[department] != nil else { throw KernelError.invalidField(field: "department", message: "未知部门 \(department)") }
            if account.role == .inspector {
                guard let region = account.region else { throw KernelError.missingField("region") }
                guard catalog.regions[region] != nil else { throw KernelError.invalidField(field: "region", message: "未知行政区划 \(region)") }
            }
        case .clerk, .issuer, .admin:
            break
        }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}
