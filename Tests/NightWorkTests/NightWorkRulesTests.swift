import Approval
import CapabilityKit
import Foundation
import Kernel
@testable import NightWork
import Testing

@Suite("Night-work rules: the schedule is checked field by field, and every rule that fires says why")
struct NightWorkRulesTests {
    static let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Modules")
    static let catalog = try! CatalogLoader.load(from: modules)
    static let rules: NightWorkRules = {
        var section = CatalogSection(directory: modules, name: NightWorkCapability.name)
        return NightWorkCapability.readSection(&section, catalog: catalog)!.0
    }()
    static let today = CivilDate("2027-05-30")!

    static func schedule(_ first: String, _ last: String, start: String = "22:00", end: String = "04:00", reason: String = "concrete-pour",
                         receptors: [String] = []) -> Result<NightSchedule, NightSchedule.Problem> {
        NightSchedule.check(reason: reason, firstNight: CivilDate(first)!, lastNight: CivilDate(last)!, start: start, end: end,
                            receptors: receptors, rules: rules, today: today)
    }

    static let trusted = SiteFacts(earlierPermit: "420104-2027-YJ-000001", creditLevel: "A", creditLevelName: "守信", creditBelowReview: false,
                                   recentAlerts: 0, materialsOnFile: ["night-work-justification", "noise-control-plan"])

    @Test("the window must lie in 22:00–06:00 and end after it starts, across midnight")
    func window() {
        #expect((try? Self.schedule("2027-06-01", "2027-06-02", start: "23:30", end: "00:30").get()) != nil)
        #expect((try? Self.schedule("2027-06-01", "2027-06-02", start: "00:00", end: "06:00").get()) != nil)
        #expect(Self.schedule("2027-06-01", "2027-06-02", start: "21:59").failureField == "start")
        #expect(Self.schedule("2027-06-01", "2027-06-02", end: "06:01").failureField == "end")
        #expect(Self.schedule("2027-06-01", "2027-06-02", start: "01:00", end: "23:00").failureField == "end")
        #expect(Self.schedule("2027-06-01", "2027-06-02", start: "22:00", end: "22:00").failureField == "end")
        #expect(Self.schedule("2027-06-01", "2027-06-02", start: "2200").failureField == "start")
        #expect(Self.schedule("2027-06-01", "2027-06-16").failureField == "lastNight")
        #expect(Self.schedule("2027-05-29", "2027-05-30").failureField == "firstNight")
        #expect(Self.schedule("2027-07-01", "2027-07-02").failureField == "firstNight")
    }

    @Test("near a school no night work in exam week, unless it is an emergency repair")
    func blackout() throws {
        let exam = try Self.schedule("2027-06-05", "2027-06-06", receptors: ["school"]).get()
        let decision = NightWorkDecision.decide(exam, facts: Self.trusted, rules: Self.rules, materialNames: [:])
        #expect(decision.outcome == .denied)
        #expect(decision.reasons.map(\.message) == ["作业时段与2027年全国高考（2027-06-06 至 2027-06-10）重叠，工地周边有学校，期间不得夜间施工"])
        let repair = try Self.schedule("2027-06-05", "2027-06-06", reason: "emergency-repair", receptors: ["school"]).get()
        #expect(NightWorkDecision.decide(repair, facts: Self.trusted, rules: Self.rules, materialNames: [:]).outcome == .approved)
        let elsewhere = try Self.schedule("2027-06-05", "2027-06-06").get()
        #expect(NightWorkDecision.decide(elsewhere, facts: Self.trusted, rules: Self.rules, materialNames: [:]).outcome == .approved)
    }

