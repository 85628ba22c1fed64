import ArgumentParser
import Certificates
import Foundation
import Kernel
import WebApp

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Manage the certificate signing keys.", subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a new signing key; old keys keep verifying.")

        @Option(help: "SQLite database file; the keys live beside it.") var db = "./shenguan.sqlite"

        func run() throws {
            let key = try SigningKeys.rotate(in: AppConfiguration.beside(db, suffix: "keys"), now: Date())
            print("新签名密钥 \(key.kid) 已生成；重启服务后用于签发证照，旧密钥继续用于核验。")
        }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a QR text (the URL or the bare JWS) offline and print its claims.",
        discussion: "Exit status: 0 valid signature, 1 bad signature or unknown key, 2 malformed.")

    @Argument(help: "The QR text.") var text: String
    @Option(help: "A JWKS file with the public keys (as served at /.well-known/jwks.json).") var jwks: String?
    @Option(help: "Without --jwks: the database whose key folder to use.") var db = "./shenguan.sqlite"
    @Option(help: "A catalog folder, to print item names beside their codes (skipped when absent).") var catalog = "Modules"

    func run() async throws {
        let document: JWKSDocument
        if let jwks {
            guard let data = FileManager.default.contents(atPath: jwks), let parsed = try? JSONDecoder().decode(JWKSDocument.self, from: data) else {
                throw ValidationError("\(jwks): 不是有效的 JWKS 文件")
            }
            document = parsed
        } else {
            let keys = try SigningKeys.read(AppConfiguration.beside(db, suffix: "keys"))
            guard !keys.isEmpty else { throw ValidationError("没有可用的公钥：请用 --jwks 指定 JWKS 文件") }
            document = SigningKeys(directory: URL(fileURLWithPath: db), keys: keys).jwks
        }
        switch await (try CertificateVerifier(jwks: document)).verify(text) {
        case .success(let claims):
            print("签名有效")
            let items = (try? CatalogLoader.load(from: URL(fileURLWithPath: catalog)))?.items ?? [:]
            for (label, value) in claims.printedLines(names: items.mapValues(\.name), labels: items.mapValues { $0.certificate.details ?? [:] }) {
                print("\(label)：\(value)")
            }
        case .failure(let failure):
            printError("无效（\(failure.rawValue)）：\(failure.label)")
            throw ExitCode([.tooLong, .malformed].contains(failure) ? 2 : 1)
        }
    }
}
