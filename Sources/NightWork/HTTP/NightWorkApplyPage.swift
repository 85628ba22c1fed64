import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel

/// 夜间施工 申请 as a page: the firm's projects, the nights and hours within the night the rules
/// set, the reason with the evidence it needs, the measures and the responsible person (taken
/// from the site's last permit when left blank), sensitive places nearby, and the materials.
struct NightWorkApplyPage {
    struct ProjectOption {
        let id: String
        let name: String
        let place: String
        let selected: Bool
    }

    struct ReasonOption {
        let code: String
        let name: String
        let needs: String
        let selected: Bool
    }

    struct ReceptorOption {
        let kind: String
        let name: String
        let rule: String
        let checked: Bool
    }

    let frame: PageFrame
    let action: String
    let projects: [ProjectOption]
    let hasProjects: Bool
    let reasons: [ReasonOption]
    let receptors: [ReceptorOption]
    let materials: [MaterialUploads.Input]
    let materialsError: String?
    let posted: NightWorkApplyForm
    let night: String
    let maxNights: Int
    let maxDaysAhead: Int
    /// The site's last night-work permit, whose measures, person and files a repeat starts from.
    let earlier: String?
    let errors: [String: String]
    let generalError: String?

    init(frame: PageFrame, action: String, projects: [Project], posted: NightWorkApplyForm, earlier: Certificate?, refusal: FormRefusal?,
         rules: NightWorkRules, catalog: Catalog) {
        self.frame = frame
        self.action = action
        let chosen = posted.project ?? (projects.count == 1 ? projects[0].id : nil)
        self.projects = projects.map {
            ProjectOption(id: $0.id, name: $0.name, place: "\(catalog.regions[$0.district]?.name ?? $0.district) \($0.address)", selected: $0.id == chosen)
        }
        hasProjects = !projects.isEmpty
        let item = catalog.items[rules.item]
        let materialName = { (id: String) in item?.materials.first { $0.id == id }?.name ?? id }
        reasons = rules.reasons.map { reason in
            let evidence = reason.evidence.map(materialName).joined(separator: "、")
            let needs = (evidence.isEmpty ? "无需证明材料" : "需提交：\(evidence)") + (reason.review == true ? "；由审批人员审查" : "")
            return ReasonOption(code: reason.code, name: reason.name, needs: needs, selected: reason.code == posted.reason)
        }
        receptors = rules.receptors.map { receptor in
            let rule = [receptor.maxNights.map { "每次最多 \($0) 晚" }, receptor.review == true ? "由审批人员审查" : nil].compactMap { $0 }
            return ReceptorOption(kind: receptor.kind, name: receptor.name, rule: rule.joined(separator: "，"),
                                  checked: posted.receptors?.contains(receptor.kind) == true)
        }
        let uploads = MaterialUploads(CombinedNotice(items: item.map { [$0] } ?? [], bundle: nil), uploads: PostedForm.uploads(posted.materials),
                                      refusal: refusal, catalog: catalog)
        materials = uploads.materials
        materialsError = uploads.materialsError
        self.posted = posted
        night = "\(rules.night.start)–次日\(rules.night.end)"
        maxNights = rules.maxNights
        maxDaysAhead = rules.maxDaysAhead
        self.earlier = earlier?.number.description
        var errors: [String: String] = [:]
        if let refusal, let field = NightWorkApplyForm.field(of: refusal), !uploads.placed { errors[field] = refusal.message }
        self.errors = errors
        generalError = errors.isEmpty && !uploads.placed ? refusal?.message : nil
    }
}
