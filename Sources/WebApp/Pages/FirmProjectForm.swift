import Approval
import CapabilityKit
import Foundation
import Kernel

/// 登记项目 as the page posts it: the API's `POST /api/v1/projects` body in a form's flat names.
struct FirmProjectForm: Decodable, Sendable {
    var code: String?
    var name: String?
    var district: String?
    var address: String?
    var category: String?
    var builderName: String?
    var builderUscc: String?
    var contractorName: String?
    var contractorUscc: String?

    /// The contractor is sent when its code is given; its name alone is no party.
    func input() -> NewProject {
        NewProject(code: Self.text(code), name: Self.text(name), district: Self.text(district), address: Self.text(address),
                   category: Self.text(category), builder: NewParty(name: Self.optional(builderName), uscc: Self.text(builderUscc)),
                   contractor: Self.optional(contractorUscc).map { NewParty(name: Self.optional(contractorName), uscc: $0) })
    }

    /// The page's name for the API's field a refusal names (`builder.uscc` is `builderUscc`).
    static func field(of refusal: FormRefusal) -> String? {
        switch (refusal.field, refusal.key) {
        case ("builder", let key?): "builder" + key.prefix(1).uppercased() + key.dropFirst()
        case ("contractor", let key?): "contractor" + key.prefix(1).uppercased() + key.dropFirst()
        case (let field, _): field
        }
    }

    static func text(_ posted: String?) -> String {
        posted?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    static func optional(_ posted: String?) -> String? {
        let text = text(posted)
        return text.isEmpty ? nil : text
    }
}

/// 登记项目: the form, the firm's own name and code filled in as the builder, each refusal beside
/// its field.
struct FirmProjectPage {
    struct RegionOption {
        let code: String
        let name: String
        let selected: Bool
    }

    let frame: PageFrame
    let posted: FirmProjectForm
    let regions: [RegionOption]
    let categories: [String]
    let errors: [String: String]
    let generalError: String?

    /// What a project is commonly registered as; the field takes any other.
    static let categories = ["房屋建筑工程", "市政基础设施工程", "装饰装修工程", "拆除工程"]

    init(frame: PageFrame, posted: FirmProjectForm, refusal: FormRefusal?, catalog: Catalog) {
        self.frame = frame
        self.posted = posted
        regions = catalog.regions.values.sorted { $0.code < $1.code }.map { RegionOption(code: $0.code, name: $0.name, selected: $0.code == posted.district) }
        categories = Self.categories
        let field = refusal.flatMap(FirmProjectForm.field(of:))
        errors = field.map { [$0: refusal?.message ?? ""] } ?? [:]
        generalError = field == nil ? refusal?.message : nil
    }
}
