import Foundation
import Kernel

/// The rules of 建筑垃圾处置核准 as the bureau sets them (`Modules/waste-disposal/rules.yaml`).
public struct WasteDisposalRules: Codable, Sendable, Equatable {
    /// The bundle a disposal application is made under: its departments review in parallel and
    /// its permits are issued together on each vehicle's certificate.
    public let bundle: String
    /// The bundle's disposal item: its form fields, a site's earlier approval of it, and the trips
    /// counted against it.
    public let item: String
    public let wasteTypes: [String]
    /// The longest validity a firm may ask for, in calendar months.
    public let maxValidityMonths: Int
    public let maxVehicles: Int
    public let confirmation: Confirmation
    public let trips: TripRules

    /// The disposal region's confirmation that it will take the waste, when the site is in another
    /// region than the origin.
    public struct Confirmation: Codable, Sendable, Equatable {
        public let id: String
        public let title: String
        public let department: String
        /// Working days the disposal region has to confirm.
        public let dueDays: Int
    }
    public let tasks: Tasks

    /// A task the reconciliation of trips opens: in whose queue, and what the inspector checks.
    public struct TaskRule: Codable, Sendable, Equatable {
        public let department: String
        public let task: String
        public let name: String
        public let dueDays: Int
        public let checklist: [ChecklistEntry]
    }

    public struct Tasks: Codable, Sendable, Equatable {
        /// In the origin's and the disposal region's queues.
        public let unclosedTrip: TaskRule
        /// In the origin's queue.
        public let overVolume: TaskRule
        /// In the disposal site's region's queue.
        public let siteOverCapacity: TaskRule
    }

    public struct TripRules: Codable, Sendable, Equatable {
        /// A second origin scan of a vehicle within this time is the same load scanned again.
        public let rescanWithinMinutes: Int
        /// A trip still open this long after its origin scan is unclosed (suspected illegal dumping).
        public let unclosedAfterHours: Int
    }
}

/// A registered disposal site (消纳场), kept by the disposal region's authority
/// (`Modules/waste-disposal/disposal-sites.yaml`).
public struct DisposalSite: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let region: String
    public let address: String
    public let accepts: [String]
    public let capacityM3: Double
}

struct DisposalSiteRegister: Codable, Sendable, Equatable {
    let sites: [DisposalSite]
}
