/// The approval catalog (一事项一标准): items, bundles, departments, regions and the calendar,
/// loaded from the `Modules/` folder. Values only; see `CatalogLoader`.
public struct Catalog: Sendable {
    public let items: [String: CatalogItem]
    public let bundles: [String: Bundle]
    public let departments: [String: Department]
    public let regions: [String: Region]
    public let calendar: WorkingDayCalendar
    /// An application this close (in working days) to its promised date is flagged due soon.
    public let warnWithinWorkingDays: Int
    public let credit: CreditRules
    public let supervision: SupervisionRules

    public init(items: [CatalogItem], bundles: [Bundle], departments: [Department], regions: [Region], calendar: WorkingDayCalendar,
                warnWithinWorkingDays: Int = 1, credit: CreditRules = .neutral,
                supervision: SupervisionRules = .standard) {
        self.credit = credit
        self.supervision = supervision
        self.items = Dictionary(items.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.bundles = Dictionary(bundles.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.departments = Dictionary(departments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.regions = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.calendar = calendar
        self.warnWithinWorkingDays = warnWithinWorkingDays
    }

    public var sortedItems: [CatalogItem] { items.values.sorted { $0.code < $1.code } }

    /// The approval bureau of a region, as seals and pages name it: 武汉市硚口区行政审批局.
    public func authorityName(of regionCode: String, withCity: Bool = true) -> String {
        guard let region = regions[regionCode] else { return "\(regionCode)行政审批局" }
        let city = withCity && region.city.map { !region.name.hasPrefix($0) && !region.name.hasSuffix("市") } == true ? region.city! : ""
        return "\(city)\(region.name)行政审批局"
    }
}

public struct Department: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
}

public struct Region: Codable, Sendable, Equatable {
    public let code: String
    public let name: String
    public let city: String?
}

public enum ApprovalMode: String, Codable, Sendable, CaseIterable {
    /// 审批制: decided by review.
    case approval
    /// 告知承诺制: a signed commitment replaces proof; decided at acceptance.
    case commitment
    /// 即办: decided on the spot.
    case instant
}

public struct CatalogItem: Codable, Sendable, Equatable {
    public let code: String
    public let name: String
    public let department: String
    public let legalBasis: String?
    public let modes: [ApprovalMode]
    public let legalDays: Int
    public let promisedDays: Int
    public let defaultApprovalOnTimeout: Bool?
    public let survey: Bool?
    public let certificate: CertificateSpec
    public let preconditions: [Precondition]?
    public let materials: [Material]
    public let fields: [FormField]
    public let supervision: [SupervisionRoute]?

    public var approvesByDefaultOnTimeout: Bool { defaultApprovalOnTimeout ?? false }
    public var needsSurvey: Bool { survey ?? false }
    public var allowsCommitment: Bool { modes.contains(.commitment) }
}

public struct CertificateSpec: Codable, Sendable, Equatable {
    /// Two capitals used in certificate numbers.
    public let kind: String
    public let template: String
    public let validityDays: Int?
    /// What the permit allows, printed on the certificate, e.g. 基坑支护和土方开挖（不含桩基础施工）.
    public let scope: String?
    /// The layout of the card each subject carries, when the permit is issued per subject.
    public let subjectTemplate: String?
    /// The names of the facts a capability signs into the certificate, by their short key: what
    /// the certificate prints and `shenguan verify` shows beside each fact.
    public let details: [String: String]?

    /// A fact to sign, named as the catalog names its key.
    public func detail(_ key: String, _ value: String) -> PermitDetail {
        PermitDetail(key: key, label: details?[key] ?? key, value: value)
    }

}

extension Catalog {
    /// The certificate of `item`, whose facts `keys` a capability signs: a catalog that does not
    /// name them all is refused at start-up, so no certificate prints a bare key.
    public func certificate(of item: String, naming keys: [String]) throws(InvalidCatalog) -> CertificateSpec {
        let file = "items/\(item).yaml"
        guard let certificate = items[item]?.certificate else {
            throw InvalidCatalog(issues: [CatalogIssue(file: file, line: 1, message: "事项 \(item) 不在目录中")])
        }
        let unnamed = keys.filter { certificate.details?[$0] == nil }
        guard unnamed.isEmpty else {
            throw InvalidCatalog(issues: [CatalogIssue(file: file, line: 1, message: "certificate.details 应为证上事实 \(unnamed.joined(separator: "、")) 命名")])
        }
        return certificate
    }
}

public struct Precondition: Codable, Sendable, Equatable {
    public let id: String
    public let description: String
}

public struct Material: Codable, Sendable, Equatable {
    public enum Requirement: String, Codable, Sendable {
        case required
        /// May be supplied after acceptance under 容缺受理.
        case deferrable
        case optional
    }

    public let id: String
    public let name: String
    public let requirement: Requirement
    /// Fetched from the electronic licence system, so the applicant need not upload it.
    public let electronic: Bool?
    public let description: String?
    /// Required, whatever `requirement` says, when a numeric form field reaches a value — e.g.
    /// the expert review of a pit 5 m deep or more.
    public let requiredWhen: Threshold?

    public var isElectronic: Bool { electronic ?? false }
}

public struct Threshold: Codable, Sendable, Equatable {
    public let field: String
    public let atLeast: Double
}

public struct FormField: Codable, Sendable, Equatable {
    public enum FieldType: String, Codable, Sendable, CaseIterable {
        case text, number, date, uscc, phone
        case areaM2 = "area-m2"
        case moneyYuan = "money-yuan"
        case choice
    }

    public let key: String
    public let label: String
    public let type: FieldType
    public let required: Bool?
    public let options: [String]?

    public var isRequired: Bool { required ?? false }

    public init(key: String, label: String, type: FieldType, required: Bool?, options: [String]?) {
        self.key = key
        self.label = label
        self.type = type
        self.required = required
        self.options = options
    }
}

public struct SupervisionRoute: Codable, Sendable, Equatable {
    public enum RegionScope: String, Codable, Sendable {
        case project, origin, transit, disposal
    }

    public let department: String
    public let region: RegionScope
    public let task: String
    public let name: String
    public let dueDays: Int
    public let checklist: [ChecklistEntry]
    /// The permit's first inspection: the approving office counts permits without one and the
    /// share closed within `dueDays`.
    public let firstInspection: Bool?
    /// A violation found by this task suspends the certificate at once.
    public let suspendOnViolation: Bool?

    public var isFirstInspection: Bool { firstInspection ?? false }
    public var suspendsOnViolation: Bool { suspendOnViolation ?? false }
}

public struct ChecklistEntry: Codable, Sendable, Equatable {
    public let id: String
    public let text: String
    /// Answered `no`, the inspection can only be a violation (work outside the permit's scope).
    public let violationIfNo: Bool?

    public var failureIsViolation: Bool { violationIfNo ?? false }
}

public struct Bundle: Codable, Sendable, Equatable {
    public struct Requirement: Codable, Sendable, Equatable {
        public let item: String
        public let requires: [String]
    }

    public let code: String
    public let name: String
    public let items: [String]
    public let alwaysIncluded: [String]?
    public let requires: [Requirement]?
    public let conflicts: [[String]]?
    /// The one certificate issued for an application of this bundle.
    public let certificate: BundleCertificate?
    /// 联合踏勘: the promised time stops from the survey's scheduling until every department has
    /// recorded its findings.
    public let surveyPausesClock: Bool?

    public var certificateKind: String? { certificate?.kind }
}

public struct BundleCertificate: Codable, Sendable, Equatable {
    public let kind: String
    public let template: String

    public init(kind: String, template: String) {
        self.kind = kind
        self.template = template
    }
}

/// Rules of inspection work an administrator sets (`Modules/supervision.yaml`).
public struct SupervisionRules: Codable, Sendable, Equatable {
    /// The task a scan opens in the scanning inspector's own queue when what it finds is wrong: a
    /// certificate that is not valid, or one scanned in a region it is not supervised in.
    public struct ScanFinding: Codable, Sendable, Equatable {
        public let task: String
        public let name: String
        public let dueDays: Int
        public let checklist: [ChecklistEntry]
    }

    /// The longest rectification period an inspector may grant, in calendar days.
    public let maxRectificationDays: Int
    /// Without it, a scan only records what it found.
    public let scanFinding: ScanFinding?

    public init(maxRectificationDays: Int, scanFinding: ScanFinding? = nil) {
        self.maxRectificationDays = maxRectificationDays
        self.scanFinding = scanFinding
    }

    /// For catalogs without `supervision.yaml`.
    public static let standard = SupervisionRules(maxRectificationDays: 90)
}
