import Crypto
import Foundation
import GRDB

public struct StoredFile: Sendable, Codable, Equatable {
    public let id: String
    public let sha256: String
    public let size: Int
    public let contentType: String
    public let ownerFirm: String?
}

/// May this staff member read this file? Decided by the module that knows why the file was
/// uploaded, in the reading transaction.
public typealias FileReadRule = @Sendable (_ fileID: String, _ actor: Actor, _ db: Database) throws -> Bool

/// Uploaded material files, stored content-addressed (by SHA-256) in a folder beside the database;
/// the same bytes uploaded twice are kept once on disk. An upload is streamed to disk within the
/// size limit, judged by its bytes (PDF, JPEG, PNG, OFD), and counted against its firm's quota.
public struct FileStore: Sendable {
    public let directory: URL
    public let sizeLimit: Int
    /// The most a firm may keep uploaded, all its files together.
    public let firmQuota: Int
    let database: AppDatabase
    let dependencies: Dependencies
    /// A reviewer reads only what this rule allows (the materials of its department's items).
    let reviewerMayRead: FileReadRule
    let durability: Durability

    public init(directory: URL, sizeLimit: Int, firmQuota: Int = 5 * 1_073_741_824, database: AppDatabase, dependencies: Dependencies,
                reviewerMayRead: @escaping FileReadRule = { _, _, _ in false }, durability: Durability = .disk) {
        self.durability = durability
        self.directory = directory
        self.sizeLimit = sizeLimit
        self.firmQuota = firmQuota
        self.database = database
        self.dependencies = dependencies
        self.reviewerMayRead = reviewerMayRead
    }

    /// Applicants upload materials (any accepted kind), inspectors photos (JPEG, PNG); nobody else.
    static func kinds(for actor: Actor) throws -> Set<FileKind> {
        switch actor.role {
        case .applicant: Set(FileKind.allCases)
        case .inspector: [.jpeg, .png]
        default: throw KernelError.forbidden("只有申请单位（申请材料）和监管人员（现场照片）可以上传文件")
        }
    }

    public func store(_ data: Data, by actor: Actor) async throws -> StoredFile {
        try await store(chunks: AsyncStream { continuation in
            continuation.yield(data)
            continuation.finish()
        }, by: actor)
    }

