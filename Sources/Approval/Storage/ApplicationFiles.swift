import GRDB
import Kernel

/// The material files of applications, indexed beside them, and who among the reviewers may read
/// one: a reviewer reads the materials its department's items ask for, nothing else.
public enum ApplicationFiles {
    /// Rewrites the application's file index from its materials, in the saving transaction.
    static func index(_ application: Application, in db: Database) throws {
        try db.execute(sql: "DELETE FROM application_files WHERE application_id = ?", arguments: [application.id])
        for material in application.materials {
            guard let file = material.file else { continue }
            try db.execute(sql: "INSERT OR IGNORE INTO application_files (file_id, application_id, material) VALUES (?, ?, ?)",
                           arguments: [file, application.id, material.material])
        }
    }

    /// The rule `FileStore` applies to reviewers: the file is a material of an application with an
    /// item of the reviewer's department whose catalog entry asks for that material.
    public static func reviewerRule(catalog: Catalog) -> FileReadRule {
        { fileID, actor, db in
            guard let department = actor.department else { return false }
            let uses = try Row.fetchAll(db, sql: "SELECT application_id, material FROM application_files WHERE file_id = ?", arguments: [fileID])
            for use in uses {
                guard let application = try SQLiteApprovalStore.application(id: use["application_id"], in: db) else { continue }
                let material: String = use["material"]
                let asked = application.items.filter { $0.department == department }
                    .contains { item in catalog.items[item.code]?.materials.contains { $0.id == material } ?? false }
                if asked { return true }
            }
            return false
        }
    }
}
