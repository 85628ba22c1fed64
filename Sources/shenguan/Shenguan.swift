import ArgumentParser
import Foundation
import Kernel
import WebApp

@main
struct Shenguan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shenguan",
        abstract: "建筑工程审批与审管联动服务 — construction permits with approval–supervision linkage.",
        subcommands: [Serve.self, CatalogCommand.self, AuditCommand.self, KeysCommand.self, Verify.self, Backup.self, Restore.self,
                      GenerateCity.self]
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web pages and the API.")

    @Option(help: "SQLite database file.") var db = "./shenguan.sqlite"
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(name: .customLong("public-url"), help: "The address users reach the service at (used in certificate links).") var publicURL: String?
    @Option(help: "The catalog folder.") var catalog = "Modules"
    @Flag(help: "Load the sample projects, firms and accounts of SampleProjects/ (idempotent).") var demo = false
    @Option(name: .customLong("trusted-proxy"), help: "A reverse proxy's address whose X-Forwarded-For is believed (repeatable).")
    var trustedProxies: [String] = []
    @Option(name: .customLong("sign-in-failures-per-address"), help: "Failed sign-ins from one address within 15 minutes before it is locked.")
    var failuresPerAddress = SignInPolicy().failuresPerAddress

    func run() async throws {
        guard failuresPerAddress > 0 else {
            printError("--sign-in-failures-per-address: 应为正整数")
            throw ExitCode(2)
        }
        let configuration = AppConfiguration(
            databasePath: db, host: host, port: port, publicURL: publicURL,
            catalogDirectory: URL(fileURLWithPath: catalog), openAPIFile: URL(fileURLWithPath: "openapi.yaml"),
            templatesDirectory: URL(fileURLWithPath: "Templates"),
            sampleDataDirectory: demo ? URL(fileURLWithPath: "SampleProjects") : nil,
            signIn: SignInPolicy(failuresPerAddress: failuresPerAddress), trustedProxies: Set(trustedProxies))
        do {
            try await WebApp.serve(configuration)
        } catch let error as InvalidCatalog {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Work with the item catalog.", subcommands: [Validate.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a catalog folder; print every problem as FILE:LINE: message.")

        @Argument(help: "The catalog folder.") var directory = "Modules"

        func run() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                printError("\(directory): 目录不存在")
                throw ExitCode(2)
            }
            let issues = validateCatalog(directory: URL(fileURLWithPath: directory))
            guard issues.isEmpty else {
                for issue in issues { print(issue) }
                throw ExitCode(1)
            }
            print("\(directory): 目录校验通过")
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Work with the audit log.", subcommands: [Verify.self, Anchor.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain of the audit log, and every signed anchor of its head.",
            discussion: "Anchors are read from the file beside the database and, with --anchors, from a copy kept elsewhere (one JSON object per line).")

        @Option(help: "SQLite database file.") var db = "./shenguan.sqlite"
        @Option(help: "A copy of the anchors kept outside this machine.") var anchors: String?

        func run() async throws {
            guard FileManager.default.fileExists(atPath: db) else {
                printError("\(db): 数据库文件不存在")
                throw ExitCode(2)
            }
            let database = try AppDatabase(path: db, migrations: [])
            let keyFile = AppConfiguration.auditAnchorKeyFile(forDatabase: db), anchorsFile = AppConfiguration.auditAnchorsFile(forDatabase: db)
            guard let signer = try AuditAnchors.existing(keyFile: keyFile, file: anchorsFile) else {
                try await report(try await database.read { db in try AuditLog.verify(in: db) }, anchors: 0)
                print("（未找到锚点密钥 \(keyFile.path)，只校验了哈希链）")
                return
            }
            var signed = try AuditAnchors.read(anchorsFile)
            if let anchors { signed += try AuditAnchors.read(URL(fileURLWithPath: anchors)) }
            let checked = signed
            try await report(try await database.read { db in try AuditLog.verify(in: db, anchors: checked, publicKey: signer.publicKey) },
                             anchors: signed.count)
        }

        func report(_ verification: AuditLog.Verification, anchors: Int) async throws {
            switch verification {
            case .intact(let records):
                print("审计日志完整：共 \(records) 条记录，\(anchors) 个签名锚点相符")
            case .broken(let recordID, let reason):
                print("审计日志已被篡改：记录 \(recordID)：\(reason)")
                throw ExitCode(1)
            }
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the audit chain's head now (the service also does so on every sweep).")

        @Option(help: "SQLite database file.") var db = "./shenguan.sqlite"

        func run() async throws {
            guard FileManager.default.fileExists(atPath: db) else {
                printError("\(db): 数据库文件不存在")
                throw ExitCode(2)
            }
            let database = try AppDatabase(path: db, migrations: [])
            let signer = try AuditAnchors.open(keyFile: AppConfiguration.auditAnchorKeyFile(forDatabase: db),
                                               file: AppConfiguration.auditAnchorsFile(forDatabase: db))
            if let anchor = try await signer.anchorHead(of: database, at: Date()) {
                print("已签名锚点：记录 \(anchor.recordID)（\(anchor.hash.prefix(16))…）")
            } else {
                print("审计日志自上一个锚点以来没有新记录")
            }
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
