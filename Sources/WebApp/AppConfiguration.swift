import Foundation
import Kernel
import Supervision

/// Everything `buildApplication` needs; `shenguan serve` fills it from flags, tests from a
/// temporary folder with a fixed clock.
public struct AppConfiguration: Sendable {
    public var databasePath: String
    public var host: String
    public var port: Int
    /// The address users reach the service at; certificate links are built from it.
    public var publicURL: String
    public var catalogDirectory: URL
    /// Uploaded files are stored here, content-addressed.
    public var filesDirectory: URL
    /// Certificate signing keys (Ed25519, one file each, mode 0600).
    public var keysDirectory: URL
    /// Rendered certificate images, cached.
    public var imagesDirectory: URL
    /// A font with Chinese glyphs for certificate images (Debian's fonts-wqy-zenhei by default).
    public var fontPath: String
    public var openAPIFile: URL
    public var templatesDirectory: URL
    public var sampleDataDirectory: URL?
    public var uploadLimitBytes: Int
    /// The most one firm may keep uploaded, all its files together.
    public var firmQuotaBytes: Int
    public var bcryptCost: UInt8
    /// How often the deadline sweeps run (超时默认, certificate expiry).
    public var sweepInterval: Duration
    /// Retries and timeouts of webhook deliveries to external supervision systems.
    public var webhookPolicy: WebhookDispatcher.Policy
    /// Failed sign-ins tolerated per name and per address.
    public var signIn: SignInPolicy
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind one, every peer is the proxy,
    /// and limits kept per address must use the client's address it reports.
    public var trustedProxies: Set<String>
    public var dependencies: Dependencies
    /// For a bulk load only: commit every this many writes (`AppDatabase`).
    public var bulkCommitEvery: Int?

    public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil,
                catalogDirectory: URL, filesDirectory: URL? = nil, openAPIFile: URL, templatesDirectory: URL, sampleDataDirectory: URL? = nil,
                uploadLimitBytes: Int = 20 * 1_048_576, firmQuotaBytes: Int = 5 * 1_073_741_824, bcryptCost: UInt8 = 11,
                fontPath: String = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", sweepInterval: Duration = .seconds(300),
                webhookPolicy: WebhookDispatcher.Policy = .init(), signIn: SignInPolicy = .init(), trustedProxies: Set<String> = [],
                dependencies: Dependencies = .live) {
        self.webhookPolicy = webhookPolicy
        self.signIn = signIn
        self.trustedProxies = trustedProxies
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.catalogDirectory = catalogDirectory
        self.filesDirectory = filesDirectory ?? Self.beside(databasePath, suffix: "files")
        keysDirectory = Self.beside(databasePath, suffix: "keys")
        imagesDirectory = Self.beside(databasePath, suffix: "images")
        self.fontPath = fontPath
        self.openAPIFile = openAPIFile
        self.templatesDirectory = templatesDirectory
        self.sampleDataDirectory = sampleDataDirectory
        self.uploadLimitBytes = uploadLimitBytes
        self.firmQuotaBytes = firmQuotaBytes
        self.bcryptCost = bcryptCost
        self.sweepInterval = sweepInterval
        self.dependencies = dependencies
    }

    public var auditAnchorKeyFile: URL { Self.auditAnchorKeyFile(forDatabase: databasePath) }
    public var auditAnchorsFile: URL { Self.auditAnchorsFile(forDatabase: databasePath) }

    /// The key that signs the audit chain's head: in the keys folder, never in the database.
    public static func auditAnchorKeyFile(forDatabase path: String) -> URL {
        beside(path, suffix: "keys").appendingPathComponent("audit-anchor.ed25519")
    }

    /// The signed anchors, one JSON line each, beside the database.
    public static func auditAnchorsFile(forDatabase path: String) -> URL { beside(path, suffix: "audit-anchors.jsonl") }

    /// `data/shenguan.sqlite` → `data/shenguan-<suffix>`: the data folder the database lives in.
    public static func beside(_ databasePath: String, suffix: String) -> URL {
        let database = URL(fileURLWithPath: databasePath)
        return database.deletingLastPathComponent().appendingPathComponent(database.deletingPathExtension().lastPathComponent + "-" + suffix)
    }
}
