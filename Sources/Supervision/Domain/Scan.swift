import Foundation
import Kernel

/// Where along a permit's way an inspector scanned it.
public enum Checkpoint: String, Codable, Sendable, CaseIterable {
    /// The construction site.
    case site
    /// Where the permitted route starts.
    case origin
    /// A check on the way.
    case transit
    /// Where the permitted route ends.
    case disposal

    /// Where, in words for the inspector.
    public var label: String {
        switch self {
        case .site: "现场"
        case .origin: "起点"
        case .transit: "途中"
        case .disposal: "终点"
        }
    }
}

public struct ScanLocation: Codable, Sendable, Equatable {
    public let latitude: Double?
    public let longitude: Double?
    public let description: String?

    public init(latitude: Double?, longitude: Double?, description: String?) {
        self.latitude = latitude
        self.longitude = longitude
        self.description = description
    }
}

/// One scan as recorded: who, where, when, at which checkpoint, and what the check found.
public struct Scan: Codable, Sendable, Equatable {
    public let id: String
    public let at: Date
    public let inspectorID: String
    public let inspectorName: String
    public let department: String
    public let region: String
    public let checkpoint: Checkpoint
    public let location: ScanLocation?
    public let certificateNumber: String?
    public let valid: Bool
    /// The certificate's live status, or why the text was not a genuine certificate.
    public let outcome: String
}