    @Test("every reason for a person is given at once: a hospital nearby, recent alerts, a first application")
    func reviewReasons() throws {
        let schedule = try Self.schedule("2027-06-01", "2027-06-02", receptors: ["hospital"]).get()
        let facts = SiteFacts(earlierPermit: nil, creditLevel: "A", creditLevelName: "守信", creditBelowReview: false, recentAlerts: 2,
                              materialsOnFile: ["night-work-justification", "noise-control-plan"])
        let decision = NightWorkDecision.decide(schedule, facts: facts, rules: Self.rules, materialNames: [:])
        #expect(decision.outcome == .review)
        #expect(decision.reasons.map(\.rule) == ["receptor-review", "first-application", "recent-alerts"])
    }

    @Test("missing evidence for the reason denies, naming the material")
    func evidence() throws {
        let schedule = try Self.schedule("2027-06-01", "2027-06-02").get()
        let facts = SiteFacts(earlierPermit: "x", creditLevel: "A", creditLevelName: "守信", creditBelowReview: false, recentAlerts: 0,
                              materialsOnFile: ["night-work-justification"])
        let decision = NightWorkDecision.decide(schedule, facts: facts, rules: Self.rules, materialNames: ["noise-control-plan": "夜间施工噪声污染防治措施"])
        #expect(decision == RuleDecision(outcome: .denied, reasons: [RuleReason(rule: "evidence-missing", message: "“混凝土连续浇筑”须提供：夜间施工噪声污染防治措施")]))
    }

    @Test("a reading belongs to the night that began the evening before, and daytime readings to none")
    func readingNight() {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let late = NoiseReading(at: RFC3339.date(from: "2027-06-02T01:30:00+08:00")!, dBA: 60, rules: Self.rules, timeZone: zone)
        #expect(late.night == CivilDate("2027-06-01") && late.offset == 210)
        let evening = NoiseReading(at: RFC3339.date(from: "2027-06-01T14:30:00Z")!, dBA: 60, rules: Self.rules, timeZone: zone)
        #expect(evening.night == CivilDate("2027-06-01") && evening.offset == 30)
        let day = NoiseReading(at: RFC3339.date(from: "2027-06-02T06:00:00+08:00")!, dBA: 60, rules: Self.rules, timeZone: zone)
        #expect(day.night == nil)
    }

    @Test("RFC 3339 times parse with an offset, Z or a fraction, and nothing else")
    func times() {
        #expect(RFC3339.date(from: "2026-11-23T10:00:00+08:00") == Date(timeIntervalSince1970: 1_795_399_200))
        #expect(RFC3339.date(from: "2026-11-23T02:00:00.250Z") == Date(timeIntervalSince1970: 1_795_399_200.25))
        for bad in ["2026-11-23 10:00:00+08:00", "2026-11-23T10:00:00", "2026-02-30T10:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:00:00+0800", ""] {
            #expect(RFC3339.date(from: bad) == nil, "\(bad)")
        }
    }

    @Test("a reason that is not an option of the night-work item, or unknown evidence, is refused at its line")
    func catalogSection() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.modules, to: copy)
        let file = copy.appendingPathComponent("night-work/rules.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "name: 大型构件吊装", with: "name: 通宵狂欢")
            .replacingOccurrences(of: "evidence: [night-work-justification]\n", with: "evidence: [permit-from-mars]\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        var section = CatalogSection(directory: copy, name: NightWorkCapability.name)
        NightWorkCapability.checkCatalog(&section, catalog: Self.catalog)
        let lines = text.components(separatedBy: "\n")
        let reasonLine = (lines.firstIndex { $0.contains("通宵狂欢") } ?? -1) + 1
        let evidenceLine = (lines.firstIndex { $0.contains("permit-from-mars") } ?? -1) + 1
        let prefix = "\(copy.relativePath)/night-work/rules.yaml"
        #expect(section.issues.map(\.description) == [
            "\(prefix):\(reasonLine): 原因“通宵狂欢”不在事项 CG-YJSG 的 nightWorkReason 选项中",
            "\(prefix):\(evidenceLine): 材料 permit-from-mars 不是事项 CG-YJSG 的材料",
        ])
    }
}

extension Result where Failure == NightSchedule.Problem {
    var failureField: String? {
        if case .failure(let problem) = self { return problem.field }
        return nil
    }
}
