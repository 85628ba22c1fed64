import Crypto
import Foundation
import Kernel

/// An external system (the city's 互联网+监管 platform, a district's own) that receives the
/// supervision-relevant events as signed webhooks.
public struct WebhookSubscription: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let url: String
    /// Event names it receives.
    public let events: [String]
    public let active: Bool
    public let createdAt: Date
}

/// One event's delivery to one receiver, as the administrator follows it.
public struct WebhookDelivery: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case pending, delivered, failed
    }

    public let eventId: Int64
    /// The event's name, e.g. `InspectionRecorded`.
    public let event: String
    public let subject: String
    public let status: Status
    public let attempts: Int
    /// When the next attempt is due, while the delivery is pending.
    public let nextAttemptAt: Date?
    /// The receiver's last HTTP status, if it answered at all.
    public let lastStatus: Int?
    public let lastError: String?
    public let deliveredAt: Date?
}

public struct NewWebhook: Codable, Sendable {
    public let name: String
    public let url: String
    public let events: [String]?

    public init(name: String, url: String, events: [String]? = nil) {
        self.name = name
        self.url = url
        self.events = events
    }
}

/// How a delivery is signed, so that a receiver can check it came from us and was not replayed:
/// `X-Shenguan-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
public enum WebhookSignature {
    public static let header = "X-Shenguan-Signature"

    public static func sign(body: Data, secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(mac(body: body, secret: secret, timestamp: timestamp))"
    }

    /// Whether `header` signs `body` under `secret`, made within `tolerance` seconds of `now`.
    public static func isValid(_ header: String, body: Data, secret: String, now: Date, tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = mac(body: body, secret: secret, timestamp: timestamp)
        return signatures.contains { constantTimeEqual($0, expected) }
    }

    static func mac(body: Data, secret: String, timestamp: Int) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))).hexString
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The events that leave the building: what external supervision systems need to follow a permit
/// from issuance through every inspection.
public enum SupervisionFeed {
    public static let events: [any DomainEvent.Type] = [PermitIssued.self, CertificateIssued.self, PermitChanged.self, CertificateStatusChanged.self, PermitExpired.self,
                                                         SupervisionTaskOpened.self, InspectionRecorded.self, ScanRecorded.self]
    public static var names: [String] { events.map { $0.name } }
}
