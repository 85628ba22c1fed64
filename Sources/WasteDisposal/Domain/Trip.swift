import Foundation
import Kernel

/// One scan of a vehicle's certificate, as its trip keeps it.
public struct TripScan: Codable, Sendable, Equatable {
    public let scanID: String
    public let at: Date
    public let checkpoint: String
    public let region: String
    public let department: String
    public let inspector: String
    public let valid: Bool
}

/// 电子联单: a vehicle's load from the origin site to the disposal site. A scan at the origin
/// opens it, a scan at disposal closes it; scans in between are the route's checks.
public struct Trip: Codable, Sendable, Equatable {
    public let id: String
    public let applicationID: String
    public let certificate: String
    public let plate: String
    public let capacityM3: Double
    /// The disposal site its certificate names.
    public let disposalSite: String?
    public let openedAt: Date
    public var closedAt: Date?
    public var scans: [TripScan]

    public var isOpen: Bool { closedAt == nil }
}
