import Approval
import Foundation
import Kernel

/// The facts a vehicle's certificate carries, with one-letter keys: each byte signed into the QR
/// makes it denser, and it must read from a windscreen.
enum VehicleDetails {
    static let wasteType = "w"
    static let disposalSite = "x"
    static let capacity = "c"
    static let siteApproval = "k"
    static let all = [wasteType, disposalSite, capacity, siteApproval]

    static func capacity(of subject: PermitSubject) -> Double? {
        subject.details.first { $0.key == capacity }.flatMap { Double($0.value) }
    }
}

/// A disposal permit's terms, from the plan kept with the application: the validity asked for,
/// the route's regions, and one certificate per vehicle.
struct DisposalTerms: PermitTermsSource {
    let rules: WasteDisposalRules
    let items: Set<String>
    /// The disposal item's certificate in the catalog, which names the facts.
    let certificate: CertificateSpec

    /// The disposal item carries the facts and the vehicles; the bundle's other permits share its
    /// validity and route.
    func terms(of item: ApplicationItem, in application: Application) -> PermitTerms? {
        guard items.contains(item.code), let plan = try? application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else {
            return nil
        }
        guard item.code == rules.item else { return PermitTerms(validFrom: plan.validFrom, validTo: plan.validTo, details: [], route: plan.route) }
        return PermitTerms(
            validFrom: plan.validFrom, validTo: plan.validTo,
            details: [certificate.detail(VehicleDetails.wasteType, plan.wasteType), certificate.detail(VehicleDetails.disposalSite, plan.disposalSite)]
                + (plan.siteApproval.map { [certificate.detail(VehicleDetails.siteApproval, $0)] } ?? []),
            route: plan.route,
            subjects: plan.vehicles.map { Self.subject($0, certificate: certificate) })
    }

    /// What a vehicle's certificate is issued to: its plate.
    static let subjectKind = "plate"

    /// A vehicle as the subject of its own certificate: the plate, and the capacity its loads are counted by.
    static func subject(_ vehicle: Vehicle, certificate: CertificateSpec) -> PermitSubject {
        PermitSubject(kind: subjectKind, id: vehicle.plate, details: [certificate.detail(VehicleDetails.capacity, VehicleDetails.format(vehicle.capacityM3))])
    }
}

extension VehicleDetails {
    /// `20` rather than `20.0`; `12.5` as it is.
    static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
