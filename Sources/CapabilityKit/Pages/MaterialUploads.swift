import Approval
import Kernel

/// A form's materials, one upload each (the `material-uploads` partial, with the `apply-uploads`
/// script that posts each chosen file to `/files`): what each is, whether it was uploaded, and a
/// refusal of one upload or of the list beside it.
public struct MaterialUploads: Sendable {
    public struct Input: Sendable {
        public let id: String
        public let name: String
        public let description: String?
        public let requirement: String
        public let tone: String
        /// What the requirement means for the upload, when it is not plain.
        public let note: String?
        public let requiredBy: String
        public let electronic: Bool
        public let fileID: String
        public let uploaded: Bool
        public let error: String?
    }

    public let materials: [Input]
    /// A missing material is refused for the list as a whole: its message names the material.
    public let materialsError: String?
    /// Whether the refusal is shown here, beside an upload or the list.
    public let placed: Bool

    /// - Parameter uploads: as posted, in the order the service's `materials[i]` refusals count in.
    public init(_ notice: CombinedNotice, uploads: [MaterialUpload], refusal: FormRefusal?, catalog: Catalog) {
        let refusedUpload = refusal?.field == "materials" ? refusal?.listIndex.flatMap { uploads.indices.contains($0) ? uploads[$0].material : nil } : nil
        let names = { (codes: [String]) in codes.map { catalog.items[$0]?.name ?? $0 }.joined(separator: "、") }
        materials = notice.materials.map { material in
            let file = uploads.first { $0.material == material.id }?.file ?? ""
            let (requirement, tone, note) = Self.requirement(material)
            return Input(id: material.id, name: material.name, description: material.description, requirement: requirement, tone: tone,
                         note: note, requiredBy: names(material.requiredBy), electronic: material.electronic, fileID: file, uploaded: !file.isEmpty,
                         error: refusedUpload == material.id ? refusal?.message : nil)
        }
        let besideOne = materials.contains { $0.error != nil }
        materialsError = besideOne ? nil : refusal?.beside("materials")
        placed = besideOne || materialsError != nil
    }

    /// The tag and its tone, as the notice's table shows them, and what it means for the upload.
    public static func requirement(_ material: CombinedNotice.NoticeMaterial) -> (tag: String, tone: String, note: String?) {
        if material.electronic { return ("电子证照免提交", "ok", "由电子证照库自动调取，无需上传") }
        return switch material.requirement {
        case .required: ("必需", "", nil)
        case .deferrable: ("可容缺", "warn", "暂缺时可先不上传，由综合窗口容缺受理后限期补交")
        case .optional: ("按需", "", nil)
        }
    }
}