    /// Streams the chunks to a temporary file, hashing and counting as they come; over the limit
    /// the upload stops at once. Then the bytes decide the kind; the file is synced and moved
    /// under its digest, and its row commits if the firm's quota allows. A refused upload leaves
    /// nothing behind.
    public func store<Chunks: AsyncSequence>(chunks: Chunks, by actor: Actor) async throws -> StoredFile where Chunks.Element: Collection<UInt8> {
        let allowed = try Self.kinds(for: actor)
        let incoming = directory.appendingPathComponent(".incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        let temporary = incoming.appendingPathComponent(dependencies.makeID())
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        var keep = false
        defer { if !keep { try? FileManager.default.removeItem(at: temporary) } }
        var hasher = SHA256()
        var size = 0
        var prefix: [UInt8] = []
        var scanner = SignatureScanner(FileKind.ofdEntry)
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            for try await chunk in chunks {
                size += chunk.count
                guard size <= sizeLimit else { throw KernelError.fileTooLarge(limit: sizeLimit) }
                let bytes = Array(chunk)
                if prefix.count < 8 { prefix += bytes.prefix(8 - prefix.count) }
                if prefix.count < 4 || prefix.starts(with: [0x50, 0x4B]) { scanner.scan(bytes) }
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
            }
            try durability.syncFile(handle)
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard size > 0 else { throw KernelError.invalidField(field: "body", message: "文件内容为空") }
        guard let kind = FileKind.detect(prefix: prefix, holdsOFDEntry: scanner.found), allowed.contains(kind) else {
            let accepted = allowed.map(\.rawValue.localizedUppercase).sorted().joined(separator: "、")
            throw KernelError.invalidField(field: "body", message: "只接受 \(accepted) 文件（按文件内容识别，而非声明的类型）")
        }
        let digest = hasher.finalize().hexString
        let file = StoredFile(id: dependencies.makeID(), sha256: digest, size: size, contentType: kind.contentType, ownerFirm: actor.firm)
        let created = try moveBlob(temporary, digest: digest)
        keep = created
        let (now, quota, total) = (dependencies.now(), firmQuota, size)
        do {
            try await database.write { db in
                if let firm = file.ownerFirm {
                    let used = try Int.fetchOne(db, sql: Self.quotaUsedSQL, arguments: [firm]) ?? 0
                    guard used + total <= quota else { throw KernelError.quotaExceeded(quota: quota) }
                }
                try db.execute(sql: """
                    INSERT INTO files (id, sha256, size, content_type, owner_firm, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [file.id, file.sha256, file.size, file.contentType, file.ownerFirm, actor.id, now])
            }
        } catch {
            if created { try? FileManager.default.removeItem(at: blobURL(digest: digest)) }
            throw error
        }
        return file
    }

    /// What a firm has uploaded so far, summed in `files_by_firm`.
    static let quotaUsedSQL = "SELECT COALESCE(SUM(size), 0) FROM files WHERE owner_firm = ?"

    public static func file(id: String, in db: Database) throws -> StoredFile? {
        try Row.fetchOne(db, sql: "SELECT * FROM files WHERE id = ?", arguments: [id]).map {
            StoredFile(id: $0["id"], sha256: $0["sha256"], size: $0["size"], contentType: $0["content_type"], ownerFirm: $0["owner_firm"])
        }
    }

    /// A file's bytes for its own firm, or for bureau staff (a staff read is audited, since
    /// materials hold personal data); a reviewer only the materials of its own department's
    /// items. Inspectors (but for their own photos), other firms and other departments get not-found.
    public func download(id: String, by actor: Actor) async throws -> (file: StoredFile, data: Data) {
        let staff: Set<Role> = [.clerk, .issuer, .admin]
        let (now, reviewerMayRead) = (dependencies.now(), self.reviewerMayRead)
        let file = try await database.write { db -> StoredFile? in
            guard let file = try Self.file(id: id, in: db) else { return nil }
            if try staff.contains(actor.role) || (actor.role == .reviewer && reviewerMayRead(id, actor, db)) {
                try AuditLog.append(AuditEntry(actor: actor, action: "file.read", subject: "file/\(id)"), in: db, at: now)
                return file
            }
            if actor.role == .applicant, file.ownerFirm == actor.firm { return file }
            // An inspector's own evidence (a photo uploaded for an inspection) is its own to read back.
            let uploader = try String.fetchOne(db, sql: "SELECT uploaded_by FROM files WHERE id = ?", arguments: [id])
            return actor.role == .inspector && uploader == actor.id ? file : nil
        }
        guard let file else { throw KernelError.notFound("文件 \(id)") }
        return (file, try Data(contentsOf: blobURL(digest: file.sha256)))
    }

    func blobURL(digest: String) -> URL {
        directory.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent(digest)
    }

    /// Moves a synced temporary file under its digest (kept once: the same bytes already stored
    /// leave the temporary file to be removed) and syncs the folder, so the rename survives a
    /// power loss before the row naming the file commits. Returns whether a new blob was made.
    func moveBlob(_ temporary: URL, digest: String) throws -> Bool {
        let url = blobURL(digest: digest)
        if FileManager.default.fileExists(atPath: url.path) { return false }
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        try durability.syncFolder(folder)
        return true
    }
}

/// How an upload's bytes reach the disk before the row naming them commits: its file synced, then
/// the folder it is renamed into. A test replaces the steps to see that they happen, and when.
public struct Durability: Sendable {
    public var syncFile: @Sendable (FileHandle) throws -> Void
    public var syncFolder: @Sendable (URL) throws -> Void

    public init(syncFile: @escaping @Sendable (FileHandle) throws -> Void, syncFolder: @escaping @Sendable (URL) throws -> Void) {
        self.syncFile = syncFile
        self.syncFolder = syncFolder
    }

    public static let disk = Durability(syncFile: { try $0.synchronize() }, syncFolder: { folder in
        // A rename is durable once its folder is synced.
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown) }
    })
}
