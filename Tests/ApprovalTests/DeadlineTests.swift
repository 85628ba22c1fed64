import Approval
import Foundation
import Kernel
import Testing

@Suite("Deadlines run on working days from acceptance; 补正 pauses them; overdue work is flagged")
struct DeadlineTests {
    @Test("a correction request stops the clock and the promised date moves by the working days it was stopped")
    func correctionPausesClock() async throws {
        let harness = try ApprovalHarness()  // Monday 2026-11-23
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        let accepted = try await harness.acceptDeferringTreePlan(application)
        #expect(accepted.promisedBy == CivilDate("2026-11-30"))

        harness.clock.set("2026-11-24")
        let paused = try await harness.service.requestCorrection(application.id, CorrectionInput(reason: "建筑面积与规划许可证不一致，请核对"),
                                                                 by: harness.housingReviewer)
        #expect(paused.status == .correctionRequested)
        #expect(harness.service.deadline(of: paused, at: harness.clock.now).state == .paused)
        await #expect(throws: ApprovalError.invalidState(current: .correctionRequested, action: "审查")) {
            try await harness.service.review(application.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: nil), by: harness.housingReviewer)
        }

        harness.clock.set("2026-11-27")
        let corrected = try await harness.service.correct(application.id, CorrectedApplication(form: ["totalAreaM2": .number(86_400)]), by: harness.applicant)
        #expect(corrected.status == .acceptedWithDeficiencies)
        #expect(corrected.form["totalAreaM2"] == .number(86_400))
        #expect(corrected.promisedBy == CivilDate("2026-12-03"))  // paused Wed, Thu, Fri: three working days
    }

    @Test("a correction must still satisfy the form's rules")
    func correctionIsValidated() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.service.requestCorrection(application.id, CorrectionInput(reason: "联系电话有误"), by: harness.clerk)
        await #expect(throws: ApprovalError.invalidField(field: "form.contactPhone", message: "“联系电话”应为手机号码或带区号的固定电话")) {
            try await harness.service.correct(application.id, CorrectedApplication(form: ["contactPhone": .string("12345")]), by: harness.applicant)
        }
    }

    @Test("an application is flagged due soon one working day before its promised date and overdue after it")
    func flags() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)  // promised by Monday 2026-11-30

        harness.clock.set("2026-11-25")
        #expect(try await harness.service.applications(for: harness.clerk, ApplicationFilter(deadline: .onTime)).items.count == 1)
        harness.clock.set("2026-11-27")
        #expect(try await harness.service.applications(for: harness.clerk, ApplicationFilter(deadline: .dueSoon)).items.map(\.application.id) == [application.id])
        harness.clock.set("2026-12-01")
        let overdue = try await harness.service.applications(for: harness.clerk, ApplicationFilter(deadline: .overdue)).items
        #expect(overdue.map(\.application.id) == [application.id])
        #expect(overdue.first?.deadline.remainingWorkingDays == -1)
    }

    /// 夜间施工: promised in 2 working days and configured to approve by default when they pass.
    func submitNightWork(_ harness: ApprovalHarness) async throws -> Application {
        let project = try await harness.project()
        var uploads: [MaterialUpload] = []
        for material in ["night-work-justification", "noise-control-plan"] {
            uploads.append(MaterialUpload(material: material, file: try await harness.upload(material)))
        }
        let form: [String: FormValue] = [
            "nightWorkReason": .string("混凝土连续浇筑"), "firstNight": .string("2026-11-26"), "lastNight": .string("2026-11-28"),
            "nightStart": .string("22:00"), "nightEnd": .string("05:00"), "nightWorkMeasures": .string("隔声屏障，低噪声振捣设备"),
            "responsibleName": .string("张伟"), "responsiblePhone": .string("13871234567"),
        ]
        return try await harness.service.submit(NewApplication(projectId: project.id, items: ["CG-YJSG"], form: form, materials: uploads), by: harness.applicant)
    }

    @Test("an item configured for 超时默认 is approved by the system once its promised date has passed, and not before")
    func timeoutDefault() async throws {
        let harness = try ApprovalHarness()
        let application = try await submitNightWork(harness)
        _ = try await harness.service.accept(application.id, AcceptanceDecision(decision: .accept, deferred: ["resident-notice"],
                                                                                supplementDue: CivilDate("2026-11-25")), by: harness.clerk)
        harness.clock.set("2026-11-25")
        #expect(try await harness.service.applyTimeoutDefaults() == 0)

        harness.clock.set("2026-11-26")
        #expect(try await harness.service.applyTimeoutDefaults() == 1)
        let details = try await harness.service.details(application.id, for: harness.applicant)
        #expect(details.application.status == .approved)
        #expect(details.application.items.first?.basis == .timeoutDefault)
        #expect(details.timeline.last { $0.action == "item.reviewed" }?.actorName == "系统")
        #expect(try await harness.service.applyTimeoutDefaults() == 0)
    }

    @Test("items without 超时默认 stay pending however late they are")
    func noDefaultWithoutConfiguration() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project())
        _ = try await harness.acceptDeferringTreePlan(application)
        harness.clock.set("2026-12-15")
        #expect(try await harness.service.applyTimeoutDefaults() == 0)
    }
}
