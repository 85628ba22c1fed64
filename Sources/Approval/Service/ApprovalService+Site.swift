import Foundation
import Kernel

/// What an inspector on site needs beyond the certificate: where the site is and whom to call.
/// Never shown to the public (it holds a phone number).
public struct SiteContact: Encodable, Sendable, Equatable {
    public let address: String
    public let builder: Party
    public let contractor: Party?
    public let contactName: String?
    public let contactPhone: String?
}

extension ApprovalService {
    /// The site contact of an issued application, for an inspector of the project's region or of
    /// a region along the permit's route (`routeRegions`, as its certificate gives them) only.
    public func siteContact(applicationID: String, for actor: Actor, routeRegions: [String] = []) async throws -> SiteContact? {
        guard actor.role == .inspector, let region = actor.region,
              let found = try await store.site(ofApplication: applicationID, formText: ["contactName", "contactPhone"]),
              found.site.district == region || routeRegions.contains(region) else { return nil }
        return SiteContact(address: found.site.address, builder: found.site.builder, contractor: found.site.contractor,
                           contactName: found.form["contactName"], contactPhone: found.form["contactPhone"])
    }
}
