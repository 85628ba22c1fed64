import Kernel

/// 一次告知: what a firm must provide for the items it chose, each material and field once, with
/// the items that need it.
public struct CombinedNotice: Encodable, Sendable {
    public struct NoticeMaterial: Encodable, Sendable {
        public let id: String
        public let name: String
        /// The strictest requirement among the items that ask for it.
        public let requirement: Material.Requirement
        public let requiredBy: [String]
        public let deferrable: Bool
        public let electronic: Bool
        public let description: String?
    }

    public struct NoticeField: Encodable, Sendable {
        public let key: String
        public let label: String
        public let type: FormField.FieldType
        public let required: Bool
        public let options: [String]?
        public let requiredBy: [String]
    }

    public let bundle: String?
    public let items: [String]
    public let materials: [NoticeMaterial]
    public let fields: [NoticeField]
    /// Departments taking part in the joint site survey (联合踏勘).
    public let survey: [String]
    /// Departments review in parallel, so the bundle takes as long as its slowest item.
    public let promisedDays: Int
    public let legalDays: Int

    public init(items: [CatalogItem], bundle: String?) {
        self.bundle = bundle
        self.items = items.map(\.code)
        var materials: [NoticeMaterial] = []
        for material in items.flatMap(\.materials) where !materials.contains(where: { $0.id == material.id }) {
            let users = items.filter { $0.materials.contains { $0.id == material.id } }
            let requirements = Set(users.compactMap { $0.materials.first { $0.id == material.id }?.requirement })
            let strictest: Material.Requirement = requirements.contains(.required) ? .required : requirements.contains(.deferrable) ? .deferrable : .optional
            materials.append(NoticeMaterial(id: material.id, name: material.name, requirement: strictest, requiredBy: users.map(\.code),
                                            deferrable: strictest == .deferrable, electronic: material.isElectronic, description: material.description))
        }
        self.materials = materials
        fields = MergedForm.fields(for: items).map { field in
            NoticeField(key: field.key, label: field.label, type: field.type, required: field.isRequired, options: field.options,
                        requiredBy: items.filter { $0.fields.contains { $0.key == field.key } }.map(\.code))
        }
        survey = Array(Set(items.filter(\.needsSurvey).map(\.department))).sorted()
        promisedDays = items.map(\.promisedDays).max() ?? 0
        legalDays = items.map(\.legalDays).max() ?? 0
    }
}
