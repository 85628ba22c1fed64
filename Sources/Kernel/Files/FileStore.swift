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

/// Uploaded material files, stored content-addressed (by SHA-256) in a folder beside the database;
/// the same bytes uploaded twice are kept once on disk.
public struct FileStore: Sendable {
    public let directory: URL
    public let sizeLimit: Int
    let database: AppDatabase
    let dependencies: Dependencies

    public init(directory: URL, sizeLimit: Int, database: AppDatabase, dependencies: Dependencies) {
        self.directory = directory
        self.sizeLimit = sizeLimit
        self.database = database
        self.dependencies = dependencies
    }

    public func store(_ data: Data, contentType: String, by actor: Actor) async throws -> StoredFile {
        guard data.count <= sizeLimit else { throw KernelError.fileTooLarge(limit: sizeLimit) }
        guard !data.isEmpty else { throw KernelError.invalidField(field: "body", message: "文件内容为空") }
        let digest = SHA256.hash(data: data).hexString
        try writeBlob(data, digest: digest)
        let file = StoredFile(id: dependencies.makeID(), sha256: digest, size: data.count, contentType: contentType, ownerFirm: actor.firm)
        let now = dependencies.now()
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO files (id, sha256, size, content_type, owner_firm, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.id, file.sha256, file.size, file.contentType, file.ownerFirm, actor.id, now])
        }
        return file
    }

    public static func file(id: String, in db: Database) throws -> StoredFile? {
        try Row.fetchOne(db, sql: "SELECT * FROM files WHERE id = ?", arguments: [id]).map {
            StoredFile(id: $0["id"], sha256: $0["sha256"], size: $0["size"], contentType: $0["content_type"], ownerFirm: $0["owner_firm"])
        }
    }

    /// A file's bytes for its own firm, or for bureau staff (a staff read is audited, since
    /// materials hold personal data). Inspectors and other firms get not-found.
    public func download(id: String, by actor: Actor) async throws -> (file: StoredFile, data: Data) {
        let staff: Set<Role> = [.clerk, .reviewer, .issuer, .admin]
        let now = dependencies.now()
        let file = try await database.write { db -> StoredFile? in
            guard let file = try Self.file(id: id, in: db) else { return nil }
            if staff.contains(actor.role) {
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

    /// Writes through a temporary file and a rename, so a crash never leaves a partial blob under
    /// its final name; the bytes and the rename reach the disk before the row that names the file
    /// commits, so a committed row never points at a file a power loss took.
    func writeBlob(_ data: Data, digest: String) throws {
        let url = blobURL(digest: digest)
        if FileManager.default.fileExists(atPath: url.path) { return }
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(digest).\(dependencies.makeID())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
        try Self.synchronizeFolder(folder)
    }

    /// A rename is durable once its folder is synced.
    static func synchronizeFolder(_ folder: URL) throws {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
