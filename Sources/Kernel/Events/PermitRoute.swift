import Foundation

/// The regions a permit that moves along a route is supervised in: where the route starts, the
/// regions it crosses, and where it ends (each a six-digit region code, possibly in another city).
/// A permit without a route is supervised where its project is.
public struct PermitRoute: Codable, Sendable, Equatable, Hashable {
    public let origin: String
    public let transit: [String]
    public let disposal: String

    public init(origin: String, transit: [String], disposal: String) {
        self.origin = origin
        self.transit = transit
        self.disposal = disposal
    }

    /// Every region on the route once, in route order.
    public var regions: [String] {
        var seen = Set<String>()
        return ([origin] + transit + [disposal]).filter { seen.insert($0).inserted }
    }

    public func contains(_ region: String) -> Bool {
        origin == region || disposal == region || transit.contains(region)
    }

    /// The regions a catalog supervision route of `scope` opens its tasks in.
    public func regions(for scope: SupervisionRoute.RegionScope) -> [String] {
        switch scope {
        case .project, .origin: [origin]
        case .transit: transit
        case .disposal: [disposal]
        }
    }
}

/// One of several things a single permit covers that each carry a certificate of their own: `id`
/// is what identifies it to an inspector and is signed into its certificate's QR; `kind` names what
/// the id is in API answers (the capability's word for it); `details` are facts about it alone.
public struct PermitSubject: Codable, Sendable, Equatable {
    public let kind: String
    public let id: String
    public let details: [PermitDetail]

    public init(kind: String, id: String, details: [PermitDetail]) {
        self.kind = kind
        self.id = id
        self.details = details
    }
}
