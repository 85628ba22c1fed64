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
    public let holderName: String
    public let holderUSCC: String
    public let projectCode: String
    public let projectName: String
    public let permits: [Permit]
    public let validFrom: String
    public let validTo: String?
    public let details: [Detail]

    /// The certificate kind, e.g. `ZH`, from the number.
    public var kind: String { CertificateNumber(number)?.kind ?? "" }
    /// The issuing district's region code, from the number.
    public var authority: String { CertificateNumber(number)?.region ?? "" }

    public init(number: CertificateNumber, holderName: String, holderUSCC: String, projectCode: String, projectName: String,
         permits: [CertifiedPermit], validFrom: CivilDate, validTo: CivilDate?) {
        self.number = number.description
        self.holderName = holderName
        self.holderUSCC = holderUSCC
        self.projectCode = projectCode
        self.projectName = projectName
        self.permits = permits.map { Permit(item: $0.item, validTo: $0.validTo.flatMap { $0 == validTo ? nil : $0.description }) }
        self.validFrom = validFrom.description
        self.validTo = validTo?.description
        details = permits.flatMap { permit in (permit.details ?? []).map { Detail(item: permit.item, key: $0.key, value: $0.value) } }
    }

    enum CodingKeys: String, CodingKey {
        case number = "n", holder = "h", project = "p", permits = "i", validity = "v", details = "d"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(String.self, forKey: .number)
        let holder = try container.decode([String].self, forKey: .holder)
        let project = try container.decode([String].self, forKey: .project)
        let validity = try container.decode([String].self, forKey: .validity)
        guard holder.count == 2, project.count == 2, (1...2).contains(validity.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "claims have the wrong shape"))
        }
        (holderName, holderUSCC) = (holder[0], holder[1])
        (projectCode, projectName) = (project[0], project[1])
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
        try container.encode([holderName, holderUSCC], forKey: .holder)
        try container.encode([projectCode, projectName], forKey: .project)
        try container.encode(permits.map(\.encoded), forKey: .permits)
        try container.encode([validFrom] + (validTo.map { [$0] } ?? []), forKey: .validity)
        if !details.isEmpty { try container.encode(details.map { [$0.item, $0.key, $0.value] }, forKey: .details) }
    }

    /// The claims as a person reads them, for the offline check; `names` gives item names when the
    /// catalog is at hand.
    public func printedLines(names: [String: String] = [:]) -> [(String, String)] {
        [("证照编号", number), ("持证单位", "\(holderName)（\(holderUSCC)）"), ("项目", "\(projectName)（\(projectCode)）"),
         ("有效期", "\(validFrom) 至 \(validTo ?? "项目竣工")"), ("发证机关区划", authority)]
            + permits.map { permit in
                ("许可事项", [names[permit.item], permit.item].compactMap { $0 }.joined(separator: " ") + (permit.validTo.map { "，有效至 \($0)" } ?? ""))
            }
            + details.map { ("\($0.item) \($0.key)", $0.value) }
    }

    /// Expiry and revocation are live statuses checked against the register, not reasons to call
    /// the signature bad: an expired certificate still verifies as genuine.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
