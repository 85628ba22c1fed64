import Approval
import Foundation
import Kernel
import Testing

@Suite("An application goes from submission through parallel review to issuance")
struct ApplicationLifecycleTests {
    @Test("two departments review in any order and the last review decides")
    func parallelReview() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        let submitted = try await harness.submitPermitAndGreenspace(project: project)
        #expect(submitted.status == .submitted)

        let accepted = try await harness.acceptDeferringTreePlan(submitted)
        #expect(accepted.status == .acceptedWithDeficiencies)
        #expect(accepted.promisedBy == CivilDate("2026-11-30"))  // 5 working days from Monday 2026-11-23

        let afterLandscaping = try await harness.service.review(submitted.id, ReviewDecision(item: "YL-LDZY", decision: .approve, opinion: nil),
                                                                by: harness.landscapingReviewer)
        #expect(afterLandscaping.status == .underReview)
        let decided = try await harness.service.review(submitted.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: "符合条件"),
                                                       by: harness.housingReviewer)
        #expect(decided.status == .approved)
        #expect(decided.items.allSatisfy { $0.status == .approved && $0.basis == .review })
    }

    @Test("one denied item of two makes the decision partly approved")
    func partlyApproved() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        _ = try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: nil), by: harness.housingReviewer)
        let decided = try await harness.service.review(application.id, ReviewDecision(item: "YL-LDZY", decision: .deny, opinion: "占用绿地面积超出规划许可范围"),
                                                       by: harness.landscapingReviewer)
        #expect(decided.status == .partlyApproved)
    }

    @Test("a denial without an opinion is refused, naming the field")
    func denialNeedsOpinion() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        await #expect(throws: ApprovalError.invalidField(field: "opinion", message: "不能为空")) {
            try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .deny, opinion: " "), by: harness.housingReviewer)
        }
    }

    @Test("reviewing before acceptance is a conflict that names the current state")
    func reviewBeforeAcceptance() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        await #expect(throws: ApprovalError.invalidState(current: .submitted, action: "审查")) {
            try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: nil), by: harness.housingReviewer)
        }
    }

    @Test("a reviewer may not decide another department's item, and the same item is not decided twice")
    func reviewerBoundaries() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        await #expect(throws: ApprovalError.self) {
            try await harness.service.review(application.id, ReviewDecision(item: "YL-LDZY", decision: .approve, opinion: nil), by: harness.housingReviewer)
        }
        _ = try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: nil), by: harness.housingReviewer)
        await #expect(throws: ApprovalError.conflict(code: "item-already-decided", message: "事项 ZJ-SGXK 已作出决定（approved）")) {
            try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .deny, opinion: "x"), by: harness.housingReviewer)
        }
        await #expect(throws: ApprovalError.notFound("申请 \(application.id)")) {
            try await harness.service.review(application.id, ReviewDecision(item: "SW-PSXK", decision: .approve, opinion: nil), by: harness.waterReviewer)
        }
    }

    @Test("issuance waits until every deferred material is supplied; supplied in time, it counts as a commitment kept")
    func issuanceWaitsForDeficiencies() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        _ = try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: nil), by: harness.housingReviewer)
        _ = try await harness.service.review(application.id, ReviewDecision(item: "YL-LDZY", decision: .approve, opinion: nil), by: harness.landscapingReviewer)
        await #expect(throws: ApprovalError.self) { try await harness.service.issue(application.id, by: harness.issuer) }

        let plan = try await harness.upload("树木保护方案")
        let supplied = try await harness.service.supplement(application.id, Supplement(materials: [MaterialUpload(material: "tree-protection-plan", file: plan)]),
                                                            by: harness.applicant)
        #expect(supplied.outstandingDeficiencies.isEmpty)
        #expect(supplied.materials.first { $0.material == "tree-protection-plan" }?.late == nil)
        let credit = try await harness.service.credit(of: ApprovalHarness.firmA, for: harness.applicant)
        #expect(credit.records.items.map(\.entry.kind) == [.commitmentKept])
        #expect(credit.score == 101)
        let issued = try await harness.service.issue(application.id, by: harness.issuer)
        #expect(issued.status == .issued)
    }

    @Test("a material supplied after its promised date is recorded as late, a broken commitment in the firm's credit")
    func lateSupplement() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application, due: "2026-11-25")
        harness.clock.set("2026-11-27")
        let plan = try await harness.upload("树木保护方案")
        let supplied = try await harness.service.supplement(application.id, Supplement(materials: [MaterialUpload(material: "tree-protection-plan", file: plan)]),
                                                            by: harness.applicant)
        #expect(supplied.status == .accepted)
        #expect(supplied.materials.first { $0.material == "tree-protection-plan" }?.late == true)
        let credit = try await harness.service.credit(of: ApprovalHarness.firmA, for: harness.clerk)
        #expect(credit.records.items.map(\.entry.kind) == [.commitmentBroken])
        #expect(credit.score == 75)
        #expect(credit.level.level == "C")
        #expect(!credit.standing.isAtLeast("B", under: harness.catalog.credit))
        await #expect(throws: ApprovalError.notFound("企业 \(ApprovalHarness.firmA) 的信用记录")) {
            try await harness.service.credit(of: ApprovalHarness.firmA, for: harness.otherApplicant)
        }
    }

    @Test("the clerk must defer every missing deferrable material or not accept")
    func acceptanceMustDeferMissingMaterials() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        await #expect(throws: ApprovalError.ruleViolated(code: "material-missing", message: "材料 tree-protection-plan 未提交，须列入容缺材料或要求补正", field: "deferred")) {
            try await harness.service.accept(application.id, AcceptanceDecision(decision: .accept), by: harness.clerk)
        }
        await #expect(throws: ApprovalError.invalidField(field: "supplementDue", message: "容缺受理须约定补交日期")) {
            try await harness.service.accept(application.id, AcceptanceDecision(decision: .accept, deferred: ["tree-protection-plan"]), by: harness.clerk)
        }
        let unchanged = try await harness.service.details(application.id, for: harness.applicant)
        #expect(unchanged.application.status == .submitted)
    }

    @Test("a refusal needs a reason and ends the application")
    func refusal() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        let refused = try await harness.service.accept(application.id, AcceptanceDecision(decision: .refuse, reason: "项目不在本局管辖范围"), by: harness.clerk)
        #expect(refused.status == .refused)
        await #expect(throws: ApprovalError.invalidState(current: .refused, action: "撤回")) {
            try await harness.service.withdraw(application.id, by: harness.applicant)
        }
    }

    @Test("the firm can withdraw an application that is still under way")
    func withdrawal() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        #expect(try await harness.service.withdraw(application.id, by: harness.applicant).status == .withdrawn)
    }

    @Test("another firm cannot see, withdraw or file against a project that is not its own")
    func firmsAreIsolated() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        let application = try await harness.submitPermitAndGreenspace(project: project)
        await #expect(throws: ApprovalError.notFound("申请 \(application.id)")) {
            try await harness.service.details(application.id, for: harness.otherApplicant)
        }
        await #expect(throws: ApprovalError.notFound("申请 \(application.id)")) {
            try await harness.service.withdraw(application.id, by: harness.otherApplicant)
        }
        #expect(try await harness.service.applications(for: harness.otherApplicant).items.isEmpty)
        #expect(try await harness.service.projects(for: harness.otherApplicant).items.isEmpty)
    }

    @Test("a reviewer sees only its own department's items and their reviews")
    func reviewerSeesOwnItems() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        _ = try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .deny, opinion: "施工合同价款与中标价不一致"),
                                             by: harness.housingReviewer)
        let view = try await harness.service.details(application.id, for: harness.landscapingReviewer)
        #expect(view.application.items.map(\.code) == ["YL-LDZY"])
        #expect(!view.timeline.contains { $0.detail?["item"] == "ZJ-SGXK" })
        #expect(try await harness.service.applications(for: harness.landscapingReviewer).items.first?.application.items.map(\.code) == ["YL-LDZY"])
        let firmView = try await harness.service.details(application.id, for: harness.applicant)
        #expect(firmView.application.items.count == 2)
    }

    @Test("the timeline names every actor in order; staff reads are audited but not shown")
    func timeline() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        _ = try await harness.service.details(application.id, for: harness.clerk)
        _ = try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: nil), by: harness.housingReviewer)
        let details = try await harness.service.details(application.id, for: harness.applicant)
        #expect(details.timeline.map(\.action) == ["application.submitted", "application.accepted", "item.reviewed"])
        #expect(details.timeline.map(\.actorName) == ["张伟", "王敏", "陈刚"])
        let records = try await harness.database.read { db in try AuditLog.records(subject: application.subject, in: db) }
        #expect(records.filter { $0.action == "application.read" }.map(\.actorName) == ["王敏"])
    }
}
