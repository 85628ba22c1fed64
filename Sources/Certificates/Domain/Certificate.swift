import Foundation
import Kernel

/// `420104-2026-SG-000123`: region, year, kind, and a serial that is gap-free per region, year and
/// kind. A permit issued as one certificate per subject numbers them in one series under its own
/// number: `420104-2026-LJ-000123-0001`, `-0002`, …
public struct CertificateNumber: Hashable, Sendable, CustomStringConvertible, Codable {
    public let region: String
    public let year: Int
    public let kind: String
    public let serial: Int
    /// The place in its permit's series, for a subject's certificate.
    public let part: Int?

    public init(region: String, year: Int, kind: String, serial: Int, part: Int? = nil) {
        self.region = region
        self.year = year
        self.kind = kind
        self.serial = serial
        self.part = part
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Byte checks rather than a regex: this runs for every certificate read from the register.
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard parts.count == 4 || parts.count == 5, parts[0].utf8.count == 6, parts[0].utf8.allSatisfy(isDigit), parts[1].utf8.count == 4,
              let year = Int(parts[1]), parts[2].utf8.count == 2, parts[2].utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }),
              parts[3].utf8.count == 6, parts[3].utf8.allSatisfy(isDigit), let serial = Int(parts[3]), serial > 0
        else { return nil }
        var part: Int?
        if parts.count == 5 {
            guard parts[4].utf8.count == 4, parts[4].utf8.allSatisfy(isDigit), let index = Int(parts[4]), index > 0 else { return nil }
            part = index
        }
        self.init(region: String(parts[0]), year: year, kind: String(parts[2]), serial: serial, part: part)
    }

    /// The permit's own number, which its subjects' certificates are numbered under.
    public var series: CertificateNumber { CertificateNumber(region: region, year: year, kind: kind, serial: serial) }

    /// The number of the `index`th place in this number's series.
    public func inSeries(part index: Int) -> CertificateNumber { CertificateNumber(region: region, year: year, kind: kind, serial: serial, part: index) }

    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(region)-\(year)-\(kind)-" + padded(serial, 6) + (part.map { "-" + padded($0, 4) } ?? "")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let number = CertificateNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "证照编号格式无效"))
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum CertificateStatus: String, Codable, Sendable {
    case valid, suspended, revoked, expired, superseded
    /// Issued for a period that has not begun yet.
    case notYetValid = "not-yet-valid"

    /// The status in words for people.
    public var label: String {
        switch self {
        case .valid: "有效"
        case .suspended: "已暂停"
        case .revoked: "已撤销"
        case .expired: "已过期"
        case .superseded: "已被新版本取代"
        case .notYetValid: "尚未生效"
        }
    }
}

/// One permit listed on a certificate (a comprehensive certificate lists several).
public struct CertifiedPermit: Codable, Sendable, Equatable {
    public let item: String
    public let name: String
    public let department: String
    public let validTo: CivilDate?
    /// What the permit allows, when the catalog limits it.
    public let scope: String?
    /// On a comprehensive certificate, the permit's own number in its item's series
    /// (`420104-2026-SG-000001`), kept by every later version.
    public internal(set) var number: String?
    /// What the issuing capability adds about this permit, signed into the QR.
    public let details: [PermitDetail]?

    public init(item: String, name: String, department: String, validTo: CivilDate?, scope: String? = nil, number: String? = nil,
                details: [PermitDetail]? = nil) {
        self.scope = scope
        self.details = details
        self.number = number
        self.item = item
        self.name = name
        self.department = department
        self.validTo = validTo
    }
}

public struct Certificate: Codable, Sendable, Equatable {
    public let number: CertificateNumber
    /// The compact JWS the QR code carries (without the URL around it).
    public let jws: String
    public let kid: String
    public let applicationID: String
    public let kind: String
    /// The layout it is drawn with (`Templates/certificates/<template>.yaml`).
    public let template: String
    public let holderName: String
    public let holderUSCC: String
    public let projectCode: String
    public let projectName: String
    public let district: String
    public let permits: [CertifiedPermit]
    public let validFrom: CivilDate
    public let validTo: CivilDate?
    public var status: CertificateStatus
    public var statusReason: String?
    public var statusChangedAt: Date?
    public let issuedAt: Date
    /// 1 for a first issue; each 增项 issues the next version under a new number.
    public var version: Int?
    /// The earlier version this one replaces.
    public var supersedes: String?
    /// The newer version that replaced this one.
    public var supersededBy: String?
    /// The original application of the lineage (itself for a first issue's own application).
    public var lineage: String?
    /// The regions along the permit's route, when it moves along one: inspectors of each may see it.
    public var route: PermitRoute?
    /// For one subject's certificate of a permit (numbered in the permit's series): the subject.
    public var subject: PermitSubject?
    /// The items whose own expiry, before the certificate's, has been recorded.
    public var expiredPermits: [String]?

    public var currentVersion: Int { version ?? 1 }

    /// Whether an inspector of `region` supervises this certificate: the project's region, or any
    /// region on its route.
    public func concerns(region: String) -> Bool {
        district == region || route?.contains(region) == true
    }

    /// The status as of a day: a valid certificate past its last day has expired, one before its
    /// first is not valid yet.
    public func status(on today: CivilDate) -> CertificateStatus {
        if status == .valid, let validTo, today > validTo { return .expired }
        if status == .valid, today < validFrom { return .notYetValid }
        return status
    }

    /// One included permit's status as of a day: the certificate's, unless the permit's own
    /// validity ended first.
    public func status(of permit: CertifiedPermit, on today: CivilDate) -> CertificateStatus {
        let whole = status(on: today)
        if whole == .valid, let validTo = permit.validTo, today > validTo { return .expired }
        return whole
    }
}
