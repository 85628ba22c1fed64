import ArgumentParser
import Foundation
import Kernel
import WebApp

/// 备份: a consistent copy of the database while the service keeps serving.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to a new file with SQLite's online backup API, while the service runs.",
        discussion: "The signing keys and uploaded files live in folders beside the database; copy them too.")

    @Option(help: "SQLite database file.") var db = "./shenguan.sqlite"
    @Option(help: "The backup file to create (never overwritten).") var to: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            printError("\(db): 数据库文件不存在")
            throw ExitCode(2)
        }
        guard !FileManager.default.fileExists(atPath: to) else {
            printError("\(to): 文件已存在，备份不会覆盖已有文件")
            throw ExitCode(2)
        }
        let database = try AppDatabase(path: db, migrations: [])
        try database.backup(to: to)
        print("备份完成：\(to)")
        let folders = ["keys", "files"].map { AppConfiguration.beside(db, suffix: $0).path }
        print("签名密钥与上传文件不在数据库内，请一并复制：\(folders.joined(separator: "、"))")
    }
}

/// 恢复: a backup becomes a database again, only when its audit chain is intact.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Restore a backup to a new database file, after verifying its audit log.")

    @Option(help: "The backup file.") var from: String
    @Option(help: "The database file to create (never overwritten).") var db: String

    func run() throws {
        do {
            let records = try AppDatabase.restore(from: from, to: db)
            print("恢复完成：\(db)（审计日志完整，共 \(records) 条记录）")
        } catch let error as BrokenAuditChain {
            printError(error.description + "，未恢复")
            throw ExitCode(1)
        } catch let error as KernelError {
            printError(error.message)
            throw ExitCode(2)
        }
    }
}
