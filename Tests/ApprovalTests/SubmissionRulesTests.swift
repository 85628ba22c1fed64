import Approval
import Foundation
import Kernel
import Testing

@Suite("What a firm submits is checked against the catalog: items, bundle rules, preconditions, form and materials")
struct SubmissionRulesTests {
    func submit(_ harness: ApprovalHarness, project: Project, bundle: String? = "comprehensive-permit", items: [String],
                form: [String: FormValue]? = nil, materials: [String]? = nil, commitment: Bool = false) async throws -> Application {
        var uploads: [MaterialUpload] = []
        for material in materials ?? ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan"] {
            uploads.append(MaterialUpload(material: material, file: try await harness.upload(material)))
        }
        return try await harness.service.submit(NewApplication(projectId: project.id, bundle: bundle, items: items,
                                                               form: form ?? harness.permitAndGreenspaceForm, materials: uploads,
                                                               commitment: commitment), by: harness.applicant)
    }

    @Test("under 告知承诺 the committed item is decided at acceptance and only the other department still reviews")
    func commitmentDecidesAtAcceptance() async throws {
        let harness = try ApprovalHarness()
        let application = try await harness.submitPermitAndGreenspace(project: try await harness.project(), commitment: true)
        let accepted = try await harness.acceptDeferringTreePlan(application)
        #expect(accepted.status == .underReview)
        #expect(accepted.items.first { $0.code == "ZJ-SGXK" }?.basis == .commitment)
        #expect(accepted.items.first { $0.code == "YL-LDZY" }?.status == .pending)
        let decided = try await harness.service.review(application.id, ReviewDecision(item: "YL-LDZY", decision: .approve, opinion: nil),
                                                       by: harness.landscapingReviewer)
        #expect(decided.status == .approved)
    }

    @Test("a commitment is refused when no chosen item allows 告知承诺")
    func commitmentNeedsAnEligibleItem() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        await #expect(throws: ApprovalError.invalidField(field: "commitment", message: "所选事项均不适用告知承诺制")) {
            try await self.submit(harness, project: project, bundle: nil, items: ["YL-LDZY"],
                                  form: harness.permitAndGreenspaceForm.filter { ["contactName", "contactPhone", "startDate", "endDate", "greenspaceAreaM2"].contains($0.key) },
                                  materials: ["greenspace-location-map", "greenspace-restoration-plan"], commitment: true)
        }
    }

    @Test("items of several departments must be applied for as a bundle, and the bundle's rules hold")
    func bundleRules() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        await #expect(throws: ApprovalError.ruleViolated(code: "bundle-required", message: "跨部门的多个事项须通过组合（bundle）一并申请", field: "bundle")) {
            try await self.submit(harness, project: project, bundle: nil, items: ["ZJ-SGXK", "YL-LDZY"])
        }
        await #expect(throws: ApprovalError.ruleViolated(code: "bundle-item-required", message: "“建筑工程综合许可证”必须包含事项 ZJ-SGXK", field: "items")) {
            try await self.submit(harness, project: project, items: ["YL-LDZY"])
        }
        await #expect(throws: ApprovalError.ruleViolated(code: "bundle-item-requires", message: "选择事项 ZJ-QZJX 须同时选择 ZJ-ZLAQ", field: "items")) {
            try await self.submit(harness, project: project, items: ["ZJ-SGXK", "ZJ-QZJX"])
        }
        await #expect(throws: ApprovalError.invalidField(field: "items[1]", message: "未知事项 XX-NONE")) {
            try await self.submit(harness, project: project, items: ["ZJ-SGXK", "XX-NONE"])
        }
    }

    @Test("an item that needs a general contractor is refused for a project without one, naming it")
    func contractorPrecondition() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project(withContractor: false)
        do {
            _ = try await submit(harness, project: project, items: ["ZJ-SGXK", "YL-LDZY"])
            Issue.record("accepted without a contractor")
        } catch let error as ApprovalError {
            #expect(error.code == "precondition-unmet")
            #expect(error.field == "contractor")
        }
    }

    @Test("each form value is checked against its field's type, and unasked fields are refused",
          arguments: [
              ("structureType", FormValue.string("木结构"), "form.structureType"),
              ("contactPhone", .string("8888"), "form.contactPhone"),
              ("startDate", .string("2026-13-01"), "form.startDate"),
              ("contractorUscc", .string("91420100MA4L000010"), "form.contractorUscc"),
              ("contractPriceYuan", .number(12.345), "form.contractPriceYuan"),
              ("totalAreaM2", .number(-5), "form.totalAreaM2"),
              ("wasteType", .string("渣土"), "form.wasteType"),
          ])
    func formValidation(key: String, value: FormValue, field: String) async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        var form = harness.permitAndGreenspaceForm
        form[key] = value
        do {
            _ = try await submit(harness, project: project, items: ["ZJ-SGXK", "YL-LDZY"], form: form)
            Issue.record("accepted \(key) = \(value)")
        } catch let error as ApprovalError {
            #expect(error.field == field)
        }
        #expect(try await harness.service.applications(for: harness.applicant).items.isEmpty)
    }

    @Test("a missing required field is named")
    func missingField() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        var form = harness.permitAndGreenspaceForm
        form["greenspaceAreaM2"] = nil
        await #expect(throws: ApprovalError.invalidField(field: "form.greenspaceAreaM2", message: "请填写“临时占用绿地面积（平方米）”")) {
            try await self.submit(harness, project: project, items: ["ZJ-SGXK", "YL-LDZY"], form: form)
        }
    }

    @Test("a missing required material is refused; another firm's file cannot be used")
    func materials() async throws {
        let harness = try ApprovalHarness()
        let project = try await harness.project()
        await #expect(throws: ApprovalError.ruleViolated(code: "material-missing", message: "缺少必要材料“施工合同”（construction-contract）", field: "materials")) {
            try await self.submit(harness, project: project, items: ["ZJ-SGXK", "YL-LDZY"],
                                  materials: ["funding-commitment", "greenspace-location-map", "greenspace-restoration-plan"])
        }
        let foreign = try await harness.upload("他人文件", by: harness.otherApplicant)
        let uploads = [MaterialUpload(material: "construction-contract", file: foreign)]
        await #expect(throws: ApprovalError.invalidField(field: "materials[0].file", message: "文件 \(foreign) 不存在或不属于本单位")) {
            try await harness.service.submit(NewApplication(projectId: project.id, bundle: "comprehensive-permit", items: ["ZJ-SGXK", "YL-LDZY"],
                                                            form: harness.permitAndGreenspaceForm, materials: uploads), by: harness.applicant)
        }
    }
}
