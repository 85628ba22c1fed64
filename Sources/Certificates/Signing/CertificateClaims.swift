import Foundation
import JWTKit
import Kernel

/// What a certificate's QR code carries, signed. Every byte makes the QR denser, so the encoding
/// is terse: one-letter keys, pairs as arrays, permits as item codes (the standard codes of
/// 一子项一编码; the register and the catalog give their names), and kind and issuing region read
/// from the certificate number.
public struct CertificateClaims: JWTPayload, Equatable {
    public struct Permit: Sendable, Equatable {
        public let item: String
        public let validTo: String?

        /// `ZJ-SGXK`, or `CG-JZLJ~2027-02-20` for a permit valid for less time than the certificate.
        var encoded: String { validTo.map { "\(item)~\($0)" } ?? item }

        init(encoded: String) {
            let parts = encoded.split(separator: "~", maxSplits: 1).map(String.init)
            item = parts.first ?? ""
            validTo = parts.count > 1 ? parts[1] : nil
        }

        init(item: String, validTo: String?) {
            self.item = item
            self.validTo = validTo
        }
    }

    /// A fact a capability signed about one permit: `[item, key, value]` in the QR.
    public struct Detail: Sendable, Equatable {
        public let item: String
        public let key: String
        public let value: String
    }

    public let number: String
    /// Left out of a subject's certificate (its QR must stay sparse); the register has it.
    public let holderName: String?
    public let holderUSCC: String
    public let projectCode: String
    /// Left out of a subject's certificate, like the holder's name.
    public let projectName: String?
    public let permits: [Permit]
    public let validFrom: String
    public let validTo: String?
    public let details: [Detail]
    /// For one of a permit's subjects (a certificate per subject): what identifies it.
    public let subject: String?
    /// The regions along the permit's route, origin first and destination last.
    public let route: [String]?

    /// The certificate kind, e.g. `ZH`, from the number.
    public var kind: String { CertificateNumber(number)?.kind ?? "" }
    /// The issuing district's region code, from the number.
    public var authority: String { CertificateNumber(number)?.region ?? "" }

    /// The claims of a certificate; for a subject's own certificate (`subject` set) the names are
    /// left out and the subject's details follow the permit's.
    public init(number: CertificateNumber, holderName: String, holderUSCC: String, projectCode: String, projectName: String,
                permits: [CertifiedPermit], validFrom: CivilDate, validTo: CivilDate?, subject: PermitSubject? = nil, route: PermitRoute? = nil) {
        self.number = number.description
        self.holderName = subject == nil ? holderName : nil
        self.holderUSCC = holderUSCC
        self.projectCode = projectCode
        self.projectName = subject == nil ? projectName : nil
        self.permits = permits.map { Permit(item: $0.item, validTo: $0.validTo.flatMap { $0 == validTo ? nil : $0.description }) }
        self.validFrom = validFrom.description
        self.validTo = validTo?.description
        var details = permits.flatMap { permit in (permit.details ?? []).map { Detail(item: permit.item, key: $0.key, value: $0.value) } }
        if let subject, let item = permits.first?.item {
            details += subject.details.map { Detail(item: item, key: $0.key, value: $0.value) }
        }
        self.details = details
        self.subject = subject?.id
        self.route = route.map { [$0.origin] + $0.transit + [$0.disposal] }
    }

    enum CodingKeys: String, CodingKey {
        case number = "n", holder = "h", project = "p", permits = "i", validity = "v", details = "d", subject = "s", route = "r"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(String.self, forKey: .number)
        let holder = try container.decode([String].self, forKey: .holder)
        let project = try container.decode([String].self, forKey: .project)
        let validity = try container.decode([String].self, forKey: .validity)
        let route = try container.decodeIfPresent([String].self, forKey: .route)
        guard (1...2).contains(holder.count), (1...2).contains(project.count), (1...2).contains(validity.count), (route?.count ?? 2) >= 2 else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "claims have the wrong shape"))
        }
        (holderName, holderUSCC) = holder.count == 2 ? (holder[0], holder[1]) : (nil, holder[0])
        (projectCode, projectName) = (project[0], project.count == 2 ? project[1] : nil)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        self.route = route
        permits = try container.decode([String].self, forKey: .permits).map(Permit.init(encoded:))
        validFrom = validity[0]
        validTo = validity.count > 1 ? validity[1] : nil
        let details = try container.decodeIfPresent([[String]].self, forKey: .details) ?? []
        guard details.allSatisfy({ $0.count == 3 }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "details have the wrong shape"))
        }
        self.details = details.map { Detail(item: $0[0], key: $0[1], value: $0[2]) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode([holderName, holderUSCC].compactMap { $0 }, forKey: .holder)
        try container.encode([projectCode, projectName].compactMap { $0 }, forKey: .project)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encodeIfPresent(route, forKey: .route)
        try container.encode(permits.map(\.encoded), forKey: .permits)
        try container.encode([validFrom] + (validTo.map { [$0] } ?? []), forKey: .validity)
        if !details.isEmpty { try container.encode(details.map { [$0.item, $0.key, $0.value] }, forKey: .details) }
    }

    /// The claims as a person reads them, for the offline check; `names` gives item names when the
    /// catalog is at hand.
    /// - Parameters:
    ///   - names: the catalog's item names, by code.
    ///   - labels: the catalog's names of each item's signed facts, by item and key.
    public func printedLines(names: [String: String] = [:], labels: [String: [String: String]] = [:]) -> [(String, String)] {
        [("证照编号", number), ("持证单位", holderName.map { "\($0)（\(holderUSCC)）" } ?? holderUSCC),
         ("项目", projectName.map { "\($0)（\(projectCode)）" } ?? projectCode)]
            + (subject.map { [("证照对象", $0)] } ?? [])
            + (route.map { [("监管区域", $0.joined(separator: " → "))] } ?? [])
            + [("有效期", "\(validFrom) 至 \(validTo ?? "项目竣工")"), ("发证机关区划", authority)]
            + permits.map { permit in
                ("许可事项", [names[permit.item], permit.item].compactMap { $0 }.joined(separator: " ") + (permit.validTo.map { "，有效至 \($0)" } ?? ""))
            }
            + details.map { ("\(names[$0.item] ?? $0.item) \(labels[$0.item]?[$0.key] ?? $0.key)", $0.value) }
    }

    /// Expiry and revocation are live statuses checked against the register, not reasons to call
    /// the signature bad: an expired certificate still verifies as genuine.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
