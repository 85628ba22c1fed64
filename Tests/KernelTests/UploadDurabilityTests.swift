import Foundation
import GRDB
import Kernel
import Synchronization
import Testing

@Suite("An uploaded file reaches the disk before the row naming it commits")
struct UploadDurabilityTests {
    @Test("the upload's bytes are synced, then the folder it is renamed into, both while no row names the file yet; the row commits after")
    func bytesAreSyncedBeforeTheRow() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("durability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("db.sqlite").path
        let database = try AppDatabase(path: path, migrations: [])
        // What the store does, in order, and how many file rows another connection saw meanwhile.
        let steps = Mutex<[String]>([])
        let observer = try DatabaseQueue(path: path)
        @Sendable func record(_ step: String) throws {
            let rows = try observer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files") ?? -1 }
            steps.withLock { $0.append("\(step) with \(rows) rows") }
        }
        let durability = Durability(syncFile: { handle in try record("file synced"); try handle.synchronize() },
                                    syncFolder: { folder in try record("folder synced"); try Durability.disk.syncFolder(folder) })
        let store = FileStore(directory: folder.appendingPathComponent("files"), sizeLimit: 1_000_000, database: database,
                              dependencies: .live, durability: durability)
        let firm = Actor(id: "a1", username: "firm", name: "经办人", role: .applicant, firm: "91420104MA4KX12345")
        let stored = try await store.store(DemoPDF.document(label: "施工合同", title: "施工合同"), by: firm)
        #expect(steps.withLock { $0 } == ["file synced with 0 rows", "folder synced with 0 rows"])
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files WHERE id = ?", arguments: [stored.id]) } == 1)
    }
}
