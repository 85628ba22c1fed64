import ArgumentParser
import Foundation
import Kernel
import WebApp

/// 城市规模数据: the database a city of 15 districts accumulates over years, for measuring the
/// service at that scale. Built through the services, seed-stable, in large transactions.
struct GenerateCity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-city",
        abstract: "Build a new database holding years of a city's permits, supervision and scans, through the services' own code.",
        discussion: """
            Each application is submitted with its materials, accepted, reviewed by both departments and issued (the last weeks stop \
            at every stage; a few are refused or withdrawn); twenty days after issuance each of its supervision tasks gets its first \
            inspection and the certificate its QR scans. The same seed builds the same city. Accounts sign in with the password \
            \(CityGenerator.password).
            """)

    @Option(help: "The database file to create (never overwritten).") var db: String
    @Option(help: "How many applications.") var applications = 1_000_000
    @Option(name: .customLong("scans-per-application"), help: "QR scans recorded per issued certificate.") var scansPerApplication = 10
    @Option(help: "How many applicant firms (default: one per 500 applications, at least 20).") var firms: Int?
    @Option(help: "Seed of every id and choice.") var seed: UInt64 = 1
    @Option(help: "The first day of the city's history (within the years Modules/calendar.yaml covers).") var from = "2026-01-01"
    @Option(help: "The day the history reaches.") var until = "2026-12-01"
    @Option(help: "The catalog folder.") var catalog = "Modules"

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: db) else {
            printError("\(db): 文件已存在，生成数据不会覆盖已有数据库")
            throw ExitCode(2)
        }
        guard applications > 0, scansPerApplication >= 0, (firms ?? 2) >= 2 else {
            printError("--applications 应为正整数，--scans-per-application 不能为负，--firms 至少为 2")
            throw ExitCode(2)
        }
        guard let start = CivilDate(from), let end = CivilDate(until), start < end else {
            printError("--from、--until 应为 YYYY-MM-DD 格式的日期，且 --from 早于 --until")
            throw ExitCode(2)
        }
        let timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let plan = CityGenerator.Plan(applications: applications, scansPerApplication: scansPerApplication, firms: firms, seed: seed,
                                      start: start.start(in: timeZone).addingTimeInterval(9 * 3600), end: end.start(in: timeZone))
        let configuration = AppConfiguration(databasePath: db, catalogDirectory: URL(fileURLWithPath: catalog),
                                             openAPIFile: URL(fileURLWithPath: "openapi.yaml"), templatesDirectory: URL(fileURLWithPath: "Templates"))
        let years = try CatalogLoader.load(from: configuration.catalogDirectory).calendar.years
        guard years.contains(start.year), years.contains(end.year) else {
            printError("工作日历仅覆盖 \(years.lowerBound)–\(years.upperBound) 年：--from、--until 应在其中（在 \(catalog)/calendar.yaml 中补充年份可生成更长的历史）")
            throw ExitCode(2)
        }
        let report = try await CityGenerator.generate(plan, configuration: configuration) { done, total in
            // On standard error, unbuffered: the progress of an hours-long run shows as it goes.
            FileHandle.standardError.write(Data("\(done)/\(total) applications\n".utf8))
        }
        print(report)
    }
}
